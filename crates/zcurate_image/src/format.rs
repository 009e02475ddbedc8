//! Image formats, recognised from content (magic bytes), never from the file name.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DecodeError;

/// A raster format this crate decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Bmp,
    Gif,
    Tiff,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 6] = [
        Format::Jpeg,
        Format::Png,
        Format::Webp,
        Format::Bmp,
        Format::Gif,
        Format::Tiff,
    ];

    /// Upper-case display name, e.g. `JPEG`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WebP",
            Self::Bmp => "BMP",
            Self::Gif => "GIF",
            Self::Tiff => "TIFF",
        }
    }

    /// The usual file extension, lower case without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Bmp => "bmp",
            Self::Gif => "gif",
            Self::Tiff => "tif",
        }
    }

    /// The format a file name extension promises (case-insensitive, leading dot allowed).
    ///
    /// Used to report files whose name disagrees with their content, never to decode.
    pub fn from_extension(ext: &str) -> Option<Format> {
        let ext = ext.strip_prefix('.').unwrap_or(ext).to_ascii_lowercase();
        Some(match ext.as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => Self::Jpeg,
            "png" | "apng" => Self::Png,
            "webp" => Self::Webp,
            "bmp" | "dib" => Self::Bmp,
            "gif" => Self::Gif,
            "tif" | "tiff" => Self::Tiff,
            _ => return None,
        })
    }

    /// Whether LoRA trainers load this format as a training image.
    ///
    /// JPEG and PNG are read everywhere; WebP and BMP by the kohya family, OneTrainer and
    /// ai-toolkit's tooling (its README still recommends jpg/png only). GIF and TIFF are not
    /// in trainers' image extension lists, so such files need converting first.
    pub fn is_supported_for_training(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Webp | Self::Bmp)
    }

    /// Recognises the format from the first bytes.
    ///
    /// Fails with [`DecodeError::Empty`] for no bytes and [`DecodeError::Unsupported`]
    /// naming what was found otherwise (text, HTML, AVIF, HEIC, PDF, unknown bytes, ...).
    pub fn sniff(bytes: &[u8]) -> Result<Format, DecodeError> {
        if bytes.is_empty() {
            return Err(DecodeError::Empty);
        }
        if let Some(format) = sniff_supported(bytes) {
            return Ok(format);
        }
        Err(DecodeError::Unsupported {
            found: describe_unsupported(bytes),
        })
    }

    pub(crate) fn to_image(self) -> image::ImageFormat {
        match self {
            Self::Jpeg => image::ImageFormat::Jpeg,
            Self::Png => image::ImageFormat::Png,
            Self::Webp => image::ImageFormat::WebP,
            Self::Bmp => image::ImageFormat::Bmp,
            Self::Gif => image::ImageFormat::Gif,
            Self::Tiff => image::ImageFormat::Tiff,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn sniff_supported(b: &[u8]) -> Option<Format> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        Some(Format::Webp)
    } else if b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || b.starts_with(b"II+\0")
        || b.starts_with(b"MM\0+")
    {
        Some(Format::Tiff)
    } else if is_bmp(b) {
        Some(Format::Bmp)
    } else {
        None
    }
}

