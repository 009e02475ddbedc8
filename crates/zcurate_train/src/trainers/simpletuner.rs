//! bghira/SimpleTuner: `config.json` (keys of `documentation/OPTIONS.md`, values from
//! `simpletuner/examples/z-image-turbo.peft-lora/config.json`), the multidatabackend JSON
//! (`documentation/DATALOADER.md`) and a user prompt library for the neutral prompts.

use super::{Ctx, Emitted, EmittedFile, sh_quote};
use crate::doc::Map;
use crate::plan::{SAMPLE_SEED, SAVE_EVERY_STEPS};
use crate::trainer::Model;

pub(crate) const CONFIG: &str = "config.json";
pub(crate) const BACKENDS: &str = "multidatabackend.json";
pub(crate) const PROMPTS: &str = "user_prompt_library.json";
const DATASET_ID: &str = "zcurate-dataset";
const TEXT_EMBEDS_ID: &str = "zcurate-text-embeds";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let s = p.sampling();
    let r = p.resolution();
    let flavour = match super::model(ctx) {
        Model::ZImageTurbo => "turbo-ostris-v2",
        Model::ZImage => "base",
        Model::ZImageDeturbo => "ostris-de-turbo",
    };
    let config = Map::new()
        .set("model_type", "lora")
        .note(
            "model_family",
            "z_image",
            "the example config's spelling (the quickstart prose says z-image)",
        )
        .note(
            "model_flavour",
            flavour,
            "turbo-ostris-v2 loads the Turbo training adapter v2 automatically",
        )
        .set("lora_type", "standard")
        .note("lora_rank", p.rank, "README: rank (the example uses 64)")
        .note("lora_alpha", p.rank, "alpha = rank, as ai-toolkit")
        .note(
            "lora_dropout",
            p.lora_dropout.unwrap_or(0.0),
            "always written: SimpleTuner's default is 0.1 (README, LoRA dropout)",
        );
    let prompt_names: Vec<(String, &str)> = p
        .samples
        .iter()
        .enumerate()
        .map(|(i, sp)| {
            let kind = if sp.with_trigger {
                "subject"
            } else {
                "neutral"
            };
            (format!("{kind}_{}", i + 1), sp.prompt.as_str())
        })
        .collect();
    let config = config
        .set("output_dir", ctx.path("output"))
        .set("data_backend_config", ctx.path(BACKENDS))
        .note("learning_rate", p.learning_rate, "the Z-Image example")
        .note("optimizer", "optimi-lion", "the Z-Image example")
        .set("lr_scheduler", "constant_with_warmup")
        .set("lr_warmup_steps", 100_u32)
        .note("max_train_steps", p.steps, "README: steps")
        .note("num_train_epochs", 0_u32, "0: max_train_steps decides")
        .set("train_batch_size", p.batch_size)
        .note(
            "caption_dropout_probability",
            p.caption_dropout.unwrap_or(0.0),
            "README: caption dropout (the example uses 0.0)",
        )
        .note("resolution", r, "the size most images reach (README)")
        .set("resolution_type", "pixel_area")
        .set("mixed_precision", "bf16")
        .set("gradient_checkpointing", true)
        .note(
            "base_model_precision",
            "int8-torchao",
            "the Z-Image example",
        )
        .set("checkpoint_step_interval", SAVE_EVERY_STEPS)
        .note(
            "checkpoints_total_limit",
            p.checkpoints(),
            "every checkpoint of the run, so the early ones are not pruned",
        )
        .set("validation_prompt", p.samples[0].prompt.as_str())
        .note(
            "user_prompt_library",
            ctx.path(PROMPTS),
            "the other sample prompts, neutral ones included",
        )
        .note(
            "validation_step_interval",
            SAVE_EVERY_STEPS,
            "with each checkpoint",
        )
        .note("validation_guidance", s.guidance, "README: sampling")
        .note(
            "validation_num_inference_steps",
            s.steps,
            "README: sampling",
        )
        .note(
            "validation_resolution",
            format!("{s}x{s}", s = p.sample_size()),
            "samples at Z-Image's native size",
        )
        .set("validation_seed", SAMPLE_SEED)
        .set("seed", SAMPLE_SEED)
        .set("report_to", "none")
        .set("push_to_hub", false);

    let backend = Map::new()
        .set("id", DATASET_ID)
        .set("type", "local")
        .set("instance_data_dir", ctx.images_dir.as_str())
        .note(
            "caption_strategy",
            "textfile",
            "the .txt next to each image",
        )
        .set("resolution", r)
        .set("resolution_type", "pixel_area")
        .note(
            "minimum_image_size",
            r,
            "DATALOADER.md: keep it equal to resolution; smaller images are skipped (README lists them)",
        )
        .note("crop", false, "images are used whole, bucketed by aspect")
        .note(
            "repeats",
            p.repeats - 1,
            "SimpleTuner counts extra passes: 0 = once, so kohya repeats minus one",
        )
        .set("cache_dir_vae", ctx.path("cache/vae"))
        .set("text_embeds", TEXT_EMBEDS_ID);
    let text_embeds = Map::new()
        .set("id", TEXT_EMBEDS_ID)
        .set("dataset_type", "text_embeds")
        .set("default", true)
        .set("type", "local")
        .set("cache_dir", ctx.path("cache/text"));

    let mut library = Map::new();
    for (name, prompt) in &prompt_names {
        library.push(name, *prompt, None);
    }

    Emitted {
        files: vec![
            EmittedFile::json(CONFIG, &config),
            EmittedFile::json_list(BACKENDS, &[backend, text_embeds]),
            EmittedFile::json(PROMPTS, &library),
        ],
        main: CONFIG.to_owned(),
        // `simpletuner train` without --env or --example reads config.json from the current
        // folder (simpletuner/cli/train.py, find_config_file).
        run: Some(format!("cd {} && simpletuner train", sh_quote(&ctx.out))),
        todo: Vec::new(),
    }
}
