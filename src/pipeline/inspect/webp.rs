//! WEBP: the VP8X, VP8 or VP8L chunk gives the size and Pillow's mode; EXIF the orientation.

use super::exif::exif_orientation;
use super::{le24, le32, Header, NeedMore, Parsed};

pub(super) fn webp(b: &[u8], mut h: Header) -> Parsed {
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
