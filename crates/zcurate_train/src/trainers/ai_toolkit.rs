//! ostris/ai-toolkit: one YAML job config (`python run.py config.yaml`). Keys from
//! `toolkit/config_modules.py`, values from the UI presets (`options.tsx`, `jobConfig.ts`),
//! as assembled in research notes §2.5.

use super::{ADAPTER_FILE, ADAPTER_REPO, Ctx, DETURBO_REPO, Emitted, EmittedFile, TURBO_REPO};
use crate::doc::Map;
use crate::plan::{SAMPLE_SEED, SAVE_EVERY_STEPS};
use crate::trainer::Model;

pub(crate) const CONFIG: &str = "config.yaml";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let s = p.sampling();
    let model = super::model(ctx);

    let mut network = Map::new()
        .note("type", "lora", "UI default network")
        .note("linear", p.rank, "rank: UI default 32")
        .note("linear_alpha", p.rank, "UI default: alpha = rank");
    if let Some(d) = p.lora_dropout {
        network.push(
            "dropout",
            d,
            Some("LoRA (neuron) dropout: README, LoRA dropout"),
        );
    }

    let dataset = Map::new()
        .set("folder_path", ctx.images_dir.as_str())
        .note("caption_ext", "txt", "captions are .txt sidecars")
        .note(
            "caption_dropout_rate",
            p.caption_dropout.unwrap_or(0.0),
            "UI default 0.05; with trigger_word set, a dropped caption keeps the trigger (ui/src/docs.tsx)",
        )
        .note("shuffle_tokens", false, "caption order matters: trigger first")
        .note("cache_latents_to_disk", false, "UI default")
        .note(
            "resolution",
            p.resolutions.clone(),
            "up to the size most images reach (README); ai-toolkit never upscales: a smaller image trains at its own size. Each entry is a copy of the dataset",
        )
        .note("num_repeats", p.repeats, "1 = once: ai-toolkit counts steps, not epochs")
        .note("flip_x", false, "UI default; mirroring confuses an asymmetric face");

    let mut model_map = Map::new();
    match model {
        Model::ZImageTurbo => {
            model_map.push("name_or_path", TURBO_REPO, Some("zimage:turbo UI preset"));
            model_map.push(
                "arch",
                "zimage:turbo",
                Some("\"Z-Image Turbo (w/ Training Adapter)\"; the backend strips `:turbo`"),
            );
            model_map.push(
                "assistant_lora_path",
                format!("{ADAPTER_REPO}/{ADAPTER_FILE}"),
                Some("training adapter v2, the default since commit 6c851844 (2025-12-02); subtracted while sampling"),
            );
        }
        Model::ZImage => {
            model_map.push(
                "name_or_path",
                super::BASE_REPO,
                Some("zimage UI preset (Base)"),
            );
            model_map.push("arch", "zimage", None);
        }
        Model::ZImageDeturbo => {
            model_map.push(
                "name_or_path",
                DETURBO_REPO,
                Some("zimage:deturbo UI preset"),
            );
            model_map.push(
                "extras_name_or_path",
                TURBO_REPO,
                Some("De-Turbo ships only the transformer; the rest comes from Turbo"),
            );
            model_map.push("arch", "zimage:deturbo", None);
        }
    }
    let model_map = model_map
        .note("quantize", true, "UI preset: fits 24 GB")
        .set("qtype", "qfloat8")
        .set("quantize_te", true)
        .set("qtype_te", "qfloat8")
        .set("low_vram", true);

    let samples: Vec<Map> = p
        .samples
        .iter()
        .map(|sp| Map::new().set("prompt", sp.prompt.as_str()))
        .collect();
    let sample = Map::new()
        .set("sampler", "flowmatch")
        .note("sample_every", SAVE_EVERY_STEPS, "UI default 250")
        .note("width", p.sample_size(), "samples at Z-Image's native size")
        .set("height", p.sample_size())
        .note(
            "samples",
            samples,
            "trigger prompts check identity; neutral ones (no trigger) must not show the subject. Sample prompts get no trigger automatically",
        )
        .set("neg", "")
        .set("seed", SAMPLE_SEED)
        .set("walk_seed", true)
        .note(
            "guidance_scale",
            s.guidance,
            match model {
                Model::ZImageTurbo => "zimage:turbo preset: 1, which the Z-Image sampler normalises to CFG 0",
                Model::ZImage => "defaultSampleConfig: 4 (Base has full CFG)",
                Model::ZImageDeturbo => "zimage:deturbo preset: 3 (card: CFG 2-3)",
            },
        )
        .note(
            "sample_steps",
            s.steps,
            match model {
                Model::ZImageTurbo => "zimage:turbo preset: 9 scheduler steps = 8 forwards",
                Model::ZImage => "zimage preset: 30",
                Model::ZImageDeturbo => "zimage:deturbo preset: 25 (card: 20-30)",
            },
        );

    let train = Map::new()
        .note("batch_size", p.batch_size, "README: batch size")
        .note(
            "steps",
            p.steps,
            "README: steps from image count and profile",
        )
        .set("gradient_accumulation", 1_u32)
        .set("train_unet", true)
        .set("train_text_encoder", false)
        .set("gradient_checkpointing", true)
        .set("noise_scheduler", "flowmatch")
        .note("timestep_type", "weighted", "zimage presets")
        .note("optimizer", "adamw8bit", "UI default")
        .note("lr", p.learning_rate, "UI default 0.0001")
        .set("optimizer_params", Map::new().set("weight_decay", 0.0001))
        .set("dtype", "bf16")
        .set("unload_text_encoder", false)
        .note(
            "cache_text_embeddings",
            false,
            "UI default; caption dropout works either way",
        )
        .set(
            "ema_config",
            Map::new().set("use_ema", false).set("ema_decay", 0.99),
        );

    let process = Map::new()
        .set("type", "diffusion_trainer")
        .set("training_folder", ctx.path("output"))
        .set("device", "cuda")
        .note(
            "trigger_word",
            p.trigger.as_str(),
            "prepended to captions that lack it; kept when a caption is dropped",
        )
        .set("network", network)
        .set(
            "save",
            Map::new()
                .set("dtype", "bf16")
                .note(
                    "save_every",
                    SAVE_EVERY_STEPS,
                    "UI default: pick an early checkpoint",
                )
                .note(
                    "max_step_saves_to_keep",
                    p.checkpoints(),
                    "every save of the run: ai-toolkit deletes all but the newest N (BaseSDTrainProcess clean_up_saves)",
                )
                .set("save_format", "diffusers"),
        )
        .set("datasets", vec![dataset])
        .set("train", train)
        .set("model", model_map)
        .set("sample", sample);

    let doc = Map::new()
        .set("job", "extension")
        .set(
            "config",
            Map::new()
                .set("name", ctx.name.as_str())
                .set("process", vec![process]),
        )
        .set(
            "meta",
            Map::new()
                .set("name", ctx.name.as_str())
                .set("version", "1.0"),
        );

    Emitted {
        files: vec![EmittedFile::yaml(CONFIG, ctx, &doc)],
        main: CONFIG.to_owned(),
        run: Some(format!(
            "cd ai-toolkit && python run.py {}",
            super::sh_quote(&ctx.path(CONFIG))
        )),
        todo: Vec::new(),
    }
}
