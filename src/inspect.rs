//! Inspect stage: what the provider's image pipeline (Pillow) will make of the bytes — format
//! by magic bytes, the Pillow mode, dimensions, size — and, when asked, a full decode that
//! catches truncated or corrupt files and hands pixels to the detect stage.

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

use crate::provider::{Format, Profile};
use crate::reason::{Finding, Reason, Warning};
use crate::resolve::ImageBytes;

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

/// Header parsing ran past the bytes it was given.
#[derive(Debug)]
struct NeedMore;

type Parsed = Result<Header, NeedMore>;

/// Identify the format from the first bytes.
pub fn sniff(b: &[u8]) -> Format {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Format::Webp
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Format::Gif
    } else if b.starts_with(b"BM") {
        Format::Bmp
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Format::Tiff
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
        match &b[8..12] {
            b"avif" | b"avis" => Format::Avif,
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"mif1" | b"msf1" | b"heim" | b"heis" => {
                Format::Heif
            }
            _ => Format::Unknown,
        }
    } else if b.starts_with(&[0, 0, 1, 0]) {
        Format::Ico
    } else if b.starts_with(b"%PDF") {
        Format::Pdf
    } else if looks_like_svg(b) {
        Format::Svg
    } else {
        Format::Unknown
    }
}

fn looks_like_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(1024)];
    let start = head
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &head[start..];
    (head.starts_with(b"<?xml") || head.starts_with(b"<svg") || head.starts_with(b"<!--"))
        && memchr::memmem::find(head, b"<svg").is_some()
}

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
        Format::Png => png(b, h),
        Format::Jpeg => jpeg(b, h),
        Format::Webp => webp(b, h),
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

fn png(b: &[u8], mut h: Header) -> Parsed {
    // IHDR must be the first chunk.
    if b.len() < 33 {
        return Err(NeedMore);
    }
    if &b[12..16] != b"IHDR" {
        h.problem = Some("PNG does not start with an IHDR chunk".into());
        return Ok(h);
    }
    h.width = be32(b, 16);
    h.height = be32(b, 20);
    let (depth, colour) = (b[24], b[25]);
    // Pillow's PngImagePlugin _MODES table, reduced to the mode it reports.
    h.mode = match (depth, colour) {
        (1, 0) => Some("1"),
        (2 | 4 | 8, 0) => Some("L"),
        (16, 0) => Some("I;16"),
        (8 | 16, 2) => Some("RGB"),
        (1 | 2 | 4 | 8, 3) => Some("P"),
        (8 | 16, 4) => Some("LA"),
        (8 | 16, 6) => Some("RGBA"),
        _ => {
            h.problem = Some(format!(
                "unknown PNG mode (bit depth {depth}, colour type {colour})"
            ));
            None
        }
    };
    // Walk the chunks before the image data for animation and orientation.
    let mut i = 33;
    loop {
        let (Some(len), Some(kind)) = (be32(b, i), b.get(i + 4..i + 8)) else {
            return Err(NeedMore);
        };
        match kind {
            b"IDAT" | b"IEND" => return Ok(h),
            b"acTL" => h.animated = true,
            b"eXIf" => {
                let Some(data) = b.get(i + 8..i + 8 + len as usize) else {
                    return Err(NeedMore);
                };
                h.orientation = exif_orientation(data);
            }
            _ => {}
        }
        i += 12 + len as usize;
    }
}

