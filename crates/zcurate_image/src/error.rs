//! The one error type of this crate, split by fault so callers can report it well.

use crate::format::Format;

/// Why bytes could not be decoded into an image.
///
/// Split by fault, as in the `image` crate: an empty file, data that stops early, damaged
/// data, something that is not a (supported) image, and an image too big to decode safely.
/// Every variant carries a message fit for a user; none of them is a bug in the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// There are no bytes at all.
    #[error("empty file")]
    Empty,
    /// The data ends before the image does, as after an interrupted download or copy.
    #[error("truncated {format} data: {message}")]
    Truncated {
        /// The format sniffed from the content.
        format: Format,
        /// What was missing, or the decoder's message.
        message: String,
    },
    /// The data is damaged or breaks the format's rules.
    #[error("corrupt {format} data: {message}")]
    Corrupt {
        /// The format sniffed from the content.
        format: Format,
        /// The decoder's message.
        message: String,
    },
    /// Not an image, or a format or format feature this crate does not decode.
    #[error("{found}")]
    Unsupported {
        /// What was found instead, e.g. `not an image: starts with text "<!DOCTYPE html>"`.
        found: String,
    },
    /// The header asks for more pixels or memory than [`DecodeLimits`](crate::DecodeLimits)
    /// allow; nothing was allocated for the pixels.
    #[error("exceeds decode limits: {message}")]
    Limits {
        /// Which limit, with the image's numbers where known.
        message: String,
    },
}

impl DecodeError {
    /// The sniffed format for errors that found one.
    pub fn format(&self) -> Option<Format> {
        match self {
            Self::Truncated { format, .. } | Self::Corrupt { format, .. } => Some(*format),
            Self::Empty | Self::Unsupported { .. } | Self::Limits { .. } => None,
        }
    }
}
