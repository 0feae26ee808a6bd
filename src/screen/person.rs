//! People, from three models that see different things: a COCO detector's person class
//! (MB3-CenterNet: whole bodies, backs, torsos, distant figures), MediaPipe's pose detector
//! (head and upper body) and MediaPipe's palm detector (hands). Each sees the whole image
//! letterboxed once; thresholds and the measured trade-offs live in [`PersonSettings`].

use crate::screen::models::ModelBytes;
use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{nms, resize_rgb, Crop, ScoredBox};
use super::mediapipe::{letterbox, sigmoid, Ssd, SsdSpec, FACE_FULL_RANGE, PALM, POSE};
use super::session::SessionPool;
use super::{DetBox, Detection, Detector};
use crate::codes::{Finding, Reason, Screen};
use crate::settings::{PersonSettings, MAX_BOXES};

/// MB3-CenterNet, a COCO detector used for its person class: letterboxed to 384, raw 0–255
/// RGB (the model divides by 255 itself); peaks are decoded inside the graph, so its
/// `detections` rows are final boxes `[x1, y1, x2, y2, score, class]`.
pub struct CenterNet {
    sessions: SessionPool,
}

const CENTERNET_SIDE: u32 = 384;
const COCO_PERSON: f32 = 0.0;

impl CenterNet {
    pub fn new(model: ModelBytes, workers: usize) -> Result<CenterNet> {
        Ok(CenterNet {
            sessions: SessionPool::shared("person detector", model, workers)?,
        })
    }

    pub fn pass(&self, img: &RgbImage, crop: Crop, min_score: f32) -> Result<Vec<ScoredBox>> {
        let side = CENTERNET_SIDE;
        let lb = letterbox(img, crop, side, 1.0, 0.0)?;
        let (s, ox, oy, input) = (lb.scale, lb.ox, lb.oy, lb.input);
        self.sessions
            .with(|session| {
                let shape = [1usize, side as usize, side as usize, 3];
                let tensor = TensorRef::from_array_view((shape, &input[..]))?;
                let out = session.run(ort::inputs!["image" => tensor])?;
                let (_, det) = out["detections"].try_extract_tensor::<f32>()?;
                let back_x = |v: f32| ((v - ox as f32) as f64 / s + crop.x) as f32;
                let back_y = |v: f32| ((v - oy as f32) as f64 / s + crop.y) as f32;
                Ok(det
                    .chunks_exact(6)
                    .filter(|r| r[5] == COCO_PERSON && r[4] >= min_score)
                    .map(|r| ScoredBox {
                        x1: back_x(r[0]).max(0.0),
                        y1: back_y(r[1]).max(0.0),
                        x2: back_x(r[2]).min(img.width() as f32),
                        y2: back_y(r[3]).min(img.height() as f32),
                        score: r[4],
                    })
                    .collect())
            })
            .context("person detector inference failed")
    }
}

/// SSD-MobileNetV2 trained on Open Images v4, used for its `Person` class: the whole image
/// stretched to 300², RGB v/127.5 − 1; TensorFlow's SSD box coder over MediaPipe's anchor
/// layout (every setting from MediaPipe's objectron graph: models/PROVENANCE.md).
pub struct OpenImagesSsd {
    sessions: SessionPool,
    /// (cx, cy, w, h) per anchor, normalised.
    anchors: Vec<[f32; 4]>,
}

const OIV4_SIDE: u32 = 300;
const OIV4_CLASSES: usize = 24;
const OIV4_PERSON: usize = 4;

