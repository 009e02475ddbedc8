//! kohya-ss/musubi-tuner: the dataset TOML (`src/musubi_tuner/dataset/config_utils.py`,
//! `docs/dataset_config.md`), the sample prompts file, and `train.sh` with the cache and
//! training commands of `docs/zimage.md`.

use std::fmt::Write as _;

use super::{ADAPTER_FILE, Ctx, Emitted, EmittedFile, TEXT_ENCODER_FILE, VAE_FILE, sh_quote};
use crate::doc::Map;
use crate::plan::{SAMPLE_SEED, SAVE_EVERY_STEPS};
use crate::trainer::Model;

pub(crate) const DATASET: &str = "dataset.toml";
pub(crate) const PROMPTS: &str = "sample_prompts.txt";
pub(crate) const SCRIPT: &str = "train.sh";

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    let p = ctx.plan;
    let r = p.resolution();
    let general = Map::new()
        .note(
            "resolution",
            vec![r, r],
            "the size most images reach (README)",
        )
        .set("caption_extension", ".txt")
        .set("batch_size", p.batch_size)
        .set("enable_bucket", true)
        .note(
            "bucket_no_upscale",
            true,
            "an image under the resolution trains at its own size instead of being upscaled (dataset/bucket.py)",
        );
    let dataset = Map::new()
        .set("image_directory", ctx.images_dir.as_str())
        .note(
            "cache_directory",
            ctx.path("cache"),
            "latents and text-encoder outputs are cached here",
        )
        .note(
            "num_repeats",
            p.repeats,
            "1 = once; README: repeats. musubi has no caption dropout (text-encoder outputs are always cached)",
        );
    let doc = Map::new()
        .set("general", general)
        .set("datasets", vec![dataset]);

    Emitted {
        files: vec![
            EmittedFile::toml(DATASET, ctx, &doc),
            EmittedFile::text(PROMPTS, super::kohya_sample_prompts(ctx)),
            EmittedFile {
                rel: SCRIPT.to_owned(),
                text: script(ctx),
                executable: true,
                notes: Vec::new(),
            },
        ],
        main: DATASET.to_owned(),
        run: Some(format!(
            "cd musubi-tuner && DIT=... VAE=... TEXT_ENCODER=... sh {}",
            sh_quote(&ctx.path(SCRIPT))
        )),
        todo: vec![
            "set DIT, VAE and TEXT_ENCODER (and TRAINING_ADAPTER for Turbo) to the model files, or export with --models-dir; run train.sh from the musubi-tuner checkout".to_owned(),
        ],
    }
}

fn script(ctx: &Ctx<'_>) -> String {
    let p = ctx.plan;
    let model = super::model(ctx);
    let dataset = sh_quote(&ctx.path(DATASET));
    let var = |name: &str, file: &str, what: &str| -> String {
        match &ctx.models_dir {
            Some(_) => format!(
                "{name}=\"${{{name}:-{}}}\"  # {what}\n",
                ctx.model_file(file).replace('"', "\\\"")
            ),
            None => format!(": \"${{{name}:?set {name} to {what}}}\"\n"),
        }
    };
    let dit_file = super::dit_file(model);
    let dit_what = match model {
        Model::ZImageTurbo => "the Z-Image Turbo DiT",
        Model::ZImage => "the Z-Image (Base) DiT",
        Model::ZImageDeturbo => "the De-Turbo DiT (docs/zimage.md)",
    };
    let mut s = ctx.header("#");
    s.insert_str(0, "#!/bin/sh\n");
    s.push_str(
        "# Run from the musubi-tuner checkout. Model files come from these variables.\nset -eu\n",
    );
    s.push_str(&var("DIT", dit_file, dit_what));
    s.push_str(&var("VAE", VAE_FILE, "the Z-Image VAE (the Flux VAE)"));
    s.push_str(&var(
        "TEXT_ENCODER",
        TEXT_ENCODER_FILE,
        "the Qwen3 text encoder",
    ));
    if super::adapter(ctx) {
        s.push_str(&var(
            "TRAINING_ADAPTER",
            ADAPTER_FILE,
            "the ostris Turbo training adapter (.safetensors)",
        ));
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "python src/musubi_tuner/zimage_cache_latents.py --dataset_config {dataset} --vae \"$VAE\""
    );
    let _ = writeln!(
        s,
        "python src/musubi_tuner/zimage_cache_text_encoder_outputs.py --dataset_config {dataset} --text_encoder \"$TEXT_ENCODER\" --batch_size 16"
    );
    s.push('\n');
    s.push_str("# Flags as docs/zimage.md documents them; --network_module networks.lora_zimage is required.\n");
    s.push_str("# --max_train_steps instead of the docs' --max_train_epochs 16: README, steps.\n");
    s.push_str(
        "# Checkpoints every 250 steps, all kept (no --save_last_n_steps): pick an early one.\n",
    );
    let mut args: Vec<String> = vec![
        "accelerate launch --num_cpu_threads_per_process 1 --mixed_precision bf16 src/musubi_tuner/zimage_train_network.py".to_owned(),
        "--dit \"$DIT\" --vae \"$VAE\" --text_encoder \"$TEXT_ENCODER\"".to_owned(),
        format!("--dataset_config {dataset}"),
        "--sdpa --mixed_precision bf16".to_owned(),
        "--timestep_sampling shift --weighting_scheme none --discrete_flow_shift 2.0".to_owned(),
        format!(
            "--optimizer_type adamw8bit --learning_rate {} --gradient_checkpointing",
            crate::doc::float(p.learning_rate)
        ),
        "--max_data_loader_n_workers 2 --persistent_data_loader_workers".to_owned(),
        format!("--network_module networks.lora_zimage --network_dim {}", p.rank),
        format!("--max_train_steps {}", p.steps),
        format!("--save_every_n_steps {SAVE_EVERY_STEPS} --seed {SAMPLE_SEED}"),
        format!(
            "--sample_prompts {} --sample_every_n_steps {SAVE_EVERY_STEPS}",
            sh_quote(&ctx.path(PROMPTS))
        ),
        format!(
            "--output_dir {} --output_name {}",
            sh_quote(&ctx.path("output")),
            sh_quote(&ctx.name)
        ),
    ];
    if let Some(d) = p.lora_dropout {
        args.push(format!("--network_dropout {d}"));
    }
    if super::adapter(ctx) {
        // The adapter is merged into the DiT for training (docs/zimage.md).
        args.push("--base_weights \"$TRAINING_ADAPTER\" --base_weights_multiplier 1.0".to_owned());
    }
    s.push_str(&args.join(" \\\n  "));
    s.push('\n');
    s
}
