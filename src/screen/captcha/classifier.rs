//! The learned CAPTCHA classifier (`models/captcha_classifier.onnx`): one look at the whole
//! image, letterboxed to a square, gives P(CAPTCHA) and its kind. How it was trained, on
//! what, and how it was judged: `tools/models/CAPTCHA-TRAINING.md`.

use crate::screen::models::ModelBytes;
use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use crate::screen::imageops::{resize_rgb, with_scratch, Crop};
use crate::screen::session::SessionPool;

/// The classes of the network's output, in order; the first is "not a CAPTCHA".
pub const CLASSES: [&str; 5] = ["none", "text", "grid", "checkbox", "puzzle"];

/// What the classifier saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// P(CAPTCHA): one minus the probability of `none`.
    pub p: f32,
    /// The likeliest CAPTCHA kind (never `none`).
    pub kind: &'static str,
}

pub struct Classifier {
    sessions: SessionPool,
    side: u32,
}

/// The padding value of the letterbox, as in training.
const PAD: f32 = 114.0;

impl Classifier {
    pub fn new(model: ModelBytes, workers: usize, side: u32) -> Result<Classifier> {
        Ok(Classifier {
            sessions: SessionPool::shared("CAPTCHA classifier", model, workers)?,
            side,
        })
    }

    pub fn classify(&self, img: &RgbImage) -> Result<Verdict> {
        let s = self.side as usize;
        // Long side to `side`, aspect kept (rounded half up, in integers as in training), at
        // the top left; the rest is padding.
        let (w, h, side) = (img.width() as u64, img.height() as u64, self.side as u64);
        let m = w.max(h).max(1);
        let fit = |v: u64| ((2 * v * side + m) / (2 * m)).clamp(1, side) as u32;
        let (nw, nh) = (fit(w), fit(h));
        let rgb = resize_rgb(img, Crop::full(img), nw, nh)?;
        let plane = s * s;
        let probs = with_scratch(3 * plane, |input| {
            input.fill(PAD);
            let cols = nw as usize;
            for (y, row) in rgb.chunks_exact(3 * cols).enumerate() {
                for (x, px) in row.chunks_exact(3).enumerate() {
                    let i = y * s + x;
                    input[i] = px[0] as f32;
                    input[plane + i] = px[1] as f32;
                    input[2 * plane + i] = px[2] as f32;
                }
            }
            self.sessions.with(|session| {
                let t = TensorRef::from_array_view(([1usize, 3, s, s], &*input))?;
                let out = session.run(ort::inputs!["image" => t])?;
                let (_, p) = out["probs"].try_extract_tensor::<f32>()?;
                anyhow::ensure!(
                    p.len() == CLASSES.len(),
                    "expected {} classes",
                    CLASSES.len()
                );
                Ok(p.to_vec())
            })
        })
        .context("the CAPTCHA classifier failed")?;
        let (k, _) = probs[1..]
            .iter()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |best, (i, &v)| if v > best.1 { (i, v) } else { best },
            );
        Ok(Verdict {
            p: (1.0 - probs[0]).clamp(0.0, 1.0),
            kind: CLASSES[k + 1],
        })
    }
}