/// MediaPipe's SsdAnchorsCalculator for the Open Images SSD: six layers of strides 16–512,
/// scales 0.2–0.95, aspect ratios 1, 2, ½, 3, ⅓ plus one interpolated square, three anchors
/// per cell in the lowest layer; anchors sized, not fixed.
fn oiv4_anchors() -> Vec<[f32; 4]> {
    const STRIDES: [u32; 6] = [16, 32, 64, 128, 256, 512];
    const RATIOS: [f32; 5] = [1.0, 2.0, 0.5, 3.0, 0.3333];
    let scale = |i: usize| {
        if i >= STRIDES.len() {
            1.0
        } else {
            0.2 + (0.95 - 0.2) * i as f32 / (STRIDES.len() - 1) as f32
        }
    };
    let mut out = Vec::with_capacity(1917);
    for (layer, &stride) in STRIDES.iter().enumerate() {
        let mut shapes: Vec<(f32, f32)> = Vec::new();
        if layer == 0 {
            shapes.extend([(0.1, 1.0), (scale(0), 2.0), (scale(0), 0.5)]);
        } else {
            shapes.extend(RATIOS.iter().map(|&r| (scale(layer), r)));
            shapes.push(((scale(layer) * scale(layer + 1)).sqrt(), 1.0));
        }
        let n = OIV4_SIDE.div_ceil(stride);
        for y in 0..n {
            for x in 0..n {
                for &(s, r) in &shapes {
                    let (cx, cy) = ((x as f32 + 0.5) / n as f32, (y as f32 + 0.5) / n as f32);
                    out.push([cx, cy, s * r.sqrt(), s / r.sqrt()]);
                }
            }
        }
    }
    out
}

impl OpenImagesSsd {
    pub fn new(model: ModelBytes, workers: usize) -> Result<OpenImagesSsd> {
        Ok(OpenImagesSsd {
            sessions: SessionPool::shared("Open Images person detector", model, workers)?,
            anchors: oiv4_anchors(),
        })
    }

    /// The model's input for `img`: stretched to 300², v/127.5 − 1, NHWC.
    pub fn input(img: &RgbImage) -> Result<Vec<f32>> {
        let rgb = resize_rgb(img, Crop::full(img), OIV4_SIDE, OIV4_SIDE)?;
        Ok(rgb.iter().map(|&v| v as f32 / 127.5 - 1.0).collect())
    }

    pub fn pass(&self, img: &RgbImage, min_score: f32) -> Result<Vec<ScoredBox>> {
        let input = Self::input(img)?;
        let thr_logit = logit(min_score);
        let (w, h) = (img.width() as f32, img.height() as f32);
        self.sessions
            .with(|session| {
                let side = OIV4_SIDE as usize;
                let tensor = TensorRef::from_array_view(([1usize, side, side, 3], &input[..]))?;
                let out = session.run(ort::inputs!["input" => tensor])?;
                let (_, enc) = out["box_encodings"].try_extract_tensor::<f32>()?;
                let (_, cls) = out["class_predictions"].try_extract_tensor::<f32>()?;
                let mut boxes = Vec::new();
                for (i, a) in self.anchors.iter().enumerate() {
                    let l = cls[i * OIV4_CLASSES + OIV4_PERSON];
                    if l < thr_logit {
                        continue;
                    }
                    let e = &enc[i * 4..i * 4 + 4];
                    // (ty, tx, th, tw) with scales 10, 10, 5, 5; the stretch maps the
                    // normalised box straight onto the image.
                    let cy = e[0] / 10.0 * a[3] + a[1];
                    let cx = e[1] / 10.0 * a[2] + a[0];
                    let bh = (e[2] / 5.0).exp() * a[3];
                    let bw = (e[3] / 5.0).exp() * a[2];
                    boxes.push(ScoredBox {
                        x1: ((cx - bw / 2.0) * w).max(0.0),
                        y1: ((cy - bh / 2.0) * h).max(0.0),
                        x2: ((cx + bw / 2.0) * w).min(w),
                        y2: ((cy + bh / 2.0) * h).min(h),
                        score: sigmoid(l),
                    });
                }
                Ok(boxes)
            })
            .context("Open Images person detector inference failed")
    }
}

/// MoveNet MultiPose Lightning: up to six people found by their pose, so a hidden face does
/// not matter. The whole image stretched to 256², raw 0–255 RGB as int32; each output row
/// is 17 keypoints (y, x, score), a box (ymin, xmin, ymax, xmax) and the person's score.
pub struct MoveNet {
    sessions: SessionPool,
}

