//! The colour model and bit depth stored in the file, as opposed to what the decoder returns.

use image::{ColorType, ExtendedColorType};
use serde::{Deserialize, Serialize};
use zcurate_manifest::ColourKind;

use crate::format::Format;
use crate::probe::Probe;

/// Colour model and depth of the stored image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColourInfo {
    /// Channels stored in the file.
    pub kind: ColourKind,
    /// Bits per channel in the file: 1, 2, 4, 8, 12 (JPEG), 16 or 32 (float TIFF).
    pub bits_per_channel: u8,
}

/// `original` is the decoder's `original_color_type()`, `decoded` what it returns.
/// JPEG and PNG headers are read directly because the decoder reports the converted type.
pub(crate) fn detect(
    format: Format,
    original: ExtendedColorType,
    decoded: ColorType,
    probe: &Probe,
) -> ColourInfo {
    if let (Format::Jpeg, Some(jpeg)) = (format, probe.jpeg) {
        let kind = match jpeg.components {
            1 => ColourKind::Grey,
            4 => ColourKind::Cmyk,
            _ => ColourKind::Rgb,
        };
        let bits = if jpeg.precision == 0 {
            8
        } else {
            jpeg.precision
        };
        return ColourInfo {
            kind,
            bits_per_channel: bits,
        };
    }
    if let (Format::Png, Some((depth, colour_type))) = (format, probe.png_ihdr) {
        let kind = match colour_type {
            0 => Some(ColourKind::Grey),
            2 => Some(ColourKind::Rgb),
            4 => Some(ColourKind::GreyAlpha),
            6 => Some(ColourKind::Rgba),
            _ => None,
        };
        if let Some(kind) = kind {
            return ColourInfo {
                kind,
                bits_per_channel: depth,
            };
        }
        // Indexed: palette entries are 8-bit RGB, with alpha when a tRNS chunk exists,
        // which the decoder's expanded output type tells us.
        return from_color_type(decoded);
    }
    from_extended(original).unwrap_or_else(|| from_color_type(decoded))
}

fn info(kind: ColourKind, bits_per_channel: u8) -> ColourInfo {
    ColourInfo {
        kind,
        bits_per_channel,
    }
}

fn from_extended(t: ExtendedColorType) -> Option<ColourInfo> {
    use ColourKind::{Cmyk, Grey, GreyAlpha, Rgb, Rgba};
    use ExtendedColorType as E;
    Some(match t {
        E::L1 => info(Grey, 1),
        E::L2 => info(Grey, 2),
        E::L4 => info(Grey, 4),
        E::L8 => info(Grey, 8),
        E::L16 => info(Grey, 16),
        E::La1 => info(GreyAlpha, 1),
        E::La2 => info(GreyAlpha, 2),
        E::La4 => info(GreyAlpha, 4),
        E::La8 | E::A8 => info(GreyAlpha, 8),
        E::La16 => info(GreyAlpha, 16),
        E::Rgb1 => info(Rgb, 1),
        E::Rgb2 => info(Rgb, 2),
        E::Rgb4 => info(Rgb, 4),
        E::Rgb5x1 => info(Rgb, 5),
        E::Rgb8 | E::Bgr8 => info(Rgb, 8),
        E::Rgb16 => info(Rgb, 16),
        E::Rgb32F => info(Rgb, 32),
        E::Rgba1 => info(Rgba, 1),
        E::Rgba2 => info(Rgba, 2),
        E::Rgba4 => info(Rgba, 4),
        E::Rgba8 | E::Bgra8 => info(Rgba, 8),
        E::Rgba16 => info(Rgba, 16),
        E::Rgba32F => info(Rgba, 32),
        E::Cmyk8 => info(Cmyk, 8),
        E::Cmyk16 => info(Cmyk, 16),
        _ => return None,
    })
}

fn from_color_type(t: ColorType) -> ColourInfo {
    let kind = match (t.has_color(), t.has_alpha()) {
        (false, false) => ColourKind::Grey,
        (false, true) => ColourKind::GreyAlpha,
        (true, false) => ColourKind::Rgb,
        (true, true) => ColourKind::Rgba,
    };
    let bits = t.bits_per_pixel() / u16::from(t.channel_count().max(1));
    info(kind, u8::try_from(bits).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_types_map_to_kind_and_depth() {
        assert_eq!(
            from_extended(ExtendedColorType::L1),
            Some(info(ColourKind::Grey, 1))
        );
        assert_eq!(
            from_extended(ExtendedColorType::Rgba16),
            Some(info(ColourKind::Rgba, 16))
        );
        assert_eq!(
            from_extended(ExtendedColorType::Cmyk8),
            Some(info(ColourKind::Cmyk, 8))
        );
        assert_eq!(from_extended(ExtendedColorType::Unknown(3)), None);
    }

    #[test]
    fn decoded_types_as_fallback() {
        assert_eq!(
            from_color_type(ColorType::La16),
            info(ColourKind::GreyAlpha, 16)
        );
        assert_eq!(
            from_color_type(ColorType::Rgb32F),
            info(ColourKind::Rgb, 32)
        );
        assert_eq!(from_color_type(ColorType::Rgba8), info(ColourKind::Rgba, 8));
    }
}
