//! `fix`: repair what the provider would skip for format reasons — colour mode, file format,
//! size, EXIF rotation — never content. Lines with nothing to repair are written byte for byte.
//! Images are read through the pipeline's resolve stage, so a URL named by several lines is
//! fetched once per window.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use image::codecs::jpeg::JpegEncoder;
use rayon::prelude::*;
use serde::Serialize;

use crate::atomic::{check_outputs, AtomicFile};
use crate::codes::{Detail, FixAction};
use crate::options::FetchOptions;
use crate::pipeline::fetch::{Fetcher, WindowFetch};
use crate::pipeline::parse::splice::{self, BlockEdit};
use crate::pipeline::parse::{self, Example, ImageRef};
use crate::pipeline::read::{Line, LineReader};
use crate::pipeline::resolve::{self, ImageBytes, ResolveContext, Resolved, Source};
use crate::pipeline::{inspect, url_count, url_groups};
use crate::provider::{Format, Profile};
use crate::settings::{FIX_MAX_SOURCE_BYTES, FIX_WINDOW_LINES, WINDOW_BYTES};

#[derive(Debug, Clone)]
pub struct FixOptions {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the repaired dataset.
    pub output: PathBuf,
    /// Write what was changed, one JSON record per changed line.
    pub changes: Option<PathBuf>,
    /// Embed URL and local-path images as data URIs (the upload then needs no URL to stay up).
    pub inline: bool,
    /// Set `detail` on every image (the provider advises starting with `low`).
    pub detail: Option<Detail>,
    /// Replace existing output files.
    pub force: bool,
    /// Whose limits to repair to.
    pub profile: &'static Profile,
    pub jobs: usize,
    pub fetch_jobs: usize,
    pub fetch: FetchOptions,
    /// Do not fetch http(s) images (they are left as they are).
    pub offline: bool,
}

/// What `fix` wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FixSummary {
    pub changed_lines: u64,
    pub converted_images: u64,
    /// Problems `fix` cannot repair (content, unreachable, corrupt).
    pub not_repaired: u64,
}

/// One change to one image.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub image: usize,
    pub action: FixAction,
    pub detail: String,
}

#[derive(Debug, Default, Serialize)]
pub struct LineChanges {
    pub line: u64,
    pub changes: Vec<Change>,
    /// Images with problems `fix` cannot repair (content, unreachable URL, corrupt data).
    pub not_repaired: Vec<Change>,
}

/// A repaired image: new bytes and their media type.
pub struct Repaired {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub what: String,
}

/// Re-encode `bytes` as an RGB/RGBA JPEG or PNG under `max_bytes`, with EXIF rotation applied;
/// images over `max_pixels` (Pillow's limit) are refused before they are decoded.
pub fn repair(bytes: &[u8], max_bytes: u64, max_pixels: u64) -> Result<Repaired> {
    let src_format = inspect::sniff(bytes);
    let mut img = inspect::decode_as_fixed(bytes, max_pixels).map_err(anyhow::Error::msg)?;
    let alpha = img.color().has_alpha();
    // Photos stay JPEG; anything lossless (or with alpha) becomes PNG.
    let mut jpeg = !alpha && src_format == Format::Jpeg;
    let mut scale = 1.0f64;
    for _ in 0..12 {
        let mut out = Vec::new();
        if jpeg {
            JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img)?;
        } else {
            img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)?;
        }
        if out.len() as u64 <= max_bytes {
            let mut what = format!(
                "{} → {} {}",
                src_format.name(),
                if alpha { "RGBA" } else { "RGB" },
                if jpeg { "JPEG" } else { "PNG" }
            );
            if scale < 1.0 {
                what.push_str(&format!(
                    ", downscaled to {}×{} ({:.0}%) to fit {} bytes",
                    img.width(),
                    img.height(),
                    scale * 100.0,
                    max_bytes
                ));
            }
            return Ok(Repaired {
                bytes: out,
                media_type: if jpeg { "image/jpeg" } else { "image/png" },
                what,
            });
        }
        if !jpeg && !alpha {
            // A PNG that is too big becomes a JPEG before anything is thrown away.
            jpeg = true;
            continue;
        }
        let f = ((max_bytes as f64 / out.len() as f64).sqrt() * 0.95).min(0.95);
        scale *= f;
        let (w, h) = (
            ((img.width() as f64 * f).round() as u32).max(1),
            ((img.height() as f64 * f).round() as u32).max(1),
        );
        img = img.resize_exact(w, h, image::imageops::FilterType::Triangle);
    }
    bail!("could not bring the image under {max_bytes} bytes")
}

