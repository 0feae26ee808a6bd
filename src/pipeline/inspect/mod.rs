//! Inspect stage: what the provider's image pipeline (Pillow) will make of the bytes — format
//! by magic bytes, the Pillow mode, dimensions, size — and, when asked, a full decode that
//! catches truncated or corrupt files and hands pixels to the detect stage.

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

use crate::codes::{Finding, Reason, Warning, WarningCode};
use crate::pipeline::resolve::ImageBytes;
use crate::provider::{Format, Profile};

mod exif;
mod jpeg;
mod png;
mod sniff;
mod webp;

pub use sniff::sniff;

/// What the headers say, read without decoding pixels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub format: Option<Format>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The mode Pillow reports when it opens the file (`RGB`, `RGBA`, `L`, `P`, `CMYK`, …).
    pub mode: Option<&'static str>,
    /// Why Pillow would refuse to open the file, if it would.
    pub problem: Option<String>,
    pub animated: bool,
    /// EXIF orientation tag, when present.
    pub orientation: Option<u16>,
}

/// The Pillow modes the header parsers report, as the `'static` names [`Header`] holds.
const PILLOW_MODES: &[&str] = &["1", "CMYK", "I;16", "L", "LA", "P", "RGB", "RGBA"];

/// `mode` as one of the names the header parsers report (a cached header reads back so).
pub fn pillow_mode(mode: &str) -> Option<&'static str> {
    PILLOW_MODES.iter().copied().find(|m| *m == mode)
}

/// Header parsing ran past the bytes it was given.
#[derive(Debug)]
struct NeedMore;

type Parsed = Result<Header, NeedMore>;

fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?))
}
fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn le24(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i + 3)?;
    Some(s[0] as u32 | (s[1] as u32) << 8 | (s[2] as u32) << 16)
}
fn le32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Parse the headers of `b`. `complete` says whether `b` is the whole file; when it is not,
/// a parse that needs more bytes says so instead of calling the file truncated.
fn parse_header(b: &[u8], complete: bool) -> Parsed {
    let format = sniff(b);
    let h = Header {
        format: Some(format),
        ..Header::default()
    };
    let r = match format {
        Format::Png => png::png(b, h),
        Format::Jpeg => jpeg::jpeg(b, h),
        Format::Webp => webp::webp(b, h),
        _ => Ok(h),
    };
    match r {
        Err(NeedMore) if complete => Ok(Header {
            format: Some(format),
            problem: Some(format!("truncated {} header", format.name())),
            ..Header::default()
        }),
        r => r,
    }
}

/// Read the headers, fetching more of a lazily decoded source only as far as they reach.
pub fn header(src: &ImageBytes<'_>) -> Header {
    let total = src.len() as usize;
    let mut want = 64 * 1024;
    loop {
        let complete = want >= total;
        let bytes = src.prefix(want.min(total));
        match parse_header(&bytes, complete) {
            Ok(h) => return h,
            Err(NeedMore) => want = want.saturating_mul(16),
        }
    }
}

/// Everything known about one image after inspection.
#[derive(Debug, Default)]
pub struct Inspection {
    pub header: Header,
    pub bytes: u64,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    /// Decoded pixels, present after a successful full decode.
    pub pixels: Option<DynamicImage>,
    /// The bytes are broken (truncated, corrupt, empty, a decompression bomb): no
    /// re-encoding can repair them, unlike a wrong format or colour mode.
    pub corrupt: bool,
    /// `pixels` are what `fix` would write for an image it repairs ([`decode_as_fixed`]); the
    /// findings stand until it runs.
    pub repaired: bool,
    /// The share of the decode budget `pixels` holds; released when it is dropped.
    pub permit: Option<Permit>,
}

/// Pixels decoded at once across all workers, at most: a decoded image costs 3–4 bytes a
/// pixel and its RGB copy 3 more, so without a bound two workers each holding a Pillow-legal
/// 13000×13000 PNG take gigabytes. An image larger than the whole budget waits until it can
/// be decoded alone.
pub struct PixelBudget {
    capacity: u64,
    used: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

/// A share of a [`PixelBudget`], given back when dropped.
pub struct Permit {
    budget: std::sync::Arc<PixelBudget>,
    pixels: u64,
}

impl std::fmt::Debug for Permit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Permit({} pixels)", self.pixels)
    }
}

impl Inspection {
    /// Every problem found is one `fix` repairs by re-encoding: a format or colour mode the
    /// provider refuses, or a file over the size limit.
    pub fn repairable(&self) -> bool {
        !self.corrupt
            && !self.findings.is_empty()
            && self
                .findings
                .iter()
                .all(|f| matches!(f.reason, Reason::InvalidImageFormat | Reason::ImageTooLarge))
    }
}

