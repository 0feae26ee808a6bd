//! `prescreen filter`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::ops::ReportCheck;
use prescreen::{FilterOptions, FilterSummary, Policy, ProviderName};

use super::exit::{self, ExitCode};
use super::flags::{predictions, readable, ScanFlags};

/// Scan flags a report makes pointless (`--provider` stays: the report must match it).
const REPORT_CONFLICTS: [&str; 10] = [
    "jobs",
    "fetch_jobs",
    "offline",
    "allow_private_urls",
    "connect_timeout",
    "timeout",
    "max_redirects",
    "ScreenFlags",
    "fail_fast",
    "window_lines",
];

#[derive(Args, Debug)]
pub struct FilterArgs {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the filtered dataset.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// `example`: drop every example with a skipped image (the safe reading of the provider's
    /// rules); `image`: remove only the skipped image blocks (an example left without images
    /// is dropped).
    #[arg(long, value_parser = ["example", "image"], default_value = "example")]
    pub policy: String,
    /// With --policy image: keep an example whose images were all removed, as text only.
    #[arg(long)]
    pub keep_text_only: bool,
    /// Write every removed example or image here, with reasons, scores and the original line.
    #[arg(long, value_name = "PATH")]
    pub rejected: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// Reuse a `scan --json` report of this same input instead of scanning again (the scan
    /// flags then have nothing to do and are refused).
    #[arg(long, value_name = "REPORT", conflicts_with_all = REPORT_CONFLICTS)]
    pub from_report: Option<PathBuf>,
    /// With --from-report: use a report made with other options (--no-detect, --offline,
    /// other thresholds or screens, another provider) although what it predicts is not what
    /// a real upload keeps.
    #[arg(long, requires = "from_report")]
    pub accept_report_options: bool,
    #[command(flatten)]
    pub scan: ScanFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: FilterArgs) -> Result<ExitCode> {
    readable(&a.input)?;
    let o = FilterOptions {
        predictions: predictions(&a.input, a.from_report, &a.scan)?,
        input: a.input,
        output: a.output,
        policy: if a.policy == "image" {
            Policy::ImageLevel
        } else {
            Policy::ExampleLevel
        },
        keep_text_only: a.keep_text_only,
        report_check: ReportCheck {
            provider: ProviderName::parse(&a.scan.source.provider).expect("clap checked it"),
            accept_other_options: a.accept_report_options,
        },
        rejected: a.rejected,
        force: a.force,
    };
    let s = prescreen::filter(&o)?;
    if !a.quiet {
        exit::print(&summary(&o, &s));
    }
    Ok(ExitCode::from_passes(s.meets_minimum()))
}

/// After `filter`: what was kept and removed, and where it went.
fn summary(o: &FilterOptions, s: &FilterSummary) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "prescreen filter ({} policy): kept {} example(s) ({} with images removed), removed {} example(s) and {} image(s)",
        o.policy.name(),
        s.kept,
        s.rewritten,
        s.removed,
        s.removed_images
    );
    for (k, n) in &s.removed_by_reason {
        let _ = writeln!(t, "  {k:<40} {n:>8}");
    }
    let _ = writeln!(t, "wrote {}", o.output.display());
    if let Some(r) = &o.rejected {
        let _ = writeln!(t, "wrote {}", r.display());
    }
    if !s.meets_minimum() {
        let _ = writeln!(
            t,
            "only {} example(s) remain: the provider needs at least {}",
            s.kept, s.minimum_examples
        );
    }
    t
}
