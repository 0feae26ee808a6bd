//! The scan pipeline, one module per stage: [`read`] → [`parse`] → [`resolve`] ([`fetch`]) →
//! [`inspect`] → screen ([`crate::screen`]) → [`decide`], with [`tokens`] beside it. It runs
//! over a bounded window of lines so memory stays flat, on a rayon pool whose results are
//! emitted in input order (identical to a one-thread run).

pub mod decide;
pub mod fetch;
pub mod inspect;
pub mod parse;
pub mod read;
pub mod resolve;
pub mod tokens;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::sync_channel;

use anyhow::{Context, Result};
use image::DynamicImage;
use rayon::prelude::*;

use crate::cache::ResultCache;
use crate::codes::{ExampleStatus, ImageStatus, Warning, WarningCode};
use crate::options::{ScanOptions, Thumbnails};
use crate::report::CacheUse;
use crate::report::{ExampleReport, ImageReport, ShardPart, Summary};
use crate::screen::{Detection, Screens};
use crate::settings::{
    DECODE_BUDGET_PIXELS, IMAGES_PER_RUN, MAX_URLS_IN_FLIGHT, PIXELS_PER_RUN, SCREEN_MAX_PIXELS,
    THUMB_MAX_PIXELS, THUMB_SIDE,
};
use decide::{ImageFacts, Tally};
use fetch::{Fetcher, WindowFetch};
use parse::{Example, ImageRef};
use read::{Line, LineReader};
use resolve::{ImageBytes, ResolveContext, Resolved, Source};

/// Receives each example's prediction, in input order, with the line it came from.
pub trait Sink {
    fn example(&mut self, line: &Line, report: &ExampleReport) -> Result<()>;
}

impl<F: FnMut(&Line, &ExampleReport) -> Result<()>> Sink for F {
    fn example(&mut self, line: &Line, report: &ExampleReport) -> Result<()> {
        self(line, report)
    }
}

struct Stages<'a> {
    cfg: &'a ScanOptions,
    screens: &'a Screens,
    base_dir: &'a Path,
    budget: std::sync::Arc<inspect::PixelBudget>,
    cache: Option<ResultCache>,
    /// The part of every cache key that is not the image: the screens and the profile.
    fingerprint: [u8; 32],
    from_cache: std::sync::atomic::AtomicU64,
}

