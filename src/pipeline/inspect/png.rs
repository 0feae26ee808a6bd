//! PNG: IHDR gives the size and Pillow's mode; the chunks before the image data tell
//! animation (acTL) and orientation (eXIf).

use super::exif::exif_orientation;
use super::{be32, Header, NeedMore, Parsed};

pub(super) fn png(b: &[u8], mut h: Header) -> Parsed {
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