struct Fixer<'a> {
    opts: &'a FixOptions,
    base_dir: PathBuf,
}

impl Fixer<'_> {
    /// The line's new bytes (None: unchanged) and what was done.
    fn line(
        &self,
        line: &Line,
        ex: &Example<'_>,
        ctx: &ResolveContext<'_>,
    ) -> Result<(Option<Vec<u8>>, LineChanges)> {
        let mut rec = LineChanges {
            line: line.number,
            ..LineChanges::default()
        };
        if !ex.is_valid() {
            return Ok((None, rec));
        }
        // New URL per image (None = keep).
        let new_urls: Vec<Option<String>> = ex
            .images
            .iter()
            .map(|img| self.image(img, ctx, &mut rec))
            .collect();
        let set_detail = self.opts.detail;
        let mut edits = BTreeMap::new();
        for (img, url) in ex.images.iter().zip(new_urls) {
            let detail = set_detail.filter(|&d| !img.detail_given || img.detail != d);
            if let Some(d) = detail {
                rec.changes.push(Change {
                    image: img.index,
                    action: FixAction::Detail,
                    detail: format!("detail set to {d}"),
                });
            }
            if url.is_some() || detail.is_some() {
                edits.insert(
                    (img.message_index, img.block_index),
                    BlockEdit::SetImage {
                        url,
                        detail: detail.map(Detail::code),
                    },
                );
            }
        }
        if edits.is_empty() {
            return Ok((None, rec));
        }
        let json = splice::rewrite(line.content(), &edits)
            .map_err(anyhow::Error::msg)?
            .context("an edit left a message empty")?;
        let mut out = line.bom().to_vec();
        out.extend_from_slice(&json);
        out.extend_from_slice(line.terminator());
        Ok((Some(out), rec))
    }

    fn image(
        &self,
        img: &ImageRef<'_>,
        ctx: &ResolveContext<'_>,
        rec: &mut LineChanges,
    ) -> Option<String> {
        let source = resolve::classify(&img.url, &self.base_dir);
        let bytes = match resolve::resolve(&source, ctx).resolved {
            Resolved::Bytes(b) => b,
            Resolved::Failed(f) => {
                rec.not_repaired.push(Change {
                    image: img.index,
                    action: FixAction::Unreadable,
                    detail: f.detail,
                });
                return None;
            }
            Resolved::Unchecked(why) => {
                rec.not_repaired.push(Change {
                    image: img.index,
                    action: FixAction::Unreadable,
                    detail: why,
                });
                return None;
            }
        };
        let profile = self.opts.profile;
        // Base64 decoded once, for the inspection and the repair alike.
        let bytes = match bytes {
            ImageBytes::Owned(b) => b,
            other => Arc::new(other.full().into_owned()),
        };
        let insp = inspect::inspect(&ImageBytes::Owned(bytes.clone()), profile, true);
        let rotated = insp.header.orientation.is_some_and(|o| o != 1);
        if insp.repairable() || rotated {
            let before = insp
                .findings
                .first()
                .map_or_else(|| "EXIF rotation".to_owned(), |f| f.detail.clone());
            match repair(&bytes, profile.max_image_bytes, profile.max_pixels) {
                Ok(r) => {
                    rec.changes.push(Change {
                        image: img.index,
                        action: FixAction::Converted,
                        detail: format!(
                            "{} ({before}; {} → {} bytes)",
                            r.what,
                            bytes.len(),
                            r.bytes.len()
                        ),
                    });
                    return Some(format!(
                        "data:{};base64,{}",
                        r.media_type,
                        base64_simd::STANDARD.encode_to_string(&r.bytes)
                    ));
                }
                Err(e) => {
                    rec.not_repaired.push(Change {
                        image: img.index,
                        action: FixAction::Unrepairable,
                        detail: format!("{before}: {e:#}"),
                    });
                    return None;
                }
            }
        }
        if !insp.findings.is_empty() {
            for f in &insp.findings {
                rec.not_repaired.push(Change {
                    image: img.index,
                    action: FixAction::Unrepairable,
                    detail: format!("{}: {}", f.reason.code(), f.detail),
                });
            }
            return None;
        }
        if self.opts.inline && !matches!(source, Source::Data { .. }) {
            let mime = insp
                .header
                .format
                .and_then(resolve::media_type)
                .unwrap_or("image/png");
            rec.changes.push(Change {
                image: img.index,
                action: FixAction::Inlined,
                detail: format!("embedded as a data URI ({} bytes)", bytes.len()),
            });
            return Some(format!(
                "data:{mime};base64,{}",
                base64_simd::STANDARD.encode_to_string(bytes.as_slice())
            ));
        }
        None
    }
}