/// Scan `cfg.input`, handing every example's report to `sink` in input order; returns the
/// summary. `screens` are the content screens ([`Screens::none`] for none), loaded once and
/// reusable across scans.
pub fn scan(cfg: &ScanOptions, screens: &Screens, sink: &mut dyn Sink) -> Result<Summary> {
    cfg.validate()?;
    let file =
        File::open(&cfg.input).with_context(|| format!("cannot open {}", cfg.input.display()))?;
    let input_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let base_dir = cfg
        .input
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .thread_name(|i| format!("prescreen-{i}"))
        // Lines nest up to MAX_JSON_DEPTH levels, and parsing a level takes a few frames.
        .stack_size(16 << 20)
        .build()?;
    let fetch_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.fetch_jobs.max(1))
        .thread_name(|i| format!("prescreen-fetch-{i}"))
        .build()?;
    let fetcher = if cfg.offline {
        None
    } else {
        Some(Fetcher::new(cfg.fetch.clone())?)
    };
    // A cache that cannot be opened (not a cache, damaged, unwritable) is reported and
    // left as it is; the scan goes on without one.
    let mut cache_error = None;
    // Headers alone (`--no-detect`) cost less to read again than to hash and look up.
    let cache_file = cfg.cache.as_deref().filter(|_| cfg.full_decode);
    let cache = cache_file.and_then(|p| match ResultCache::open(p) {
        Ok(c) => Some(c),
        Err(e) => {
            cache_error = Some(format!("{e:#}"));
            None
        }
    });
    let fingerprint = cache_fingerprint(cfg, screens);
    // A part reads the bytes before its range only to hash them and count their lines.
    let part = match cfg.shard {
        Some(shard) => Some((
            shard,
            read::shard_range(&mut File::open(&cfg.input)?, input_bytes, shard)?,
        )),
        None => None,
    };
    let range = part.map(|(_, range)| range);
    let stages = Stages {
        cfg,
        screens,
        base_dir: &base_dir,
        budget: inspect::PixelBudget::new(DECODE_BUDGET_PIXELS),
        cache,
        fingerprint,
        from_cache: Default::default(),
    };
    let mut tally = Tally::default();
    let mut stopped_at = None;
    let mut input_sha256 = None;
    let mut first_line = None;

    std::thread::scope(|scope| -> Result<()> {
        // The reader runs ahead by one window so reading overlaps work; the channel bound keeps
        // at most three windows alive (filling, queued, in work).
        let (tx, rx) = sync_channel::<std::io::Result<Vec<Line>>>(1);
        let reader = scope.spawn(move || {
            use sha2::Digest;
            use std::io::Read;
            let mut input = BufReader::with_capacity(1 << 20, file);
            // Hashed as read, so a later `filter --from-report` can refuse a stale report;
            // a part hashes the whole file too, so `merge` can tell its parts belong together.
            let mut hash = sha2::Sha256::new();
            let (len, first_line) = match range {
                None => (u64::MAX, 1),
                Some((start, end)) => match read::digest(&mut input, start, &mut hash) {
                    Ok(newlines) => (end - start, newlines + 1),
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return None;
                    }
                },
            };
            let mut lines = LineReader::numbered_from((&mut input).take(len), first_line);
            loop {
                let mut window = Vec::new();
                let mut bytes = 0;
                while window.len() < cfg.window_lines && bytes < cfg.window_bytes {
                    match lines.next_line() {
                        Ok(Some(l)) => {
                            bytes += l.bytes.len();
                            hash.update(&l.bytes);
                            window.push(l);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return None;
                        }
                    }
                }
                if window.is_empty() {
                    break;
                }
                if tx.send(Ok(window)).is_err() {
                    return None;
                }
            }
            if range.is_some() {
                if let Err(e) = read::digest(&mut input, u64::MAX, &mut hash) {
                    let _ = tx.send(Err(e));
                    return None;
                }
            }
            Some((crate::text::hex(&hash.finalize()), first_line))
        });
        let result = (|| -> Result<()> {
            for window in rx.iter() {
                let window = window.context("reading the input failed")?;
                let reports = stages.window(&window, &pool, &fetch_pool, fetcher.as_ref());
                for (line, report) in window.iter().zip(&reports) {
                    tally.add(report);
                    sink.example(line, report)?;
                    if cfg.fail_fast && report.status != ExampleStatus::Ok {
                        stopped_at = Some(line.number);
                        return Ok(());
                    }
                }
            }
            Ok(())
        })();
        drop(rx);
        (input_sha256, first_line) = reader.join().expect("reader thread panicked").unzip();
        result
    })?;

    let mut summary = match part {
        Some((shard, (start_byte, end_byte))) => tally.finish_part(
            cfg.profile,
            input_bytes,
            ShardPart {
                index: shard.index,
                count: shard.count,
                start_byte,
                end_byte,
                first_line: first_line.unwrap_or(0),
                fingerprint: crate::text::hex(&part_fingerprint(cfg, &fingerprint)),
            },
        ),
        None => tally.finish(cfg.profile, input_bytes),
    };
    summary.stopped_at_line = stopped_at;
    summary.input_sha256 = input_sha256;
    summary.not_screened = crate::screen::not_screened(&screens.names());
    summary.cache = cache_file.map(|p| CacheUse {
        file: p.display().to_string(),
        images_from_cache: stages.from_cache.load(std::sync::atomic::Ordering::Relaxed),
        error: cache_error,
    });
    Ok(summary)
}

/// What every cache key shares: the screens (version, models, settings) and the profile.
fn cache_fingerprint(cfg: &ScanOptions, screens: &Screens) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(screens.fingerprint());
    h.update(format!("|{:?}|", cfg.profile.name));
    h.finalize().into()
}

/// What parts of one sharded scan must share beyond the screens: whatever else decides an
/// image's fate (fetching, decoding). Threads and windows do not: results never depend on them.
fn part_fingerprint(cfg: &ScanOptions, screens_and_profile: &[u8; 32]) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(screens_and_profile);
    h.update(format!(
        "|{:?}|offline={}|full_decode={}|",
        cfg.fetch, cfg.offline, cfg.full_decode
    ));
    h.finalize().into()
}

