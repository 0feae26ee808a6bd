//! People with MediaPipe's pose detector (BlazePose detector): it finds a person from the head
//! and upper body even when the face is hidden or turned away. One letterboxed pass over the
//! whole image, plus overlapping tiles on large images where people may be small.

use std::sync::OnceLock;

use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{nms, resize_rgb, Crop, ScoredBox};
use super::session::SessionPool;
use super::{DetBox, Detection, Detector};
use crate::reason::{Finding, Reason};

const SIDE: u32 = 224;
const ANCHORS: usize = 2254;

#[derive(Debug, Clone)]
pub struct PersonConfig {
    /// A person at or above this score skips the image.
    pub threshold: f32,
    pub report_threshold: f32,
    /// Images whose long side exceeds this also get a grid of tiles.
    pub tile_above: u32,
    /// Tiles per side of the grid (overlapping by half a tile).
    pub tile_grid: u32,
    pub nms_iou: f32,
}

impl Default for PersonConfig {
    fn default() -> Self {
        PersonConfig {
            threshold: 0.5,
            report_threshold: 0.3,
            tile_above: 448,
            tile_grid: 2,
            nms_iou: 0.3,
        }
    }
}

/// Anchor centres of MediaPipe's SSD anchor calculator for this model: strides
/// [8, 16, 32, 32, 32], two anchors per cell (aspect 1 and the interpolated scale), layers of
/// equal stride merged, fixed anchor size.
fn anchors() -> &'static [(f32, f32)] {
    static A: OnceLock<Vec<(f32, f32)>> = OnceLock::new();
    A.get_or_init(|| {
        let mut a = Vec::with_capacity(ANCHORS);
        for (stride, per_cell) in [(8u32, 2usize), (16, 2), (32, 6)] {
            let n = SIDE.div_ceil(stride);
            for y in 0..n {
                for x in 0..n {
                    for _ in 0..per_cell {
                        a.push(((x as f32 + 0.5) / n as f32, (y as f32 + 0.5) / n as f32));
                    }
                }
            }
        }
        debug_assert_eq!(a.len(), ANCHORS);
        a
    })
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x.clamp(-80.0, 80.0)).exp())
}

pub struct PersonDetector {
    sessions: SessionPool,
    cfg: PersonConfig,
}

impl PersonDetector {
    pub fn new(model: &[u8], workers: usize, cfg: PersonConfig) -> Result<PersonDetector> {
        Ok(PersonDetector {
            sessions: SessionPool::new("pose detector", model, workers)?,
            cfg,
        })
    }

    /// Letterbox `crop` into 224×224 and return person boxes in source pixels.
    fn pass(&self, img: &RgbImage, crop: Crop) -> Result<Vec<ScoredBox>> {
        let s = SIDE as f64 / crop.w.max(crop.h);
        let rw = ((crop.w * s).round() as u32).clamp(1, SIDE);
        let rh = ((crop.h * s).round() as u32).clamp(1, SIDE);
        let (ox, oy) = ((SIDE - rw) / 2, (SIDE - rh) / 2);
        let rgb = resize_rgb(img, crop, rw, rh)?;
        // Border value −1 is pixel 0 after the model's x / 127.5 − 1 normalisation.
        let mut input = vec![-1f32; (SIDE * SIDE * 3) as usize];
        for y in 0..rh {
            let src = &rgb[(y * rw * 3) as usize..((y + 1) * rw * 3) as usize];
            let dst0 = (((y + oy) * SIDE + ox) * 3) as usize;
            for (d, &v) in input[dst0..dst0 + src.len()].iter_mut().zip(src) {
                *d = v as f32 / 127.5 - 1.0;
            }
        }
        let thr_logit = {
            let p = self.cfg.report_threshold.clamp(1e-6, 1.0 - 1e-6);
            (p / (1.0 - p)).ln()
        };
        self.sessions
            .with(|session| {
                let tensor = TensorRef::from_array_view(([1usize, 224, 224, 3], &input[..]))?;
                let out = session.run(ort::inputs!["input_1" => tensor])?;
                let (_, logits) = out["classificators"].try_extract_tensor::<f32>()?;
                let (_, reg) = out["regressors"].try_extract_tensor::<f32>()?;
                let mut boxes = Vec::new();
                for (i, (&logit, &(ax, ay))) in logits.iter().zip(anchors()).enumerate() {
                    if logit < thr_logit {
                        continue;
                    }
                    let r = &reg[i * 12..i * 12 + 4];
                    // Box in the 224 letterbox, normalised to [0, 1].
                    let cx = r[0] / SIDE as f32 + ax;
                    let cy = r[1] / SIDE as f32 + ay;
                    let (bw, bh) = (r[2] / SIDE as f32, r[3] / SIDE as f32);
                    let to_src_x =
                        |v: f32| ((v * SIDE as f32 - ox as f32) as f64 / s + crop.x) as f32;
                    let to_src_y =
                        |v: f32| ((v * SIDE as f32 - oy as f32) as f64 / s + crop.y) as f32;
                    boxes.push(ScoredBox {
                        x1: to_src_x(cx - bw / 2.0).max(0.0),
                        y1: to_src_y(cy - bh / 2.0).max(0.0),
                        x2: to_src_x(cx + bw / 2.0).min(img.width() as f32),
                        y2: to_src_y(cy + bh / 2.0).min(img.height() as f32),
                        score: sigmoid(logit),
                    });
                }
                Ok(boxes)
            })
            .context("pose detector inference failed")
    }

