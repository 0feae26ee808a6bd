//! Detect stage: content screening on decoded pixels (faces, people, CAPTCHAs).
//!
//! Each screening model is a [`Detector`]; the stage runs them in order on an image that has
//! passed every format check, and stops once the image is certainly skipped unless asked to
//! explain every signal. With no detectors the stage is a no-op, which is what `--no-detect`
//! and builds without models get.

pub mod captcha;
pub mod face;
pub mod imageops;
pub mod ocr;
pub mod person;
pub mod session;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use image::{DynamicImage, RgbImage};
use serde::{Deserialize, Serialize};

use crate::reason::{Finding, Warning};

/// An axis-aligned box in the image's pixel coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetBox {
    pub label: String,
    pub score: f32,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl DetBox {
    fn iou(&self, o: &DetBox) -> f32 {
        let corners = |b: &DetBox| imageops::ScoredBox {
            x1: b.x,
            y1: b.y,
            x2: b.x + b.w,
            y2: b.y + b.h,
            score: b.score,
        };
        corners(self).iou(&corners(o))
    }
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
        // Two detectors may report the same signal (upright and sideways faces): keep the higher.
        for (k, v) in other.scores {
            let e = self.scores.entry(k).or_insert(v);
            *e = e.max(v);
        }
        // …and one box per object: the same face seen upright and sideways is reported once.
        for b in other.boxes {
            match self
                .boxes
                .iter_mut()
                .find(|k| k.label == b.label && k.iou(&b) > 0.5)
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
    fn name(&self) -> &'static str;
    /// `explain`: report every signal instead of stopping once the image is skipped.
    fn detect(&self, image: &RgbImage, explain: bool) -> Result<Detection>;
}

/// What it takes to build the content-screening stage.
#[derive(Debug, Clone, Default)]
pub struct DetectOptions {
    pub ort_lib: Option<PathBuf>,
    pub models_dir: Option<PathBuf>,
    /// Worker threads that will call the detectors.
    pub workers: usize,
    pub explain: bool,
    pub face: face::FaceConfig,
    pub person: person::PersonConfig,
    pub captcha: captcha::CaptchaConfig,
    /// Which screens to run (`face`, `person`, `captcha`); empty means all.
    pub only: Vec<String>,
}

impl DetectOptions {
    fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

/// The ordered set of detectors a scan runs.
#[derive(Default)]
pub struct DetectStage {
    detectors: Vec<Box<dyn Detector>>,
    /// Run every detector even after one has already skipped the image.
    pub explain: bool,
}

impl DetectStage {
    pub fn new(detectors: Vec<Box<dyn Detector>>, explain: bool) -> DetectStage {
        DetectStage { detectors, explain }
    }

    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for d in &self.detectors {
            if !names.contains(&d.name()) {
                names.push(d.name());
            }
        }
        names
    }

    /// Load ONNX Runtime and build every detector, sessions included.
    pub fn load(opts: &DetectOptions) -> Result<DetectStage> {
        crate::runtime::init(opts.ort_lib.as_deref())?;
        let dir = opts.models_dir.as_deref();
        let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
        // Cheapest and most decisive first: OCR runs only on images nothing else skipped.
        let mut sideways = None;
        if opts.wants("face") {
            let upright = face::FaceDetector::new(
                &crate::models::CENTERFACE.bytes(dir)?,
                opts.workers,
                opts.face.clone(),
            )?;
            sideways = upright.sideways();
            detectors.push(Box::new(upright));
        }
        if opts.wants("person") {
            detectors.push(Box::new(person::PersonDetector::new(
                &crate::models::PERSON_DETECTION.bytes(dir)?,
                &crate::models::POSE_DETECTION.bytes(dir)?,
                &crate::models::PALM_DETECTION.bytes(dir)?,
                opts.workers,
                opts.person.clone(),
            )?));
        }
        // Sideways faces cost two more face passes: only for images no person screen skipped.
        if let Some(d) = sideways {
            detectors.push(Box::new(d));
        }
        if opts.wants("captcha") {
            let ocr = ocr::Ocr::new(
                &crate::models::OCR_DET.bytes(dir)?,
                &crate::models::OCR_REC.bytes(dir)?,
                opts.workers,
                ocr::OcrConfig::default(),
            )?;
            detectors.push(Box::new(captcha::CaptchaDetector::new(
                ocr,
                opts.captcha.clone(),
            )));
        }
        Ok(DetectStage::new(detectors, opts.explain))
    }

    pub fn run(&self, image: &DynamicImage) -> Detection {
        let mut out = Detection::default();
        if self.detectors.is_empty() {
            return out;
        }
        // Every model reads 8-bit RGB: convert once (a no-op copy for RGB8 sources).
        let rgb;
        let rgb_ref = match image {
            DynamicImage::ImageRgb8(i) => i,
            other => {
                rgb = other.to_rgb8();
                &rgb
            }
        };
        for d in &self.detectors {
            if !self.explain && !out.findings.is_empty() {
                break;
            }
            match d.detect(rgb_ref, self.explain) {
                Ok(found) => out.merge(found),
                // A model failure on one image must not stop the scan; it is reported instead.
                Err(e) => out.warnings.push(Warning::new(
                    "detector_failed",
                    format!("{} failed on this image: {e:#}", d.name()),
                )),
            }
        }
        out
    }
}
