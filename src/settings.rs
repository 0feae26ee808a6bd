//! Every threshold, weight and limit prescreen decides with, each with its default and why, in
//! one table. Provider rules (sizes, formats, counts) are not here: they are the provider's,
//! in [`crate::provider`]. A flag that overrides one of these changes it in [`Settings`], which
//! the report records.

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::codes::WarningCode;

/// The tunable part of a scan: the screens' thresholds and the models' working sizes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub face: FaceSettings,
    pub person: PersonSettings,
    pub captcha: CaptchaSettings,
    pub ocr: OcrSettings,
    pub policy: PolicySettings,
}

impl Settings {
    /// The scores at or above which an image is predicted skipped, by signal name (the keys
    /// of an image's `scores`).
    pub fn thresholds(&self) -> Thresholds {
        Thresholds(vec![
            ("face".into(), self.face.threshold),
            ("person".into(), self.person.threshold),
            ("pose".into(), self.person.pose_threshold),
            ("hand".into(), self.person.hand_threshold),
            ("person_oiv4".into(), self.person.oiv4_threshold),
            ("movenet".into(), self.person.movenet_threshold),
            ("face_full_range".into(), self.face.full_range_threshold),
            ("captcha".into(), self.captcha.threshold),
            ("nsfw".into(), self.policy.nsfw_threshold),
            ("nsfwjs_porn".into(), self.policy.nsfwjs_threshold),
            ("nsfwjs_hentai".into(), self.policy.nsfwjs_threshold),
            ("nsfwjs_sexy".into(), self.policy.sexy_threshold),
        ])
    }

    /// Every threshold a user can set must be a score; checked before any work starts.
    /// The pose and hand thresholds may be above 1, which turns their detector off.
    pub fn validate(&self) -> Result<(), String> {
        let score = |v: f32, name: &str, max: f32| {
            if (0.0..=max).contains(&v) {
                Ok(())
            } else if max > 1.0 {
                Err(format!(
                    "the {name} threshold must be between 0 and 1 (above 1 turns it off), got {v}"
                ))
            } else {
                Err(format!(
                    "the {name} threshold must be between 0 and 1, got {v}"
                ))
            }
        };
        score(self.face.threshold, "face", 1.0)?;
        score(self.person.threshold, "person", 1.0)?;
        score(self.person.pose_threshold, "pose", f32::MAX)?;
        score(self.person.hand_threshold, "hand", f32::MAX)?;
        score(self.person.oiv4_threshold, "Open Images person", f32::MAX)?;
        score(self.person.movenet_threshold, "MoveNet", f32::MAX)?;
        score(self.face.full_range_threshold, "full-range face", f32::MAX)?;
        score(self.captcha.threshold, "captcha", 1.0)?;
        let p = &self.policy;
        score(p.nsfw_threshold, "nsfw", 1.0)?;
        score(p.nsfwjs_threshold, "NSFWJS", 1.0)?;
        score(p.sexy_threshold, "suggestive", 1.0)?;
        if !(0.0..=1.0).contains(&p.warn_ratio) {
            return Err(format!(
                "the policy warning ratio must be between 0 and 1, got {}",
                p.warn_ratio
            ));
        }
        Ok(())
    }
}

/// Skip thresholds by signal name. Serialised as a JSON object in the report's `options`.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds(pub Vec<(String, f32)>);

impl Thresholds {
    pub fn get(&self, name: &str) -> Option<f32> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }
}

impl Serialize for Thresholds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Thresholds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        Ok(Thresholds(
            m.into_iter()
                .filter_map(|(k, v)| Some((k, v.as_f64()? as f32)))
                .collect(),
        ))
    }
}