const MOVENET_SIDE: u32 = 256;
const MOVENET_ROW: usize = 56;

impl MoveNet {
    pub fn new(model: ModelBytes, workers: usize) -> Result<MoveNet> {
        Ok(MoveNet {
            sessions: SessionPool::shared("MoveNet", model, workers)?,
        })
    }

    /// The model's input for `img`: stretched to 256², int32 RGB, NHWC.
    pub fn input(img: &RgbImage) -> Result<Vec<i32>> {
        let rgb = resize_rgb(img, Crop::full(img), MOVENET_SIDE, MOVENET_SIDE)?;
        Ok(rgb.iter().map(|&v| v as i32).collect())
    }

    pub fn pass(&self, img: &RgbImage, min_score: f32) -> Result<Vec<ScoredBox>> {
        let input = Self::input(img)?;
        let (w, h) = (img.width() as f32, img.height() as f32);
        self.sessions
            .with(|session| {
                let side = MOVENET_SIDE as usize;
                let tensor = TensorRef::from_array_view(([1usize, side, side, 3], &input[..]))?;
                let out = session.run(ort::inputs!["input" => tensor])?;
                let (_, rows) = out["output"].try_extract_tensor::<f32>()?;
                Ok(rows
                    .chunks_exact(MOVENET_ROW)
                    .filter(|r| r[55] >= min_score)
                    .map(|r| ScoredBox {
                        x1: (r[52] * w).clamp(0.0, w),
                        y1: (r[51] * h).clamp(0.0, h),
                        x2: (r[54] * w).clamp(0.0, w),
                        y2: (r[53] * h).clamp(0.0, h),
                        score: r[55],
                    })
                    .collect())
            })
            .context("MoveNet inference failed")
    }
}

fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// The model behind one people signal.
enum PeopleModel {
    CenterNet(CenterNet),
    Ssd(Ssd),
    OpenImages(OpenImagesSsd),
    MoveNet(MoveNet),
}

/// One signal of the people screen: the COCO person class (`person`), the pose detector
/// (`pose`) or the palm detector (`hand`). Each is a detector of its own so the stage can
/// order every pass of every screen by cost; any signal over its threshold means people.
pub struct PersonDetector {
    model: PeopleModel,
    label: &'static str,
    /// What a signal over its threshold means: people, or for the full-range face
    /// detector, faces.
    screen: Screen,
    reason: Reason,
    threshold: f32,
    cfg: PersonSettings,
}

impl PersonDetector {
    /// Whole bodies, backs, torsos and distant figures (COCO person class).
    pub fn body(model: ModelBytes, workers: usize, cfg: PersonSettings) -> Result<PersonDetector> {
        Ok(PersonDetector {
            model: PeopleModel::CenterNet(CenterNet::new(model, workers)?),
            label: "person",
            screen: Screen::Person,
            reason: Reason::ContainsPeople,
            threshold: cfg.threshold,
            cfg,
        })
    }

    /// Open Images' `Person` class; `None` when its threshold turns it off (above 1).
    pub fn open_images(
        model: ModelBytes,
        workers: usize,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        if cfg.oiv4_threshold > 1.0 {
            return Ok(None);
        }
        Ok(Some(PersonDetector {
            model: PeopleModel::OpenImages(OpenImagesSsd::new(model, workers)?),
            label: "person_oiv4",
            screen: Screen::Person,
            reason: Reason::ContainsPeople,
            threshold: cfg.oiv4_threshold,
            cfg,
        }))
    }

    /// People by their pose (MoveNet); `None` when its threshold turns it off (above 1).
    pub fn movenet(
        model: ModelBytes,
        workers: usize,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        if cfg.movenet_threshold > 1.0 {
            return Ok(None);
        }
        Ok(Some(PersonDetector {
            model: PeopleModel::MoveNet(MoveNet::new(model, workers)?),
            label: "movenet",
            screen: Screen::Person,
            reason: Reason::ContainsPeople,
            threshold: cfg.movenet_threshold,
            cfg,
        }))
    }

