//! Cheap container-level reads before decoding: claimed dimensions, frame count, PNG bit
//! depth, and "the data ends inside the first image" for formats whose decoders are lenient.
//!
//! Everything here walks headers and chunk lengths only; no pixel data is decoded.

use crate::format::Format;
use crate::jpeg::{self, JpegInfo};

/// What the container says about the image.
#[derive(Debug, Clone, Default)]
pub(crate) struct Probe {
    /// Width and height claimed by the header, when this format's header was read.
    pub(crate) dims: Option<(u32, u32)>,
    /// More than one frame (GIF, animated WebP, APNG).
    pub(crate) animated: bool,
    /// Why the data looks cut short, when it does.
    pub(crate) truncated: Option<&'static str>,
    /// PNG IHDR `(bit depth, colour type)`.
    pub(crate) png_ihdr: Option<(u8, u8)>,
    /// JPEG markers.
    pub(crate) jpeg: Option<JpegInfo>,
}

pub(crate) fn probe(format: Format, bytes: &[u8]) -> Probe {
    match format {
        Format::Jpeg => probe_jpeg(bytes),
        Format::Png => probe_png(bytes),
        Format::Gif => probe_gif(bytes),
        Format::Webp => probe_webp(bytes),
        Format::Bmp => Probe {
            dims: bmp_dims(bytes),
            ..Probe::default()
        },
        // TIFF keeps its size in an IFD anywhere in the file; the decoder checks the limits.
        Format::Tiff => Probe::default(),
    }
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u24_le(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn probe_jpeg(bytes: &[u8]) -> Probe {
    let info = jpeg::scan(bytes);
    Probe {
        dims: info.map(|i| (u32::from(i.width), u32::from(i.height))),
        truncated: info
            .filter(|i| !i.complete)
            .map(|_| "the file ends before the JPEG end-of-image marker"),
        jpeg: info,
        ..Probe::default()
    }
}

fn probe_png(bytes: &[u8]) -> Probe {
    let mut probe = Probe::default();
    if bytes.get(12..16) == Some(b"IHDR") {
        probe.dims = u32_be(bytes, 16).zip(u32_be(bytes, 20));
        probe.png_ihdr = bytes.get(24).copied().zip(bytes.get(25).copied());
    }
    // APNG: an acTL chunk before the first IDAT gives the frame count.
    let mut pos = 8usize;
    while let (Some(len), Some(kind)) = (u32_be(bytes, pos), bytes.get(pos + 4..pos + 8)) {
        match kind {
            b"acTL" => {
                probe.animated = u32_be(bytes, pos + 8).is_some_and(|frames| frames > 1);
                break;
            }
            b"IDAT" | b"IEND" => break,
            _ => {}
        }
        let Some(next) = usize::try_from(len)
            .ok()
            .and_then(|l| pos.checked_add(l)?.checked_add(12))
        else {
            break;
        };
        pos = next;
    }
    probe
}

/// Skips GIF data sub-blocks (length-prefixed, ended by a zero length). `None` if the data
/// ends first.
fn skip_sub_blocks(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let n = usize::from(*b.get(pos)?);
        pos += 1;
        if n == 0 {
            return Some(pos);
        }
        pos += n;
        if pos > b.len() {
            return None;
        }
    }
}

fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 7) + 1)
    }
}

fn probe_gif(bytes: &[u8]) -> Probe {
    let mut probe = Probe {
        dims: u16_le(bytes, 6)
            .zip(u16_le(bytes, 8))
            .map(|(w, h)| (u32::from(w), u32::from(h))),
        ..Probe::default()
    };
    let Some(&packed) = bytes.get(10) else {
        probe.truncated = Some("the file ends inside the GIF header");
        return probe;
    };
    let mut pos = 13 + colour_table_len(packed);
    let mut frames = 0u32;
    let mut first_done = false;
    loop {
        match bytes.get(pos) {
            // Extension: introducer, label, then sub-blocks.
            Some(0x21) => match skip_sub_blocks(bytes, pos + 2) {
                Some(next) => pos = next,
                None => break,
            },
            // Image descriptor: 10 bytes, optional local colour table, LZW code size, data.
            Some(0x2C) => {
                frames += 1;
                if frames > 1 {
                    probe.animated = true;
                    return probe;
                }
                let Some(&packed) = bytes.get(pos + 9) else {
                    break;
                };
                match skip_sub_blocks(bytes, pos + 10 + colour_table_len(packed) + 1) {
                    Some(next) => {
                        pos = next;
                        first_done = true;
                    }
                    None => break,
                }
            }
            // Trailer, or bytes that are not a block (left to the decoder to judge).
            Some(_) => return probe,
            None => break,
        }
    }
    // The data ran out. Only a cut first image matters: later frames are never decoded.
    if !first_done {
        probe.truncated = Some("the file ends inside the first GIF frame");
    }
    probe
}

