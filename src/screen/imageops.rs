//! Pixel plumbing shared by the detectors: a SIMD resize (the `image` crate's own resize costs
//! about as much as a model pass) and NMS.

use anyhow::Result;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

/// A region of the source image, in source pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crop {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Crop {
    pub fn full(img: &RgbImage) -> Crop {
        Crop {
            x: 0.0,
            y: 0.0,
            w: img.width() as f64,
            h: img.height() as f64,
        }
    }
}

/// Resize `crop` of `src` to `w`×`h` RGB bytes (bilinear).
pub fn resize_rgb(src: &RgbImage, crop: Crop, w: u32, h: u32) -> Result<Vec<u8>> {
    let view = ImageRef::new(src.width(), src.height(), src.as_raw(), PixelType::U8x3)?;
    let mut dst = Image::new(w, h, PixelType::U8x3);
    let opts = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
        .crop(crop.x, crop.y, crop.w, crop.h);
    Resizer::new().resize(&view, &mut dst, &opts)?;
    Ok(dst.into_vec())
}

/// Run `f` on this thread's scratch buffer of `len` floats (contents unspecified: `f` must
/// write every element it reads). A fine pass's input is tens of megabytes; allocating it
/// afresh for every image costs page faults on every pass. Not re-entrant.
pub fn with_scratch<T>(len: usize, f: impl FnOnce(&mut [f32]) -> T) -> T {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < len {
            s.resize(len, 0.0);
        }
        f(&mut s[..len])
    })
}

/// Axis-aligned box with a score, in source pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredBox {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub score: f32,
}

impl ScoredBox {
    fn area(&self) -> f32 {
        (self.x2 - self.x1).max(0.0) * (self.y2 - self.y1).max(0.0)
    }

    pub fn iou(&self, o: &ScoredBox) -> f32 {
        let iw = (self.x2.min(o.x2) - self.x1.max(o.x1)).max(0.0);
        let ih = (self.y2.min(o.y2) - self.y1.max(o.y1)).max(0.0);
        let inter = iw * ih;
        let union = self.area() + o.area() - inter;
        if union <= 0.0 {
            0.0
        } else {
            inter / union
        }
    }
}

/// Greedy non-maximum suppression, highest score first.
pub fn nms(mut boxes: Vec<ScoredBox>, iou: f32) -> Vec<ScoredBox> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut keep: Vec<ScoredBox> = Vec::new();
    for b in boxes {
        if keep.iter().all(|k| k.iou(&b) <= iou) {
            keep.push(b);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let b = |x: f32, s: f32| ScoredBox {
            x1: x,
            y1: 0.0,
            x2: x + 10.0,
            y2: 10.0,
            score: s,
        };
        let kept = nms(vec![b(0.0, 0.5), b(1.0, 0.9), b(50.0, 0.3)], 0.3);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].x1, 50.0);
    }

    #[test]
    fn resize_crops_and_scales() {
        let img = RgbImage::from_fn(40, 20, |x, _| {
            if x < 20 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let out = resize_rgb(
            &img,
            Crop {
                x: 20.0,
                y: 0.0,
                w: 20.0,
                h: 20.0,
            },
            8,
            8,
        )
        .unwrap();
        assert_eq!(out.len(), 8 * 8 * 3);
        let centre = (4 * 8 + 4) * 3;
        assert_eq!(&out[centre..centre + 3], &[0, 0, 255]);
    }
}
