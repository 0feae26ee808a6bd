//! `prescreen merge`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use prescreen::report::json::JsonReport;
use prescreen::report::terminal;
use prescreen::{Merge, MergeOptions};

use super::exit::ExitCode;
use super::flags::readable;
use super::outputs::{ReportFlags, Reports};

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The reports of every part of one `scan --shard K/N` split, in any order.
    #[arg(required = true, value_name = "PART.json")]
    pub parts: Vec<PathBuf>,
    /// The merged reports: what a whole scan would have written (the HTML report without
    /// thumbnails: the parts hold no pixels).
    #[command(flatten)]
    pub report: ReportFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: MergeArgs) -> Result<ExitCode> {
    for p in &a.parts {
        readable(p)?;
    }
    let out = &a.report;
    let inputs: Vec<&Path> = a.parts.iter().map(PathBuf::as_path).collect();
    out.check(&inputs)?;
    let merge = Merge::open(&MergeOptions {
        parts: a.parts.clone(),
    })?;
    let input = merge.input().to_path_buf();
    let offline = merge.options().offline;
    let mut reports = Reports::open(
        out,
        &inputs,
        || {
            // Reports from before thresholds were recorded were made with the defaults.
            merge
                .options()
                .thresholds
                .clone()
                .unwrap_or_else(|| prescreen::Settings::default().thresholds())
        },
        |dest| JsonReport::begin_with_header(dest, merge.header()),
    )?;
    let summary = merge.run(&mut |r| reports.example(r))?;
    reports.finish(&input, &summary)?;
    if !a.quiet {
        out.print_summary(|colour| terminal::human_summary(&input, &summary, offline, colour));
    }
    Ok(ExitCode::from_passes(summary.passes))
}
