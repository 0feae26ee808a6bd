//! Decide stage: turn what the earlier stages found into per-image and per-example predictions,
//! and tally them into the expected training count under both drop policies.

use std::collections::BTreeMap;

use super::inspect::Inspection;
use super::parse::{ImageRef, StructureError};
use super::tokens;
use crate::codes::{
    Detail, ExampleStatus, FileErrorCode, Finding, ImageStatus, Reason, Warning, WarningCode,
};
use crate::provider::Profile;
use crate::report::{
    AfterFix, ExampleReport, FileError, ImageReport, Offender, PolicyVerdicts, ShardPart,
    SourceKind, Summary, Tokens,
};
use crate::screen::Detection;
use crate::settings::OFFENDERS;

/// Everything known about one image, gathered by resolve, inspect and detect.
pub struct ImageFacts {
    pub source: SourceKind,
    pub location: Option<String>,
    pub checked: bool,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    pub inspection: Option<Inspection>,
    pub detection: Option<Detection>,
}

pub fn image(img: &ImageRef<'_>, facts: ImageFacts) -> ImageReport {
    let mut findings = facts.findings;
    let mut warnings = facts.warnings;
    let mut scores = BTreeMap::new();
    let mut boxes = Vec::new();
    let mut facts_map = BTreeMap::new();
    let (mut format, mut mode, mut width, mut height, mut bytes) = (None, None, None, None, None);
    let mut repaired = false;
    if let Some(i) = facts.inspection {
        repaired = i.repaired;
        findings.extend(i.findings);
        warnings.extend(i.warnings);
        format = i.header.format.map(|f| f.name().to_owned());
        mode = i.header.mode.map(str::to_owned);
        width = i.header.width;
        height = i.header.height;
        bytes = Some(i.bytes);
    }
    let mut after_fix = None;
    if let Some(d) = facts.detection {
        // Screened on the pixels `fix` would write: what the screens find decides the image
        // after the repair, not now (the provider skips it for its format first).
        if repaired {
            let mut reasons: Vec<Reason> = d.findings.iter().map(|f| f.reason).collect();
            reasons.sort();
            reasons.dedup();
            after_fix = Some(AfterFix {
                status: if reasons.is_empty() {
                    ImageStatus::Ok
                } else {
                    ImageStatus::Skipped
                },
                reasons,
                findings: d.findings,
            });
        } else {
            findings.extend(d.findings);
        }
        warnings.extend(d.warnings);
        scores = d.scores;
        boxes = d.boxes;
        facts_map = d.facts;
    }
    let mut reasons: Vec<Reason> = findings.iter().map(|f| f.reason).collect();
    reasons.sort();
    reasons.dedup();
    let tokens = match (width, height) {
        (Some(w), Some(h)) => Some(tokens::image_tokens(img.detail, w, h)),
        _ if img.detail == Detail::Low => Some(tokens::LOW_DETAIL_TOKENS),
        _ => None,
    };
    ImageReport {
        index: img.index,
        message_index: img.message_index,
        block_index: img.block_index,
        source: facts.source,
        location: facts.location,
        status: if reasons.is_empty() {
            ImageStatus::Ok
        } else {
            ImageStatus::Skipped
        },
        checked: facts.checked,
        reasons,
        findings,
        warnings,
        format,
        mode,
        width,
        height,
        bytes,
        detail: img.detail,
        tokens,
        scores,
        boxes,
        facts: facts_map,
        after_fix,
        preview: None,
    }
}

pub fn invalid_example(
    line: u64,
    errors: Vec<StructureError>,
    warnings: Vec<Warning>,
) -> ExampleReport {
    ExampleReport {
        line,
        status: ExampleStatus::Invalid,
        reasons: Vec::new(),
        errors,
        warnings,
        images: Vec::new(),
        tokens: None,
    }
}

pub fn example(
    line: u64,
    images: Vec<ImageReport>,
    mut warnings: Vec<Warning>,
    text_tokens: u64,
    profile: &Profile,
) -> ExampleReport {
    let mut reasons: Vec<Reason> = images
        .iter()
        .flat_map(|i| i.reasons.iter().copied())
        .collect();
    if images.len() > profile.max_images_per_example {
        reasons.push(Reason::TooManyImages);
    }
    reasons.sort();
    reasons.dedup();
    let image_tokens: u64 = images.iter().filter_map(|i| i.tokens).sum();
    let total = text_tokens + image_tokens;
    if total > profile.max_example_tokens {
        warnings.push(Warning::new(
            WarningCode::OverTokenLimit,
            format!(
                "about {total} tokens: examples over {} tokens are truncated by the provider",
                profile.max_example_tokens
            ),
        ));
    }
    ExampleReport {
        line,
        status: if reasons.is_empty() {
            ExampleStatus::Ok
        } else {
            ExampleStatus::Skipped
        },
        reasons,
        errors: Vec::new(),
        warnings,
        images,
        tokens: Some(Tokens {
            text: text_tokens,
            images: image_tokens,
            total,
        }),
    }
}