impl PixelBudget {
    pub fn new(capacity: u64) -> std::sync::Arc<PixelBudget> {
        std::sync::Arc::new(PixelBudget {
            capacity: capacity.max(1),
            used: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u64> {
        self.used.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A share for `pixels` if it is free now.
    pub fn try_acquire(self: &std::sync::Arc<Self>, pixels: u64) -> Option<Permit> {
        let n = pixels.min(self.capacity);
        let mut used = self.lock();
        (*used == 0 || *used + n <= self.capacity).then(|| {
            *used += n;
            Permit {
                budget: self.clone(),
                pixels: n,
            }
        })
    }

    /// A share for `pixels`, waiting for others to give theirs back. Call it holding none.
    pub fn acquire(self: &std::sync::Arc<Self>, pixels: u64) -> Permit {
        let n = pixels.min(self.capacity);
        let mut used = self.lock();
        while *used != 0 && *used + n > self.capacity {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += n;
        Permit {
            budget: self.clone(),
            pixels: n,
        }
    }
}

impl Permit {
    /// Give back all but `pixels` of this share (the image was scaled down).
    pub fn shrink_to(&mut self, pixels: u64) {
        if pixels < self.pixels {
            *self.budget.lock() -= self.pixels - pixels;
            self.pixels = pixels;
            self.budget.freed.notify_all();
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.budget.lock() -= self.pixels;
        self.budget.freed.notify_all();
    }
}

impl Inspection {
    pub fn is_skipped(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Inspect one image's bytes against the provider profile; `full_decode` also decodes pixels.
pub fn inspect(src: &ImageBytes<'_>, profile: &Profile, full_decode: bool) -> Inspection {
    inspect_with(src, profile, full_decode, false, &mut |_| None)
}

/// [`inspect`], taking a share of a decode budget from `permit` (called with the image's
/// pixel count) right before the full decode. `repairable`: an image whose only problems
/// `fix` repairs is decoded too, the way `fix` would ([`Inspection::repaired`]), so its
/// content can be screened before it is repaired.
pub fn inspect_with(
    src: &ImageBytes<'_>,
    profile: &Profile,
    full_decode: bool,
    repairable: bool,
    permit: &mut dyn FnMut(u64) -> Option<Permit>,
) -> Inspection {
    let mut out = Inspection {
        bytes: src.len(),
        ..Inspection::default()
    };
    if out.bytes == 0 {
        out.corrupt = true;
        out.findings.push(Finding::new(
            Reason::InvalidImageFormat,
            "the image is empty (0 bytes)",
        ));
        return out;
    }
    if out.bytes > profile.max_image_bytes {
        out.findings.push(Finding::new(
            Reason::ImageTooLarge,
            format!(
                "{} bytes is over the {} byte limit",
                out.bytes, profile.max_image_bytes
            ),
        ));
    } else if out.bytes > profile.warn_image_bytes {
        out.warnings.push(Warning::new(
            WarningCode::SizeNearLimit,
            format!(
                "{} bytes: under 10 MiB but over 10,000,000 bytes; if the provider means decimal megabytes it will be skipped",
                out.bytes
            ),
        ));
    }

    let h = header(src);
    let format = h.format.unwrap_or(Format::Unknown);
    if !profile.accepts_format(format) {
        let what = match format {
            Format::Unknown => describe_unknown(&src.prefix(256)),
            f => format!("{} is not accepted (JPEG, PNG or WEBP only)", f.name()),
        };
        out.findings
            .push(Finding::new(Reason::InvalidImageFormat, what));
        out.header = h;
        if full_decode && repairable {
            decode_repairable(&mut out, src, profile, permit);
        }
        return out;
    }
    if let Some(p) = &h.problem {
        out.corrupt = true;
        out.findings
            .push(Finding::new(Reason::InvalidImageFormat, p.clone()));
    } else if let Some(mode) = h.mode {
        if !profile.accepts_mode(mode) {
            out.findings.push(Finding::new(
                Reason::InvalidImageFormat,
                format!("Pillow opens it in mode {mode}; only RGB or RGBA are accepted"),
            ));
        }
    }
    let pixels = h.width.unwrap_or(0) as u64 * h.height.unwrap_or(0) as u64;
    if pixels > profile.max_pixels {
        out.corrupt = true;
        out.findings.push(Finding::new(
            Reason::InvalidImageFormat,
            format!(
                "{}×{} = {pixels} pixels is over Pillow's decompression-bomb limit of {}",
                h.width.unwrap_or(0),
                h.height.unwrap_or(0),
                profile.max_pixels
            ),
        ));
    } else if pixels > profile.warn_pixels {
        out.warnings.push(Warning::new(
            WarningCode::VeryLargePixelCount,
            format!("{pixels} pixels: Pillow warns of a possible decompression bomb"),
        ));
    } else if h.width == Some(0) || h.height == Some(0) {
        out.corrupt = true;
        out.findings.push(Finding::new(
            Reason::InvalidImageFormat,
            "image has zero width or height",
        ));
    }
    if h.animated {
        out.warnings.push(Warning::new(
            WarningCode::Animated,
            format!(
                "animated {}: the provider's handling of animation is undocumented; only the first frame is likely used",
                format.name()
            ),
        ));
    }
    if let Some(o) = h.orientation.filter(|&o| o != 1) {
        out.warnings.push(Warning::new(
            WarningCode::ExifOrientation,
            format!("EXIF orientation {o}: the provider may see the image rotated or mirrored"),
        ));
    }
    out.header = h;

    if full_decode && out.findings.is_empty() {
        out.permit = permit(pixels);
        let bytes = src.full();
        out.corrupt = true;
        match decode(&bytes, profile) {
            // The JPEG decoder fills a cut-off scan with grey; Pillow refuses it as truncated.
            Ok(_) if format == Format::Jpeg && !jpeg::jpeg_has_eoi(&bytes) => {
                out.findings.push(Finding::new(
                    Reason::InvalidImageFormat,
                    "the JPEG is truncated: its data ends before the end-of-image marker",
                ))
            }
            Ok(img) => {
                out.pixels = Some(img);
                out.corrupt = false;
            }
            Err(e) => out.findings.push(Finding::new(
                Reason::InvalidImageFormat,
                format!("the image does not decode: {e}"),
            )),
        }
    } else if full_decode && repairable {
        decode_repairable(&mut out, src, profile, permit);
    }
    if out.pixels.is_none() {
        out.permit = None;
    }
    out
}

/// When every problem of `out` is one `fix` repairs, decode the image as `fix` would, for the
/// content screens; if it does not decode, `fix` cannot repair it either, and that is said.
fn decode_repairable(
    out: &mut Inspection,
    src: &ImageBytes<'_>,
    profile: &Profile,
    permit: &mut dyn FnMut(u64) -> Option<Permit>,
) {
    // Bytes that are not an image at all (an HTML page, text) are said to be so already.
    if !out.repairable() || out.header.format.is_none_or(|f| f == Format::Unknown) {
        return;
    }
    let bytes = src.full();
    // Only the accepted formats' headers are parsed: ask the decoder for the size, so the
    // decode budget holds whatever the format.
    let pixels = dimensions(&bytes).map_or(0, |(w, h)| w as u64 * h as u64);
    out.permit = permit(pixels);
    match decode_as_fixed(&bytes, profile.max_pixels) {
        Ok(img) => {
            out.pixels = Some(img);
            out.repaired = true;
        }
        Err(e) => {
            out.permit = None;
            out.corrupt = true;
            out.findings.push(Finding::new(
                Reason::InvalidImageFormat,
                format!("it does not decode either, so `fix` cannot repair it: {e}"),
            ));
        }
    }
}

fn decode(bytes: &[u8], profile: &Profile) -> Result<DynamicImage, String> {
    decode_limited(bytes, profile.max_pixels).map(|(img, _)| img)
}

/// Decode any format the image crate reads, refusing on its header — before a pixel is
/// allocated — an image of more than `max_pixels` (a 7 MB run-length BMP can claim 30000²).
/// Also returns the EXIF orientation the decoder saw.
pub fn decode_limited(
    bytes: &[u8],
    max_pixels: u64,
) -> Result<(DynamicImage, image::metadata::Orientation), String> {
    use image::ImageDecoder;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    // The backstop for decoders that allocate more than their output (4 bytes a pixel, plus
    // working room).
    limits.max_alloc = Some(max_pixels * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    let pixels = w as u64 * h as u64;
    if pixels > max_pixels {
        return Err(format!(
            "{w}×{h} = {pixels} pixels is over the decompression-bomb limit of {max_pixels}: not decoded"
        ));
    }
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    Ok((img, orientation))
}

/// The pixels `fix` writes for an image it repairs, before re-encoding: the image decoded
/// whatever its format (an icon's largest embedded PNG directly: the ICO decoder refuses one
/// holding an RGB PNG), EXIF rotation applied, as 8-bit RGB or RGBA.
pub fn decode_as_fixed(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, String> {
    let bytes = match (sniff(bytes), ico_png(bytes)) {
        (Format::Ico, Some(png)) => png,
        _ => bytes,
    };
    let (mut img, orientation) = decode_limited(bytes, max_pixels)?;
    img.apply_orientation(orientation);
    Ok(if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    })
}

/// Width and height as the decoder reads them from the header, without decoding.
fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
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

/// What the bytes are, by type only: a report never quotes them (a local path could name any
/// file on the machine).
fn describe_unknown(b: &[u8]) -> String {
    let text = !b.is_empty()
        && b.iter()
            .take(64)
            .all(|c| c.is_ascii_graphic() || c.is_ascii_whitespace());
    if text {
        let start = String::from_utf8_lossy(&b[..b.len().min(40)])
            .trim_start()
            .to_ascii_lowercase();
        if start.starts_with("<!doctype html") || start.starts_with("<html") {
            return "the bytes are an HTML page, not an image".into();
        }
        if start.starts_with('{') || start.starts_with('[') {
            return "the bytes are JSON or other text, not an image".into();
        }
        return "the bytes are text, not an image".into();
    }
    "not a recognised image format (JPEG, PNG or WEBP expected)".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_prefix_asks_for_more_but_complete_file_is_truncated() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(parse_header(png, false).is_err());
        let h = parse_header(png, true).unwrap();
        assert!(h.problem.unwrap().contains("truncated"));
    }
}
