//! `audit`: after upload the provider reports how many examples it trained on (and the job,
//! its trained tokens). Compare that with the prediction: which drop policy matches, how big
//! the gap is, and which examples most likely explain it.

use std::path::PathBuf;

use anyhow::{bail, Result};
use serde::Serialize;

use std::collections::{BTreeMap, BTreeSet};

use super::provider_summary::{self, ProviderSummary};
use super::Predictions;
use crate::codes::{ExampleStatus, ImageStatus, Policy, Reason, WarningCode};
use crate::report::ExampleReport;
use crate::settings::warning_risk;
pub use crate::settings::Thresholds;

#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The JSONL file that was uploaded.
    pub input: PathBuf,
    /// Examples the provider reports it trained on (with a provider summary whose line list
    /// is complete, it can be left out: every listed line is one example not trained).
    pub reported: Option<u64>,
    /// The provider's validation or preprocessing summary, as pasted.
    pub provider_summary: Option<String>,
    /// The job's `trained_tokens` and the epochs it ran (`trained_tokens` counts every epoch).
    pub trained_tokens: Option<(u64, u32)>,
    /// How many suspects to list (default: three times the gap, at least 10).
    pub top: Option<usize>,
    pub predictions: Predictions,
}

/// What to do about a warning that may explain a drop.
fn warning_advice(code: WarningCode) -> Option<&'static str> {
    Some(match code {
        WarningCode::LocalPath => "embed the image (prescreen fix --inline)",
        WarningCode::NotChecked => "scan without --offline, or embed it (fix --inline)",
        WarningCode::SizeNearLimit => "re-encode it smaller",
        WarningCode::Animated => "convert it to a still image",
        WarningCode::ExifOrientation => "apply the rotation (prescreen fix)",
        WarningCode::DeclaredTypeMismatch => "fix the declared media type",
        WarningCode::PossiblePolicyViolation => "look at it: remove it if it is sexual",
        WarningCode::DetectorFailed
        | WarningCode::EmptyContent
        | WarningCode::OverTokenLimit
        | WarningCode::UnknownMessageKey
        | WarningCode::VeryLargePixelCount => return None,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyFit {
    pub policy: Policy,
    pub predicted: u64,
    /// predicted − reported: positive when the provider trained fewer than predicted.
    pub gap: i64,
}

/// An example that likely explains the gap.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suspect {
    pub line: u64,
    pub image: Option<usize>,
    /// The signal or warning behind the suspicion (`face`, `person`, `not_checked`, …).
    pub signal: String,
    pub score: Option<f32>,
    pub threshold: Option<f32>,
    /// Distance to the threshold (score − threshold; negative: below it).
    pub margin: Option<f32>,
    pub tokens: u64,
    /// How suspicious, for ranking (higher first).
    pub risk: f32,
    pub why: String,
    pub advice: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub reported: u64,
    pub matched: PolicyFit,
    pub other: PolicyFit,
    pub verdict: String,
    /// Tokens per epoch the prediction expected minus those the provider trained.
    pub token_gap: Option<i64>,
    pub suspects: Vec<Suspect>,
    /// Line by line against what the provider said it skipped (`--provider-summary`).
    #[serde(flatten)]
    pub comparison: Option<Comparison>,
}

/// The provider's summary against the prediction (example-level: the provider counts
/// examples).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub provider_summary: ProviderSummary,
    /// Lines the provider skipped that prescreen predicted to train: its misses.
    pub missed_lines: Vec<u64>,
    /// Lines prescreen predicted skipped that the provider did not list. Not conclusive
    /// when the provider's list was cut short (`provider_summary.truncated`).
    pub false_alarm_lines: Vec<u64>,
    /// Each miss with its scores and how far below its threshold the closest one was.
    pub misses: Vec<Miss>,
    /// Per reason, the provider's count beside prescreen's.
    pub by_reason: Vec<ReasonCount>,
    /// Thresholds that would have caught many misses of one reason, and what else they cost.
    pub suggestions: Vec<ThresholdSuggestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub line: u64,
    /// Highest score of each signal over the example's images.
    pub scores: BTreeMap<String, f32>,
    /// The signal closest to its threshold, its score and the distance below it.
    pub closest: Option<(String, f32, f32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonCount {
    pub reason: Reason,
    pub provider: u64,
    pub predicted: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThresholdSuggestion {
    pub reason: Reason,
    pub signal: String,
    pub current: f32,
    pub suggested: f32,
    /// Misses the suggested threshold would have caught.
    pub would_catch: usize,
    /// Examples the provider kept that it would remove too.
    pub would_also_remove: usize,
}

/// Most signal score of each name over the images of an example.
fn example_scores(r: &ExampleReport) -> BTreeMap<String, f32> {
    let mut m: BTreeMap<String, f32> = BTreeMap::new();
    for i in &r.images {
        for (k, v) in &i.scores {
            let e = m.entry(k.clone()).or_insert(*v);
            *e = e.max(*v);
        }
    }
    m
}

/// The signal that decides a content reason.
fn signal_of(r: Reason) -> Option<&'static str> {
    match r {
        Reason::ContainsFaces => Some("face"),
        Reason::ContainsPeople | Reason::ContainsChildren => Some("person"),
        Reason::ContainsCaptcha => Some("captcha"),
        Reason::ViolatesUsagePolicy => Some("nsfw"),
        _ => None,
    }
}

/// Misses of one reason it takes before a threshold is suggested.
const SUGGEST_AFTER: usize = 3;

/// Compare the prediction with the provider's summary, line by line and reason by reason.
pub fn compare(reports: &[ExampleReport], ps: &ProviderSummary, th: &Thresholds) -> Comparison {
    let valid: Vec<&ExampleReport> = reports
        .iter()
        .filter(|r| r.status != ExampleStatus::Invalid)
        .collect();
    let missed: Vec<&ExampleReport> = valid
        .iter()
        .copied()
        .filter(|r| r.status == ExampleStatus::Ok && ps.lines.contains(&r.line))
        .collect();
    let false_alarm_lines: Vec<u64> = valid
        .iter()
        .filter(|r| r.status == ExampleStatus::Skipped && !ps.lines.contains(&r.line))
        .map(|r| r.line)
        .collect();
    let misses: Vec<Miss> = missed
        .iter()
        .map(|r| {
            let scores = example_scores(r);
            let closest = scores
                .iter()
                .filter_map(|(k, v)| th.get(k).map(|t| (k.clone(), *v, t - v)))
                .min_by(|a, b| a.2.total_cmp(&b.2));
            Miss {
                line: r.line,
                scores,
                closest,
            }
        })
        .collect();
    let mut predicted: BTreeMap<Reason, u64> = BTreeMap::new();
    for r in valid.iter().filter(|r| r.status == ExampleStatus::Skipped) {
        for reason in &r.reasons {
            *predicted.entry(*reason).or_default() += 1;
        }
    }
    let reasons: BTreeSet<Reason> = ps.mapped.keys().chain(predicted.keys()).copied().collect();
    let by_reason = reasons
        .into_iter()
        .map(|r| ReasonCount {
            reason: r,
            provider: ps.mapped.get(&r).copied().unwrap_or(0),
            predicted: predicted.get(&r).copied().unwrap_or(0),
        })
        .collect();

    // A threshold per content reason the provider named, from the misses it listed under it
    // (or all misses when its lines are not tied to reasons).
    let mut suggestions = Vec::new();
    for text in ps.reasons.keys() {
        let Some(reason) = provider_summary::map_reason(text) else {
            continue;
        };
        let (Some(signal), Some(current)) =
            (signal_of(reason), signal_of(reason).and_then(|s| th.get(s)))
        else {
            continue;
        };
        let listed = ps.lines_by_reason.get(text).unwrap_or(&ps.lines);
        let scores: Vec<f32> = misses
            .iter()
            .filter(|m| listed.contains(&m.line))
            .filter_map(|m| m.scores.get(signal).copied())
            .filter(|s| *s > 0.0)
            .collect();
        if scores.len() < SUGGEST_AFTER {
            continue;
        }
        // Low enough to catch most of them, not chasing the single lowest.
        let mut sorted = scores.clone();
        sorted.sort_by(f32::total_cmp);
        let suggested = sorted[sorted.len() / 10];
        let would_catch = scores.iter().filter(|s| **s >= suggested).count();
        let would_also_remove = valid
            .iter()
            .filter(|r| r.status == ExampleStatus::Ok && !ps.lines.contains(&r.line))
            .filter(|r| {
                example_scores(r)
                    .get(signal)
                    .is_some_and(|s| *s >= suggested)
            })
            .count();
        suggestions.push(ThresholdSuggestion {
            reason,
            signal: signal.to_owned(),
            current,
            suggested,
            would_catch,
            would_also_remove,
        });
    }
    Comparison {
        provider_summary: ps.clone(),
        missed_lines: missed.iter().map(|r| r.line).collect(),
        false_alarm_lines,
        misses,
        by_reason,
        suggestions,
    }
}

/// What to look for in an image whose score is just under its threshold.
fn signal_advice(signal: &str) -> &'static str {
    match signal {
        "captcha" => "look at the image; remove it if it is a CAPTCHA or a challenge",
        s if s.starts_with("nsfw") => {
            "look at the image; remove it if it is sexual or suggestive (the provider's moderation is stricter than the classifiers)"
        }
        _ => "look at the image; remove it if it shows a person",
    }
}

/// How suspicious one image of an example predicted to train is.
fn image_suspects(r: &ExampleReport, th: &Thresholds) -> Vec<Suspect> {
    let tokens = r.tokens.as_ref().map_or(0, |t| t.total);
    let mut out = Vec::new();
    for img in &r.images {
        for (name, thr) in &th.0 {
            if let Some(&score) = img.scores.get(name) {
                if score > 0.0 {
                    out.push(Suspect {
                        line: r.line,
                        image: Some(img.index),
                        signal: name.clone(),
                        score: Some(score),
                        threshold: Some(*thr),
                        margin: Some(score - thr),
                        tokens,
                        risk: (score / thr).min(0.99),
                        why: format!("{name} score {score:.2} just under the threshold {thr:.2}"),
                        advice: signal_advice(name).into(),
                    });
                }
            }
        }
        for w in &img.warnings {
            let (Some(risk), Some(advice)) = (warning_risk(w.code), warning_advice(w.code)) else {
                continue;
            };
            out.push(Suspect {
                line: r.line,
                image: Some(img.index),
                signal: w.code.code().to_owned(),
                score: None,
                threshold: None,
                margin: None,
                tokens,
                risk,
                why: w.message.clone(),
                advice: advice.into(),
            });
        }
    }
    out
}

/// Predicted skips the provider may have kept: the least certain first.
fn skip_suspects(r: &ExampleReport, th: &Thresholds) -> Vec<Suspect> {
    let tokens = r.tokens.as_ref().map_or(0, |t| t.total);
    let mut out = Vec::new();
    for img in r.images.iter().filter(|i| i.status == ImageStatus::Skipped) {
        let content =
            th.0.iter()
                .filter_map(|(n, t)| img.scores.get(n).map(|s| (n, *s, *t)))
                .filter(|(_, s, t)| s >= t)
                .min_by(|a, b| (a.1 - a.2).total_cmp(&(b.1 - b.2)));
        let only_content = img
            .reasons
            .iter()
            .all(|r| matches!(r, Reason::ContainsFaces | Reason::ContainsPeople));
        if let (Some((name, score, thr)), true) = (content, only_content) {
            let margin = score - thr;
            out.push(Suspect {
                line: r.line,
                image: Some(img.index),
                signal: name.clone(),
                score: Some(score),
                threshold: Some(thr),
                margin: Some(margin),
                tokens,
                // Closest to the threshold: most likely a false positive.
                risk: 1.0 - (margin / (1.0 - thr).max(1e-3)).clamp(0.0, 1.0),
                why: format!("predicted skipped for {name} at {score:.2}, threshold {thr:.2}"),
                advice: "probably kept by the provider; nothing to do".into(),
            });
        }
    }
    out
}

/// Compare a reported count (and tokens) with the predictions in `reports`.
pub fn analyze(
    reports: &[ExampleReport],
    reported: u64,
    trained_tokens: Option<(u64, u32)>,
    th: &Thresholds,
    top: Option<usize>,
) -> Audit {
    let valid: Vec<&ExampleReport> = reports
        .iter()
        .filter(|r| r.status != ExampleStatus::Invalid)
        .collect();
    let example_level = valid
        .iter()
        .filter(|r| r.status == ExampleStatus::Ok)
        .count() as u64;
    let image_level = valid
        .iter()
        .filter(|r| r.example_level_reasons().next().is_none())
        .count() as u64;
    let fit = |policy, predicted: u64| PolicyFit {
        policy,
        predicted,
        gap: predicted as i64 - reported as i64,
    };
    let (ex, im) = (
        fit(Policy::ExampleLevel, example_level),
        fit(Policy::ImageLevel, image_level),
    );
    let (matched, other) = if ex.gap.abs() <= im.gap.abs() {
        (ex, im)
    } else {
        (im, ex)
    };

    // The examples the matched policy expects to train, and their tokens per epoch.
    let trains = |r: &&&ExampleReport| match matched.policy {
        Policy::ExampleLevel => r.status == ExampleStatus::Ok,
        Policy::ImageLevel => r.example_level_reasons().next().is_none(),
    };
    let predicted_tokens: u64 = valid
        .iter()
        .filter(trains)
        .map(|r| r.tokens.as_ref().map_or(0, |t| t.total))
        .sum();
    let token_gap =
        trained_tokens.map(|(t, e)| predicted_tokens as i64 - (t / e.max(1) as u64) as i64);

    let mut suspects: Vec<Suspect> = if matched.gap >= 0 {
        valid
            .iter()
            .filter(trains)
            .flat_map(|r| {
                // One line per example: its most suspicious image.
                image_suspects(r, th)
                    .into_iter()
                    .max_by(|a, b| a.risk.total_cmp(&b.risk))
            })
            .collect()
    } else {
        valid
            .iter()
            .filter(|r| r.status == ExampleStatus::Skipped)
            .flat_map(|r| {
                skip_suspects(r, th)
                    .into_iter()
                    .max_by(|a, b| a.risk.total_cmp(&b.risk))
            })
            .collect()
    };
    suspects.sort_by(|a, b| b.risk.total_cmp(&a.risk).then(a.line.cmp(&b.line)));

    // With trained tokens, prefer a set of `gap` suspects whose tokens add up to the missing
    // tokens: walk the ranking and take each suspect that still fits.
    if let (Some(missing), true) = (token_gap, matched.gap > 0) {
        let want = matched.gap as usize;
        let tolerance = (missing.unsigned_abs() / 50).max(50) as i64;
        let pool = (want * 4).max(20).min(suspects.len());
        let mut chosen = Vec::new();
        let mut sum = 0i64;
        for (i, s) in suspects[..pool].iter().enumerate() {
            if chosen.len() < want && sum + s.tokens as i64 <= missing + tolerance {
                let left = want - chosen.len() - 1;
                // Leave room for the suspects still to choose.
                if left == 0 && (sum + s.tokens as i64 - missing).abs() > tolerance {
                    continue;
                }
                sum += s.tokens as i64;
                chosen.push(i);
            }
        }
        if chosen.len() == want && (sum - missing).abs() <= tolerance {
            let mut front: Vec<Suspect> = chosen.iter().map(|&i| suspects[i].clone()).collect();
            for f in &mut front {
                f.why.push_str(" (its tokens fit the trained-token gap)");
            }
            let rest = suspects
                .into_iter()
                .enumerate()
                .filter(|(i, _)| !chosen.contains(i))
                .map(|(_, s)| s);
            suspects = front.into_iter().chain(rest).collect();
        }
    }
    let n = top.unwrap_or_else(|| (matched.gap.unsigned_abs() as usize * 3).max(10));
    suspects.truncate(n);

    let name = Policy::name;
    let verdict = if matched.gap == 0 && other.gap == 0 {
        "no image was predicted skipped and the count matches: nothing to explain".to_owned()
    } else if matched.gap == 0 {
        format!(
            "the reported {reported} matches the {} policy exactly ({} predicted under the {} policy)",
            name(matched.policy),
            other.predicted,
            name(other.policy)
        )
    } else if matched.gap > 0 {
        format!(
            "closest to the {} policy ({} predicted); the provider trained {} fewer: the likeliest missed skips are listed",
            name(matched.policy),
            matched.predicted,
            matched.gap
        )
    } else {
        format!(
            "closest to the {} policy ({} predicted); the provider trained {} more: some predicted skips were kept, the least certain are listed",
            name(matched.policy),
            matched.predicted,
            -matched.gap
        )
    };
    Audit {
        reported,
        matched,
        other,
        verdict,
        token_gap,
        suspects,
        comparison: None,
    }
}

/// Predict the input (or read the report) and compare it with what the provider reported.
pub fn audit(o: &AuditOptions) -> Result<Audit> {
    if o.trained_tokens.is_some_and(|(_, e)| e == 0) {
        bail!("epochs must be at least 1");
    }
    // Read before the scan: a summary that cannot be read fails in a second, not an hour.
    let summary = o
        .provider_summary
        .as_deref()
        .map(provider_summary::parse)
        .transpose()?;
    let mut reports = Vec::new();
    let made = o.predictions.for_each(&o.input, None, |_, r| {
        reports.push(r.clone());
        Ok(())
    })?;
    let reported = match (o.reported, &summary) {
        (Some(n), _) => n,
        (None, Some(s)) if !s.truncated => {
            let valid = reports
                .iter()
                .filter(|r| r.status != ExampleStatus::Invalid)
                .count() as u64;
            valid.saturating_sub(s.lines.len() as u64)
        }
        (None, Some(_)) => bail!(
            "the provider's line list is cut short (\"…\"): give the trained count with --reported"
        ),
        (None, None) => bail!("give the trained count (--reported) or the provider's summary"),
    };
    let mut a = analyze(
        &reports,
        reported,
        o.trained_tokens,
        &made.thresholds,
        o.top,
    );
    a.comparison = summary.map(|s| compare(&reports, &s, &made.thresholds));
    Ok(a)
}