/// Running totals over the examples, in input order.
#[derive(Default)]
pub struct Tally {
    s: Summary,
}

impl Tally {
    pub fn add(&mut self, r: &ExampleReport) {
        let s = &mut self.s;
        s.examples += 1;
        for e in &r.errors {
            *s.errors_by_code.entry(e.code).or_default() += 1;
        }
        for w in r
            .warnings
            .iter()
            .chain(r.images.iter().flat_map(|i| &i.warnings))
        {
            *s.warnings_by_code.entry(w.code).or_default() += 1;
        }
        if r.status == ExampleStatus::Invalid {
            s.invalid_examples += 1;
        } else {
            if !r.images.is_empty() {
                s.examples_with_images += 1;
            }
            s.images += r.images.len() as u64;
            for i in &r.images {
                if !i.checked {
                    s.unchecked_images += 1;
                }
                if let Some(a) = &i.after_fix {
                    let rep = &mut s.repairable_images;
                    rep.images += 1;
                    if a.status == ImageStatus::Ok {
                        rep.saved += 1;
                    }
                    for reason in &a.reasons {
                        *rep.still_skipped_by_reason.entry(*reason).or_default() += 1;
                    }
                }
                if i.status == ImageStatus::Skipped {
                    s.skipped_images += 1;
                    for reason in &i.reasons {
                        *s.images_by_reason.entry(*reason).or_default() += 1;
                    }
                }
            }
            if r.status == ExampleStatus::Skipped {
                s.skipped_examples += 1;
                for reason in &r.reasons {
                    *s.examples_by_reason.entry(*reason).or_default() += 1;
                }
            } else {
                s.expected_trained_examples.example_level += 1;
            }
            let example_level = r.example_level_reasons().next().is_some();
            if !example_level {
                s.expected_trained_examples.image_level += 1;
                s.expected_trained_examples_after_fix.image_level += 1;
                if r.images
                    .iter()
                    .all(|i| i.status_after_fix() == ImageStatus::Ok)
                {
                    s.expected_trained_examples_after_fix.example_level += 1;
                }
            }
            if let Some(t) = &r.tokens {
                s.tokens.text += t.text;
                s.tokens.images += t.images;
                s.tokens.total += t.total;
            }
            if r.warnings
                .iter()
                .any(|w| w.code == WarningCode::OverTokenLimit)
            {
                s.examples_over_token_limit += 1;
            }
        }
        self.offender(r);
    }

    fn offender(&mut self, r: &ExampleReport) {
        if r.status == ExampleStatus::Ok {
            return;
        }
        let what = if let Some(e) = r.errors.first() {
            let mut w = String::new();
            if let Some(m) = e.message_index {
                w.push_str(&format!("message {m}"));
                if let Some(b) = e.block_index {
                    w.push_str(&format!(", block {b}"));
                }
                w.push_str(": ");
            }
            w.push_str(&e.message);
            if r.errors.len() > 1 {
                w.push_str(&format!(" (+{} more)", r.errors.len() - 1));
            }
            w
        } else {
            let mut parts: Vec<String> = r
                .images
                .iter()
                .filter(|i| i.status == ImageStatus::Skipped)
                .take(3)
                .map(|i| {
                    let f = i.findings.first();
                    format!(
                        "image {}: {} ({})",
                        i.index,
                        f.map_or("", |f| f.reason.code()),
                        f.map_or("", |f| f.detail.as_str())
                    )
                })
                .collect();
            if r.reasons.contains(&Reason::TooManyImages) {
                parts.insert(0, format!("{} images: too_many_images", r.images.len()));
            }
            parts.join("; ")
        };
        let list = &mut self.s.worst_offenders;
        list.push(Offender {
            line: r.line,
            status: r.status,
            skipped_images: r.skipped_images(),
            what,
        });
        // Invalid lines first (they fail the upload), then the most skipped images, then order.
        list.sort_by_key(|o| {
            (
                o.status != ExampleStatus::Invalid,
                std::cmp::Reverse(o.skipped_images),
                o.line,
            )
        });
        list.truncate(OFFENDERS);
    }

    /// The summary of one part of a sharded scan: the counts of its own lines, and none of
    /// the file-level rules (the minimum, the 50,000 and skipped-example limits, the file
    /// size, invalid lines), which only the whole file decides: `prescreen merge` does.
    pub fn finish_part(mut self, profile: &Profile, input_bytes: u64, part: ShardPart) -> Summary {
        let s = &mut self.s;
        s.provider = Some(profile.name);
        s.input_bytes = input_bytes;
        s.minimum_examples = profile.min_examples;
        s.verdict = format!(
            "part {}/{} of the input ({} line(s) from line {}): the file's verdict is decided by `prescreen merge` over all {} parts",
            part.index, part.count, s.examples, part.first_line, part.count
        );
        s.shard = Some(part);
        self.s
    }