fn jpeg(b: &[u8], mut h: Header) -> Parsed {
    let mut i = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&ff), Some(&marker)) = (b.get(i), b.get(i + 1)) else {
            return Err(NeedMore);
        };
        if ff != 0xFF {
            h.problem = Some(format!("corrupt JPEG: expected a marker at byte {i}"));
            return Ok(h);
        }
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            0xD9 | 0xDA => {
                h.problem = Some("JPEG has no frame header before its image data".into());
                return Ok(h);
            }
            _ => {}
        }
        let Some(len) = be16(b, i + 2) else {
            return Err(NeedMore);
        };
        let len = len as usize;
        let Some(seg) = b.get(i + 4..i + 2 + len.max(2)) else {
            return Err(NeedMore);
        };
        match marker {
            // Start of frame (all coding processes); C4, C8 and CC are other tables.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if seg.len() < 6 {
                    h.problem = Some("corrupt JPEG frame header".into());
                    return Ok(h);
                }
                let precision = seg[0];
                h.height = Some(u16::from_be_bytes([seg[1], seg[2]]) as u32);
                h.width = Some(u16::from_be_bytes([seg[3], seg[4]]) as u32);
                let components = seg[5];
                if precision != 8 {
                    // Pillow: "cannot handle 12-bit layers".
                    h.problem = Some(format!("{precision}-bit JPEG (Pillow reads only 8-bit)"));
                }
                h.mode = match components {
                    1 => Some("L"),
                    3 => Some("RGB"),
                    4 => Some("CMYK"),
                    n => {
                        h.problem = Some(format!("JPEG with {n} colour components"));
                        None
                    }
                };
                return Ok(h);
            }
            0xE1 if seg.starts_with(b"Exif\0\0") => {
                h.orientation = exif_orientation(&seg[6..]);
            }
            _ => {}
        }
        i += 2 + len;
    }
}

fn webp(b: &[u8], mut h: Header) -> Parsed {
    let mut i = 12;
    loop {
        let (Some(kind), Some(size)) = (b.get(i..i + 4), le32(b, i + 4)) else {
            return Err(NeedMore);
        };
        let data = i + 8;
        match kind {
            b"VP8X" => {
                let Some(&flags) = b.get(data) else {
                    return Err(NeedMore);
                };
                let (Some(w), Some(hh)) = (le24(b, data + 4), le24(b, data + 7)) else {
                    return Err(NeedMore);
                };
                h.width = Some(w + 1);
                h.height = Some(hh + 1);
                h.animated = flags & 0x02 != 0;
                // Pillow opens every WEBP as RGB or RGBA; animations always as RGBA.
                h.mode = Some(if flags & 0x12 != 0 { "RGBA" } else { "RGB" });
                if flags & 0x08 == 0 {
                    return Ok(h);
                }
                // The EXIF flag is set: keep walking to read the orientation.
            }
            b"VP8 " => {
                let Some(f) = b.get(data..data + 10) else {
                    return Err(NeedMore);
                };
                if h.width.is_none() {
                    if f[3..6] != [0x9d, 0x01, 0x2a] {
                        h.problem = Some("corrupt WEBP (VP8) frame header".into());
                        return Ok(h);
                    }
                    h.width = Some((u16::from_le_bytes([f[6], f[7]]) & 0x3fff) as u32);
                    h.height = Some((u16::from_le_bytes([f[8], f[9]]) & 0x3fff) as u32);
                    h.mode = Some("RGB");
                }
                return Ok(h);
            }
            b"VP8L" => {
                let Some(f) = b.get(data..data + 5) else {
                    return Err(NeedMore);
                };
                if h.width.is_none() {
                    if f[0] != 0x2f {
                        h.problem = Some("corrupt WEBP (VP8L) header".into());
                        return Ok(h);
                    }
                    let bits = u32::from_le_bytes([f[1], f[2], f[3], f[4]]);
                    h.width = Some((bits & 0x3fff) + 1);
                    h.height = Some(((bits >> 14) & 0x3fff) + 1);
                    h.mode = Some(if bits >> 28 & 1 != 0 { "RGBA" } else { "RGB" });
                }
                return Ok(h);
            }
            b"EXIF" => {
                let Some(d) = b.get(data..data + size as usize) else {
                    return Err(NeedMore);
                };
                // Some writers keep the JPEG-style prefix inside the chunk.
                let d = d.strip_prefix(b"Exif\0\0").unwrap_or(d);
                h.orientation = exif_orientation(d);
                return Ok(h);
            }
            b"ANMF" => return Ok(h),
            _ => {}
        }
        i = data + size as usize + (size as usize & 1);
    }
}

