//! The format, from the first bytes, as Pillow would identify it.

use crate::provider::Format;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff(b"GIF89a...."), Format::Gif);
        assert_eq!(sniff(b"BM......"), Format::Bmp);
        assert_eq!(sniff(b"\0\0\0\x1cftypavif...."), Format::Avif);
        assert_eq!(sniff(b"\0\0\0\x1cftypheic...."), Format::Heif);
        assert_eq!(sniff(b"  <?xml version='1.0'?><svg></svg>"), Format::Svg);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Format::Unknown);
    }
}
