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
    /// Long side of the finer pass on images larger than the base pass (may upsample).
    pub fine_side: u32,
    /// How much larger than the image the finer pass may go.
    pub fine_upscale: f32,
    pub nms_iou: f32,
    /// Candidates re-checked on an enlarged crop (textures that fool one look rarely fool two).
    pub verify_top: usize,
    /// Crop side as a multiple of the candidate box, and the box size in the crop.
    pub verify_context: f32,
    pub verify_box_px: f32,
}

impl Default for FaceConfig {
    fn default() -> Self {
        FaceConfig {
            threshold: 0.4,
            report_threshold: 0.2,
            base_side: 640,
            fine_side: 2560,
            fine_upscale: 1.5,
            nms_iou: 0.3,
            verify_top: 5,
            verify_context: 3.0,
            verify_box_px: 48.0,
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

    /// One pass over `crop` with its long side scaled to `side` (sides rounded up to
    /// multiples of 32); boxes come back in source pixels. `mirror` flips the input, a cheap
    /// second look for verification.
    fn pass(
        &self,
        img: &RgbImage,
        crop: Crop,
        side: u32,
        mirror: bool,
        thr: f32,
    ) -> Result<Vec<ScoredBox>> {
        let (w, h) = (crop.w, crop.h);
        let s = side as f64 / w.max(h);
        let nw = ((w * s / 32.0).ceil() as u32).max(1) * 32;
        let nh = ((h * s / 32.0).ceil() as u32).max(1) * 32;
        let rgb = resize_rgb(img, crop, nw, nh)?;
        let plane = (nw * nh) as usize;
        let mut input = vec![0f32; 3 * plane];
        for (i, px) in rgb.chunks_exact(3).enumerate() {
            let j = if mirror {
                let (y, x) = (i / nw as usize, i % nw as usize);
                y * nw as usize + (nw as usize - 1 - x)
            } else {
                i
            };
            input[j] = px[0] as f32;
            input[plane + j] = px[1] as f32;
            input[2 * plane + j] = px[2] as f32;
        }
        let (sx, sy) = (w as f32 / nw as f32, h as f32 / nh as f32);
        let (ox, oy) = (crop.x as f32, crop.y as f32);
        let unmirror = |x: f32| if mirror { nw as f32 - x } else { x };
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
                    let (xa, xb) = (unmirror(cx - bw / 2.0), unmirror(cx + bw / 2.0));
                    let (x1, x2) = (xa.min(xb).max(0.0), xa.max(xb).min(nw as f32));
                    let y1 = (cy - bh / 2.0).max(0.0);
                    boxes.push(ScoredBox {
                        x1: ox + x1 * sx,
                        y1: oy + y1 * sy,
                        x2: ox + x2 * sx,
                        y2: oy + (y1 + bh).min(nh as f32) * sy,
                        score,
                    });
                }
                Ok(nms(boxes, self.cfg.nms_iou))
            })
            .context("CenterFace inference failed")
    }
}

impl FaceDetector {
    /// Re-check the best candidates on an enlarged crop around each, plain and mirrored; a
    /// candidate keeps the lower of its first score and its best second look.
    fn verified(&self, img: &RgbImage, boxes: Vec<ScoredBox>) -> Result<Vec<ScoredBox>> {
        let c = &self.cfg;
        let mut out = Vec::new();
        for b in nms(boxes, c.nms_iou).into_iter().take(c.verify_top) {
            let side = ((b.x2 - b.x1).max(b.y2 - b.y1) * c.verify_context) as f64;
            let (cx, cy) = (((b.x1 + b.x2) / 2.0) as f64, ((b.y1 + b.y2) / 2.0) as f64);
            let x = (cx - side / 2.0).clamp(0.0, (img.width() as f64 - 1.0).max(0.0));
            let y = (cy - side / 2.0).clamp(0.0, (img.height() as f64 - 1.0).max(0.0));
            let crop = Crop {
                x,
                y,
                w: side.min(img.width() as f64 - x).max(1.0),
                h: side.min(img.height() as f64 - y).max(1.0),
            };
            let px = (c.verify_box_px * c.verify_context).round() as u32;
            let mut second = 0.0f32;
            for mirror in [false, true] {
                for v in self.pass(img, crop, px, mirror, 0.05)? {
                    // The same face must come back near the candidate's centre.
                    let (vx, vy) = ((v.x1 + v.x2) / 2.0, (v.y1 + v.y2) / 2.0);
                    let tol = (b.x2 - b.x1).max(b.y2 - b.y1) / 2.0;
                    if (vx - cx as f32).abs() <= tol && (vy - cy as f32).abs() <= tol {
                        second = second.max(v.score);
                    }
                }
            }
            out.push(ScoredBox {
                score: b.score.min(second),
                ..b
            });
        }
        Ok(out)
    }
}

impl Detector for FaceDetector {
    fn name(&self) -> &'static str {
        "face"
    }

    fn detect(&self, img: &RgbImage, explain: bool) -> Result<Detection> {
        let c = &self.cfg;
        let long = img.width().max(img.height());
        let full = Crop::full(img);
        let mut boxes = self.verified(
            img,
            self.pass(img, full, c.base_side, false, c.report_threshold)?,
        )?;
        let found = |b: &[ScoredBox]| b.iter().any(|b| b.score >= c.threshold);
        let fine_side = ((long as f32 * c.fine_upscale) as u32).min(c.fine_side);
        if long > c.base_side * 5 / 4 && fine_side > c.base_side && (explain || !found(&boxes)) {
            let fine = self.pass(img, full, fine_side, false, c.report_threshold)?;
            boxes.extend(self.verified(img, fine)?);
            boxes = nms(boxes, c.nms_iou);
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
