//! The provider's own account of what it skipped, as a user pastes it back: Azure's
//! "Preprocessing Summary" (reasons with counts in parentheses, then `Line numbers -->` and a
//! list), wrapped, cut with "…", or in OpenAI's words. Tolerant of layout, strict about
//! meaning: text it cannot read is an error that quotes it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;

use crate::codes::Reason;

/// What the provider said.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ProviderSummary {
    /// Reason → count, the reason as the provider wrote it.
    pub reasons: BTreeMap<String, u64>,
    /// The provider's reasons that map onto prescreen's.
    pub mapped: BTreeMap<Reason, u64>,
    /// Every line number listed, whatever reason it was listed under.
    pub lines: BTreeSet<u64>,
    /// Line numbers by the provider's reason, where the summary ties them to one.
    pub lines_by_reason: BTreeMap<String, BTreeSet<u64>>,
    /// A list ended in "…" or "...": more lines were skipped than are listed.
    pub truncated: bool,
}

/// The provider's wording of a reason (lower-case) → prescreen's reason.
pub fn map_reason(words: &str) -> Option<Reason> {
    let w = words;
    let has = |s: &str| w.contains(s);
    Some(
        if has("url") || has("accessib") || has("unreachable") || has("download") {
            Reason::InaccessibleUrl
        } else if has("captcha") {
            Reason::ContainsCaptcha
        } else if has("child") {
            Reason::ContainsChildren
        } else if has("face") {
            Reason::ContainsFaces
        } else if has("people") || has("person") {
            Reason::ContainsPeople
        } else if has("sexual") || has("nudity") || has("adult") || has("usage polic") {
            Reason::ViolatesUsagePolicy
        } else if has("too many images") || has("images per example") {
            Reason::TooManyImages
        } else if has("large") || has("10 mb") || has("size") {
            Reason::ImageTooLarge
        } else if has("format") || has("rgb") || has("mode") {
            Reason::InvalidImageFormat
        } else {
            return None;
        },
    )
}

/// One token of the summary: words, a count in parentheses, a line-number list, an ellipsis.
#[derive(Debug, PartialEq)]
enum Piece {
    Words(String),
    Count(u64),
    Lines(Vec<u64>, bool),
}

/// Read the summary text.
pub fn parse(text: &str) -> Result<ProviderSummary> {
    // Wrapping and ellipses are layout: one line, "…" marked where a list was cut.
    let flat: String = text
        .replace("...", "…")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut pieces = Vec::new();
    let mut rest = flat.as_str();
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        if let Some(i) = lower.find("line numbers") {
            let (head, tail) = rest.split_at(i);
            words_and_counts(head, &mut pieces);
            // After "Line numbers" and an arrow or colon: numbers, commas, ranges, "…".
            let tail = &tail["line numbers".len()..];
            let tail = tail.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '-' | '>' | ':' | '=' | '→')
            });
            let end = tail
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | ' ' | '-' | '…' | '–')))
                .unwrap_or(tail.len());
            let list = &tail[..end];
            let mut lines = Vec::new();
            for part in list
                .split([',', ' '])
                .filter(|p| !p.is_empty() && *p != "…")
            {
                let part = part.trim_end_matches('…');
                match part.split_once(['-', '–']) {
                    Some((a, b)) if !a.is_empty() && !b.is_empty() => {
                        let (a, b): (u64, u64) = (a.parse()?, b.parse()?);
                        if b < a || b - a > 10_000_000 {
                            bail!("cannot read the line range {part:?} in the provider's summary");
                        }
                        lines.extend(a..=b);
                    }
                    _ if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() => {
                        lines.push(part.parse()?)
                    }
                    _ => {}
                }
            }
            pieces.push(Piece::Lines(lines, list.trim_end().ends_with('…')));
            rest = &tail[end..];
        } else {
            words_and_counts(rest, &mut pieces);
            rest = "";
        }
    }

    let mut s = ProviderSummary::default();
    let mut last_reason: Option<String> = None;
    let mut words = String::new();
    for p in pieces {
        match p {
            Piece::Words(w) => words = w,
            Piece::Count(n) => {
                let reason = reason_words(&words);
                if reason.is_empty() {
                    continue;
                }
                if let Some(r) = map_reason(&reason) {
                    *s.mapped.entry(r).or_default() += n;
                }
                *s.reasons.entry(reason.clone()).or_default() += n;
                last_reason = Some(reason);
                words.clear();
            }
            Piece::Lines(lines, cut) => {
                s.truncated |= cut;
                if let Some(r) = &last_reason {
                    s.lines_by_reason
                        .entry(r.clone())
                        .or_default()
                        .extend(&lines);
                }
                s.lines.extend(lines);
            }
        }
    }
    if s.reasons.is_empty() && s.lines.is_empty() {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        bail!(
            "cannot read the provider's summary: expected reasons with counts such as \
             \"inaccessible URL (3124)\" and \"Line numbers --> 1, 2, 3\"; could not read: {:?}",
            crate::text::truncate(first, 200)
        );
    }
    Ok(s)
}