    /// Faces by BlazeFace full range, a face signal built like the people ones (a MediaPipe
    /// SSD); `None` when `threshold` turns it off (above 1).
    pub fn face_full_range(
        model: ModelBytes,
        workers: usize,
        threshold: f32,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        let d = Self::ssd(
            &FACE_FULL_RANGE,
            model,
            workers,
            "face_full_range",
            threshold,
            cfg,
        )?;
        Ok(d.map(|d| PersonDetector {
            screen: Screen::Face,
            reason: Reason::ContainsFaces,
            ..d
        }))
    }

    /// Heads and upper bodies; `None` when its threshold turns it off (above 1).
    pub fn pose(
        model: ModelBytes,
        workers: usize,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        Self::ssd(&POSE, model, workers, "pose", cfg.pose_threshold, cfg)
    }

    /// Hands; `None` when its threshold turns it off (above 1).
    pub fn hand(
        model: ModelBytes,
        workers: usize,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        Self::ssd(&PALM, model, workers, "hand", cfg.hand_threshold, cfg)
    }

    fn ssd(
        spec: &'static SsdSpec,
        model: ModelBytes,
        workers: usize,
        label: &'static str,
        threshold: f32,
        cfg: PersonSettings,
    ) -> Result<Option<PersonDetector>> {
        if threshold > 1.0 {
            return Ok(None);
        }
        Ok(Some(PersonDetector {
            model: PeopleModel::Ssd(Ssd::new(spec, model, workers)?),
            label,
            screen: Screen::Person,
            reason: Reason::ContainsPeople,
            threshold,
            cfg,
        }))
    }
}

impl Detector for PersonDetector {
    fn screen(&self) -> Screen {
        self.screen
    }

    fn detect(&self, img: &RgbImage, _explain: bool) -> Result<Detection> {
        let c = &self.cfg;
        let (label, thr) = (self.label, self.threshold);
        // Tiles were measured on the development set: they added false positives and found
        // no extra person, so each model sees the whole image once.
        let found = match &self.model {
            PeopleModel::CenterNet(m) => m.pass(img, Crop::full(img), c.report_threshold)?,
            PeopleModel::Ssd(m) => m.pass(img, Crop::full(img), c.report_threshold)?,
            PeopleModel::OpenImages(m) => m.pass(img, c.report_threshold)?,
            PeopleModel::MoveNet(m) => m.pass(img, c.report_threshold)?,
        };
        let boxes = nms(found, c.nms_iou);
        let best = boxes.iter().map(|b| b.score).fold(0.0f32, f32::max);
        let mut d = Detection::default();
        d.scores.insert(label.into(), best);
        let n = boxes.iter().filter(|b| b.score >= thr).count();
        if n > 0 {
            d.findings.push(Finding::new(
                self.reason,
                format!("{n} {label} detection(s), best score {best:.2} (threshold {thr:.2})"),
            ));
        }
        d.boxes.extend(boxes.iter().take(MAX_BOXES).map(|b| DetBox {
            label: label.into(),
            score: b.score,
            x: b.x1,
            y: b.y1,
            w: b.x2 - b.x1,
            h: b.y2 - b.y1,
        }));
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_images_anchors_follow_mediapipe_layout() {
        let a = oiv4_anchors();
        assert_eq!(a.len(), 1917);
        // The lowest layer: three anchors a cell, the first of scale 0.1.
        assert_eq!(a[0], [0.5 / 19.0, 0.5 / 19.0, 0.1, 0.1]);
        // The last anchor: the 1×1 layer's interpolated square, sqrt(0.95 × 1).
        let last = a[1916];
        assert_eq!((last[0], last[1]), (0.5, 0.5));
        assert!((last[2] - 0.95f32.sqrt()).abs() < 1e-6);
    }
}
