//! `zcurate crop`: flags over `[crop]` over the crop crate's defaults.

use anyhow::Result;
use zcurate_crop::{CropOptions, Rgb};
use zcurate_framing::FramingThresholds;

use super::Config;
use super::source::Flag;
use crate::commands::crop::CropArgs;

const FRAMING: Flag = Flag::new("framing", "--framing");
const SIZE: Flag = Flag::new("size", "--size");
const MULTIPLE: Flag = Flag::new("multiple", "--multiple");
const QUALITY: Flag = Flag::new("quality", "--quality");
const MIN_FACE: Flag = Flag::new("min_face", "--min-face");

/// The crop options: each flag over its `[crop]` key over the default, each value checked by
/// the crop crate's rule for it (combinations by `CropOptions::validate`). `thresholds` are the
/// face step's, so that a re-scan of the crops agrees with the plan.
pub(crate) fn crop_options(
    args: &CropArgs,
    config: &Config,
    thresholds: FramingThresholds,
) -> Result<CropOptions> {
    let file = config.options.crop.clone().unwrap_or_default();
    let defaults = CropOptions::default();
    let layers = config.layers();
    let framing = layers
        .pick(
            (args.framing, FRAMING),
            (file.framing, "[crop] framing"),
            defaults.framing,
        )
        .check(|&f| CropOptions::check_framing(f))?;
    let size = layers
        .pick((args.size, SIZE), (file.size, "[crop] size"), defaults.size)
        .check(|&px| CropOptions::check_size(px))?;
    let multiple = layers
        .pick(
            (args.multiple, MULTIPLE),
            (file.multiple, "[crop] multiple"),
            defaults.multiple,
        )
        .check(|&m| CropOptions::check_multiple(m))?;
    let quality = layers
        .pick(
            (args.quality, QUALITY),
            (file.quality, "[crop] quality"),
            defaults.quality,
        )
        .check(|&q| CropOptions::check_quality(q))?;
    let min_face_px = layers
        .pick(
            (args.min_face, MIN_FACE),
            (file.min_face, "[crop] min-face"),
            defaults.min_face_px,
        )
        .check(|&px| CropOptions::check_min_face(px))?;
    let pad_colour = args.pad_colour.or(file.pad_colour).unwrap_or(Rgb::GREY);
    Ok(CropOptions {
        framing,
        aspect: args.aspect.or(file.aspect).unwrap_or(defaults.aspect),
        size,
        multiple,
        format: args.format.or(file.format).unwrap_or(defaults.format),
        quality,
        all_faces: args.all_faces,
        min_face_px,
        allow_upscale: args.allow_upscale || file.allow_upscale.unwrap_or(false),
        level_eyes: args.level_eyes || file.level_eyes.unwrap_or(false),
        pad: args.pad.or(file.pad).map(|p| p.with_colour(pad_colour)),
        composition: file.composition.unwrap_or(defaults.composition),
        thresholds,
    })
}
