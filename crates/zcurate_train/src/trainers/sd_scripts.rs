//! kohya-ss/sd-scripts: the three-level dataset TOML (`docs/config_README-en.md`) with the
//! images in a kohya `N_trigger` repeat folder, and the sample prompts file. sd-scripts has
//! no Z-Image training script on any branch (checked at commit 48d368fa), so no command is
//! written, and its dataset TOML is not musubi-tuner's (musubi's sanitizer rejects
//! `bucket_reso_steps` and has no subsets): Z-Image with kohya's tools is `--trainer
//! musubi-tuner`.

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
        .note(
            "bucket_no_upscale",
            true,
            "an image under the resolution trains at its own size, never enlarged",
        )
        .note(
            "resolution",
            p.resolution(),
            "the size most images reach (README)",
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
            class_tokens(p),
            "trigger and class word, the caption of an image without one (every exported image has one)",
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
            "sd-scripts has no Z-Image training script on any branch: this is its dataset layout only, for its other models. To train Z-Image with kohya's tools, export for musubi-tuner instead (`--trainer musubi-tuner`): its dataset config is different (no subsets, no bucket_reso_steps) and it needs `--network_module networks.lora_zimage`".to_owned(),
        ],
    }
}

/// `zq woman`: what a missing caption becomes, as the exported captions do.
fn class_tokens(p: &crate::plan::Plan) -> String {
    crate::dataset::caption_with_trigger(None, &p.trigger, p.class_word.as_deref()).0
}
