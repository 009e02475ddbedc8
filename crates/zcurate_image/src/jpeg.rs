//! A tiny JPEG marker scanner: frame header, EXIF orientation and completeness, no decoding.
//!
//! Needed because the `image` crate converts CMYK/YCCK JPEGs to RGB without saying so, and
//! its lenient JPEG decoder fills a truncated file with grey instead of failing.

use image::metadata::Orientation;

/// What a JPEG's markers say, read without decoding any pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    /// Width from the frame header (SOF), before EXIF orientation.
    pub width: u16,
    /// Height from the frame header (SOF), before EXIF orientation.
    pub height: u16,
    /// Colour components: 1 grey, 3 YCbCr (or RGB), 4 CMYK or YCCK.
    pub components: u8,
    /// Bits per sample: 8, or 12 for extended JPEG.
    pub precision: u8,
    /// Progressive (SOF2/6/10/14) rather than sequential.
    pub progressive: bool,
    /// The EXIF orientation tag of the first `Exif` APP1 segment, when it is 1..=8.
    pub exif_orientation: Option<u8>,
    /// The Adobe APP14 colour transform: 0 none (RGB or CMYK), 1 YCbCr, 2 YCCK.
    pub adobe_transform: Option<u8>,
    /// An end-of-image marker follows the first scan. False means the file was cut short.
    pub complete: bool,
}

/// Reads the markers up to the first scan. `None` when this is not a JPEG or the data ends
/// before the frame header (SOF).
pub fn scan(bytes: &[u8]) -> Option<JpegInfo> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut info = JpegInfo {
        width: 0,
        height: 0,
        components: 0,
        precision: 0,
        progressive: false,
        exif_orientation: None,
        adobe_transform: None,
        complete: false,
    };
    let mut have_sof = false;
    let mut pos = 2usize;
    loop {
        // Markers are 0xFF then a code; extra 0xFF fill bytes are allowed before the code.
        while bytes.get(pos).is_some_and(|&b| b != 0xFF) {
            pos += 1;
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *bytes.get(pos)?;
        pos += 1;
        match marker {
            // Markers without a length field.
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            // End of image before any scan: no pixels at all.
            0xD9 => break,
            _ => {}
        }
        let len_bytes = bytes.get(pos..pos + 2)?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        if len < 2 {
            break;
        }
        let Some(seg) = bytes.get(pos + 2..pos + len) else {
            // The segment runs past the end of the data: truncated inside the header.
            break;
        };
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) && !have_sof => {
                if let [precision, h0, h1, w0, w1, components, ..] = *seg {
                    info.precision = precision;
                    info.height = u16::from_be_bytes([h0, h1]);
                    info.width = u16::from_be_bytes([w0, w1]);
                    info.components = components;
                    info.progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                    have_sof = true;
                }
            }
            0xE1 if info.exif_orientation.is_none() => {
                if let Some(tiff) = seg.strip_prefix(b"Exif\0\0") {
                    info.exif_orientation =
                        Orientation::from_exif_chunk(tiff).map(Orientation::to_exif);
                }
            }
            0xEE if seg.starts_with(b"Adobe") => {
                info.adobe_transform = seg.get(11).copied();
            }
            0xDA => {
                info.complete = has_end_marker(bytes.get(pos + len..).unwrap_or_default());
                break;
            }
            _ => {}
        }
        pos += len;
    }
    have_sof.then_some(info)
}

/// Looks for the end-of-image marker from the end backwards, so a normal file answers at
/// once. Data appended after EOI (motion photos append a video) is scanned through; a stray
/// `FF D9` in it can only make a truncated file look complete, never the reverse.
fn has_end_marker(after_scan_start: &[u8]) -> bool {
    after_scan_start.windows(2).rev().any(|w| w == [0xFF, 0xD9])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;

    #[test]
    fn reads_encoder_output() {
        let bytes = test_util::jpeg_bytes(&test_util::scene(40, 30, 1), 90);
        let info = scan(&bytes).unwrap();
        assert_eq!(
            (info.width, info.height, info.components, info.precision),
            (40, 30, 3, 8)
        );
        assert!(info.complete);
        assert!(!info.progressive);
        assert_eq!(info.exif_orientation, None);
    }

    #[test]
    fn reads_exif_orientation_and_detects_truncation() {
        let bytes = test_util::with_exif_orientation(
            &test_util::jpeg_bytes(&test_util::scene(40, 30, 1), 90),
            6,
        );
        let info = scan(&bytes).unwrap();
        assert_eq!(info.exif_orientation, Some(6));
        assert!(info.complete);
        let cut = &bytes[..bytes.len() - 40];
        assert!(!scan(cut).unwrap().complete);
    }

    #[test]
    fn four_components_and_adobe_transform() {
        let bytes = test_util::cmyk_jpeg(16, 8);
        let info = scan(&bytes).unwrap();
        assert_eq!(info.components, 4);
        assert_eq!(info.adobe_transform, Some(0));
        assert!(info.complete);
    }

    #[test]
    fn never_panics_on_prefixes_or_garbage() {
        let bytes = test_util::with_exif_orientation(
            &test_util::jpeg_bytes(&test_util::scene(24, 24, 2), 80),
            3,
        );
        for end in 0..bytes.len() {
            let _ = scan(&bytes[..end]);
        }
        assert_eq!(scan(b"\xFF\xD8"), None);
        assert_eq!(scan(b"\xFF\xD8\xFF\xC0\x00\x01"), None);
        assert_eq!(scan(b"not a jpeg"), None);
    }
}