    /// Overlapping tiles covering the image: a grid of `g`×`g` tiles, each 2/(g+1) of a side.
    fn tiles(&self, img: &RgbImage) -> Vec<Crop> {
        let g = self.cfg.tile_grid.max(1) as f64;
        let (w, h) = (img.width() as f64, img.height() as f64);
        let (tw, th) = (w * 2.0 / (g + 1.0), h * 2.0 / (g + 1.0));
        let mut out = Vec::new();
        for j in 0..self.cfg.tile_grid {
            for i in 0..self.cfg.tile_grid {
                out.push(Crop {
                    x: i as f64 * tw / 2.0,
                    y: j as f64 * th / 2.0,
                    w: tw,
                    h: th,
                });
            }
        }
        out
    }
}

impl Detector for PersonDetector {
    fn name(&self) -> &'static str {
        "person"
    }

    fn detect(&self, img: &RgbImage, explain: bool) -> Result<Detection> {
        let mut boxes = self.pass(img, Crop::full(img))?;
        let found = |b: &[ScoredBox]| b.iter().any(|b| b.score >= self.cfg.threshold);
        if img.width().max(img.height()) > self.cfg.tile_above {
            for crop in self.tiles(img) {
                if !explain && found(&boxes) {
                    break;
                }
                boxes.extend(self.pass(img, crop)?);
            }
        }
        let boxes = nms(boxes, self.cfg.nms_iou);
        let best = boxes.iter().map(|b| b.score).fold(0.0f32, f32::max);
        let mut d = Detection::default();
        d.scores.insert("person".into(), best);
        let people = boxes
            .iter()
            .filter(|b| b.score >= self.cfg.threshold)
            .count();
        if people > 0 {
            d.findings.push(Finding::new(
                Reason::ContainsPeople,
                format!(
                    "{people} person detection(s), best score {best:.2} (threshold {:.2})",
                    self.cfg.threshold
                ),
            ));
        }
        d.boxes = boxes
            .iter()
            .take(20)
            .map(|b| DetBox {
                label: "person".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_layout_matches_the_model() {
        let a = anchors();
        assert_eq!(a.len(), ANCHORS);
        assert_eq!(a[0], (0.5 / 28.0, 0.5 / 28.0));
        assert_eq!(a[1], a[0]);
        // First anchor of the 14×14 layer, then of the 7×7 one.
        assert_eq!(a[1568], (0.5 / 14.0, 0.5 / 14.0));
        assert_eq!(a[1568 + 392], (0.5 / 7.0, 0.5 / 7.0));
    }
}