/// CenterFace, in `screen::face`. Thresholds chosen on the development set
/// (`docs/screening.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct FaceSettings {
    /// A face at or above this score skips the image.
    pub threshold: f32,
    /// Candidates kept for the report (boxes) start here.
    pub report_threshold: f32,
    /// BlazeFace full range's score (above 1: not run). Off until the fused face score
    /// (issue 14) is fitted.
    pub full_range_threshold: f32,
    /// Long side of the base pass.
    pub base_side: u32,
    /// Long side of the finer pass on images larger than the base pass (may upsample).
    pub fine_side: u32,
    /// How much larger than the image the finer pass may go.
    pub fine_upscale: f32,
    /// The finer pass runs in tiles at most this many network pixels a side: CenterFace's
    /// working memory grows with its input (about 190 MB a megapixel), 1.3 GB for a whole
    /// 2560 × 2560 pass against 0.13 GB for a tile, which each worker's arena keeps. 896
    /// against 1408 before: peak RSS at -j 2 on the development set 1.15 -> 0.9 GB, no
    /// verdict changed there (six face scores moved by at most 0.13).
    pub fine_tile_side: u32,
    /// Network pixels neighbouring tiles share: a face up to this size lies whole in one
    /// tile, and larger ones are large enough for the base pass.
    pub fine_tile_overlap: u32,
    /// Long side of the quarter-turned passes (0: none). CenterFace learnt upright faces;
    /// a head resting on a shoulder or a person lying down shows its face sideways.
    pub tilted_side: u32,
    pub nms_iou: f32,
    /// Candidates re-checked on an enlarged crop (textures that fool one look rarely fool two).
    pub verify_top: usize,
    /// Crop side as a multiple of the candidate box, and the box size in the crop.
    pub verify_context: f32,
    pub verify_box_px: f32,
    /// Lowest score a verification look counts.
    pub verify_min_score: f32,
    /// Network inputs above this many pixels give their working memory back after the run
    /// (ONNX Runtime's arena otherwise keeps the largest run's, per worker).
    pub arena_keep_pixels: usize,
}

impl Default for FaceSettings {
    fn default() -> Self {
        FaceSettings {
            threshold: 0.4,
            report_threshold: 0.2,
            full_range_threshold: 1.1,
            base_side: 640,
            fine_side: 2560,
            fine_upscale: 1.5,
            fine_tile_side: 896,
            fine_tile_overlap: 128,
            tilted_side: 320,
            nms_iou: 0.3,
            verify_top: 5,
            verify_context: 3.0,
            verify_box_px: 48.0,
            verify_min_score: 0.05,
            // Two base-pass images (640 × 640 each, in one batch) stay in the arena.
            arena_keep_pixels: 2 * 640 * 640,
        }
    }
}

/// The people screen's three detectors, in `screen::person`.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSettings {
    /// A person (COCO detector) at or above this score skips the image.
    pub threshold: f32,
    /// Same for the pose detector (above 1: not run).
    pub pose_threshold: f32,
    /// A hand (palm detector) at or above this score skips the image (above 1: not run).
    pub hand_threshold: f32,
    /// SSD-MobileNetV2's Open Images `Person` class (above 1: not run). Off until the fused
    /// people score (issue 14) is fitted: alone it scores statues 0.44 and small people 0.22.
    pub oiv4_threshold: f32,
    /// MoveNet MultiPose's person score (above 1: not run). Off until fused, as above; it
    /// costs about 50 ms of one core at 256².
    pub movenet_threshold: f32,
    pub report_threshold: f32,
    pub nms_iou: f32,
}

impl Default for PersonSettings {
    fn default() -> Self {
        PersonSettings {
            threshold: 0.4,
            pose_threshold: 0.8,
            hand_threshold: 0.8,
            oiv4_threshold: 1.1,
            movenet_threshold: 1.1,
            report_threshold: 0.2,
            nms_iou: 0.3,
        }
    }
}

