//! The HTML report: one self-contained file (inline CSS and JS, thumbnails as data URIs, no
//! external request) that shows the verdict, the skip reasons, and every flagged image with
//! its boxes, scores and thresholds, grouped by example.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use anyhow::Result;
use image::RgbImage;

use crate::codes::{Reason, WarningCode};
use crate::report::{ExampleReport, ExampleStatus, ImageReport, ImageStatus, Summary};
use crate::settings::{Thresholds, BORDERLINE_MARGIN};

/// A preview as a small JPEG data URI.
fn data_uri(preview: &RgbImage) -> Option<String> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), 70)
        .encode_image(preview)
        .ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64_simd::STANDARD.encode_to_string(&out)
    ))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Collects flagged examples as the scan reports them (bounded by `cap` thumbnails).
pub struct HtmlReport {
    groups: Vec<String>,
    thumbs: usize,
    cap: usize,
    omitted: usize,
    all: bool,
    thresholds: Thresholds,
}

impl HtmlReport {
    pub fn new(cap: usize, all: bool, thresholds: Thresholds) -> HtmlReport {
        HtmlReport {
            groups: Vec::new(),
            thumbs: 0,
            cap,
            omitted: 0,
            all,
            thresholds,
        }
    }

    pub fn example(&mut self, r: &ExampleReport) {
        let shown: Vec<&ImageReport> = r
            .images
            .iter()
            .filter(|i| self.all || i.status == ImageStatus::Skipped || !i.warnings.is_empty())
            .collect();
        if shown.is_empty() && r.status != ExampleStatus::Invalid {
            return;
        }
        let status = r.status.code();
        let mut g = String::new();
        let _ = write!(
            g,
            "<section class=\"ex {status}\" data-line=\"{}\"><h3>line {} <span class=\"st {status}\">{status}</span> {}</h3>",
            r.line,
            r.line,
            r.reasons.iter().map(|x| format!("<span class=\"rs\">{}</span>", x.code())).collect::<String>()
        );
        for e in &r.errors {
            let _ = write!(g, "<p class=\"err\">{}</p>", esc(&e.message));
        }
        let _ = write!(g, "<div class=\"cards\">");
        for i in shown {
            let card = self.card(r.line, i);
            g.push_str(&card);
        }
        g.push_str("</div></section>");
        self.groups.push(g);
    }

    fn card(&mut self, line: u64, i: &ImageReport) -> String {
        let mut best_margin = f32::INFINITY;
        let mut best_score = 0.0f32;
        let mut scores = String::new();
        for (name, s) in &i.scores {
            let thr = self.thresholds.get(name);
            best_score = best_score.max(*s);
            if let Some(t) = thr {
                best_margin = best_margin.min((t - s).abs());
            }
            let _ = write!(
                scores,
                "<li>{name} <b>{s:.2}</b>{}</li>",
                thr.map(|t| format!(" / {t:.2}")).unwrap_or_default()
            );
        }
        let borderline = best_margin <= BORDERLINE_MARGIN;
        let reasons: Vec<&str> = i.reasons.iter().map(|r| r.code()).collect();
        let status = if i.status == ImageStatus::Skipped {
            "skipped"
        } else {
            "warned"
        };
        let mut c = String::new();
        let _ = write!(
            c,
            "<figure class=\"card\" data-status=\"{status}\" data-reasons=\"{}\" data-score=\"{best_score:.3}\" data-line=\"{line}\" data-borderline=\"{borderline}\">",
            reasons.join(" ")
        );
        // Encoded only while under the cap: a report of thousands of flagged images stays small.
        let under_cap = self.thumbs < self.cap;
        let thumb = under_cap
            .then(|| i.preview.as_ref().and_then(data_uri))
            .flatten();
        match (thumb, &i.preview) {
            (Some(t), _) => {
                self.thumbs += 1;
                let (w, h) = (i.width.unwrap_or(1).max(1), i.height.unwrap_or(1).max(1));
                // Possibly sexual pictures stay blurred until clicked: the report is opened
                // at work, and by people checking someone else's dataset.
                let sensitive = i.reasons.contains(&Reason::ViolatesUsagePolicy)
                    || i.warnings
                        .iter()
                        .any(|w| w.code == WarningCode::PossiblePolicyViolation);
                let (class, title) = if sensitive {
                    (
                        " sensitive",
                        " title=\"blurred: may be sexual content; click to show\"",
                    )
                } else {
                    ("", "")
                };
                let _ = write!(
                    c,
                    "<div class=\"th{class}\"{title}><img alt=\"line {line} image {}\" src=\"{t}\">",
                    i.index
                );
                let _ = write!(
                    c,
                    "<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"none\">"
                );
                for b in &i.boxes {
                    let _ = write!(
                        c,
                        "<rect class=\"bx {}\" x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\"><title>{} {:.2}</title></rect>",
                        esc(&b.label), b.x, b.y, b.w, b.h, esc(&b.label), b.score
                    );
                }
                c.push_str("</svg></div>");
            }
            (None, Some(_)) if !under_cap => {
                self.omitted += 1;
                c.push_str("<div class=\"th none\">thumbnail omitted (cap)</div>");
            }
            _ => c.push_str("<div class=\"th none\">no preview</div>"),
        }
        let _ = write!(
            c,
            "<figcaption><div>image {} · {}</div>",
            i.index,
            i.format.as_deref().unwrap_or("?")
        );
        for r in &reasons {
            let _ = write!(c, "<span class=\"rs\">{r}</span>");
        }
        let _ = write!(c, "<ul>{scores}</ul>");
        for f in &i.findings {
            let _ = write!(c, "<p>{}</p>", esc(&f.detail));
        }
        if let Some(a) = &i.after_fix {
            let what = if a.reasons.is_empty() {
                "would train".to_owned()
            } else {
                let r: Vec<&str> = a.reasons.iter().map(|r| r.code()).collect();
                format!("still skipped: {}", r.join(", "))
            };
            let _ = write!(
                c,
                "<p class=\"fix\">after <code>prescreen fix</code>: {what}</p>"
            );
        }
        for w in &i.warnings {
            let _ = write!(c, "<p class=\"warn\">⚠ {}</p>", esc(&w.message));
        }
        c.push_str("</figcaption></figure>");
        c
    }

