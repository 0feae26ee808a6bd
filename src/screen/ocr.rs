//! Text detection and recognition with PP-OCRv4 mobile (PaddleOCR, as shipped by RapidOCR):
//! a DB text detector finds text regions, a CRNN recogniser reads each with greedy CTC.
//! Used by the CAPTCHA screen: what the image says (and how confidently) is most of what
//! tells a CAPTCHA from a document.

use crate::screen::models::ModelBytes;
use anyhow::{anyhow, Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{resize_rgb, Crop};
use super::session::SessionPool;
use crate::settings::OcrSettings;

/// A recognised line of text, in source pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub text: String,
    pub confidence: f32,
    pub crop: Crop,
}

pub struct Ocr {
    det: SessionPool,
    rec: SessionPool,
    dict: Vec<String>,
    cfg: OcrSettings,
}

/// PaddleOCR's normalisation, (x / 255 − 0.5) / 0.5, on BGR planes.
fn bgr_planes(rgb: &[u8], plane: usize, out: &mut [f32], stride_w: usize, w: usize) {
    for (i, px) in rgb.chunks_exact(3).enumerate() {
        let (y, x) = (i / w, i % w);
        let j = y * stride_w + x;
        out[j] = px[2] as f32 / 127.5 - 1.0;
        out[plane + j] = px[1] as f32 / 127.5 - 1.0;
        out[2 * plane + j] = px[0] as f32 / 127.5 - 1.0;
    }
}

impl Ocr {
    pub fn new(det: ModelBytes, rec: ModelBytes, workers: usize, cfg: OcrSettings) -> Result<Ocr> {
        let det = SessionPool::shared("text detector", det, workers)?;
        let rec = SessionPool::shared("text recogniser", rec, workers)?;
        // The recogniser's alphabet travels in the model's metadata.
        let chars = rec.with(|s| {
            s.metadata()?
                .custom("character")
                .ok_or_else(|| anyhow!("the text recogniser has no 'character' metadata"))
        })?;
        let mut dict = vec![String::new()];
        dict.extend(chars.lines().map(str::to_owned));
        dict.push(" ".into());
        Ok(Ocr {
            det,
            rec,
            dict,
            cfg,
        })
    }