impl Stages<'_> {
    fn window(
        &self,
        window: &[Line],
        pool: &rayon::ThreadPool,
        fetch_pool: &rayon::ThreadPool,
        fetcher: Option<&Fetcher>,
    ) -> Vec<ExampleReport> {
        let parsed: Vec<Example<'_>> = pool.install(|| {
            window
                .par_iter()
                .map(|l| parse::parse(l.content()))
                .collect()
        });
        let mut reports = Vec::with_capacity(window.len());
        let groups = url_groups(parsed.into_iter().zip(window), |(ex, _)| url_count(ex));
        let mut fetches = WindowFetch::of_examples(&groups);
        for (k, group) in groups.into_iter().enumerate() {
            let ctx = ResolveContext {
                base_dir: self.base_dir.to_path_buf(),
                offline: self.cfg.offline,
                max_bytes: self.cfg.profile.max_image_bytes,
                fetched: fetches.group(k, fetcher, fetch_pool),
            };
            reports.extend(pool.install(|| self.examples(group, &ctx)));
            fetches.done(k);
        }
        reports
    }

    /// Decide a group of examples, in order. Their images are screened in short runs, each
    /// run on one worker, so every detector sees a few images in a row
    /// ([`Screens::run_many`]).
    fn examples(
        &self,
        group: Vec<(Example<'_>, &Line)>,
        ctx: &ResolveContext<'_>,
    ) -> Vec<ExampleReport> {
        let text_tokens: Vec<u64> = group
            .par_iter()
            .map(|(ex, _)| {
                // An invalid example is reported without tokens.
                if !ex.is_valid() {
                    return 0;
                }
                ex.texts.iter().map(|t| tokens::text_tokens(t)).sum::<u64>()
                    + tokens::message_overhead(ex.message_count, ex.names)
            })
            .collect();
        // An example over the image limit is dropped under both policies, whatever its images
        // show: its images get the format checks (the user still needs them) but no screens.
        let max = self.cfg.profile.max_images_per_example;
        let explain = self.screens.explain;
        let images: Vec<(&ImageRef<'_>, bool)> = group
            .iter()
            .filter(|(ex, _)| ex.is_valid())
            .flat_map(|(ex, _)| {
                let screen = explain || ex.images.len() <= max;
                ex.images.iter().map(move |i| (i, screen))
            })
            .collect();
        // Short runs on small inputs, so every worker still gets a share.
        let per_run = (images.len() / (4 * rayon::current_num_threads())).clamp(1, IMAGES_PER_RUN);
        let image_reports: Vec<ImageReport> = images
            .par_chunks(per_run)
            .flat_map_iter(|run| self.images(run, ctx))
            .collect();
        let mut image_reports = image_reports.into_iter();
        group
            .into_iter()
            .zip(text_tokens)
            .map(|((ex, line), text_tokens)| {
                if !ex.is_valid() {
                    return decide::invalid_example(line.number, ex.errors, ex.warnings);
                }
                let images = image_reports.by_ref().take(ex.images.len()).collect();
                decide::example(
                    line.number,
                    images,
                    ex.warnings,
                    text_tokens,
                    self.cfg.profile,
                )
            })
            .collect()
    }

    /// Resolve, inspect and screen a run of images; decoded pixels are screened together
    /// and dropped once a pixel budget is reached, so memory stays bounded.
    fn images(&self, run: &[(&ImageRef<'_>, bool)], ctx: &ResolveContext<'_>) -> Vec<ImageReport> {
        let mut done = Vec::with_capacity(run.len());
        let mut pending = Vec::new();
        let mut pixels = 0u64;
        for &(img, screen) in run {
            let mut permit = |n: u64| {
                if let Some(p) = self.budget.try_acquire(n) {
                    return Some(p);
                }
                // Wait for the budget holding none of it: screen what is pending first.
                self.finish(&mut pending, &mut done);
                pixels = 0;
                Some(self.budget.acquire(n))
            };
            let p = self.prepare(img, screen, ctx, &mut permit);
            pixels += p
                .pixels
                .as_ref()
                .map_or(0, |i| i.width() as u64 * i.height() as u64);
            pending.push(p);
            if pixels >= PIXELS_PER_RUN {
                self.finish(&mut pending, &mut done);
                pixels = 0;
            }
        }
        self.finish(&mut pending, &mut done);
        done
    }

    /// Everything about one image short of content screening.
    fn prepare<'i>(
        &self,
        img: &'i ImageRef<'i>,
        screen: bool,
        ctx: &ResolveContext<'_>,
        permit: &mut dyn FnMut(u64) -> Option<inspect::Permit>,
    ) -> Prepared<'i> {
        let source = resolve::classify(&img.url, self.base_dir);
        let location = match &source {
            Source::Data { .. } => None,
            Source::Url(_) | Source::Unsupported(_) => {
                Some(crate::text::truncate(&resolve::redact(&img.url), 300))
            }
            Source::Path(p) => Some(p.display().to_string()),
        };
        let out = resolve::resolve(&source, ctx);
        let mut facts = ImageFacts {
            source: source.kind(),
            location,
            checked: true,
            findings: Vec::new(),
            warnings: out.warnings,
            inspection: None,
            detection: None,
        };
        let mut pixels_for_thumb = None;
        let mut bytes_for_thumb = None;
        let mut decode_permit = None;
        let mut screen_scale = (1.0, 1.0);
        let mut cache_key = None;
        let mut cached = None;
        match out.resolved {
            Resolved::Failed(f) => facts.findings.push(f),
            Resolved::Unchecked(why) => {
                facts.checked = false;
                facts
                    .warnings
                    .push(Warning::new(WarningCode::NotChecked, why));
            }
            Resolved::Bytes(bytes) => {
                // Only images the screens look at are cached: one over the example's image
                // limit is not screened, and must not stand for the same bytes elsewhere.
                let (bytes, key, entry) = match (&self.cache, screen) {
                    (Some(cache), true) => {
                        // Decoded once, for the hash and the inspection alike.
                        let bytes = match bytes {
                            ImageBytes::Owned(b) => ImageBytes::Owned(b),
                            other => {
                                ImageBytes::Owned(std::sync::Arc::new(other.full().into_owned()))
                            }
                        };
                        let key = crate::cache::key(&self.fingerprint, &bytes.full());
                        let entry = cache.get(&key);
                        (bytes, Some(key), entry)
                    }
                    _ => (bytes, None, None),
                };
                let mut insp = match &entry {
                    Some(e) => {
                        self.from_cache
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        e.inspection()
                    }
                    None => inspect::inspect_with(
                        &bytes,
                        self.cfg.profile,
                        self.cfg.full_decode,
                        true,
                        permit,
                    ),
                };
                match entry {
                    Some(e) => cached = Some(e.detection),
                    None => cache_key = key,
                }
                decode_permit = insp.permit.take();
                if let (Some(declared), Some(format)) = (&out.declared, insp.header.format) {
                    facts
                        .warnings
                        .extend(resolve::type_mismatch(declared, format));
                }
                if let Some(pixels) = insp.pixels.take() {
                    let (pixels, scale) = for_screens(pixels);
                    if let Some(p) = &mut decode_permit {
                        p.shrink_to(pixels.width() as u64 * pixels.height() as u64);
                    }
                    screen_scale = scale;
                    pixels_for_thumb = Some(pixels);
                } else if !insp.corrupt && self.cfg.thumbnails != Thumbnails::None {
                    bytes_for_thumb = Some(bytes);
                }
                facts.inspection = Some(insp);
            }
        }
        Prepared {
            img,
            facts,
            pixels: pixels_for_thumb,
            bytes_for_thumb,
            screen,
            screen_scale,
            cached,
            key: cache_key,
            _permit: decode_permit,
        }
    }

    /// Screen the pending images' pixels together, then decide each one.
    fn finish(&self, pending: &mut Vec<Prepared<'_>>, done: &mut Vec<ImageReport>) {
        let decoded: Vec<&DynamicImage> = pending
            .iter()
            .filter(|p| p.screen && p.cached.is_none())
            .filter_map(|p| p.pixels.as_ref())
            .collect();
        let mut detections = if self.screens.is_empty() {
            Vec::new()
        } else {
            self.screens.run_many(&decoded)
        }
        .into_iter();
        for p in pending.drain(..) {
            let Prepared {
                img,
                mut facts,
                pixels: pixels_for_thumb,
                bytes_for_thumb,
                screen,
                screen_scale: (sx, sy),
                cached,
                key,
                _permit,
            } = p;
            if let Some(d) = cached {
                facts.detection = d;
            } else if screen && pixels_for_thumb.is_some() {
                facts.detection = detections.next().map(|mut d| {
                    // Boxes are reported on the image as it is, not as it was screened.
                    for b in &mut d.boxes {
                        (b.x, b.w) = (b.x * sx, b.w * sx);
                        (b.y, b.h) = (b.y * sy, b.h * sy);
                    }
                    d
                });
            }
            if let (Some(cache), Some(key), Some(insp)) = (&self.cache, key, &facts.inspection) {
                cache.put(
                    &key,
                    &crate::cache::Entry::new(insp, facts.detection.as_ref()),
                );
            }
            done.push(self.report(img, facts, pixels_for_thumb, bytes_for_thumb));
        }
    }

    fn report(
        &self,
        img: &ImageRef<'_>,
        facts: ImageFacts,
        pixels_for_thumb: Option<DynamicImage>,
        bytes_for_thumb: Option<ImageBytes<'_>>,
    ) -> ImageReport {
        let mut report = decide::image(img, facts);
        let wanted = match self.cfg.thumbnails {
            Thumbnails::None => false,
            Thumbnails::Flagged => {
                report.status == ImageStatus::Skipped || !report.warnings.is_empty()
            }
            Thumbnails::All => true,
        };
        if wanted {
            report.preview = match (pixels_for_thumb, bytes_for_thumb) {
                (Some(p), _) => Some(preview(&p)),
                // Skipped for its format: the pixels were never decoded; try now, bounded.
                (None, Some(b)) => inspect::decode_limited(&b.full(), THUMB_MAX_PIXELS)
                    .ok()
                    .map(|(p, _)| preview(&p)),
                _ => None,
            };
        }
        report
    }
}

/// An image resolved and inspected, waiting for content screening.
struct Prepared<'i> {
    img: &'i ImageRef<'i>,
    facts: ImageFacts,
    pixels: Option<DynamicImage>,
    bytes_for_thumb: Option<ImageBytes<'i>>,
    /// Whether the content screens look at it.
    screen: bool,
    /// Source pixels per screened pixel, across and down (above 1 when scaled down).
    screen_scale: (f32, f32),
    /// The screens' result read from the cache (the inner `None`: not screened then either).
    cached: Option<Option<Detection>>,
    /// Where its result goes in the cache, once known.
    key: Option<[u8; 32]>,
    /// The decode budget `pixels` holds, given back with them.
    _permit: Option<inspect::Permit>,
}

