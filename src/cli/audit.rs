//! `prescreen audit`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::atomic::{check_outputs, AtomicFile};
use prescreen::{Audit, AuditOptions};

use super::exit::{self, ExitCode};
use super::filter::predictions;
use super::flags::{readable, ScanFlags};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The JSONL file that was uploaded.
    pub input: PathBuf,
    /// Examples the provider reports it trained on.
    #[arg(long, value_name = "N")]
    pub reported: u64,
    /// `trained_tokens` from the fine-tuning job.
    #[arg(long, value_name = "T", requires = "epochs")]
    pub trained_tokens: Option<u64>,
    /// Epochs the job ran (`trained_tokens` counts every epoch).
    #[arg(long, value_name = "E", requires = "trained_tokens", value_parser = clap::value_parser!(u32).range(1..))]
    pub epochs: Option<u32>,
    /// Reuse a `scan --json` report of this input instead of scanning again (the scan flags
    /// then have nothing to do and are refused).
    #[arg(long, value_name = "REPORT", conflicts_with_all = ["SourceFlags", "ScreenFlags", "fail_fast", "window_lines"])]
    pub from_report: Option<PathBuf>,
    /// How many suspects to list (default: three times the gap, at least 10).
    #[arg(long)]
    pub top: Option<usize>,
    /// Write the audit as JSON here.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Replace an existing --json file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub scan: ScanFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(a: AuditArgs) -> Result<ExitCode> {
    readable(&a.input)?;
    let o = AuditOptions {
        predictions: predictions(&a.input, a.from_report, &a.scan)?,
        input: a.input,
        reported: a.reported,
        trained_tokens: a.trained_tokens.zip(a.epochs),
        top: a.top,
    };
    let inputs: Vec<&std::path::Path> = [Some(o.input.as_path()), o.predictions.report()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(p) = &a.json {
        check_outputs(&[p], &inputs, a.force)?;
    }
    let audit = prescreen::audit(&o)?;
    if let Some(p) = &a.json {
        let mut f = AtomicFile::create(p, &inputs)?;
        serde_json::to_writer_pretty(&mut f, &audit)?;
        f.commit()?;
    }
    if !a.quiet {
        exit::print(&summary(&o, &audit))?;
    }
    Ok(ExitCode::from_passes(audit.matched.gap == 0))
}

/// After `audit`: which policy the reported count matches, and the likeliest culprits.
fn summary(o: &AuditOptions, a: &Audit) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "prescreen audit of {}: provider reported {} trained examples",
        o.input.display(),
        a.reported
    );
    for f in [&a.matched, &a.other] {
        let _ = writeln!(
            t,
            "  {} policy: predicted {}, gap {:+}",
            f.policy.name(),
            f.predicted,
            f.gap
        );
    }
    if let Some(g) = a.token_gap {
        let _ = writeln!(t, "  trained-token gap per epoch: {g:+}");
    }
    let _ = writeln!(t, "verdict: {}", a.verdict);
    if !a.suspects.is_empty() {
        let _ = writeln!(t, "  suspects, likeliest first:");
        for (i, s) in a.suspects.iter().enumerate() {
            let _ = writeln!(
                t,
                "  {:>3}. line {} image {}: {} — {}",
                i + 1,
                s.line,
                s.image.map_or("-".into(), |x| x.to_string()),
                s.why,
                s.advice
            );
        }
    }
    t
}
