//! MediaPipe's single-shot detectors (pose, palm, full-range face): their input layout,
//! anchors and box decoding, every setting read from MediaPipe's own graphs
//! (models/PROVENANCE.md, "Decoding the MediaPipe detectors").

use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{resize_rgb, Crop, ScoredBox};
use super::models::ModelBytes;
use super::session::SessionPool;

/// One MediaPipe single-shot detector: input size, anchor layout and pixel normalisation, all
/// read from MediaPipe's own graphs (see models/PROVENANCE.md).
pub struct SsdSpec {
    pub name: &'static str,
    pub side: u32,
    /// (stride, anchors per cell) after merging layers of equal stride.
    pub layers: &'static [(u32, usize)],
    pub anchors: usize,
    /// Pixel v becomes v * scale + offset; the letterbox border is pixel 0.
    pub scale: f32,
    pub offset: f32,
    pub input: &'static str,
    /// Floats per anchor in `regressors`.
    pub row: usize,
}

pub const POSE: SsdSpec = SsdSpec {
    name: "pose detector",
    side: 224,
    layers: &[(8, 2), (16, 2), (32, 6)],
    anchors: 2254,
    scale: 1.0 / 127.5,
    offset: -1.0,
    input: "input_1",
    row: 12,
};

/// BlazeFace full range: faces up to about 5 m away, and painted and drawn ones CenterFace
/// misses.
pub const FACE_FULL_RANGE: SsdSpec = SsdSpec {
    name: "full-range face detector",
    side: 192,
    layers: &[(4, 1)],
    anchors: 2304,
    scale: 1.0 / 127.5,
    offset: -1.0,
    input: "input",
    row: 16,
};

pub const PALM: SsdSpec = SsdSpec {
    name: "palm detector",
    side: 192,
    layers: &[(8, 2), (16, 6)],
    anchors: 2016,
    scale: 1.0 / 255.0,
    offset: 0.0,
    input: "input",
    row: 18,
};

/// Anchor centres of MediaPipe's SSD anchor calculator with a fixed anchor size: feature map,
/// then row, then column, then anchor.
pub(crate) fn anchors(spec: &SsdSpec) -> Vec<(f32, f32)> {
    let mut a = Vec::with_capacity(spec.anchors);
    for &(stride, per_cell) in spec.layers {
        let n = spec.side.div_ceil(stride);
        for y in 0..n {
            for x in 0..n {
                for _ in 0..per_cell {
                    a.push(((x as f32 + 0.5) / n as f32, (y as f32 + 0.5) / n as f32));
                }
            }
        }
    }
    assert_eq!(a.len(), spec.anchors, "{}: anchor layout", spec.name);
    a
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x.clamp(-80.0, 80.0)).exp())
}

/// An NHWC float input: `crop` scaled to fit a `side`² square, centred, every value mapped
/// to v × `scale` + `offset`, the border being pixel 0.
pub(crate) struct Letterbox {
    pub input: Vec<f32>,
    /// Source pixels → input pixels.
    pub scale: f64,
    pub ox: u32,
    pub oy: u32,
}

pub(crate) fn letterbox(
    img: &RgbImage,
    crop: Crop,
    side: u32,
    scale: f32,
    offset: f32,
) -> Result<Letterbox> {
    let s = side as f64 / crop.w.max(crop.h);
    let rw = ((crop.w * s).round() as u32).clamp(1, side);
    let rh = ((crop.h * s).round() as u32).clamp(1, side);
    let (ox, oy) = ((side - rw) / 2, (side - rh) / 2);
    let rgb = resize_rgb(img, crop, rw, rh)?;
    let mut input = vec![offset; (side * side * 3) as usize];
    for y in 0..rh {
        let src = &rgb[(y * rw * 3) as usize..((y + 1) * rw * 3) as usize];
        let dst0 = (((y + oy) * side + ox) * 3) as usize;
        for (d, &v) in input[dst0..dst0 + src.len()].iter_mut().zip(src) {
            *d = v as f32 * scale + offset;
        }
    }
    Ok(Letterbox {
        input,
        scale: s,
        ox,
        oy,
    })
}

/// A MediaPipe SSD model with its sessions and anchors.
pub struct Ssd {
    spec: &'static SsdSpec,
    sessions: SessionPool,
    anchors: Vec<(f32, f32)>,
}

impl Ssd {
    pub fn new(spec: &'static SsdSpec, model: ModelBytes, workers: usize) -> Result<Ssd> {
        Ok(Ssd {
            spec,
            sessions: SessionPool::shared(spec.name, model, workers)?,
            anchors: anchors(spec),
        })
    }

    /// Letterbox `crop` into the model's square input and return boxes scoring at least
    /// `min_score`, in source pixels.
    pub fn pass(&self, img: &RgbImage, crop: Crop, min_score: f32) -> Result<Vec<ScoredBox>> {
        let spec = self.spec;
        let side = spec.side;
        let lb = letterbox(img, crop, side, spec.scale, spec.offset)?;
        let (s, ox, oy, input) = (lb.scale, lb.ox, lb.oy, lb.input);
        let thr_logit = {
            let p = min_score.clamp(1e-6, 1.0 - 1e-6);
            (p / (1.0 - p)).ln()
        };
        let sf = side as f32;
        self.sessions
            .with(|session| {
                let shape = [1usize, side as usize, side as usize, 3];
                let tensor = TensorRef::from_array_view((shape, &input[..]))?;
                let out = session.run(ort::inputs![spec.input => tensor])?;
                let (_, logits) = out["classificators"].try_extract_tensor::<f32>()?;
                let (_, reg) = out["regressors"].try_extract_tensor::<f32>()?;
                let mut boxes = Vec::new();
                for (i, (&logit, &(ax, ay))) in logits.iter().zip(&self.anchors).enumerate() {
                    if logit < thr_logit {
                        continue;
                    }
                    let r = &reg[i * spec.row..i * spec.row + 4];
                    // Box in the letterbox, normalised to [0, 1]; sizes are not exponentiated.
                    let cx = r[0] / sf + ax;
                    let cy = r[1] / sf + ay;
                    let (bw, bh) = (r[2] / sf, r[3] / sf);
                    if bw <= 0.0 || bh <= 0.0 {
                        continue;
                    }
                    let to_src_x = |v: f32| ((v * sf - ox as f32) as f64 / s + crop.x) as f32;
                    let to_src_y = |v: f32| ((v * sf - oy as f32) as f64 / s + crop.y) as f32;
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
            .with_context(|| format!("{} inference failed", spec.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_layout_matches_the_model() {
        let a = anchors(&POSE);
        assert_eq!(a.len(), 2254);
        assert_eq!(anchors(&PALM).len(), 2016);
        assert_eq!(a[0], (0.5 / 28.0, 0.5 / 28.0));
        assert_eq!(a[1], a[0]);
        // First anchor of the 14×14 layer, then of the 7×7 one.
        assert_eq!(a[1568], (0.5 / 14.0, 0.5 / 14.0));
        assert_eq!(a[1568 + 392], (0.5 / 7.0, 0.5 / 7.0));
        let f = anchors(&FACE_FULL_RANGE);
        assert_eq!(f.len(), 2304);
        assert_eq!(f[48], (0.5 / 48.0, 1.5 / 48.0));
    }
}