/// Split text into words and "(N)" counts.
fn words_and_counts(text: &str, out: &mut Vec<Piece>) {
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = rest[open + 1..close].trim().replace(',', "");
        if let Ok(n) = inside.parse::<u64>() {
            out.push(Piece::Words(rest[..open].to_owned()));
            out.push(Piece::Count(n));
        }
        rest = &rest[close + 1..];
    }
}

/// The reason's own words: what follows the last sentence break or colon before the count.
fn reason_words(before: &str) -> String {
    let tail = before
        .rsplit([':', '.', ';', ','])
        .next()
        .unwrap_or(before)
        .trim()
        .trim_matches('…')
        .trim();
    tail.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_quoted_azure_message() {
        let s = parse(
            "Preprocessing Summary: The provided data failed validation. Number of skipped multimodal \
             examples exceed the maximum allowed 200 limit: inaccessible URL (3124)… Line numbers --> 1, 2, 3…",
        )
        .unwrap();
        assert_eq!(s.reasons["inaccessible url"], 3124);
        assert_eq!(s.mapped[&Reason::InaccessibleUrl], 3124);
        assert_eq!(s.lines.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
        assert!(s.truncated);
    }

    #[test]
    fn reads_a_wrapped_multi_reason_variant() {
        let s = parse(
            "Preprocessing Summary:\n  contains faces (2)\n  Line numbers --> 7,\n 9\n\
             image exceeds 10 MB (1) Line numbers: 12\nInvalid image format (3) Line numbers --> 20-22",
        )
        .unwrap();
        assert_eq!(s.mapped[&Reason::ContainsFaces], 2);
        assert_eq!(s.mapped[&Reason::ImageTooLarge], 1);
        assert_eq!(s.mapped[&Reason::InvalidImageFormat], 3);
        assert_eq!(
            s.lines.iter().copied().collect::<Vec<_>>(),
            [7, 9, 12, 20, 21, 22]
        );
        assert_eq!(s.lines_by_reason["contains faces"].len(), 2);
        assert!(!s.truncated);
    }

    #[test]
    fn policy_wording_maps_to_the_usage_policy_reason() {
        // Azure files people and CAPTCHAs under "content policy" too: those keep their reason.
        assert_eq!(
            map_reason("sexual content"),
            Some(Reason::ViolatesUsagePolicy)
        );
        assert_eq!(
            map_reason("violates azure usage policies"),
            Some(Reason::ViolatesUsagePolicy)
        );
        assert_eq!(
            map_reason("content policy violation (faces)"),
            Some(Reason::ContainsFaces)
        );
    }

    #[test]
    fn unreadable_text_is_quoted() {
        let e = parse("Training job succeeded.\nAll good")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Training job succeeded."), "{e}");
    }
}
