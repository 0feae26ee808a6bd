//! `prescreen audit`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use prescreen::atomic::{check_outputs, AtomicFile};
use prescreen::{Audit, AuditOptions};

use super::exit::{self, ExitCode};
use super::flags::{predictions, readable, ScanFlags};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The JSONL file that was uploaded.
    pub input: PathBuf,
    /// Examples the provider reports it trained on.
    #[arg(long, value_name = "N", required_unless_present = "provider_summary")]
    pub reported: Option<u64>,
    /// The provider's validation or preprocessing summary (reasons with counts, line
    /// numbers), in a file or '-' for pasted text: compared line by line with the prediction.
    #[arg(long, value_name = "FILE")]
    pub provider_summary: Option<PathBuf>,
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
    let provider_summary = match a.provider_summary.as_deref() {
        None => None,
        Some(p) if p == std::path::Path::new("-") => {
            let mut t = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut t)?;
            Some(t)
        }
        Some(p) => {
            readable(p)?;
            Some(std::fs::read_to_string(p)?)
        }
    };
    let o = AuditOptions {
        provider_summary,
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
        exit::print(&summary(&o, &audit));
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
    if let Some(c) = &a.comparison {
        comparison(&mut t, c);
    }
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

/// The provider's summary beside the prediction.
fn comparison(t: &mut String, c: &prescreen::ops::audit::Comparison) {
    let ps = &c.provider_summary;
    let _ = writeln!(
        t,
        "  the provider's summary: {} reason(s), {} line(s) listed{}",
        ps.reasons.len(),
        ps.lines.len(),
        if ps.truncated {
            " (the list is cut short)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        t,
        "    {:<24} {:>9} {:>10}",
        "reason", "provider", "prescreen"
    );
    for r in &c.by_reason {
        let _ = writeln!(
            t,
            "    {:<24} {:>9} {:>10}",
            r.reason.code(),
            r.provider,
            r.predicted
        );
    }
    for (text, n) in &ps.reasons {
        if prescreen::ops::provider_summary::map_reason(text).is_none() {
            let _ = writeln!(
                t,
                "    {:<24} {:>9}   (not a reason prescreen screens for)",
                text, n
            );
        }
    }
    let _ = writeln!(
        t,
        "  missed by prescreen (the provider skipped them, predicted to train): {}",
        c.missed_lines.len()
    );
    for m in c.misses.iter().take(20) {
        match &m.closest {
            Some((signal, score, below)) => {
                let _ = writeln!(
                    t,
                    "    line {}: {signal} {score:.2}, {below:.2} under its threshold",
                    m.line
                );
            }
            None => {
                let _ = writeln!(t, "    line {}: no content score (not screened)", m.line);
            }
        }
    }
    let _ = writeln!(
        t,
        "  false alarms (predicted skipped, not listed by the provider): {}{}",
        c.false_alarm_lines.len(),
        if ps.truncated && !c.false_alarm_lines.is_empty() {
            " — not conclusive: the provider's list is cut short"
        } else {
            ""
        }
    );
    if !c.false_alarm_lines.is_empty() {
        let shown: Vec<String> = c
            .false_alarm_lines
            .iter()
            .take(20)
            .map(u64::to_string)
            .collect();
        let _ = writeln!(t, "    lines {}", shown.join(", "));
    }
    for s in &c.suggestions {
        let _ = writeln!(
            t,
            "  suggestion: --{}-threshold {:.2} (now {:.2}) would have caught {} of the {} misses, and also removed {} example(s) the provider kept",
            s.signal, s.suggested, s.current, s.would_catch, c.missed_lines.len(), s.would_also_remove
        );
    }
}