/// Write `o.output` (and `o.changes`); both appear only when complete.
pub fn fix(o: &FixOptions) -> Result<FixSummary> {
    if !o.input.is_file() {
        bail!("{} is not a readable file", o.input.display());
    }
    if o.jobs == 0 || o.fetch_jobs == 0 {
        bail!("jobs and fetch jobs must be at least 1");
    }
    let inputs = [o.input.as_path()];
    let outputs: Vec<&Path> = [Some(o.output.as_path()), o.changes.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    check_outputs(&outputs, &inputs, o.force)?;
    let mut out = AtomicFile::create(&o.output, &inputs)?;
    let mut changes = match &o.changes {
        Some(p) => Some(AtomicFile::create(p, &inputs)?),
        None => None,
    };
    let fixer = Fixer {
        opts: o,
        base_dir: o.input.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let fetcher = if o.offline {
        None
    } else {
        Some(Fetcher::new(o.fetch.clone())?)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.jobs)
        // Lines nest up to MAX_JSON_DEPTH levels, and parsing a level takes a few frames.
        .stack_size(16 << 20)
        .build()?;
    let fetch_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.fetch_jobs)
        .build()?;
    let mut lines = LineReader::new(BufReader::with_capacity(1 << 20, File::open(&o.input)?));
    let mut summary = FixSummary::default();
    loop {
        // A bounded window keeps memory flat; results are written in input order.
        let mut window = Vec::new();
        let mut bytes = 0;
        while window.len() < FIX_WINDOW_LINES && bytes < WINDOW_BYTES {
            match lines.next_line()? {
                Some(l) => {
                    bytes += l.bytes.len();
                    window.push(l);
                }
                None => break,
            }
        }
        if window.is_empty() {
            break;
        }
        let parsed: Vec<Example<'_>> = pool.install(|| {
            window
                .par_iter()
                .map(|l| parse::parse(l.content()))
                .collect()
        });
        let groups = url_groups(parsed.into_iter().zip(&window), |(ex, _)| url_count(ex));
        let mut fetches = WindowFetch::of_examples(&groups);
        for (k, group) in groups.into_iter().enumerate() {
            let ctx = ResolveContext {
                base_dir: fixer.base_dir.clone(),
                offline: o.offline,
                max_bytes: FIX_MAX_SOURCE_BYTES,
                fetched: fetches.group(k, fetcher.as_ref(), &fetch_pool),
            };
            let results: Vec<Result<(Option<Vec<u8>>, LineChanges)>> = pool.install(|| {
                group
                    .par_iter()
                    .map(|(ex, line)| fixer.line(line, ex, &ctx))
                    .collect()
            });
            for ((_, line), r) in group.iter().zip(results) {
                let (new, rec) = r.with_context(|| format!("line {}", line.number))?;
                match &new {
                    Some(b) => {
                        summary.changed_lines += 1;
                        out.write_all(b)?;
                    }
                    None => out.write_all(&line.bytes)?,
                }
                summary.converted_images += rec
                    .changes
                    .iter()
                    .filter(|c| c.action == FixAction::Converted)
                    .count() as u64;
                summary.not_repaired += rec.not_repaired.len() as u64;
                if let Some(c) = changes.as_mut() {
                    if !rec.changes.is_empty() || !rec.not_repaired.is_empty() {
                        serde_json::to_writer(&mut *c, &rec)?;
                        c.write_all(b"\n")?;
                    }
                }
            }
            fetches.done(k);
        }
    }
    out.commit()?;
    if let Some(c) = changes {
        c.commit()?;
    }
    Ok(summary)
}