/// `BM` alone also starts plain text ("BMW ..."), so also require a known DIB header size.
fn is_bmp(b: &[u8]) -> bool {
    let Some(size) = b.get(14..18) else {
        return false;
    };
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
    b.starts_with(b"BM") && matches!(size, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
}

/// A short description of bytes that are not a supported image, for the error message.
fn describe_unsupported(b: &[u8]) -> String {
    if let Some(name) = known_other_format(b) {
        return format!("unsupported format: {name}");
    }
    if let Some(preview) = text_preview(b) {
        return format!("not an image: starts with text {preview:?}");
    }
    let head: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    format!("unknown format: starts with bytes {}", head.join(" "))
}

/// Formats people put in image folders that this crate does not decode.
fn known_other_format(b: &[u8]) -> Option<&'static str> {
    // ISO base media (AVIF, HEIC): a box size, then `ftyp` and the major brand.
    if b.get(4..8) == Some(b"ftyp") {
        return Some(match b.get(8..12) {
            Some(b"avif" | b"avis") => "AVIF image",
            Some(b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1") => {
                "HEIC/HEIF image"
            }
            Some(b"crx ") => "Canon CR3 raw photo",
            Some(b"qt  ") => "QuickTime video",
            _ => "MP4/ISO media file",
        });
    }
    let table: &[(&[u8], &str)] = &[
        (b"\xFF\x0A", "JPEG XL image"),
        (b"\0\0\0\x0CJXL \r\n\x87\n", "JPEG XL image"),
        (b"\0\0\0\x0CjP  \r\n\x87\n", "JPEG 2000 image"),
        (b"\xFF\x4F\xFF\x51", "JPEG 2000 codestream"),
        (b"8BPS", "Photoshop PSD"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\0\0\x01\0", "ICO icon"),
        (b"qoif", "QOI image"),
        (b"DDS ", "DDS texture"),
        (b"v/1\x01", "OpenEXR image"),
        (b"#?RADIANCE", "Radiance HDR image"),
        (b"#?RGBE", "Radiance HDR image"),
        (b"\x1A\x45\xDF\xA3", "Matroska/WebM video"),
    ];
    table
        .iter()
        .find(|(magic, _)| b.starts_with(magic))
        .map(|(_, name)| *name)
}

/// The first characters if the data looks like text (UTF-8 without control characters).
fn text_preview(b: &[u8]) -> Option<String> {
    let head = &b[..b.len().min(256)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // A multi-byte character may be cut at the 256-byte boundary; keep the valid prefix.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let is_text = !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'));
    if !is_text {
        return None;
    }
    let trimmed = text.trim_start();
    let preview: String = trimmed.chars().take(24).collect();
    Some(preview.lines().next().unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_format_from_magic() {
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        let cases: [(&[u8], Format); 7] = [
            (b"\xFF\xD8\xFF\xE0rest", Format::Jpeg),
            (b"\x89PNG\r\n\x1a\nrest", Format::Png),
            (b"GIF89a...", Format::Gif),
            (b"RIFF\x10\0\0\0WEBPVP8 ", Format::Webp),
            (b"II*\0\x08\0\0\0", Format::Tiff),
            (b"MM\0*\0\0\0\x08", Format::Tiff),
            (&bmp, Format::Bmp),
        ];
        for (bytes, want) in cases {
            assert_eq!(Format::sniff(bytes), Ok(want), "{want}");
        }
    }

    #[test]
    fn empty_and_text_and_other_formats() {
        assert_eq!(Format::sniff(b""), Err(DecodeError::Empty));
        let err = Format::sniff(b"<!DOCTYPE html>\n<html>").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"not an image: starts with text "<!DOCTYPE html>""#
        );
        let err = Format::sniff(b"BMW 3 series brochure text").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("not an image: starts with text"),
            "{err}"
        );
        let err = Format::sniff(b"\0\0\0\x1cftypavif\0\0").unwrap_err();
        assert_eq!(err.to_string(), "unsupported format: AVIF image");
        let err = Format::sniff(b"\0\0\0\x18ftypheic").unwrap_err();
        assert_eq!(err.to_string(), "unsupported format: HEIC/HEIF image");
        let err = Format::sniff(&[0, 1, 2, 3, 0xFE, 0xFF, 7, 8, 9]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format: starts with bytes 00 01 02 03 fe ff 07 08"
        );
    }

    #[test]
    fn extensions() {
        assert_eq!(Format::from_extension("JPG"), Some(Format::Jpeg));
        assert_eq!(Format::from_extension(".jpeg"), Some(Format::Jpeg));
        assert_eq!(Format::from_extension("tiff"), Some(Format::Tiff));
        assert_eq!(Format::from_extension("txt"), None);
        assert_eq!(Format::from_extension(""), None);
        let training: Vec<Format> = Format::ALL
            .into_iter()
            .filter(|f| f.is_supported_for_training())
            .collect();
        assert_eq!(
            training,
            [Format::Jpeg, Format::Png, Format::Webp, Format::Bmp]
        );
        for f in Format::ALL {
            assert_eq!(Format::from_extension(f.extension()), Some(f));
        }
    }
}
