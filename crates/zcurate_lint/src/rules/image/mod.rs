//! `IMG`: files and image formats.

pub(crate) mod animated_image;
pub(crate) mod cmyk_image;
pub(crate) mod exif_rotated_image;
pub(crate) mod extension_mismatch;
pub(crate) mod extreme_aspect_ratio;
pub(crate) mod high_bit_depth_image;
pub(crate) mod image_far_too_small;
pub(crate) mod image_too_small;
pub(crate) mod transparent_image;
pub(crate) mod unreadable_image;
pub(crate) mod unsupported_format;
