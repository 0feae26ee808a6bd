//! Faces with CenterFace (anchor-free, stride 4): a pass over the whole image at a base
//! resolution, a finer pass on large images where faces may be only a few dozen pixels, and
//! a look at the image turned a quarter each way for faces lying sideways.

use crate::screen::models::ModelBytes;
use std::sync::Arc;

use anyhow::{Context, Result};
use image::RgbImage;
use ort::value::TensorRef;

use super::imageops::{nms, resize_rgb, with_scratch, Crop, ScoredBox};
use super::session::SessionPool;
use super::{DetBox, Detection, Detector};
use crate::codes::{Finding, Reason, Screen};
use crate::settings::{FaceSettings, MAX_BOXES};

/// A quarter turn, in the sense of `image::imageops::rotate90` / `rotate270`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    Clockwise,
    Anticlockwise,
}

impl Turn {
    #[cfg(test)]
    fn apply(self, img: &RgbImage) -> RgbImage {
        match self {
            Turn::Clockwise => image::imageops::rotate90(img),
            Turn::Anticlockwise => image::imageops::rotate270(img),
        }
    }

    /// Where source pixel (x, y) of a `w`×`h` image lands, as an index into the turned
    /// image (`h` wide, `w` tall).
    fn index(self, x: usize, y: usize, w: usize, h: usize) -> usize {
        match self {
            Turn::Clockwise => x * h + (h - 1 - y),
            Turn::Anticlockwise => (w - 1 - x) * h + y,
        }
    }

    /// A box of the turned image mapped back onto the `w`×`h` source.
    fn unturn(self, b: ScoredBox, w: f32, h: f32) -> ScoredBox {
        let (x1, y1, x2, y2) = match self {
            Turn::Clockwise => (b.y1, h - b.x2, b.y2, h - b.x1),
            Turn::Anticlockwise => (w - b.y2, b.x1, w - b.y1, b.x2),
        };
        ScoredBox {
            x1,
            y1,
            x2,
            y2,
            score: b.score,
        }
    }
}

/// How a crop is laid into the network's input: as it is, or turned a quarter, and
/// optionally mirrored after that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    turn: Option<Turn>,
    mirror: bool,
}

impl View {
    const PLAIN: View = View {
        turn: None,
        mirror: false,
    };

    /// The view and its mirror image, which a verification look runs in one batch.
    fn with_mirror(turn: Option<Turn>) -> [View; 2] {
        [
            View {
                turn,
                mirror: false,
            },
            View { turn, mirror: true },
        ]
    }