/// The Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block.
fn exif_orientation(t: &[u8]) -> Option<u16> {
    let le = match t.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let s: [u8; 2] = t.get(i..i + 2)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let s: [u8; 4] = t.get(i..i + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    (0..count.min(512)).find_map(|n| {
        let e = ifd + 2 + n * 12;
        (u16_at(e)? == 0x0112).then(|| u16_at(e + 8))?
    })
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
}

impl Inspection {
    pub fn is_skipped(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Inspect one image's bytes against the provider profile; `full_decode` also decodes pixels.
pub fn inspect(src: &ImageBytes<'_>, profile: &Profile, full_decode: bool) -> Inspection {
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
    } else if out.bytes > 10_000_000 {
        out.warnings.push(Warning::new(
            "size_near_limit",
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
            "very_large_pixel_count",
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
            "animated",
            format!(
                "animated {}: the provider's handling of animation is undocumented; only the first frame is likely used",
                format.name()
            ),
        ));
    }
    if let Some(o) = h.orientation.filter(|&o| o != 1) {
        out.warnings.push(Warning::new(
            "exif_orientation",
            format!("EXIF orientation {o}: the provider may see the image rotated or mirrored"),
        ));
    }
    out.header = h;

    if full_decode && out.findings.is_empty() {
        let bytes = src.full();
        out.corrupt = true;
        match decode(&bytes, profile) {
            // The JPEG decoder fills a cut-off scan with grey; Pillow refuses it as truncated.
            Ok(_) if format == Format::Jpeg && !jpeg_has_eoi(&bytes) => {
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
    }
    out
}

/// Entropy-coded data stuffs every 0xFF, so an FF D9 after the first scan is the real EOI.
fn jpeg_has_eoi(b: &[u8]) -> bool {
    let Some(sos) = memchr::memmem::find(b, &[0xFF, 0xDA]) else {
        return false;
    };
    memchr::memmem::rfind(&b[sos..], &[0xFF, 0xD9]).is_some()
}

fn decode(bytes: &[u8], profile: &Profile) -> Result<DynamicImage, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    // Header checks already refused anything over the pixel limit; this is the backstop.
    limits.max_alloc = Some(profile.max_pixels * 4 + (64 << 20));
    reader.limits(limits);
    reader.decode()
}

fn describe_unknown(b: &[u8]) -> String {
    let text = b
        .iter()
        .take(64)
        .all(|c| c.is_ascii_graphic() || c.is_ascii_whitespace());
    if text {
        let start = String::from_utf8_lossy(&b[..b.len().min(40)])
            .trim()
            .to_owned();
        let lower = start.to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return "the bytes are an HTML page, not an image".into();
        }
        return format!("the bytes are text, not an image (starts {start:?})");
    }
    "not a recognised image format (JPEG, PNG or WEBP expected)".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_orientation_both_byte_orders() {
        let mut le = b"II*\0\x08\0\0\0\x01\0".to_vec();
        le.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        assert_eq!(exif_orientation(&le), Some(6));
        let mut be = b"MM\0*\0\0\0\x08\0\x01".to_vec();
        be.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0]);
        assert_eq!(exif_orientation(&be), Some(3));
        assert_eq!(exif_orientation(b"junk"), None);
    }

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff(b"GIF89a...."), Format::Gif);
        assert_eq!(sniff(b"BM......"), Format::Bmp);
        assert_eq!(sniff(b"\0\0\0\x1cftypavif...."), Format::Avif);
        assert_eq!(sniff(b"\0\0\0\x1cftypheic...."), Format::Heif);
        assert_eq!(sniff(b"  <?xml version='1.0'?><svg></svg>"), Format::Svg);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Format::Unknown);
    }

    #[test]
    fn truncated_prefix_asks_for_more_but_complete_file_is_truncated() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(parse_header(png, false).is_err());
        let h = parse_header(png, true).unwrap();
        assert!(h.problem.unwrap().contains("truncated"));
    }
}