    /// Text regions, in source pixels, top to bottom.
    pub fn detect_regions(&self, img: &RgbImage) -> Result<Vec<Crop>> {
        let c = &self.cfg;
        let (w, h) = (img.width() as f64, img.height() as f64);
        let s = (c.det_short_side as f64 / w.min(h)).min(c.det_max_side as f64 / w.max(h));
        let nw = (((w * s) / 32.0).round().max(1.0) * 32.0) as usize;
        let nh = (((h * s) / 32.0).round().max(1.0) * 32.0) as usize;
        let rgb = resize_rgb(img, Crop::full(img), nw as u32, nh as u32)?;
        let plane = nw * nh;
        let mut input = vec![0f32; 3 * plane];
        bgr_planes(&rgb, plane, &mut input, nw, nw);
        let prob: Vec<f32> = self
            .det
            .with(|session| {
                let t = TensorRef::from_array_view(([1usize, 3, nh, nw], &input[..]))?;
                let out = session.run(ort::inputs!["x" => t])?;
                let (_, p) = out[0].try_extract_tensor::<f32>()?;
                Ok(p.to_vec())
            })
            .context("text detection failed")?;
        let (sx, sy) = (w / nw as f64, h / nh as f64);
        let mut regions: Vec<Crop> = db_regions(&prob, nw, nh, c)
            .into_iter()
            .map(|r| {
                let x = (r.x * sx).max(0.0);
                let y = (r.y * sy).max(0.0);
                Crop {
                    x,
                    y,
                    w: (r.w * sx).min(w - x),
                    h: (r.h * sy).min(h - y),
                }
            })
            .filter(|r| r.w >= 2.0 && r.h >= 2.0)
            .collect();
        regions.sort_by(|a, b| {
            (a.y, a.x)
                .partial_cmp(&(b.y, b.x))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        regions.truncate(c.max_regions);
        Ok(regions)
    }

    /// Read each region: height 48, aspect kept. Regions go in batches of similar width,
    /// each padded to its widest (at least 320), so a long line does not pad every short one.
    pub fn recognise(&self, img: &RgbImage, regions: &[Crop]) -> Result<Vec<TextLine>> {
        const H: usize = 48;
        const BATCH: usize = 8;
        let widths: Vec<usize> = regions
            .iter()
            .map(|r| ((H as f64 * r.w / r.h).ceil() as usize).clamp(8, 1600))
            .collect();
        let mut order: Vec<usize> = (0..regions.len()).collect();
        order.sort_by_key(|&i| widths[i]);
        let mut out: Vec<Option<TextLine>> = vec![None; regions.len()];
        for chunk in order.chunks(BATCH) {
            let bw = chunk
                .iter()
                .map(|&i| widths[i])
                .max()
                .unwrap_or(320)
                .max(320);
            let plane = H * bw;
            let mut input = vec![0f32; chunk.len() * 3 * plane];
            for (k, &i) in chunk.iter().enumerate() {
                let rgb = resize_rgb(img, regions[i], widths[i] as u32, H as u32)?;
                bgr_planes(
                    &rgb,
                    plane,
                    &mut input[k * 3 * plane..(k + 1) * 3 * plane],
                    bw,
                    widths[i],
                );
            }
            let n = chunk.len();
            self.rec
                .with(|session| {
                    let t = TensorRef::from_array_view(([n, 3, H, bw], &input[..]))?;
                    let res = session.run(ort::inputs!["x" => t])?;
                    let (shape, probs) = res[0].try_extract_tensor::<f32>()?;
                    let (steps, classes) = (shape[1] as usize, shape[2] as usize);
                    for (k, &i) in chunk.iter().enumerate() {
                        let (text, confidence) = self.ctc(
                            &probs[k * steps * classes..(k + 1) * steps * classes],
                            classes,
                        );
                        out[i] = Some(TextLine {
                            text,
                            confidence,
                            crop: regions[i],
                        });
                    }
                    Ok(())
                })
                .context("text recognition failed")?;
        }
        Ok(out.into_iter().flatten().collect())
    }

    /// Greedy CTC: best class per step, repeats merged, blanks dropped.
    fn ctc(&self, p: &[f32], classes: usize) -> (String, f32) {
        let mut text = String::new();
        let mut confs = Vec::new();
        let mut prev = 0usize;
        for step in p.chunks_exact(classes) {
            let (best, &score) = step
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap_or((0, &0.0));
            if best != 0 && best != prev {
                if let Some(ch) = self.dict.get(best) {
                    text.push_str(ch);
                    confs.push(score);
                }
            }
            prev = best;
        }
        let conf = if confs.is_empty() {
            0.0
        } else {
            confs.iter().sum::<f32>() / confs.len() as f32
        };
        (text, conf)
    }

    pub fn read(&self, img: &RgbImage) -> Result<Vec<TextLine>> {
        let regions = self.detect_regions(img)?;
        self.recognise(img, &regions)
    }
}

/// DB post-processing on the probability map: binarise, dilate 2×2, 8-connected regions,
/// keep those confident and large enough, grow each by its unclip distance.
fn db_regions(prob: &[f32], w: usize, h: usize, c: &OcrSettings) -> Vec<Crop> {
    let mut bin = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            // Dilation with a 2×2 kernel: a pixel is on if it or its left/up neighbours are.
            let on = |xx: usize, yy: usize| prob[yy * w + xx] > c.bin_threshold;
            bin[y * w + x] = on(x, y)
                || (x > 0 && on(x - 1, y))
                || (y > 0 && on(x, y - 1))
                || (x > 0 && y > 0 && on(x - 1, y - 1));
        }
    }
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !bin[start] || seen[start] {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let (mut sum, mut count) = (0f32, 0usize);
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            sum += prob[i];
            count += 1;
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if bin[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        if bw.min(bh) < c.min_side || sum / (count as f32) < c.box_threshold {
            continue;
        }
        let d = bw * bh * c.unclip_ratio / (2.0 * (bw + bh));
        out.push(Crop {
            x: (x0 as f32 - d) as f64,
            y: (y0 as f32 - d) as f64,
            w: (bw + 2.0 * d) as f64,
            h: (bh + 2.0 * d) as f64,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_finds_one_region_per_blob_and_grows_it() {
        let (w, h) = (40, 20);
        let mut p = vec![0.0f32; w * h];
        for y in 5..10 {
            for x in 5..25 {
                p[y * w + x] = 0.9;
            }
        }
        p[18 * w + 38] = 0.9; // a speck: too small
        let r = db_regions(&p, w, h, &OcrSettings::default());
        assert_eq!(r.len(), 1);
        assert!(r[0].w > 21.0 && r[0].x < 5.0, "{r:?}");
    }
}
