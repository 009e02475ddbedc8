//! Image decoding under limits with EXIF orientation, and per-image quality analysis.
//!
//! - [`decode_bytes`]: sniff the format from content, check [`DecodeLimits`] against the
//!   header, decode once, turn upright. Never panics on bad input; every failure is a
//!   [`DecodeError`].
//! - [`analyse`]: sharpness, tone, colour, alpha and a perceptual hash, from one small
//!   downscale of the decoded image.
//! - [`resize`], [`jpeg`], [`phash`], [`sharpness`]: helpers other crates reuse.
//!
//! Its only zcurate dependency is the manifest (plain data), whose [`ColourKind`] a decode
//! reports; callers map the other plain structs.
//!
//! [`ColourKind`]: zcurate_manifest::ColourKind

pub mod analysis;
pub mod colour;
mod decode;
pub mod error;
pub mod format;
pub mod jpeg;
pub mod limits;
pub mod phash;
mod probe;
pub mod resize;
pub mod sharpness;

#[cfg(test)]
mod test_util;

pub use analysis::{Analysis, AnalysisSettings, analyse, analyse_image, analyse_keep_working};
pub use colour::ColourInfo;
pub use decode::{Decoded, decode_bytes};
pub use error::DecodeError;
pub use format::Format;
pub use limits::DecodeLimits;
pub use phash::{PhashPair, hamming, phash_hex, region_phash};
pub use sharpness::region_sharpness;
