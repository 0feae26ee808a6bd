//! The CAPTCHA screen. A learned classifier ([`classifier`]) decides; OCR against the
//! challenge phrases of the previous screen ([`signals`]) is its second opinion, read only
//! where the classifier is unsure (or with `--explain`), so OCR's cost is paid on few clean
//! images. A decodable QR code or a barcode
//! is never a CAPTCHA, whatever either says. Thresholds are in [`CaptchaSettings`], chosen
//! on the validation split of the training corpus (`examples/eval_captcha.rs`).

pub mod classifier;
pub mod signals;

use anyhow::Result;
use image::RgbImage;
use serde_json::json;

use super::ocr::Ocr;
use super::{Detection, Detector};
use crate::codes::{Finding, Reason, Screen};
use crate::settings::CaptchaSettings;
use crate::text::truncate;
use classifier::Classifier;

pub struct CaptchaDetector {
    classifier: Classifier,
    ocr: Ocr,
    cfg: CaptchaSettings,
}

impl CaptchaDetector {
    pub fn new(classifier: Classifier, ocr: Ocr, cfg: CaptchaSettings) -> CaptchaDetector {
        CaptchaDetector {
            classifier,
            ocr,
            cfg,
        }
    }

    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    pub fn ocr(&self) -> &Ocr {
        &self.ocr
    }
}

impl Detector for CaptchaDetector {
    fn screen(&self) -> Screen {
        Screen::Captcha
    }

    fn detect(&self, img: &RgbImage, explain: bool) -> Result<Detection> {
        let c = &self.cfg;
        let v = self.classifier.classify(img)?;
        let mut d = Detection::default();
        let (mut score, mut kind, mut phrase) = (v.p, v.kind, None);
        d.facts.insert(
            "captcha_classifier".into(),
            json!({"p": v.p, "kind": v.kind}),
        );
        let unsure = (c.second_look_from..c.threshold).contains(&v.p);
        let mut codes = None;
        if unsure || explain {
            let lines = self.ocr.read(img)?;
            let s = signals::signals(img, &lines, c)?;
            // Only a challenge phrase tips an unsure image over: on validation the look of
            // distorted text flagged QR codes the decoders could not read.
            if let (true, Some(p)) = (unsure, s.phrase) {
                // Scored at the threshold: the classifier alone did not reach it.
                score = c.threshold;
                (kind, phrase) = (s.kind.unwrap_or(kind), Some(p));
                d.facts.insert("captcha_second_opinion".into(), json!(p));
            }
            let snippets: Vec<String> = lines
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .take(6)
                .map(|l| truncate(&l.text, 40))
                .collect();
            if !snippets.is_empty() {
                d.facts.insert("text".into(), json!(snippets));
            }
            d.facts.insert("captcha_rule_score".into(), json!(s.score));
            codes = Some((s.qr_payload_len, s.barcode));
        }
        if score >= c.threshold || explain {
            let (qr, barcode) = match codes {
                Some(found) => found,
                None => signals::codes(img, c)?,
            };
            if let Some(n) = qr {
                d.facts
                    .insert("qr_code".into(), json!({"payload_length": n}));
            }
            if barcode {
                d.facts.insert("barcode".into(), json!(true));
            }
            // Only a would-be CAPTCHA is capped, so `--explain` changes no score.
            if (qr.is_some() || barcode) && score >= c.threshold {
                score = score.min(c.code_cap);
            }
        }
        d.scores.insert("captcha".into(), score);
        if score >= c.threshold {
            d.findings.push(Finding::new(
                Reason::ContainsCaptcha,
                format!(
                    "looks like a {kind} CAPTCHA{} (score {score:.2}, threshold {:.2})",
                    phrase.map(|p| format!(": \"{p}\"")).unwrap_or_default(),
                    c.threshold
                ),
            ));
            d.facts.insert("captcha_kind".into(), json!(kind));
        }
        Ok(d)
    }
}
