//! kohya-ss/sd-scripts: the three-level dataset TOML (`docs/config_README-en.md`) with the
//! images in a kohya `N_trigger` repeat folder, and the sample prompts file. sd-scripts has
//! no Z-Image training script (research notes §3.2), so no command is written.

use super::{Ctx, Emitted, EmittedFile};
use crate::doc::Map;

pub(crate) const DATASET: &str = "dataset.toml";
pub(crate) const PROMPTS: &str = "sample_prompts.txt";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let general = Map::new()
        .set("enable_bucket", true)
        .note(
            "bucket_reso_steps",
            p.bucket_multiple,
            "sd-scripts' default 64",
        )
        .note("bucket_no_upscale", true, "never enlarge a small image")
        .note(
            "resolution",
            p.resolution(),
            "capped by the smallest image side",
        )
        .set("batch_size", p.batch_size)
        .set("caption_extension", ".txt")
        .note(
            "shuffle_caption",
            false,
            "caption order matters: trigger first",
        )
        .note("keep_tokens", 1_u32, "the trigger stays first");
    let subset = Map::new()
        .note(
            "image_dir",
            ctx.images_dir.as_str(),
            "a kohya N_trigger folder, so --train_data_dir use sees the same repeats",
        )
        .note(
            "num_repeats",
            p.repeats,
            "1 = once; with a config file folder-name repeats are not honoured, so set here too",
        )
        .note(
            "caption_dropout_rate",
            p.caption_dropout.unwrap_or(0.0),
            "cannot be combined with cached text-encoder outputs",
        )
        .note(
            "class_tokens",
            p.trigger.as_str(),
            "used only when an image has no caption; every exported image has one",
        );
    let doc = Map::new()
        .set("general", general)
        .set("datasets", vec![Map::new().set("subsets", vec![subset])]);
    Emitted {
        files: vec![
            EmittedFile::toml(DATASET, ctx, &doc),
            EmittedFile::text(PROMPTS, super::kohya_sample_prompts(ctx)),
        ],
        main: DATASET.to_owned(),
        run: None,
        todo: vec![
            "sd-scripts has no Z-Image training script: use this dataset config with a script that supports the model (musubi-tuner reads the same layout), with --dataset_config, --network_module networks.lora and, for bleed risks, --network_dropout".to_owned(),
        ],
    }
}
