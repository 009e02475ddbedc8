//! Decode limits: the guard against decompression bombs.

use serde::{Deserialize, Serialize};

use crate::error::DecodeError;

/// Default [`DecodeLimits::max_width`] and [`DecodeLimits::max_height`], in pixels.
///
/// 16384 px a side is four times the long side of a 24 MP camera photo and far beyond any
/// training resolution, while a 15-byte PNG header can claim 4 billion a side.
pub const DEFAULT_MAX_SIDE: u32 = 16_384;

/// Default [`DecodeLimits::max_alloc`]: 512 MiB for the decoded pixel buffer.
///
/// This is the `image` crate's own default; it holds a 100 MP RGB photo or a 50 MP 16-bit
/// RGBA one. Callers decoding on many threads at once multiply it by their thread count.
pub const DEFAULT_MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Limits checked against the header before any pixel buffer is allocated.
///
/// A header claiming 100000 × 100000 fails at once with [`DecodeError::Limits`].
/// `max_alloc` bounds the decoded buffer; applying an EXIF rotation briefly needs a second
/// buffer of the same size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecodeLimits {
    /// Widest image accepted, in pixels, before orientation is applied.
    pub max_width: u32,
    /// Tallest image accepted, in pixels, before orientation is applied.
    pub max_height: u32,
    /// Largest decoded buffer accepted, in bytes (width × height × bytes per pixel).
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_width: DEFAULT_MAX_SIDE,
            max_height: DEFAULT_MAX_SIDE,
            max_alloc: DEFAULT_MAX_ALLOC,
        }
    }
}

impl DecodeLimits {
    /// Fails with [`DecodeError::Limits`] when `width × height` is over the side limits.
    pub fn check_dimensions(&self, width: u32, height: u32) -> Result<(), DecodeError> {
        if width > self.max_width || height > self.max_height {
            return Err(DecodeError::Limits {
                message: format!(
                    "{width}×{height} px is larger than the {}×{} px limit",
                    self.max_width, self.max_height
                ),
            });
        }
        Ok(())
    }

    /// Fails with [`DecodeError::Limits`] when a decoded buffer of `bytes` is over `max_alloc`.
    pub(crate) fn check_alloc(
        &self,
        bytes: u64,
        width: u32,
        height: u32,
    ) -> Result<(), DecodeError> {
        if bytes > self.max_alloc {
            return Err(DecodeError::Limits {
                message: format!(
                    "{width}×{height} px needs {} MiB, more than the {} MiB limit",
                    bytes.div_ceil(1024 * 1024),
                    self.max_alloc / (1024 * 1024)
                ),
            });
        }
        Ok(())
    }

    /// The same limits in the form the `image` decoders enforce themselves.
    pub(crate) fn to_image_limits(self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_width);
        limits.max_image_height = Some(self.max_height);
        limits.max_alloc = Some(self.max_alloc);
        limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_documented_values() {
        let l = DecodeLimits::default();
        assert_eq!((l.max_width, l.max_height), (16_384, 16_384));
        assert_eq!(l.max_alloc, 512 << 20);
    }

    #[test]
    fn dimension_check_names_both_sizes() {
        let err = DecodeLimits::default()
            .check_dimensions(100_000, 10)
            .unwrap_err();
        assert!(matches!(&err, DecodeError::Limits { message } if message.contains("100000×10")));
        assert!(
            DecodeLimits::default()
                .check_dimensions(16_384, 16_384)
                .is_ok()
        );
    }

    #[test]
    fn alloc_check_counts_bytes() {
        let l = DecodeLimits {
            max_alloc: 1000,
            ..DecodeLimits::default()
        };
        assert!(l.check_alloc(1000, 10, 10).is_ok());
        assert!(matches!(
            l.check_alloc(1001, 10, 10),
            Err(DecodeError::Limits { .. })
        ));
    }
}
