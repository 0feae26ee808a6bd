//! `prescreen scan`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::pipeline::read::Line;
use prescreen::report::html::HtmlReport;
use prescreen::report::json::JsonReport;
use prescreen::report::progress::Progress;
use prescreen::report::terminal;
use prescreen::{ExampleReport, Screens, Thumbnails};

use super::exit::ExitCode;
use super::flags::{readable, ScanFlags};
use super::outputs::ReportFlags;

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
    let mut html = out
        .html
        .as_ref()
        .map(|_| HtmlReport::new(out.html_cap, out.html_all, cfg.screen.settings.thresholds()));
    let html_file = out.html_file(&inputs)?;

    let mut progress = Progress::new(
        std::fs::metadata(&cfg.input).map_or(0, |m| m.len()),
        a.quiet,
    );
    let mut json = match out.json_dest(&inputs)? {
        Some(dest) => Some(JsonReport::begin(dest, &cfg, &names)?),
        None => None,
    };
    let summary = prescreen::scan(&cfg, &screens, &mut |l: &Line, r: &ExampleReport| {
        progress.example(l.bytes.len(), r.images.len());
        if let Some(h) = html.as_mut() {
            h.example(r);
        }
        json.as_mut().map_or(Ok(()), |j| j.example(r))
    })?;
    if let Some(j) = json {
        j.finish(&summary)?.close()?;
    }
    progress.finish();
    if let (Some(h), Some(mut f)) = (html, html_file) {
        h.finish(&mut f, &cfg.input.display().to_string(), &summary)?;
        f.commit()?;
    }
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