/// The CAPTCHA screen, in `screen::captcha`: the classifier's P(CAPTCHA) decides, OCR's
/// challenge phrases are a second opinion where it is unsure (the rest of the previous
/// screen's rule, the look of distorted text, is reported with `--explain`), and QR codes and barcodes are evidence against. `threshold`
/// and `second_look_from` were chosen on the validation split of the classifier's training
/// corpus (`examples/eval_captcha.rs`, `tools/models/CAPTCHA-TRAINING.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct CaptchaSettings {
    /// P(CAPTCHA) at or above which an image is one.
    pub threshold: f32,
    /// From this P(CAPTCHA) up to `threshold` the classifier is unsure: OCR reads the image,
    /// and a challenge phrase makes it a CAPTCHA.
    pub second_look_from: f32,
    /// The classifier's input side (it sees the image letterboxed to a square).
    pub classifier_side: u32,
    /// Images larger than this (long side) are screened at this size for QR codes.
    pub qr_max_side: u32,
    /// The rule's score for text holding a challenge phrase.
    pub phrase_score: f32,
    /// The rule's threshold,
    pub rule_threshold: f32,
    /// and the distorted-text look: a base score for a small wide image of a few words …
    pub look_base: f32,
    /// … plus this when the dominant colour covers less than `look_background_below` …
    pub look_background: f32,
    pub look_background_below: f32,
    /// … plus this for at least `look_colours_min` colours …
    pub look_colours: f32,
    pub look_colours_min: usize,
    /// … plus this for edge clutter of at least `look_clutter_min` …
    pub look_clutter: f32,
    pub look_clutter_min: f32,
    /// … plus this for an arithmetic challenge, minus this for a confidently read word.
    pub look_arithmetic: f32,
    pub look_wordmark: f32,
    /// A decodable QR code or a barcode caps the score here.
    pub code_cap: f32,
    /// The look applies to images at most this wide and tall, at least `look_aspect` wide.
    pub look_max_w: u32,
    pub look_max_h: u32,
    pub look_aspect: f32,
}

impl Default for CaptchaSettings {
    fn default() -> Self {
        CaptchaSettings {
            // Chosen on validation (examples/eval_captcha.rs, docs/screening.md): the best
            // mean recall over the four kinds with at most 2% of the hard negatives and no
            // QR code or barcode flagged.
            threshold: 0.9937,
            second_look_from: 0.1,
            classifier_side: 224,
            qr_max_side: 1024,
            phrase_score: 0.9,
            rule_threshold: 0.5,
            look_base: 0.2,
            look_background: 0.45,
            look_background_below: 0.87,
            look_colours: 0.15,
            look_colours_min: 8,
            look_clutter: 0.15,
            look_clutter_min: 0.05,
            look_arithmetic: 0.45,
            look_wordmark: 0.45,
            code_cap: 0.1,
            look_max_w: 640,
            look_max_h: 260,
            look_aspect: 1.5,
        }
    }
}

/// The usage-policy screen, in `screen::policy`: two pretrained classifiers of sexual content.
/// No labelled set of such images can be had here, so the skip thresholds are the models'
/// own published operating points, checked for false alarms on every development image
/// (`examples/eval_policy.rs`, `docs/screening.md`); the provider's moderation is stricter
/// than either model, hence the warning band below them.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySettings {
    /// Open-NSFW's P(nsfw) at or above which an image is sexual content. Yahoo's guidance:
    /// below 0.2 very likely safe, above 0.8 very likely NSFW.
    pub nsfw_threshold: f32,
    /// NSFWJS's P(Porn) or P(Hentai) at or above which an image is sexual or a sexual
    /// drawing; its P(Sexy), suggestive.
    pub nsfwjs_threshold: f32,
    pub sexy_threshold: f32,
    /// A score at or above this fraction of its threshold, but under it, warns
    /// `possible_policy_violation` (reported, not counted).
    pub warn_ratio: f32,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            nsfw_threshold: 0.8,
            nsfwjs_threshold: 0.8,
            sexy_threshold: 0.9,
            warn_ratio: 0.5,
        }
    }
}

/// PP-OCRv4 text detection, in `screen::ocr`.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrSettings {
    /// The detector sees the image with its short side scaled up to this …
    pub det_short_side: u32,
    /// … unless its long side would exceed this.
    pub det_max_side: u32,
    /// Pixel probability that counts as text.
    pub bin_threshold: f32,
    /// A region's mean probability must reach this.
    pub box_threshold: f32,
    /// Regions grow by area × ratio / perimeter on every side (DB's "unclip").
    pub unclip_ratio: f32,
    pub min_side: f32,
    pub max_regions: usize,
}

impl Default for OcrSettings {
    fn default() -> Self {
        OcrSettings {
            det_short_side: 480,
            det_max_side: 960,
            bin_threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            min_side: 3.0,
            max_regions: 64,
        }
    }
}

