//! `prescreen merge`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use prescreen::report::html::HtmlReport;
use prescreen::report::json::JsonReport;
use prescreen::report::terminal;
use prescreen::{Merge, MergeOptions};

use super::exit::ExitCode;
use super::flags::readable;
use super::outputs::ReportFlags;

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
    let mut html = out.html.as_ref().map(|_| {
        let thresholds = merge
            .options()
            .thresholds
            .clone()
            .unwrap_or_else(|| prescreen::Settings::default().thresholds());
        HtmlReport::new(out.html_cap, out.html_all, thresholds)
    });
    let html_file = out.html_file(&inputs)?;
    let mut json = match out.json_dest(&inputs)? {
        Some(dest) => Some(JsonReport::begin_with_header(dest, merge.header())?),
        None => None,
    };
    let summary = merge.run(&mut |r| {
        if let Some(h) = html.as_mut() {
            h.example(r);
        }
        json.as_mut().map_or(Ok(()), |j| j.example(r))
    })?;
    if let Some(j) = json {
        j.finish(&summary)?.close()?;
    }
    if let (Some(h), Some(mut f)) = (html, html_file) {
        h.finish(&mut f, &input.display().to_string(), &summary)?;
        f.commit()?;
    }
    if !a.quiet {
        out.print_summary(|colour| terminal::human_summary(&input, &summary, offline, colour));
    }
    Ok(ExitCode::from_passes(summary.passes))
}