    /// The network frame (width, height) for a `w`×`h` resized crop.
    fn frame(self, w: u32, h: u32) -> (u32, u32) {
        if self.turn.is_some() {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// Where pixel (x, y) of a `w`×`h` resized crop lands in the frame, as an index.
    fn index(self, x: usize, y: usize, w: usize, h: usize) -> usize {
        let (fw, i) = match self.turn {
            None => (w, y * w + x),
            Some(t) => (h, t.index(x, y, w, h)),
        };
        if self.mirror {
            let (fx, fy) = (i % fw, i / fw);
            fy * fw + (fw - 1 - fx)
        } else {
            i
        }
    }

    /// A box of the frame mapped back onto the `w`×`h` resized crop.
    fn back(self, b: ScoredBox, w: f32, h: f32) -> ScoredBox {
        let fw = if self.turn.is_some() { h } else { w };
        let b = if self.mirror {
            ScoredBox {
                x1: fw - b.x2,
                x2: fw - b.x1,
                ..b
            }
        } else {
            b
        };
        match self.turn {
            None => b,
            Some(t) => t.unturn(b, w, h),
        }
    }
}

/// The CenterFace network and the passes made with it; shared by the face screen's passes so
/// each worker holds one session.
struct CenterFace {
    sessions: SessionPool,
    cfg: FaceSettings,
}

impl CenterFace {
    /// Run the network on `n` NCHW images of `nh`×`nw` laid end to end in `input`; boxes per
    /// image in network-input pixels, after NMS.
    fn infer(
        &self,
        input: &[f32],
        n: usize,
        nh: u32,
        nw: u32,
        thr: f32,
    ) -> Result<Vec<Vec<ScoredBox>>> {
        self.sessions
            .with(|session| {
                let tensor = TensorRef::from_array_view(([n, 3, nh as usize, nw as usize], input))?;
                // A large input (the finer pass on a large image) grows the session's arena by
                // gigabytes, kept for the rest of the run: hand it back after such a run.
                // Ordinary inputs keep the arena, which is what makes them fast.
                let mut shrink;
                let out = if self.sessions.has_arena()
                    && n * nh as usize * nw as usize > self.cfg.arena_keep_pixels
                {
                    shrink = ort::session::RunOptions::new()?;
                    shrink.set("memory.enable_memory_arena_shrinkage", "cpu:0")?;
                    session.run_with_options(ort::inputs!["input.1" => tensor], &shrink)?
                } else {
                    session.run(ort::inputs!["input.1" => tensor])?
                };
                let (shape, heat) = out["537"].try_extract_tensor::<f32>()?;
                let (_, scale) = out["538"].try_extract_tensor::<f32>()?;
                let (_, offset) = out["539"].try_extract_tensor::<f32>()?;
                let plane = shape[2] as usize * shape[3] as usize;
                let fw = shape[3] as usize;
                let mut per_image = Vec::with_capacity(n);
                for k in 0..n {
                    let heat = &heat[k * plane..(k + 1) * plane];
                    let scale = &scale[2 * k * plane..2 * (k + 1) * plane];
                    let offset = &offset[2 * k * plane..2 * (k + 1) * plane];
                    let mut boxes = Vec::new();
                    for (i, &score) in heat.iter().enumerate() {
                        if score < thr {
                            continue;
                        }
                        let (y, x) = ((i / fw) as f32, (i % fw) as f32);
                        let bh = scale[i].exp() * 4.0;
                        let bw = scale[plane + i].exp() * 4.0;
                        let cy = (y + offset[i] + 0.5) * 4.0;
                        let cx = (x + offset[plane + i] + 0.5) * 4.0;
                        let y1 = (cy - bh / 2.0).max(0.0);
                        boxes.push(ScoredBox {
                            x1: (cx - bw / 2.0).max(0.0),
                            y1,
                            x2: (cx + bw / 2.0).min(nw as f32),
                            y2: (y1 + bh).min(nh as f32),
                            score,
                        });
                    }
                    per_image.push(nms(boxes, self.cfg.nms_iou));
                }
                Ok(per_image)
            })
            .context("CenterFace inference failed")
    }

    /// One look at `crop` with its long side scaled to `side` (sides rounded up to
    /// multiples of 32), a batch of one image per entry of `views`, which must all turn
    /// alike; boxes per view, in source pixels.
    fn looks(
        &self,
        img: &RgbImage,
        crop: Crop,
        side: u32,
        views: &[View],
        thr: f32,
    ) -> Result<Vec<Vec<ScoredBox>>> {
        let (w, h) = (crop.w, crop.h);
        let (nw, nh) = net_size(w, h, side);
        let rgb = resize_rgb(img, crop, nw, nh)?;
        let plane = (nw * nh) as usize;
        let (fw, fh) = views[0].frame(nw, nh);
        let found = with_scratch(views.len() * 3 * plane, |input| {
            let (cols, rows) = (nw as usize, nh as usize);
            for (chunk, &view) in input.chunks_exact_mut(3 * plane).zip(views) {
                planar(chunk, &rgb, cols, |x, y| view.index(x, y, cols, rows));
            }
            self.infer(input, views.len(), fh, fw, thr)
        })?;
        let (sx, sy) = (w as f32 / nw as f32, h as f32 / nh as f32);
        let (ox, oy) = (crop.x as f32, crop.y as f32);
        Ok(views
            .iter()
            .zip(found)
            .map(|(&view, boxes)| {
                boxes
                    .into_iter()
                    .map(|b| {
                        let b = view.back(b, nw as f32, nh as f32);
                        ScoredBox {
                            x1: ox + b.x1 * sx,
                            y1: oy + b.y1 * sy,
                            x2: ox + b.x2 * sx,
                            y2: oy + b.y2 * sy,
                            score: b.score,
                        }
                    })
                    .collect()
            })
            .collect())
    }

    /// Re-check the best candidates on an enlarged crop around each, plain and mirrored (and
    /// turned as they were found); a candidate keeps the lower of its first score and its
    /// best second look. `early`: stop at the first face that holds up, which is enough to
    /// skip the image.
    fn verified(
        &self,
        img: &RgbImage,
        boxes: Vec<ScoredBox>,
        turn: Option<Turn>,
        early: bool,
    ) -> Result<Vec<ScoredBox>> {
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
            let views = View::with_mirror(turn);
            let mut second = 0.0f32;
            for v in self
                .looks(img, crop, px, &views, c.verify_min_score)?
                .into_iter()
                .flatten()
            {
                // The same face must come back near the candidate's centre.
                let (vx, vy) = ((v.x1 + v.x2) / 2.0, (v.y1 + v.y2) / 2.0);
                let tol = (b.x2 - b.x1).max(b.y2 - b.y1) / 2.0;
                if (vx - cx as f32).abs() <= tol && (vy - cy as f32).abs() <= tol {
                    second = second.max(v.score);
                }
            }
            out.push(ScoredBox {
                score: b.score.min(second),
                ..b
            });
            if early && any_face(&out, c.threshold) {
                break;
            }
        }
        Ok(out)
    }

    /// Upright faces at the base resolution: the whole image, long side `base_side`.
    fn base(&self, img: &RgbImage, early: bool) -> Result<Vec<ScoredBox>> {
        let found = self.looks(
            img,
            Crop::full(img),
            self.cfg.base_side,
            &[View::PLAIN],
            self.cfg.report_threshold,
        )?;
        self.verified(img, found.into_iter().flatten().collect(), None, early)
    }

    /// Upright faces too small for the base pass: large images again at up to
    /// `fine_upscale` times their size, in overlapping tiles so the network's working memory
    /// stays that of a tile whatever the image. Nothing to do on images the base pass saw
    /// whole.
    fn fine(&self, img: &RgbImage, early: bool) -> Result<Vec<ScoredBox>> {
        let c = &self.cfg;
        let long = img.width().max(img.height());
        let fine_side = ((long as f32 * c.fine_upscale) as u32).min(c.fine_side);
        if long <= c.base_side * 5 / 4 || fine_side <= c.base_side {
            return Ok(Vec::new());
        }
        let scale = fine_side as f64 / long as f64;
        let mut found = Vec::new();
        for crop in tiles(img, scale, c.fine_tile_side, c.fine_tile_overlap) {
            let side = (crop.w.max(crop.h) * scale).round() as u32;
            let boxes = self.looks(img, crop, side, &[View::PLAIN], c.report_threshold)?;
            found.extend(boxes.into_iter().flatten());
        }
        self.verified(img, found, None, early)
    }

    /// Faces lying sideways: the image turned a quarter clockwise and a quarter
    /// anticlockwise, both in one batch; a turn's candidates are verified on crops of the
    /// source turned the same way, so the whole image is never turned.
    fn sideways(&self, img: &RgbImage, early: bool) -> Result<Vec<ScoredBox>> {
        let c = &self.cfg;
        let turns = [Turn::Clockwise, Turn::Anticlockwise];
        let views = turns.map(|t| View {
            turn: Some(t),
            mirror: false,
        });
        // Only candidates that could skip the image get the second look: weaker sideways
        // candidates would cost a verification each and are not reported.
        let found = self.looks(img, Crop::full(img), c.tilted_side, &views, c.threshold)?;
        let mut out = Vec::new();
        for (turn, boxes) in turns.into_iter().zip(found) {
            if boxes.is_empty() || (early && any_face(&out, c.threshold)) {
                continue;
            }
            out.extend(self.verified(img, boxes, Some(turn), early)?);
        }
        Ok(nms(out, c.nms_iou))
    }

    fn detection(&self, boxes: &[ScoredBox], what: &str) -> Detection {
        let threshold = self.cfg.threshold;
        let best = boxes.iter().map(|b| b.score).fold(0.0f32, f32::max);
        let mut d = Detection::default();
        d.scores.insert("face".into(), best);
        let faces = boxes.iter().filter(|b| b.score >= threshold).count();
        if faces > 0 {
            d.findings.push(Finding::new(
                Reason::ContainsFaces,
                format!("{faces} {what}, best score {best:.2} (threshold {threshold:.2})"),
            ));
        }
        d.boxes = boxes
            .iter()
            .take(MAX_BOXES)
            .map(|b| DetBox {
                label: "face".into(),
                score: b.score,
                x: b.x1,
                y: b.y1,
                w: b.x2 - b.x1,
                h: b.y2 - b.y1,
            })
            .collect();
        d
    }
}

/// Network input size for a `w`×`h` region with its long side scaled to `side`: both sides
/// rounded up to multiples of 32, as the stride-32 backbone needs.
fn net_size(w: f64, h: f64, side: u32) -> (u32, u32) {
    let s = side as f64 / w.max(h);
    let nw = ((w * s / 32.0).ceil() as u32).max(1) * 32;
    let nh = ((h * s / 32.0).ceil() as u32).max(1) * 32;
    (nw, nh)
}

/// Overlapping crops of `img` covering it whole, each at most `tile` network pixels a side,
/// overlap included, once scaled by `scale`; neighbours share `overlap` network pixels, so a
/// face up to that size lies whole in one of them (larger ones are the base pass's).
fn tiles(img: &RgbImage, scale: f64, tile: u32, overlap: u32) -> Vec<Crop> {
    let spans = |len: f64| -> Vec<(f64, f64)> {
        let net = len * scale;
        let (tile, overlap) = (tile as f64, (overlap as f64).min(tile as f64 / 2.0));
        let n = if net <= tile {
            1
        } else {
            ((net - overlap) / (tile - overlap)).ceil() as usize
        };
        let (core, half) = (len / n as f64, overlap / scale / 2.0);
        (0..n)
            .map(|i| {
                let start = (i as f64 * core - half).max(0.0);
                let end = ((i + 1) as f64 * core + half).min(len);
                (start, end - start)
            })
            .collect()
    };
    let rows = spans(img.height() as f64);
    spans(img.width() as f64)
        .into_iter()
        .flat_map(|(x, w)| rows.iter().map(move |&(y, h)| Crop { x, y, w, h }))
        .collect()
}

/// Write packed RGB bytes (`nw` pixels a row) into `view` as the network's three colour
/// planes, raw 0–255; pixel (x, y) goes to index `at(x, y)` of each plane, which is where a
/// view is mirrored or turned.
fn planar(view: &mut [f32], rgb: &[u8], nw: usize, at: impl Fn(usize, usize) -> usize) {
    let plane = view.len() / 3;
    let (r, gb) = view.split_at_mut(plane);
    let (g, b) = gb.split_at_mut(plane);
    // Row by row: no division per pixel on this hot path.
    for (y, row) in rgb.chunks_exact(3 * nw).enumerate() {
        for (x, px) in row.chunks_exact(3).enumerate() {
            let j = at(x, y);
            r[j] = px[0] as f32;
            g[j] = px[1] as f32;
            b[j] = px[2] as f32;
        }
    }
}

fn any_face(boxes: &[ScoredBox], threshold: f32) -> bool {
    boxes.iter().any(|b| b.score >= threshold)
}

/// The passes of the face screen. Each is a detector of its own so the stage can order them by
/// cost (`CASCADE` in `detect/mod.rs`): the costly finer and sideways passes run only on images
/// that no cheaper pass, people screens included, has already skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacePass {
    /// The whole image at the base resolution.
    Base,
    /// Large images at up to 1.5× their size, for faces a few dozen pixels across.
    Fine,
    /// The image turned a quarter each way, for faces lying sideways.
    Sideways,
}

