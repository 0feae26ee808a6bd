//! `filter`: write the dataset the provider will train on — every line kept byte for byte,
//! or with its skipped image blocks removed — and, beside it, everything removed and why.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{ScanOpts, EXIT_OK, EXIT_WILL_FAIL};
use crate::output::{refuse_existing, AtomicFile};
use crate::read::{Line, LineReader};
use crate::reason::Reason;
use crate::report::{ExampleReport, ExampleStatus, ImageReport, ImageStatus, ReportFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    /// Drop every example with a skipped image (the safe reading of the provider's rules).
    Example,
    /// Remove only the skipped image blocks; an example left without images is dropped.
    Image,
}

#[derive(Args, Debug)]
pub struct FilterArgs {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the filtered dataset.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    #[arg(long, value_enum, default_value = "example")]
    pub policy: Policy,
    /// With --policy image: keep an example whose images were all removed, as text only.
    #[arg(long)]
    pub keep_text_only: bool,
    /// Write every removed example or image here, with reasons, scores and the original line.
    #[arg(long, value_name = "PATH")]
    pub rejected: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// Reuse a `scan --json` report of this same input instead of scanning again.
    #[arg(long, value_name = "REPORT")]
    pub from_report: Option<PathBuf>,
    #[command(flatten)]
    pub opts: ScanOpts,
}

/// What happens to one line.
#[derive(Debug, PartialEq)]
pub enum Decision {
    Keep,
    /// The line re-serialised without the listed images (0-based image indexes).
    Rewrite {
        line: Vec<u8>,
        removed: Vec<usize>,
    },
    Drop {
        why: String,
    },
}

/// Decide one line from its prediction.
pub fn decide(
    line: &Line,
    r: &ExampleReport,
    policy: Policy,
    keep_text_only: bool,
) -> Result<Decision> {
    Ok(match (r.status, policy) {
        (ExampleStatus::Ok, _) => Decision::Keep,
        (ExampleStatus::Invalid, _) => Decision::Drop {
            why: "invalid line".into(),
        },
        (ExampleStatus::Skipped, Policy::Example) => Decision::Drop {
            why: "example with a skipped image".into(),
        },
        (ExampleStatus::Skipped, Policy::Image) => {
            if r.example_level_reasons().next().is_some() {
                return Ok(Decision::Drop {
                    why: "example-level reason".into(),
                });
            }
            let skipped: Vec<&ImageReport> = r
                .images
                .iter()
                .filter(|i| i.status == ImageStatus::Skipped)
                .collect();
            if skipped.len() == r.images.len() && !keep_text_only {
                return Ok(Decision::Drop {
                    why: "every image skipped".into(),
                });
            }
            match remove_blocks(line, &skipped)? {
                Some(bytes) => Decision::Rewrite {
                    line: bytes,
                    removed: skipped.iter().map(|i| i.index).collect(),
                },
                None => Decision::Drop {
                    why: "a message would be left without content".into(),
                },
            }
        }
    })
}

/// The line without the given image blocks, keys in their original order; `None` when a
/// message would be left empty.
fn remove_blocks(line: &Line, images: &[&ImageReport]) -> Result<Option<Vec<u8>>> {
    let mut v: Value = serde_json::from_slice(line.content())
        .with_context(|| format!("line {}: cannot re-read the line", line.number))?;
    let mut by_message: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in images {
        by_message
            .entry(i.message_index)
            .or_default()
            .push(i.block_index);
    }
    for (m, mut blocks) in by_message {
        let content = v["messages"][m]["content"]
            .as_array_mut()
            .with_context(|| format!("line {}: message {m} has no content array", line.number))?;
        blocks.sort_unstable_by(|a, b| b.cmp(a));
        for b in blocks {
            if b < content.len() {
                content.remove(b);
            }
        }
        if content.is_empty() {
            return Ok(None);
        }
    }
    let mut out = line.bom().to_vec();
    serde_json::to_writer(&mut out, &v)?;
    out.extend_from_slice(line.terminator());
    Ok(Some(out))
}

/// One record of the rejected file.
#[derive(Serialize)]
struct Rejected<'a> {
    line: u64,
    action: &'static str,
    why: &'a str,
    reasons: &'a [Reason],
    errors: &'a [crate::example::StructureError],
    images: Vec<&'a ImageReport>,
    original: std::borrow::Cow<'a, str>,
}

#[derive(Default, Debug)]
pub struct FilterSummary {
    pub kept: u64,
    pub rewritten: u64,
    pub removed: u64,
    pub removed_images: u64,
    pub removed_by_reason: BTreeMap<String, u64>,
}

/// Writes the filtered dataset and the rejected file as decisions come in.
struct Writer {
    out: AtomicFile,
    rejected: Option<AtomicFile>,
    policy: Policy,
    keep_text_only: bool,
    stats: FilterSummary,
}

