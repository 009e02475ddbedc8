//! `zcurate crop`: flags over `[crop]` over the crop crate's defaults.

use anyhow::Result;
use zcurate_crop::{CropOptions, Rgb};
use zcurate_framing::{Framing, FramingThresholds};

use super::Config;
use super::source::Flag;
use crate::commands::crop::CropArgs;

const FRAMING: Flag = Flag::new("framing", "--framing");

/// The crop options: each flag over its `[crop]` key over the default. `thresholds` are the
/// face step's, so that a re-scan of the crops agrees with the plan.
pub(crate) fn crop_options(
    args: &CropArgs,
    config: &Config,
    thresholds: FramingThresholds,
) -> Result<CropOptions> {
    let file = config.options.crop.clone().unwrap_or_default();
    let defaults = CropOptions::default();
    let framing = config
        .layers()
        .pick(
            (args.framing.map(Framing::from), FRAMING),
            (file.framing, "[crop] framing"),
            defaults.framing,
        )
        .check(|&f| {
            if f.rank().is_some() {
                Ok(f)
            } else {
                Err("not a framing a crop can aim for; expected close-up, head-shoulders, upper-body, knee-up or full-body")
            }
        })?;
    let pad_colour = args.pad_colour.or(file.pad_colour).unwrap_or(Rgb::GREY);
    Ok(CropOptions {
        framing,
        aspect: args.aspect.or(file.aspect).unwrap_or(defaults.aspect),
        size: args.size.or(file.size).unwrap_or(defaults.size),
        multiple: args.multiple.or(file.multiple).unwrap_or(defaults.multiple),
        format: args.format.or(file.format).unwrap_or(defaults.format),
        quality: args.quality.or(file.quality).unwrap_or(defaults.quality),
        all_faces: args.all_faces,
        min_face_px: args
            .min_face
            .or(file.min_face)
            .unwrap_or(defaults.min_face_px),
        allow_upscale: args.allow_upscale || file.allow_upscale.unwrap_or(false),
        level_eyes: args.level_eyes || file.level_eyes.unwrap_or(false),
        pad: args.pad.or(file.pad).map(|p| p.with_colour(pad_colour)),
        composition: file.composition.unwrap_or(defaults.composition),
        thresholds,
    })
}