fn probe_webp(bytes: &[u8]) -> Probe {
    let mut probe = Probe::default();
    let mut frames = 0u32;
    let mut pos = 12usize;
    while let (Some(kind), Some(size)) = (bytes.get(pos..pos + 4), u32_le(bytes, pos + 4)) {
        let data = pos + 8;
        match kind {
            b"VP8X" => {
                probe.dims = u24_le(bytes, data + 4)
                    .zip(u24_le(bytes, data + 7))
                    .map(|(w, h)| (w + 1, h + 1));
            }
            b"VP8 " if probe.dims.is_none() => {
                probe.dims = u16_le(bytes, data + 6)
                    .zip(u16_le(bytes, data + 8))
                    .map(|(w, h)| (u32::from(w & 0x3FFF), u32::from(h & 0x3FFF)));
            }
            // Lossless: signature byte, then 14-bit width − 1 and height − 1.
            b"VP8L" if probe.dims.is_none() && bytes.get(data) == Some(&0x2F) => {
                probe.dims =
                    u32_le(bytes, data + 1).map(|v| ((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1));
            }
            b"ANMF" => {
                frames += 1;
                if frames > 1 {
                    probe.animated = true;
                    break;
                }
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        let Some(next) = usize::try_from(size)
            .ok()
            .and_then(|s| data.checked_add(s)?.checked_add(s & 1))
        else {
            break;
        };
        pos = next;
    }
    probe
}

fn bmp_dims(bytes: &[u8]) -> Option<(u32, u32)> {
    if u32_le(bytes, 14)? == 12 {
        // OS/2 BITMAPCOREHEADER: unsigned 16-bit sides.
        Some((u32::from(u16_le(bytes, 18)?), u32::from(u16_le(bytes, 20)?)))
    } else {
        // BITMAPINFOHEADER and later: signed 32-bit, negative height = top-down rows.
        let w = u32_le(bytes, 18)? as i32;
        let h = u32_le(bytes, 22)? as i32;
        Some((w.unsigned_abs(), h.unsigned_abs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn gif_frame_count() {
        let still = test_util::gif_bytes(&[test_util::scene(20, 10, 1)]);
        let anim =
            test_util::gif_bytes(&[test_util::scene(20, 10, 1), test_util::scene(20, 10, 2)]);
        let p = probe(Format::Gif, &still);
        assert_eq!(
            (p.dims, p.animated, p.truncated),
            (Some((20, 10)), false, None)
        );
        let p = probe(Format::Gif, &anim);
        assert!(p.animated);
        let cut = probe(Format::Gif, &still[..still.len() / 2]);
        assert!(cut.truncated.is_some());
    }

    #[test]
    fn png_ihdr_and_actl() {
        let png = test_util::png_bytes(&test_util::scene(33, 17, 1));
        let p = probe(Format::Png, &png);
        assert_eq!(p.dims, Some((33, 17)));
        assert_eq!(p.png_ihdr, Some((8, 2)));
        assert!(!p.animated);
        let apng = test_util::with_png_chunk(&png, *b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]);
        assert!(probe(Format::Png, &apng).animated);
        let one = test_util::with_png_chunk(&png, *b"acTL", &[0, 0, 0, 1, 0, 0, 0, 0]);
        assert!(!probe(Format::Png, &one).animated);
    }

    #[test]
    fn webp_dims_and_frames() {
        let webp = test_util::webp_bytes(&test_util::scene(31, 9, 1));
        let p = probe(Format::Webp, &webp);
        assert_eq!((p.dims, p.animated), (Some((31, 9)), false));
        let anim = test_util::animated_webp_container(2);
        assert!(probe(Format::Webp, &anim).animated);
        assert!(!probe(Format::Webp, &test_util::animated_webp_container(1)).animated);
    }

    #[test]
    fn bmp_dims_top_down() {
        let bmp = test_util::bmp_bytes(&test_util::scene(7, 5, 1));
        assert_eq!(probe(Format::Bmp, &bmp).dims, Some((7, 5)));
        let mut top_down = bmp.clone();
        top_down[22..26].copy_from_slice(&(-5i32).to_le_bytes());
        assert_eq!(probe(Format::Bmp, &top_down).dims, Some((7, 5)));
    }

    #[test]
    fn prefixes_never_panic() {
        let files = [
            (
                Format::Gif,
                test_util::gif_bytes(&[test_util::scene(9, 9, 1), test_util::scene(9, 9, 3)]),
            ),
            (
                Format::Png,
                test_util::png_bytes(&test_util::scene(9, 9, 1)),
            ),
            (
                Format::Webp,
                test_util::webp_bytes(&test_util::scene(9, 9, 1)),
            ),
            (
                Format::Bmp,
                test_util::bmp_bytes(&test_util::scene(9, 9, 1)),
            ),
            (
                Format::Jpeg,
                test_util::jpeg_bytes(&test_util::scene(9, 9, 1), 80),
            ),
        ];
        for (format, bytes) in files {
            for end in 0..bytes.len() {
                let _ = probe(format, &bytes[..end]);
            }
        }
    }
}