    pub fn finish(mut self, profile: &Profile, input_bytes: u64) -> Summary {
        let s = &mut self.s;
        s.provider = Some(profile.name);
        s.input_bytes = input_bytes;
        s.minimum_examples = profile.min_examples;
        if s.examples_with_images > profile.max_examples_with_images {
            s.file_errors.push(FileError {
                code: FileErrorCode::TooManyExamplesWithImages,
                message: format!(
                    "{} examples with images; at most {} are allowed per file",
                    s.examples_with_images, profile.max_examples_with_images
                ),
            });
        }
        let valid = s.examples - s.invalid_examples;
        if valid < profile.min_examples {
            s.file_errors.push(FileError {
                code: FileErrorCode::TooFewExamples,
                message: format!(
                    "{valid} valid examples; at least {} are required",
                    profile.min_examples
                ),
            });
        }
        if let Some(limit) = profile
            .max_skipped_examples
            .filter(|&l| s.skipped_examples > l)
        {
            // Counted as the provider's message counts: examples (lines) with a skipped image.
            let dropped_image_level = (s.examples - s.invalid_examples)
                .saturating_sub(s.expected_trained_examples.image_level);
            let message = format!(
                "{} examples with skipped images; the provider fails the whole upload above {limit} \
                 (\"Number of skipped multimodal examples exceed the maximum allowed {limit} limit\"): \
                 upload the output of `prescreen filter` instead, which leaves none",
                s.skipped_examples
            );
            s.file_errors.push(FileError {
                code: FileErrorCode::TooManySkippedExamples,
                message,
            });
            if dropped_image_level <= limit {
                // Which policy the provider applies is undocumented; its message counts
                // examples, so the error stands, and the other view is said beside it.
                s.file_warnings.push(FileError {
                    code: FileErrorCode::TooManySkippedExamples,
                    message: format!(
                        "under the image-level policy only {dropped_image_level} examples would be dropped, \
                         within the limit of {limit}; the provider's message counts every example with a skipped image"
                    ),
                });
            }
        }
        if input_bytes > profile.max_file_bytes {
            s.file_errors.push(FileError {
                code: FileErrorCode::FileTooLarge,
                message: format!(
                    "file is {input_bytes} bytes; uploads are limited to {} bytes",
                    profile.max_file_bytes
                ),
            });
        }
        if s.invalid_examples > 0 {
            s.file_errors.push(FileError {
                code: FileErrorCode::InvalidLines,
                message: format!(
                    "{} invalid line(s): the provider rejects the file",
                    s.invalid_examples
                ),
            });
        }
        let e = &s.expected_trained_examples;
        s.meets_minimum = PolicyVerdicts {
            image_level: e.image_level >= profile.min_examples,
            example_level: e.example_level >= profile.min_examples,
        };
        s.passes = s.file_errors.is_empty() && s.meets_minimum.example_level;
        s.verdict = if !s.file_errors.is_empty() {
            format!(
                "the provider will reject this file: {}",
                s.file_errors
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        } else {
            format!(
                "{} of {} examples expected to train (example-level policy; {} under the image-level policy); minimum {} {}",
                e.example_level,
                s.examples,
                e.image_level,
                profile.min_examples,
                if s.meets_minimum.example_level { "met" } else { "NOT met" }
            )
        };
        self.s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::ProviderName;

    fn ok_example(line: u64) -> ExampleReport {
        example(
            line,
            Vec::new(),
            Vec::new(),
            10,
            Profile::get(ProviderName::Azure),
        )
    }

    #[test]
    fn file_over_512_mb_is_refused() {
        let p = Profile::get(ProviderName::Azure);
        let mut t = Tally::default();
        for l in 1..=12 {
            t.add(&ok_example(l));
        }
        let s = t.finish(p, 600 * 1024 * 1024);
        assert_eq!(s.file_errors[0].code, FileErrorCode::FileTooLarge);
        assert!(!s.passes);
        let mut t = Tally::default();
        for l in 1..=12 {
            t.add(&ok_example(l));
        }
        assert!(t.finish(p, 1000).passes);
    }

    #[test]
    fn token_limit_is_a_warning() {
        let p = Profile::get(ProviderName::Azure);
        let r = example(1, Vec::new(), Vec::new(), 70_000, p);
        assert_eq!(r.status, ExampleStatus::Ok);
        assert_eq!(r.warnings[0].code, WarningCode::OverTokenLimit);
    }
}