/// The pixels the screens read: 8-bit RGB, scaled down to at most `SCREEN_MAX_PIXELS`, and
/// the source pixels per screened pixel across and down. No screen looks closer than its
/// finer passes do, so a 13000 × 13000 image is screened from 50 MB rather than 507.
fn for_screens(img: DynamicImage) -> (DynamicImage, (f32, f32)) {
    let rgb = rgb8(img);
    let (w, h) = (rgb.width(), rgb.height());
    let pixels = w as u64 * h as u64;
    if pixels <= SCREEN_MAX_PIXELS {
        return (rgb, (1.0, 1.0));
    }
    let f = (SCREEN_MAX_PIXELS as f64 / pixels as f64).sqrt();
    let (nw, nh) = (
        ((w as f64 * f) as u32).max(1),
        ((h as f64 * f) as u32).max(1),
    );
    let DynamicImage::ImageRgb8(full) = &rgb else {
        unreachable!("rgb8 gives RGB8")
    };
    match crate::screen::imageops::resize_rgb(
        full,
        crate::screen::imageops::Crop::full(full),
        nw,
        nh,
    ) {
        Ok(small) => (
            DynamicImage::ImageRgb8(
                image::RgbImage::from_raw(nw, nh, small).expect("3 bytes a pixel"),
            ),
            (w as f32 / nw as f32, h as f32 / nh as f32),
        ),
        // Screening at full size is slower, never wrong.
        Err(_) => (rgb, (1.0, 1.0)),
    }
}

