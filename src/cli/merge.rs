//! `prescreen merge`.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use prescreen::atomic::{check_outputs, AtomicFile};
use prescreen::report::html::HtmlReport;
use prescreen::report::json::JsonReport;
use prescreen::report::terminal;
use prescreen::{Merge, MergeOptions};

use super::exit::{self, ExitCode};
use super::flags::readable;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The reports of every part of one `scan --shard K/N` split, in any order.
    #[arg(required = true, value_name = "PART.json")]
    pub parts: Vec<PathBuf>,
    /// Write the merged JSON report here: the report a whole scan would have written.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write the merged HTML report here (without thumbnails: the parts hold no pixels).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Put every image in the HTML report, not only skipped or warned ones.
    #[arg(long, requires = "html")]
    pub html_all: bool,
    /// Replace existing report files.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: MergeArgs) -> Result<ExitCode> {
    for p in &a.parts {
        readable(p)?;
    }
    let outputs: Vec<&Path> = [a.json.as_deref(), a.html.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let inputs: Vec<&Path> = a.parts.iter().map(PathBuf::as_path).collect();
    check_outputs(&outputs, &inputs, a.force)?;
    let merge = Merge::open(&MergeOptions {
        parts: a.parts.clone(),
    })?;
    let input = merge.input().to_path_buf();
    let offline = merge.options().offline;
    let mut html = a.html.as_ref().map(|_| {
        let thresholds = merge
            .options()
            .thresholds
            .clone()
            .unwrap_or_else(|| prescreen::Settings::default().thresholds());
        HtmlReport::new(prescreen::settings::HTML_CAP, a.html_all, thresholds)
    });
    let mut json = match &a.json {
        Some(p) => Some(JsonReport::begin_with_header(
            AtomicFile::create(p, &inputs)?,
            merge.header(),
        )?),
        None => None,
    };
    let html_file = match &a.html {
        Some(p) => Some(AtomicFile::create(p, &inputs)?),
        None => None,
    };
    let summary = merge.run(&mut |r| {
        if let Some(h) = html.as_mut() {
            h.example(r);
        }
        json.as_mut().map_or(Ok(()), |j| j.example(r))
    })?;
    if let Some(j) = json {
        j.finish(&summary)?.commit()?;
    }
    if let (Some(h), Some(mut f)) = (html, html_file) {
        h.finish(&mut f, &input.display().to_string(), &summary)?;
        f.commit()?;
    }
    if !a.quiet {
        let colour = terminal::use_colour(io::stdout().is_terminal());
        exit::print(&terminal::human_summary(&input, &summary, offline, colour));
    }
    Ok(ExitCode::from_passes(summary.passes))
}
