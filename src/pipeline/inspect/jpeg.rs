//! JPEG: the frame header gives the size, precision and components (Pillow's mode); APP1 the
//! EXIF orientation.

use super::exif::exif_orientation;
use super::{be16, Header, NeedMore, Parsed};

pub(super) fn jpeg(b: &[u8], mut h: Header) -> Parsed {
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

/// Entropy-coded data stuffs every 0xFF, so an FF D9 after the first scan is the real EOI.
pub(super) fn jpeg_has_eoi(b: &[u8]) -> bool {
    let Some(sos) = memchr::memmem::find(b, &[0xFF, 0xDA]) else {
        return false;
    };
    memchr::memmem::rfind(&b[sos..], &[0xFF, 0xD9]).is_some()
}
