//! Nerogar/OneTrainer: the config JSON (`modules/util/config/TrainConfig.py`, values from
//! the `training_presets/Z-Image/` presets), the concepts JSON (`ConceptConfig.py`) and the
//! samples JSON. JSON holds no comments, so the README lists each key's source.
//!
//! Each file carries the config version it is written in (`__version`): without it
//! `from_dict(..., migrate=True)`, what `scripts/train.py --config-path` and the UI call, runs
//! every migration from version 0 and fails on a current config.

use super::{Ctx, DETURBO_FILE, DETURBO_REPO, Emitted, EmittedFile, sh_quote};
use crate::doc::Map;
use crate::plan::SAVE_EVERY_STEPS;
use crate::trainer::Model;

pub(crate) const CONFIG: &str = "config.json";
pub(crate) const CONCEPTS: &str = "concepts.json";
pub(crate) const SAMPLES: &str = "samples.json";
/// `TrainConfig`'s `config_version` (TrainConfig.py at commit 23df3832): the migrations up
/// to it are for older files.
pub(crate) const TRAIN_CONFIG_VERSION: u32 = 11;
/// `ConceptConfig`'s `config_version` at the same commit.
pub(crate) const CONCEPT_CONFIG_VERSION: u32 = 2;

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let s = p.sampling();
    let model = super::model(ctx);
    let deturbo = model != Model::ZImage;
    let mut transformer = Map::new().set("train", true).note(
        "weight_dtype",
        if deturbo { "INT_W8A8" } else { "FLOAT_8" },
        "the Z-Image LoRA 16GB presets",
    );
    if deturbo {
        transformer.push(
            "model_name",
            format!("https://huggingface.co/{DETURBO_REPO}/blob/main/{DETURBO_FILE}"),
            Some(if model == Model::ZImageTurbo {
                "OneTrainer has no Turbo training adapter: train the De-Turbo transformer, as its `#z-image DeTurbo LoRA` preset does"
            } else {
                "the `#z-image DeTurbo LoRA` preset"
            }),
        );
    }
    let config = Map::new()
        .note(
            "__version",
            TRAIN_CONFIG_VERSION,
            "TrainConfig's config_version: no migration runs on this file",
        )
        .note("model_type", "Z_IMAGE", "modules/util/enum/ModelType.py")
        .set("training_method", "LORA")
        .note(
            "base_model_name",
            if deturbo { super::TURBO_REPO } else { super::BASE_REPO },
            "presets: Base for Z-Image; Turbo for the De-Turbo transformer's other parts",
        )
        .set("output_model_format", "DIFFUSERS_LORA")
        .set(
            "output_model_destination",
            ctx.path(&format!("output/{}.safetensors", ctx.name)),
        )
        .set("workspace_dir", ctx.path("workspace"))
        .set("cache_dir", ctx.path("cache"))
        .note("concept_file_name", ctx.path(CONCEPTS), "TrainConfig default is training_concepts/concepts.json")
        .note(
            "sample_definition_file_name",
            ctx.path(SAMPLES),
            "sample prompts (read from TrainConfig; cadence left at OneTrainer's default)",
        )
        .note("batch_size", p.batch_size, "README: batch size (presets use 2)")
        .note("learning_rate", p.learning_rate, "the Z-Image LoRA presets")
        .note("epochs", p.epochs, "OneTrainer counts epochs: enough for the recommended steps")
        .note(
            "resolution",
            p.resolution().to_string(),
            "a string; the size most images reach (presets: \"512\"). OneTrainer scales every image to its bucket, upscaling smaller ones",
        )
        .note("aspect_ratio_bucketing", true, "buckets quantised to 64 for Z-Image")
        .note("lora_rank", p.rank, "README: rank (TrainConfig default 16)")
        .note("lora_alpha", 1.0, "TrainConfig default")
        .note(
            "dropout_probability",
            p.lora_dropout.unwrap_or(0.0),
            "top-level: LoRA dropout (\"#this is LoRA dropout!\"); README, LoRA dropout",
        )
        .set("transformer", transformer)
        .set(
            "text_encoder",
            Map::new()
                .set("train", false)
                .set("weight_dtype", "FLOAT_8")
                .note(
                    "dropout_probability",
                    p.caption_dropout.unwrap_or(0.0),
                    "caption dropout (\"#this is text encoder caption dropout!\"): must be 0 for Z-Image, whose encode_text raises NotImplementedError for it (modules/model/ZImageModel.py)",
                ),
        )
        .set("vae", Map::new().set("weight_dtype", "FLOAT_32"))
        .set("train_dtype", "BFLOAT_16")
        .set("output_dtype", "BFLOAT_16")
        .note(
            "layer_filter",
            "^(?=.*attention)(?!.*refiner).*,^(?=.*feed_forward)(?!.*refiner).*",
            "the Z-Image presets: attention and MLP, not the refiner",
        )
        .set("layer_filter_preset", "attn-mlp")
        .set("layer_filter_regex", true)
        .note(
            "quantization",
            Map::new()
                .set("layer_filter", "layers")
                .set("layer_filter_preset", "blocks"),
            "the Z-Image presets: quantise the transformer blocks only, not the embedders and final layer",
        )
        .note("timestep_distribution", "LOGIT_NORMAL", "the Z-Image presets")
        .note(
            "save_every",
            SAVE_EVERY_STEPS,
            "a checkpoint every 250 steps (the default 0/NEVER saves none): pick an early one",
        )
        .set("save_every_unit", "STEP")
        .note("sample_after", SAVE_EVERY_STEPS, "samples with each checkpoint")
        .set("sample_after_unit", "STEP");

    let concept = Map::new()
        .note(
            "__version",
            CONCEPT_CONFIG_VERSION,
            "ConceptConfig's config_version",
        )
        .set("name", ctx.name.as_str())
        .set("path", ctx.images_dir.as_str())
        .set("enabled", true)
        .set("include_subdirectories", false)
        .note("balancing", f64::from(p.repeats), "README: repeats")
        .note(
            "balancing_strategy",
            "REPEATS",
            "balancing counts repeats, kohya-style",
        )
        .set(
            "image",
            Map::new().note(
                "enable_random_flip",
                false,
                "mirroring confuses an asymmetric face",
            ),
        )
        .set(
            "text",
            Map::new()
                .note("prompt_source", "sample", "the .txt next to each image")
                .note("enable_tag_shuffling", false, "the trigger stays first"),
        );

    let samples: Vec<Map> = p
        .samples
        .iter()
        .map(|sp| {
            Map::new()
                .set("enabled", true)
                .set("prompt", sp.prompt.as_str())
                .set("negative_prompt", "")
                .note("width", p.sample_size(), "samples at Z-Image's native size")
                .set("height", p.sample_size())
                .set("seed", crate::plan::SAMPLE_SEED)
                .note("diffusion_steps", s.steps, "README: sampling")
                .note("cfg_scale", s.guidance, "README: sampling")
        })
        .collect();

    Emitted {
        files: vec![
            EmittedFile::json(CONFIG, &config),
            EmittedFile::json_list(CONCEPTS, &[concept]),
            EmittedFile::json_list(SAMPLES, &samples),
        ],
        main: CONFIG.to_owned(),
        run: Some(format!(
            "cd OneTrainer && python scripts/train.py --config-path {}",
            sh_quote(&ctx.path(CONFIG))
        )),
        todo: Vec::new(),
    }
}
