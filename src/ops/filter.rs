//! `filter`: write the dataset the provider will train on — every line kept byte for byte,
//! or with its skipped image blocks removed — and, beside it, everything removed and why.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use serde::Serialize;

use super::{Predictions, ReportCheck};
use crate::atomic::{check_outputs, AtomicFile};
use crate::codes::{ExampleStatus, ImageStatus, Policy, Reason};
use crate::pipeline::parse::splice::{self, BlockEdit};
use crate::pipeline::read::Line;
use crate::report::{ExampleReport, ImageReport, StructureError};

#[derive(Debug, Clone)]
pub struct FilterOptions {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the filtered dataset.
    pub output: PathBuf,
    /// `ExampleLevel` drops every example with a skipped image (the safe reading of the
    /// provider's rules); `ImageLevel` removes only the skipped image blocks.
    pub policy: Policy,
    /// With the image-level policy: keep an example whose images were all removed, as text.
    pub keep_text_only: bool,
    /// Write every removed example or image here, with reasons, scores and the original line.
    pub rejected: Option<PathBuf>,
    /// Replace existing output files.
    pub force: bool,
    pub predictions: Predictions,
    /// A reused report must come from a full default scan for this provider, unless
    /// `accept_other_options` (see [`ReportCheck`]).
    pub report_check: ReportCheck,
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
        (ExampleStatus::Skipped, Policy::ExampleLevel) => Decision::Drop {
            why: "example with a skipped image".into(),
        },
        (ExampleStatus::Skipped, Policy::ImageLevel) => {
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

/// The line without the given image blocks, every other byte of JSON as it was written;
/// `None` when a message would be left empty.
fn remove_blocks(line: &Line, images: &[&ImageReport]) -> Result<Option<Vec<u8>>> {
    let edits: BTreeMap<(usize, usize), BlockEdit> = images
        .iter()
        .map(|i| ((i.message_index, i.block_index), BlockEdit::Remove))
        .collect();
    let Some(json) = splice::rewrite(line.content(), &edits)
        .map_err(|e| anyhow::anyhow!("line {}: cannot rewrite the line: {e}", line.number))?
    else {
        return Ok(None);
    };
    let mut out = line.bom().to_vec();
    out.extend_from_slice(&json);
    out.extend_from_slice(line.terminator());
    Ok(Some(out))
}

/// One record of the rejected file.
#[derive(Serialize)]
struct Rejected<'a> {
    line: u64,
    action: Action,
    why: &'a str,
    reasons: &'a [Reason],
    errors: &'a [StructureError],
    images: Vec<&'a ImageReport>,
    /// The line as it was (without its terminator); a line that is not UTF-8 is given as
    /// `original_base64` instead, so no byte is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_base64: Option<String>,
}

/// What `filter` wrote.
#[derive(Default, Debug)]
pub struct FilterSummary {
    /// Examples written (rewritten ones included).
    pub kept: u64,
    /// Kept examples whose skipped image blocks were removed.
    pub rewritten: u64,
    pub removed: u64,
    pub removed_images: u64,
    /// Removals by reason code, or by reasons joined with `+`, or by structure error.
    pub removed_by_reason: BTreeMap<String, u64>,
    /// The provider's minimum of examples for a fine-tuning file.
    pub minimum_examples: u64,
}

impl FilterSummary {
    /// The written file holds enough examples to train.
    pub fn meets_minimum(&self) -> bool {
        self.kept >= self.minimum_examples
    }
}

/// A record of the rejected file: a whole example, or some of its images.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Action {
    RemovedImages,
    RemovedExample,
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
        let (action, why, images): (Action, String, Vec<&ImageReport>) = match &decision {
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
                (Action::RemovedImages, "skipped images removed".into(), imgs)
            }
            Decision::Drop { why } => {
                self.stats.removed += 1;
                self.stats.removed_images += r.images.len() as u64;
                let key = if r.status == ExampleStatus::Invalid {
                    r.errors
                        .first()
                        .map_or("invalid".to_owned(), |e| e.code.code().to_owned())
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
                (Action::RemovedExample, why.clone(), imgs)
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
                original: std::str::from_utf8(line.content()).ok(),
                original_base64: std::str::from_utf8(line.content())
                    .is_err()
                    .then(|| base64_simd::STANDARD.encode_to_string(line.content())),
            };
            serde_json::to_writer(&mut *rej, &rec)?;
            rej.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// Write `o.output` (and `o.rejected`); both appear only when complete.
pub fn filter(o: &FilterOptions) -> Result<FilterSummary> {
    let inputs: Vec<&Path> = [Some(o.input.as_path()), o.predictions.report()]
        .into_iter()
        .flatten()
        .collect();
    let outputs: Vec<&Path> = [Some(o.output.as_path()), o.rejected.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    check_outputs(&outputs, &inputs, o.force)?;
    let out = AtomicFile::create(&o.output, &inputs)?;
    let rejected = match &o.rejected {
        Some(p) => Some(AtomicFile::create(p, &inputs)?),
        None => None,
    };
    let mut w = Writer {
        out,
        rejected,
        policy: o.policy,
        keep_text_only: o.keep_text_only,
        stats: FilterSummary::default(),
    };
    let made = o
        .predictions
        .for_each(&o.input, Some(o.report_check), |l, r| w.line(l, r))?;
    let Writer {
        out,
        rejected,
        mut stats,
        ..
    } = w;
    out.commit()?;
    if let Some(r) = rejected {
        r.commit()?;
    }
    stats.minimum_examples = made.profile.min_examples;
    Ok(stats)
}