/// One pass of the face screen; the passes share one CenterFace network and its sessions.
pub struct FaceDetector {
    net: Arc<CenterFace>,
    pass: FacePass,
}

impl FaceDetector {
    /// The base pass; [`FaceDetector::then`] gives the others on the same sessions.
    pub fn new(model: ModelBytes, workers: usize, cfg: FaceSettings) -> Result<FaceDetector> {
        Ok(FaceDetector {
            net: Arc::new(CenterFace {
                sessions: SessionPool::per_worker("CenterFace", model, workers)?,
                cfg,
            }),
            pass: FacePass::Base,
        })
    }

    /// Another pass with the same network, unless the configuration turns it off.
    pub fn then(&self, pass: FacePass) -> Option<FaceDetector> {
        let c = &self.net.cfg;
        let on = match pass {
            FacePass::Base => true,
            FacePass::Fine => c.fine_side > c.base_side,
            FacePass::Sideways => c.tilted_side > 0,
        };
        on.then(|| FaceDetector {
            net: Arc::clone(&self.net),
            pass,
        })
    }
}

impl Detector for FaceDetector {
    // Every pass belongs to the face screen, which `--detectors face` selects.
    fn screen(&self) -> Screen {
        Screen::Face
    }

    fn detect(&self, img: &RgbImage, explain: bool) -> Result<Detection> {
        let early = !explain;
        let (boxes, what) = match self.pass {
            FacePass::Base => (self.net.base(img, early)?, "face(s)"),
            FacePass::Fine => (self.net.fine(img, early)?, "face(s) at the finer scale"),
            FacePass::Sideways => (self.net.sideways(img, early)?, "sideways face(s)"),
        };
        Ok(self.net.detection(&boxes, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_match_the_image_crate_and_map_boxes_back() {
        let (w, h) = (5usize, 3usize);
        let img = RgbImage::from_fn(w as u32, h as u32, |x, y| image::Rgb([x as u8, y as u8, 0]));
        for turn in [Turn::Clockwise, Turn::Anticlockwise] {
            let turned = turn.apply(&img);
            assert_eq!((turned.width(), turned.height()), (h as u32, w as u32));
            for y in 0..h {
                for x in 0..w {
                    let i = turn.index(x, y, w, h);
                    let (tx, ty) = ((i % h) as u32, (i / h) as u32);
                    assert_eq!(turned.get_pixel(tx, ty).0[..2], [x as u8, y as u8]);
                    // The unit box around that pixel maps back onto the source pixel.
                    let b = ScoredBox {
                        x1: tx as f32,
                        y1: ty as f32,
                        x2: tx as f32 + 1.0,
                        y2: ty as f32 + 1.0,
                        score: 1.0,
                    };
                    let back = turn.unturn(b, w as f32, h as f32);
                    assert_eq!(
                        (back.x1, back.y1, back.x2, back.y2),
                        (x as f32, y as f32, x as f32 + 1.0, y as f32 + 1.0),
                        "{turn:?} ({x}, {y})"
                    );
                }
            }
        }
    }

    #[test]
    fn views_put_pixels_where_their_boxes_come_back_from() {
        let (w, h) = (5usize, 3usize);
        for turn in [None, Some(Turn::Clockwise), Some(Turn::Anticlockwise)] {
            for mirror in [false, true] {
                let view = View { turn, mirror };
                let (fw, fh) = view.frame(w as u32, h as u32);
                let mut seen = vec![false; w * h];
                for y in 0..h {
                    for x in 0..w {
                        let i = view.index(x, y, w, h);
                        assert!(!seen[i], "{view:?}: two pixels at {i}");
                        seen[i] = true;
                        let (fx, fy) = ((i % fw as usize) as f32, (i / fw as usize) as f32);
                        assert!(fy < fh as f32);
                        let b = ScoredBox {
                            x1: fx,
                            y1: fy,
                            x2: fx + 1.0,
                            y2: fy + 1.0,
                            score: 1.0,
                        };
                        let back = view.back(b, w as f32, h as f32);
                        assert_eq!(
                            (back.x1, back.y1, back.x2, back.y2),
                            (x as f32, y as f32, x as f32 + 1.0, y as f32 + 1.0),
                            "{view:?} ({x}, {y})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tiles_cover_the_image_within_their_size_and_overlap() {
        for (w, h, scale) in [
            (13000u32, 9000u32, 2560.0 / 13000.0),
            (1000, 700, 1.5),
            (800, 800, 1.5),
        ] {
            let img = RgbImage::new(w, h);
            let (tile, overlap) = (1408u32, 128u32);
            let tiles = tiles(&img, scale, tile, overlap);
            let fits = (w as f64 * scale) <= tile as f64 && (h as f64 * scale) <= tile as f64;
            assert_eq!(tiles.len() == 1, fits, "{w}×{h}: {tiles:?}");
            for t in &tiles {
                assert!(t.w * scale <= tile as f64 + 1e-6 && t.h * scale <= tile as f64 + 1e-6);
                assert!(t.x >= 0.0 && t.y >= 0.0);
                assert!(t.x + t.w <= w as f64 + 1e-6 && t.y + t.h <= h as f64 + 1e-6);
            }
            // Every point is inside a tile, and every square of `overlap` network pixels lies
            // whole in one.
            let side = overlap as f64 / scale;
            for i in 0..=40 {
                for j in 0..=40 {
                    let x = (w as f64 - side) * i as f64 / 40.0;
                    let y = (h as f64 - side) * j as f64 / 40.0;
                    assert!(
                        tiles.iter().any(|t| t.x <= x + 1e-6
                            && t.y <= y + 1e-6
                            && x + side <= t.x + t.w + 1e-6
                            && y + side <= t.y + t.h + 1e-6),
                        "{w}×{h}: square at ({x}, {y}) is split"
                    );
                }
            }
        }
    }
}