/// The pixels as 8-bit RGB, which every screen reads. RGBA (most PNGs with alpha) is packed
/// in place: converting into a second buffer would hold 7 bytes a pixel at once.
fn rgb8(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageRgb8(_) => img,
        DynamicImage::ImageRgba8(rgba) => {
            let (w, h) = rgba.dimensions();
            let mut buf = rgba.into_raw();
            for i in 0..(w as usize * h as usize) {
                buf.copy_within(4 * i..4 * i + 3, 3 * i);
            }
            buf.truncate(3 * w as usize * h as usize);
            buf.shrink_to_fit();
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, buf).expect("3 bytes a pixel"))
        }
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// A small copy for the report's thumbnail (longest side `THUMB_SIDE`).
fn preview(img: &DynamicImage) -> image::RgbImage {
    img.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgb8()
}

/// Consecutive groups of `items`, each naming at most `MAX_URLS_IN_FLIGHT` http(s) images
/// (an item naming more goes alone): fetched bodies (≤ 10 MB each) are held until their group
/// is decided, so this bounds the memory URLs take.
pub fn url_groups<T>(
    items: impl IntoIterator<Item = T>,
    urls: impl Fn(&T) -> usize,
) -> Vec<Vec<T>> {
    let mut groups = Vec::new();
    let mut group: Vec<T> = Vec::new();
    let mut in_group = 0;
    for item in items {
        let n = urls(&item);
        if !group.is_empty() && in_group + n > MAX_URLS_IN_FLIGHT {
            groups.push(std::mem::take(&mut group));
            in_group = 0;
        }
        in_group += n;
        group.push(item);
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}

/// http(s) images of a valid example (the only ones fetched).
pub fn url_count(ex: &Example<'_>) -> usize {
    if !ex.is_valid() {
        return 0;
    }
    ex.images
        .iter()
        .filter(|i| matches!(resolve::classify(&i.url, Path::new("")), Source::Url(_)))
        .count()
}