// Limits of the scan itself: memory and parallelism, never verdicts.

/// Lines per in-flight window, and bytes of lines (a single longer line still goes alone).
pub const WINDOW_LINES: usize = 1024;
pub const WINDOW_BYTES: usize = 32 << 20;
/// `fix` holds its rewritten lines until a window is written, and a repaired or inlined image
/// can be far larger than the line that named it: a smaller window.
pub const FIX_WINDOW_LINES: usize = 64;
/// `fix` reads a local image up to this size, so it can downscale one over the provider's
/// limit (URLs are fetched only up to the limit: the provider would not fetch more).
pub const FIX_MAX_SOURCE_BYTES: u64 = 256 << 20;
/// Distinct URLs whose bodies (≤ 10 MB each) are held at once.
pub const MAX_URLS_IN_FLIGHT: usize = 32;
/// Pixels decoded at once across all workers: Pillow's own limit (2 × 89,478,485), so any
/// image the provider accepts can be decoded — alone, when it is that large.
pub const DECODE_BUDGET_PIXELS: u64 = 178_956_970;
/// The screens see an image of at most this many pixels (4096 × 4096), scaled down from a
/// larger one: none looks closer than its finer passes (CenterFace at 2560 a side), and a
/// decoded 13000 × 13000 image held through screening would take 507 MB a worker.
pub const SCREEN_MAX_PIXELS: u64 = 4096 * 4096;
/// Images a worker screens in a row (at most), and the most decoded pixels it holds at once.
pub const IMAGES_PER_RUN: usize = 8;
pub const PIXELS_PER_RUN: u64 = 48_000_000;
/// Workers that share one session of a model on small fixed-size inputs (every model but
/// CenterFace, `screen::session`): each session costs its weights, and two workers rarely
/// want the same model at once.
pub const WORKERS_PER_SHARED_SESSION: usize = 2;
/// Concurrent HTTP downloads, and the time and redirects allowed for one.
pub const FETCH_JOBS: usize = 16;
pub const CONNECT_TIMEOUT_SECS: f64 = 10.0;
pub const TIMEOUT_SECS: f64 = 30.0;
pub const MAX_REDIRECTS: usize = 5;
/// Boxes of one signal kept for the report.
pub const MAX_BOXES: usize = 20;

// Presentation.

/// Lines listed as the worst offenders in the summary.
pub const OFFENDERS: usize = 10;
/// Longest side of an HTML thumbnail; images skipped for their format are decoded for one
/// only up to this many pixels.
pub const THUMB_SIDE: u32 = 160;
pub const THUMB_MAX_PIXELS: u64 = 50_000_000;
/// Thumbnails in an HTML report, at most.
pub const HTML_CAP: usize = 300;
/// A score this close to its threshold is "borderline" in the HTML report.
pub const BORDERLINE_MARGIN: f32 = 0.1;

/// `audit`: how likely a warning is to be why the provider dropped an example it was predicted
/// to train (higher first; a score just under its threshold ranks by score / threshold).
pub fn warning_risk(code: WarningCode) -> Option<f32> {
    Some(match code {
        WarningCode::LocalPath => 0.97,
        WarningCode::NotChecked => 0.9,
        WarningCode::SizeNearLimit => 0.85,
        WarningCode::Animated => 0.5,
        // The provider's moderation is stricter than the classifiers.
        WarningCode::PossiblePolicyViolation => 0.6,
        WarningCode::ExifOrientation | WarningCode::DeclaredTypeMismatch => 0.3,
        WarningCode::DetectorFailed
        | WarningCode::EmptyContent
        | WarningCode::OverTokenLimit
        | WarningCode::UnknownMessageKey
        | WarningCode::VeryLargePixelCount => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_validated() {
        assert!(Settings::default().validate().is_ok());
        let mut s = Settings::default();
        s.face.threshold = 1.5;
        assert!(s.validate().unwrap_err().contains("face"));
        let mut s = Settings::default();
        s.person.hand_threshold = 2.0;
        assert!(s.validate().is_ok(), "above 1 turns the hand detector off");
        s.person.pose_threshold = -0.1;
        assert!(s.validate().unwrap_err().contains("pose"));
    }
}