    pub fn finish(self, out: &mut dyn Write, input: &str, s: &Summary) -> Result<()> {
        let e = &s.expected_trained_examples;
        let max = s
            .images_by_reason
            .values()
            .copied()
            .max()
            .unwrap_or(1)
            .max(1);
        let mut bars = String::new();
        for (r, n) in &s.images_by_reason {
            let _ = write!(
                bars,
                "<div class=\"bar\"><span>{}</span><i style=\"width:{}%\"></i><b>{n}</b></div>",
                r.code(),
                n * 100 / max
            );
        }
        let options: String = s
            .images_by_reason
            .keys()
            .map(|r| format!("<option>{}</option>", r.code()))
            .collect();
        let note = if self.omitted > 0 {
            format!("<p class=\"note\">{} more thumbnails omitted (cap {}; use --html-all or a larger cap)</p>", self.omitted, self.cap)
        } else {
            String::new()
        };
        write!(
            out,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>prescreen report — {input}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{CSS}</style></head><body>
<header><h1>prescreen</h1><p class="file">{input}</p>
<p class="verdict {pass}">{verdict}</p>{warns}{after_fix}{unscreened}
<div class="kpis"><div><b>{ex}</b>expected to train<br><small>example-level policy</small></div><div><b>{im}</b>expected to train<br><small>image-level policy</small></div><div><b>{n}</b>examples<br><small>{inv} invalid</small></div><div><b>{imgs}</b>images<br><small>{sk} skipped</small></div><div><b>{tok}</b>training tokens<br><small>{itok} in images (estimate)</small></div></div>
<h2>Skipped images by reason</h2><div class="bars">{bars}</div></header>
<nav><label>reason <select id="fr"><option value="">all</option>{options}</select></label>
<label>status <select id="fs"><option value="">all</option><option>skipped</option><option>warned</option></select></label>
<label>sort <select id="so"><option value="line">by line</option><option value="score">by score</option></select></label>
<label><input type="checkbox" id="bl"> borderline only (within 0.10 of a threshold)</label> <span id="count"></span></nav>
<main id="groups">{groups}</main>{note}
<script>{JS}</script></body></html>
"#,
            input = esc(input),
            pass = if s.passes { "pass" } else { "fail" },
            verdict = esc(&s.verdict),
            warns = s
                .file_warnings
                .iter()
                .map(|w| format!("<p class=\"note\">{}</p>", esc(&w.message)))
                .collect::<String>(),
            after_fix = after_fix_note(s),
            unscreened = if s.not_screened.is_empty() {
                String::new()
            } else {
                format!(
                    "<p class=\"note\">Not screened (the provider may still skip such images): {}</p>",
                    esc(&s.not_screened.join(", ").replace('_', " "))
                )
            },
            ex = e.example_level,
            im = e.image_level,
            n = s.examples,
            inv = s.invalid_examples,
            imgs = s.images,
            sk = s.skipped_images,
            tok = s.tokens.total,
            itok = s.tokens.images,
            groups = self.groups.join("\n"),
        )?;
        Ok(())
    }
}

/// What `fix` would save, in one line of the header (nothing when no image is repairable).
fn after_fix_note(s: &Summary) -> String {
    let rep = &s.repairable_images;
    if rep.images == 0 {
        return String::new();
    }
    let lost: Vec<String> = rep
        .still_skipped_by_reason
        .iter()
        .map(|(r, n)| format!("{n} {}", r.code()))
        .collect();
    let a = &s.expected_trained_examples_after_fix;
    format!(
        "<p class=\"note\">After <code>prescreen fix</code>: {} of {} format-skipped images would train{}; {} examples expected to train (example-level policy), {} (image-level).</p>",
        rep.saved,
        rep.images,
        if lost.is_empty() {
            String::new()
        } else {
            format!(", still skipped for their content: {}", esc(&lost.join(", ")))
        },
        a.example_level,
        a.image_level
    )
}

// Kept as files so they read (and lint) as CSS and JS; embedded so the report stays one file.
// Each starts on its own line inside the <style>/<script> element, as before.
const CSS: &str = concat!("\n", include_str!("report.css"));
const JS: &str = concat!("\n", include_str!("report.js"));
