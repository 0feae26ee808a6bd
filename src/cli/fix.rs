//! `prescreen fix`.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::{Detail, FixOptions, FixSummary};

use super::exit::{self, ExitCode};
use super::flags::{readable, SourceFlags};

fn details() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Detail::ALL.iter().map(|d| d.code()))
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the repaired dataset.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// Embed URL and local-path images as data URIs (the upload then needs no URL to stay up).
    #[arg(long)]
    pub inline: bool,
    /// Set `detail` on every image (the provider advises starting with `low`).
    #[arg(long, value_parser = details())]
    pub detail: Option<String>,
    /// Write what was changed, one JSON record per changed line.
    #[arg(long, value_name = "PATH")]
    pub changes: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub source: SourceFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: FixArgs) -> Result<ExitCode> {
    readable(&a.input)?;
    let o = FixOptions {
        profile: a.source.profile(),
        jobs: a.source.jobs(),
        fetch_jobs: a.source.fetch_jobs as usize,
        fetch: a.source.fetch(),
        offline: a.source.offline,
        detail: a
            .detail
            .as_deref()
            .map(|d| Detail::parse(d).expect("clap checked the value")),
        input: a.input,
        output: a.output,
        changes: a.changes,
        inline: a.inline,
        force: a.force,
    };
    let s = prescreen::fix(&o)?;
    if !a.quiet {
        exit::print(&summary(&o, &s));
    }
    Ok(ExitCode::Ok)
}

/// After `fix`: how many lines changed and what could not be repaired.
fn summary(o: &FixOptions, s: &FixSummary) -> String {
    format!(
        "prescreen fix: {} line(s) changed, {} image(s) converted, {} problem(s) fix cannot repair (content, unreachable or corrupt)\nwrote {}\n",
        s.changed_lines,
        s.converted_images,
        s.not_repaired,
        o.output.display()
    )
}
