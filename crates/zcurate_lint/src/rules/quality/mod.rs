//! `QLT`: exposure, sharpness and colour of each image (cleanvision's image-property checks,
//! with thresholds named in the profile).

pub(crate) mod blurry_image;
pub(crate) mod dark_image;
pub(crate) mod greyscale_in_colour_set;
pub(crate) mod low_contrast_image;
pub(crate) mod low_information_image;
pub(crate) mod overexposed_image;
