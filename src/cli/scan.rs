//! `prescreen scan`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::pipeline::read::Line;
use prescreen::report::json::JsonReport;
use prescreen::report::progress::Progress;
use prescreen::report::terminal;
use prescreen::{ExampleReport, Screens, Thumbnails};

use super::exit::ExitCode;
use super::flags::{readable, ScanFlags};
use super::outputs::{ReportFlags, Reports};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// The JSONL training file.
    pub input: PathBuf,
    #[command(flatten)]
    pub report: ReportFlags,
    /// Scan only part K of N of the input (byte ranges cut at line starts, true line
    /// numbers), for N machines; `prescreen merge` turns the N reports into the whole one.
    /// A part exits 0 once scanned: the file's verdict is merge's.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<prescreen::Shard>,
    #[command(flatten)]
    pub scan: ScanFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: ScanArgs) -> Result<ExitCode> {
    readable(&a.input)?;
    let mut cfg = a.scan.options(&a.input)?;
    cfg.shard = a.shard;
    cfg.validate()?;
    let out = &a.report;
    if out.html.is_some() {
        cfg.thumbnails = if out.html_all {
            Thumbnails::All
        } else {
            Thumbnails::Flagged
        };
    }
    let inputs = [cfg.input.as_path()];
    out.check(&inputs)?;
    let screens = Screens::for_scan(&cfg)?;
    let names = screens.names();
    let mut reports = Reports::open(
        out,
        &inputs,
        || cfg.screen.settings.thresholds(),
        |dest| JsonReport::begin(dest, &cfg, &names),
    )?;
    let mut progress = Progress::new(
        std::fs::metadata(&cfg.input).map_or(0, |m| m.len()),
        a.quiet,
    );
    let summary = prescreen::scan(&cfg, &screens, &mut |l: &Line, r: &ExampleReport| {
        progress.example(l.bytes.len(), r.images.len());
        reports.example(r)
    })?;
    reports.finish(&cfg.input, &summary)?;
    progress.finish();
    if !a.quiet {
        out.print_summary(|colour| {
            terminal::human_summary(&cfg.input, &summary, cfg.offline, colour)
        });
    }
    if summary.shard.is_some() {
        return Ok(ExitCode::Ok);
    }
    Ok(ExitCode::from_passes(summary.passes))
}
