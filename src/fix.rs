//! `fix`: repair what the provider would skip for format reasons — colour mode, file format,
//! size, EXIF rotation — never content. Lines with nothing to repair are written byte for byte.

use std::fs::File;
use std::io::{BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::cli::{ScanOpts, EXIT_OK};
use crate::example;
use crate::fetch::Fetcher;
use crate::inspect;
use crate::output::AtomicFile;
use crate::provider::{Format, Profile};
use crate::read::{Line, LineReader};
use crate::reason::Reason;
use crate::resolve::{self, ImageBytes, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    Low,
    High,
    Auto,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// The JSONL training file.
    pub input: PathBuf,
    /// Where to write the repaired dataset.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// Embed URL and local-path images as data URIs (the upload then needs no URL to stay up).
    #[arg(long)]
    pub inline: bool,
    /// Set `detail` on every image (the provider advises starting with `low`).
    #[arg(long, value_enum)]
    pub detail: Option<DetailArg>,
    /// Write what was changed, one JSON record per changed line.
    #[arg(long, value_name = "PATH")]
    pub changes: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub opts: ScanOpts,
}

/// One change to one image.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub image: usize,
    pub action: &'static str,
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

/// Re-encode `bytes` as an RGB/RGBA JPEG or PNG under `max_bytes`, with EXIF rotation applied.
pub fn repair(bytes: &[u8], max_bytes: u64) -> Result<Repaired> {
    let src_format = inspect::sniff(bytes);
    // The ICO decoder refuses icons holding an RGB (not RGBA) PNG; decode that PNG directly.
    let bytes = match (src_format, ico_png(bytes)) {
        (Format::Ico, Some(png)) => png,
        _ => bytes,
    };
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    let mut img = if alpha {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
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

/// The largest PNG-compressed entry of an ICO file.
fn ico_png(b: &[u8]) -> Option<&[u8]> {
    let count = u16::from_le_bytes(b.get(4..6)?.try_into().ok()?) as usize;
    (0..count)
        .filter_map(|i| {
            let e = b.get(6 + i * 16..6 + (i + 1) * 16)?;
            let size = u32::from_le_bytes(e[8..12].try_into().ok()?) as usize;
            let off = u32::from_le_bytes(e[12..16].try_into().ok()?) as usize;
            let data = b.get(off..off.checked_add(size)?)?;
            data.starts_with(b"\x89PNG").then_some(data)
        })
        .max_by_key(|d| d.len())
}

fn detail_str(d: DetailArg) -> &'static str {
    match d {
        DetailArg::Low => "low",
        DetailArg::High => "high",
        DetailArg::Auto => "auto",
    }
}

struct Fixer<'a> {
    args: &'a FixArgs,
    profile: &'static Profile,
    fetcher: Option<Fetcher>,
    base_dir: PathBuf,
}

impl Fixer<'_> {
    /// The line's new bytes (None: unchanged) and what was done.
    fn line(&self, line: &Line) -> Result<(Option<Vec<u8>>, LineChanges)> {
        let mut rec = LineChanges {
            line: line.number,
            ..LineChanges::default()
        };
        let ex = example::parse(line.content());
        if !ex.is_valid() {
            return Ok((None, rec));
        }
        // New URL per image (None = keep).
        let mut new_urls: Vec<Option<String>> = Vec::with_capacity(ex.images.len());
        for img in &ex.images {
            new_urls.push(self.image(img, &mut rec));
        }
        let set_detail = self.args.detail.map(detail_str);
        let detail_changes = set_detail.is_some_and(|d| {
            ex.images
                .iter()
                .any(|i| !i.detail_given || format!("{:?}", i.detail).to_lowercase() != d)
        });
        if new_urls.iter().all(Option::is_none) && !detail_changes {
            return Ok((None, rec));
        }
        let mut v: Value = serde_json::from_slice(line.content())?;
        for (img, url) in ex.images.iter().zip(&new_urls) {
            let block =
                &mut v["messages"][img.message_index]["content"][img.block_index]["image_url"];
            if let Some(u) = url {
                block["url"] = Value::String(u.clone());
            }
            if let Some(d) = set_detail {
                if block.get("detail").and_then(Value::as_str) != Some(d) {
                    block["detail"] = Value::String(d.into());
                    rec.changes.push(Change {
                        image: img.index,
                        action: "detail",
                        detail: format!("detail set to {d}"),
                    });
                }
            }
        }
        let mut out = line.bom().to_vec();
        serde_json::to_writer(&mut out, &v)?;
        out.extend_from_slice(line.terminator());
        Ok((Some(out), rec))
    }

    fn image(&self, img: &example::ImageRef<'_>, rec: &mut LineChanges) -> Option<String> {
        let source = resolve::classify(&img.url, &self.base_dir);
        let bytes: Result<Arc<Vec<u8>>, String> = match &source {
            Source::Data {
                base64: true,
                payload,
                ..
            } => base64_simd::STANDARD
                .decode_to_vec(payload.as_bytes())
                .map(Arc::new)
                .map_err(|_| "invalid base64".to_owned()),
            Source::Data { .. } => Err("data URI is not base64".into()),
            Source::Path(p) => std::fs::read(p)
                .map(Arc::new)
                .map_err(|e| format!("cannot read {}: {e}", p.display())),
            Source::Url(u) => match &self.fetcher {
                None => Err("not fetched (--offline)".into()),
                Some(f) => f.fetch(u).map(|f| f.bytes).map_err(|e| e.detail),
            },
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(why) => {
                rec.not_repaired.push(Change {
                    image: img.index,
                    action: "unreadable",
                    detail: why,
                });
                return None;
            }
        };
        let insp = inspect::inspect(&ImageBytes::Owned(bytes.clone()), self.profile, true);
        let rotated = insp.header.orientation.is_some_and(|o| o != 1);
        let format_problem = !insp.corrupt
            && insp
                .findings
                .iter()
                .all(|f| matches!(f.reason, Reason::InvalidImageFormat | Reason::ImageTooLarge));
        if (!insp.findings.is_empty() && format_problem) || rotated {
            let before = insp
                .findings
                .first()
                .map_or_else(|| "EXIF rotation".to_owned(), |f| f.detail.clone());
            match repair(&bytes, self.profile.max_image_bytes) {
                Ok(r) => {
                    rec.changes.push(Change {
                        image: img.index,
                        action: "converted",
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
                        action: "unrepairable",
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
                    action: "unrepairable",
                    detail: format!("{}: {}", f.reason.code(), f.detail),
                });
            }
            return None;
        }
        if self.args.inline && !matches!(source, Source::Data { .. }) {
            let mime = insp
                .header
                .format
                .and_then(resolve::media_type)
                .unwrap_or("image/png");
            rec.changes.push(Change {
                image: img.index,
                action: "inlined",
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

pub fn run(a: &FixArgs) -> Result<i32> {
    let cfg = a.opts.config(&a.input)?;
    let inputs = [a.input.as_path()];
    for p in [Some(&a.output), a.changes.as_ref()].into_iter().flatten() {
        crate::output::refuse_existing(p, a.force)?;
    }
    let mut out = AtomicFile::create(&a.output, &inputs)?;
    let mut changes = match &a.changes {
        Some(p) => Some(AtomicFile::create(p, &inputs)?),
        None => None,
    };
    let fixer = Fixer {
        args: a,
        profile: cfg.profile,
        fetcher: if cfg.offline {
            None
        } else {
            Some(Fetcher::new(cfg.fetch.clone())?)
        },
        base_dir: a.input.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs)
        .build()?;
    let mut lines = LineReader::new(BufReader::with_capacity(1 << 20, File::open(&a.input)?));
    let (mut changed, mut converted, mut unrepaired) = (0u64, 0u64, 0u64);
    loop {
        // A bounded window keeps memory flat; results are written in input order.
        let mut window = Vec::new();
        let mut bytes = 0;
        while window.len() < 64 && bytes < cfg.window_bytes {
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
        let results: Vec<Result<(Option<Vec<u8>>, LineChanges)>> =
            pool.install(|| window.par_iter().map(|l| fixer.line(l)).collect());
        for (line, r) in window.iter().zip(results) {
            let (new, rec) = r.with_context(|| format!("line {}", line.number))?;
            match &new {
                Some(b) => {
                    changed += 1;
                    out.write_all(b)?;
                }
                None => out.write_all(&line.bytes)?,
            }
            converted += rec
                .changes
                .iter()
                .filter(|c| c.action == "converted")
                .count() as u64;
            unrepaired += rec.not_repaired.len() as u64;
            if let Some(c) = changes.as_mut() {
                if !rec.changes.is_empty() || !rec.not_repaired.is_empty() {
                    serde_json::to_writer(&mut *c, &rec)?;
                    c.write_all(b"\n")?;
                }
            }
        }
    }
    out.commit()?;
    if let Some(c) = changes {
        c.commit()?;
    }
    if !a.opts.quiet {
        println!(
            "prescreen fix: {changed} line(s) changed, {converted} image(s) converted, {unrepaired} problem(s) fix cannot repair (content, unreachable or corrupt)"
        );
        println!("wrote {}", a.output.display());
    }
    Ok(EXIT_OK)
}
