//! tdrussell/diffusion-pipe: `dataset.toml` (`examples/dataset.toml`) and the main config
//! (`examples/main_example.toml`, Z-Image `[model]` from `docs/supported_models.md`).

use super::{ADAPTER_FILE, Ctx, Emitted, EmittedFile, TEXT_ENCODER_FILE, VAE_FILE, sh_quote};
use crate::doc::Map;
use crate::plan::SAVE_EVERY_STEPS;

pub(crate) const DATASET: &str = "dataset.toml";
pub(crate) const CONFIG: &str = "config.toml";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let dataset = Map::new()
        .note(
            "resolutions",
            p.resolutions.clone(),
            "areas, up to the size most images reach (README); each entry duplicates the dataset (counted in epochs). diffusion-pipe resizes every image to each size, upscaling smaller ones",
        )
        .note("enable_ar_bucket", true, "examples/dataset.toml")
        .set("min_ar", 0.5)
        .set("max_ar", 2.0)
        .set("num_ar_buckets", 7_u32)
        .set(
            "directory",
            vec![
                Map::new()
                    .note(
                        "path",
                        ctx.images_dir.as_str(),
                        "captions are .txt files with the image's stem",
                    )
                    .note("num_repeats", p.repeats, "1 = once, as sd-scripts"),
            ],
        );

    let model = super::model(ctx);
    let mut model_map = Map::new()
        .set("type", "z_image")
        .note(
            "diffusion_model",
            ctx.model_file(super::dit_file(model)),
            if model == crate::trainer::Model::ZImage {
                "ComfyUI single files (docs/supported_models.md); the Base file name is not in the docs read: check it"
            } else {
                "ComfyUI single files (docs/supported_models.md)"
            },
        )
        .set("vae", ctx.model_file(VAE_FILE))
        .set(
            "text_encoders",
            vec![
                Map::new()
                    .set("path", ctx.model_file(TEXT_ENCODER_FILE))
                    .set("type", "lumina2"),
            ],
        );
    if super::adapter(ctx) {
        model_map.push(
            "merge_adapters",
            vec![ctx.model_file(ADAPTER_FILE)],
            Some("Turbo training adapter (the docs' example still names v1; v2 is ai-toolkit's default)"),
        );
    }
    let model_map = model_map.set("dtype", "bfloat16");

    let mut adapter = Map::new()
        .set("type", "lora")
        .note(
            "rank",
            p.rank,
            "alpha is forced equal to rank (train.py rejects `alpha`)",
        )
        .set("dtype", "bfloat16");
    if let Some(d) = p.lora_dropout {
        adapter.push(
            "dropout",
            d,
            Some("LoRA dropout (peft lora_dropout): README, LoRA dropout"),
        );
    }

    let mut config = Map::new()
        .set("output_dir", ctx.path("output"))
        .set("dataset", ctx.path(DATASET))
        .note(
            "epochs",
            p.epochs,
            "enough epochs for the recommended steps; max_steps stops the run there",
        )
        .note("max_steps", p.steps, "README: steps")
        .set("micro_batch_size_per_gpu", p.batch_size)
        .set("pipeline_stages", 1_u32)
        .set("gradient_accumulation_steps", 1_u32)
        .set("gradient_clipping", 1.0)
        .set("warmup_steps", 100_u32)
        .note(
            "save_every_n_steps",
            SAVE_EVERY_STEPS,
            "a checkpoint every 250 steps, all kept: pick an early one",
        )
        .set("activation_checkpointing", true)
        .set("save_dtype", "bfloat16")
        .set("caching_batch_size", 1_u32);
    if let Some(d) = p.caption_dropout {
        config.push(
            "uncond_fraction",
            d,
            Some("caption dropout: replaces the caption with '' (train.py L288, code-only, undocumented)"),
        );
    }
    let config = config.set("model", model_map).set("adapter", adapter).set(
        "optimizer",
        Map::new()
            .note("type", "adamw_optimi", "examples/main_example.toml default")
            .note(
                "lr",
                p.learning_rate,
                "the Z-Image value of the other trainers (the example's 2e-5 is for HunyuanVideo)",
            )
            .set("betas", vec![0.9, 0.99])
            .set("weight_decay", 0.01)
            .set("eps", 0.000_000_01),
    );

    let mut todo = Vec::new();
    if ctx.models_dir.is_none() {
        todo.push(format!(
            "replace {}/ in config.toml with the folder of your ComfyUI model files (or export with --models-dir)",
            super::MODEL_PLACEHOLDER
        ));
    }
    todo.push(
        "diffusion-pipe writes no sample images during training (eval losses only): try the sample prompts in README.md on the saved LoRA".to_owned(),
    );
    Emitted {
        files: vec![
            EmittedFile::toml(DATASET, ctx, &dataset),
            EmittedFile::toml(CONFIG, ctx, &config),
        ],
        main: CONFIG.to_owned(),
        run: Some(format!(
            "cd diffusion-pipe && deepspeed --num_gpus=1 train.py --deepspeed --config {}",
            sh_quote(&ctx.path(CONFIG))
        )),
        todo,
    }
}
