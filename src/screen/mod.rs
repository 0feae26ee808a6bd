//! Screen stage: content screening on decoded pixels — faces, people, CAPTCHAs, sexual
//! content (the part of the usage policy a model can screen) — with pretrained models run
//! through ONNX Runtime.
//!
//! Each pass of each screen is a [`Detector`]; [`cascade`] orders them by cost and runs them
//! on the images that passed every format check. [`runtime`] loads ONNX Runtime, [`models`]
//! holds the shipped models, [`session`] the per-worker sessions, [`imageops`] the resizing
//! and box arithmetic they share. With no detectors the stage is a no-op (`--no-detect`).

pub mod captcha;
pub mod cascade;
pub mod face;
pub mod imageops;
pub mod mediapipe;
pub mod models;
pub mod ocr;
pub mod person;
pub mod policy;
pub mod runtime;
pub mod session;

use std::collections::BTreeMap;

use anyhow::Result;
use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::codes::{Finding, Screen, Warning};
pub use crate::report::DetBox;
pub use cascade::Screens;

fn iou(a: &DetBox, o: &DetBox) -> f32 {
    let corners = |b: &DetBox| imageops::ScoredBox {
        x1: b.x,
        y1: b.y,
        x2: b.x + b.w,
        y2: b.y + b.h,
        score: b.score,
    };
    corners(a).iou(&corners(o))
}

/// What the provider excludes that `screens` do not look for: the screens left out (by
/// what they find), then the usage-policy categories no model here screens.
pub fn not_screened(screens: &[Screen]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in Screen::ALL.iter().filter(|s| !screens.contains(s)) {
        let what: &[&str] = match s {
            Screen::Face => &["faces"],
            Screen::Person => &["people"],
            Screen::Captcha => &["captchas"],
            Screen::UsagePolicy => policy::SCREENED,
        };
        out.extend(what.iter().map(|w| w.to_string()));
    }
    out.extend(policy::NOT_SCREENED.iter().map(|w| w.to_string()));
    out
}

/// What the detectors found in one image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub findings: Vec<Finding>,
    /// Signal name → score in [0, 1] (`face`, `person`, `captcha`, …).
    pub scores: BTreeMap<String, f32>,
    pub boxes: Vec<DetBox>,
    pub warnings: Vec<Warning>,
    /// Detector-specific facts (e.g. `captcha_kind`, recognised text), keyed by name.
    pub facts: BTreeMap<String, serde_json::Value>,
}

impl Detection {
    pub fn merge(&mut self, other: Detection) {
        self.findings.extend(other.findings);
        // Two detectors may report the same signal (passes of the face screen): keep the higher.
        for (k, v) in other.scores {
            let e = self.scores.entry(k).or_insert(v);
            *e = e.max(v);
        }
        // …and one box per object: the same face seen by two passes is reported once.
        for b in other.boxes {
            match self
                .boxes
                .iter_mut()
                .find(|k| k.label == b.label && iou(k, &b) > 0.5)
            {
                Some(k) if k.score < b.score => *k = b,
                Some(_) => {}
                None => self.boxes.push(b),
            }
        }
        self.warnings.extend(other.warnings);
        self.facts.extend(other.facts);
    }
}

/// One content-screening model. Implementations keep their sessions for the whole run and
/// must be callable from several rayon workers at once.
pub trait Detector: Send + Sync {
    /// The screen this pass belongs to (what `--detectors` selects).
    fn screen(&self) -> Screen;
    /// `explain`: report every signal instead of stopping once the image is skipped.
    fn detect(&self, image: &RgbImage, explain: bool) -> Result<Detection>;
}