impl Writer {
    fn line(&mut self, line: &Line, r: &ExampleReport) -> Result<()> {
        if line.number != r.line {
            bail!(
                "the report does not match the input: report line {} against input line {}",
                r.line,
                line.number
            );
        }
        let decision = decide(line, r, self.policy, self.keep_text_only)?;
        let (action, why, images): (&str, String, Vec<&ImageReport>) = match &decision {
            Decision::Keep => {
                self.stats.kept += 1;
                self.out.write_all(&line.bytes)?;
                return Ok(());
            }
            Decision::Rewrite {
                line: bytes,
                removed,
            } => {
                self.stats.kept += 1;
                self.stats.rewritten += 1;
                self.stats.removed_images += removed.len() as u64;
                // A rewritten last line keeps the file newline-terminated for the next one.
                self.out.write_all(bytes)?;
                let imgs: Vec<&ImageReport> = r
                    .images
                    .iter()
                    .filter(|i| removed.contains(&i.index))
                    .collect();
                for i in &imgs {
                    for reason in &i.reasons {
                        *self
                            .stats
                            .removed_by_reason
                            .entry(reason.code().into())
                            .or_default() += 1;
                    }
                }
                ("removed_images", "skipped images removed".into(), imgs)
            }
            Decision::Drop { why } => {
                self.stats.removed += 1;
                self.stats.removed_images += r.images.len() as u64;
                let key = if r.status == ExampleStatus::Invalid {
                    r.errors
                        .first()
                        .map_or("invalid".to_owned(), |e| e.code.clone())
                } else {
                    r.reasons
                        .iter()
                        .map(|x| x.code())
                        .collect::<Vec<_>>()
                        .join("+")
                };
                *self.stats.removed_by_reason.entry(key).or_default() += 1;
                let imgs = r
                    .images
                    .iter()
                    .filter(|i| i.status == ImageStatus::Skipped)
                    .collect();
                ("removed_example", why.clone(), imgs)
            }
        };
        if let Some(rej) = self.rejected.as_mut() {
            let rec = Rejected {
                line: line.number,
                action,
                why: &why,
                reasons: &r.reasons,
                errors: &r.errors,
                images,
                original: String::from_utf8_lossy(line.content()),
            };
            serde_json::to_writer(&mut *rej, &rec)?;
            rej.write_all(b"\n")?;
        }
        Ok(())
    }
}

fn file_sha256(p: &Path) -> Result<(u64, String)> {
    use sha2::Digest;
    let mut f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
    let mut h = sha2::Sha256::new();
    let n = std::io::copy(&mut f, &mut h)?;
    Ok((n, crate::models::hex(&h.finalize())))
}

pub fn run(a: &FilterArgs) -> Result<i32> {
    let inputs: Vec<&Path> = [Some(a.input.as_path()), a.from_report.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    refuse_existing(&a.output, a.force)?;
    let out = AtomicFile::create(&a.output, &inputs)?;
    let rejected = match &a.rejected {
        Some(p) => {
            if p == &a.output {
                bail!("--rejected and --output must differ");
            }
            refuse_existing(p, a.force)?;
            Some(AtomicFile::create(p, &inputs)?)
        }
        None => None,
    };
    let mut w = Writer {
        out,
        rejected,
        policy: a.policy,
        keep_text_only: a.keep_text_only,
        stats: FilterSummary::default(),
    };

    match &a.from_report {
        Some(rp) => {
            let rep = ReportFile::read(rp)?;
            let (bytes, sha) = file_sha256(&a.input)?;
            if rep.summary.input_bytes != bytes
                || rep.summary.input_sha256.as_deref() != Some(sha.as_str())
            {
                bail!(
                    "{} was made from a different version of {} (size or sha256 differ): scan again",
                    rp.display(),
                    a.input.display()
                );
            }
            let mut lines = LineReader::new(BufReader::new(File::open(&a.input)?));
            let mut reports = rep.examples.iter();
            while let Some(line) = lines.next_line()? {
                let r = reports
                    .next()
                    .context("the report has fewer examples than the input has lines")?;
                w.line(&line, r)?;
            }
        }
        None => {
            let cfg = a.opts.config(&a.input)?;
            let detect = a.opts.detect_stage(&cfg)?;
            crate::scan(&cfg, &detect, &mut |l: &Line, r: &ExampleReport| {
                w.line(l, r)
            })?;
        }
    }

    let Writer {
        out,
        rejected,
        stats,
        ..
    } = w;
    out.commit()?;
    if let Some(r) = rejected {
        r.commit()?;
    }
    if !a.opts.quiet {
        let mut o = std::io::stdout().lock();
        writeln!(
            o,
            "prescreen filter ({} policy): kept {} example(s) ({} with images removed), removed {} example(s) and {} image(s)",
            match a.policy {
                Policy::Example => "example-level",
                Policy::Image => "image-level",
            },
            stats.kept,
            stats.rewritten,
            stats.removed,
            stats.removed_images
        )?;
        for (k, n) in &stats.removed_by_reason {
            writeln!(o, "  {k:<40} {n:>8}")?;
        }
        writeln!(o, "wrote {}", a.output.display())?;
        if let Some(r) = &a.rejected {
            writeln!(o, "wrote {}", r.display())?;
        }
        if stats.kept < 10 {
            writeln!(
                o,
                "only {} example(s) remain: the provider needs at least 10",
                stats.kept
            )?;
        }
    }
    Ok(if stats.kept >= 10 {
        EXIT_OK
    } else {
        EXIT_WILL_FAIL
    })
}
