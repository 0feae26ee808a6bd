//! Faces with CenterFace (anchor-free, stride 4): a pass over the whole image at a base
//! resolution, and a finer pass on large images where faces may be only a few dozen pixels.

use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{nms, resize_rgb, Crop, ScoredBox};
use super::session::SessionPool;
use super::{DetBox, Detection, Detector};
use crate::reason::{Finding, Reason};

#[derive(Debug, Clone)]
pub struct FaceConfig {
    /// A face at or above this score skips the image.
    pub threshold: f32,
    /// Candidates kept for the report (boxes) start here.
    pub report_threshold: f32,
    /// Long side of the base pass.
    pub base_side: u32,
    /// Long side of the finer pass on images larger than the base pass.
    pub fine_side: u32,
    pub nms_iou: f32,
}

impl Default for FaceConfig {
    fn default() -> Self {
        FaceConfig {
            threshold: 0.5,
            report_threshold: 0.2,
            base_side: 640,
            fine_side: 1280,
            nms_iou: 0.3,
        }
    }
}

pub struct FaceDetector {
    sessions: SessionPool,
    cfg: FaceConfig,
}

impl FaceDetector {
    pub fn new(model: &[u8], workers: usize, cfg: FaceConfig) -> Result<FaceDetector> {
        Ok(FaceDetector {
            sessions: SessionPool::new("CenterFace", model, workers)?,
            cfg,
        })
    }

    /// One pass with the long side scaled to `side` (sides rounded up to multiples of 32).
    fn pass(&self, img: &RgbImage, side: u32) -> Result<Vec<ScoredBox>> {
        let (w, h) = (img.width() as f64, img.height() as f64);
        let s = side as f64 / w.max(h);
        let nw = ((w * s / 32.0).ceil() as u32).max(1) * 32;
        let nh = ((h * s / 32.0).ceil() as u32).max(1) * 32;
        let rgb = resize_rgb(img, Crop::full(img), nw, nh)?;
        let plane = (nw * nh) as usize;
        let mut input = vec![0f32; 3 * plane];
        for (i, px) in rgb.chunks_exact(3).enumerate() {
            input[i] = px[0] as f32;
            input[plane + i] = px[1] as f32;
            input[2 * plane + i] = px[2] as f32;
        }
        let (sx, sy) = (w as f32 / nw as f32, h as f32 / nh as f32);
        let thr = self.cfg.report_threshold;
        self.sessions
            .with(|session| {
                let tensor = TensorRef::from_array_view((
                    [1usize, 3, nh as usize, nw as usize],
                    &input[..],
                ))?;
                let out = session.run(ort::inputs!["input.1" => tensor])?;
                let (shape, heat) = out["537"].try_extract_tensor::<f32>()?;
                let (_, scale) = out["538"].try_extract_tensor::<f32>()?;
                let (_, offset) = out["539"].try_extract_tensor::<f32>()?;
                let (fh, fw) = (shape[2] as usize, shape[3] as usize);
                let n = fh * fw;
                let mut boxes = Vec::new();
                for (i, &score) in heat.iter().enumerate().take(n) {
                    if score < thr {
                        continue;
                    }
                    let (y, x) = ((i / fw) as f32, (i % fw) as f32);
                    let bh = scale[i].exp() * 4.0;
                    let bw = scale[n + i].exp() * 4.0;
                    let cy = (y + offset[i] + 0.5) * 4.0;
                    let cx = (x + offset[n + i] + 0.5) * 4.0;
                    let x1 = (cx - bw / 2.0).max(0.0);
                    let y1 = (cy - bh / 2.0).max(0.0);
                    boxes.push(ScoredBox {
                        x1: x1 * sx,
                        y1: y1 * sy,
                        x2: (x1 + bw).min(nw as f32) * sx,
                        y2: (y1 + bh).min(nh as f32) * sy,
                        score,
                    });
                }
                Ok(nms(boxes, self.cfg.nms_iou))
            })
            .context("CenterFace inference failed")
    }
}

impl Detector for FaceDetector {
    fn name(&self) -> &'static str {
        "face"
    }

    fn detect(&self, img: &RgbImage, explain: bool) -> Result<Detection> {
        let long = img.width().max(img.height());
        let mut boxes = self.pass(img, self.cfg.base_side)?;
        let found = |b: &[ScoredBox]| b.iter().any(|b| b.score >= self.cfg.threshold);
        if long > self.cfg.base_side * 5 / 4 && (explain || !found(&boxes)) {
            let fine = self.pass(img, long.min(self.cfg.fine_side))?;
            boxes.extend(fine);
            boxes = nms(boxes, self.cfg.nms_iou);
        }
        let best = boxes.iter().map(|b| b.score).fold(0.0f32, f32::max);
        let mut d = Detection::default();
        d.scores.insert("face".into(), best);
        let faces = boxes
            .iter()
            .filter(|b| b.score >= self.cfg.threshold)
            .count();
        if faces > 0 {
            d.findings.push(Finding::new(
                Reason::ContainsFaces,
                format!(
                    "{faces} face(s), best score {best:.2} (threshold {:.2})",
                    self.cfg.threshold
                ),
            ));
        }
        d.boxes = boxes
            .iter()
            .take(20)
            .map(|b| DetBox {
                label: "face".into(),
                score: b.score,
                x: b.x1,
                y: b.y1,
                w: b.x2 - b.x1,
                h: b.y2 - b.y1,
            })
            .collect();
        Ok(d)
    }
}
