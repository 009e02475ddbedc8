//! tdrussell/diffusion-pipe at commit 8f83dbf25d03219df705570ec03e62be04bc402f (2026-08-20).
//!
//! `config.toml` is a plain dict: `train.py` reads its keys with `config[...]`/`config.get`
//! (`set_config_defaults` asserts one `save_every_n_*` key and rejects `[adapter] alpha`),
//! `models/base.py` and `models/z_image.py` the `[model]` keys, and `get_optimizer` passes
//! every `[optimizer]` key but `type` and `gradient_release` to the optimiser class
//! (`optimi.AdamW` for `adamw_optimi`). `dataset.toml` is read by `utils/dataset.py`
//! (`Dataset`, `DirectoryDataset`); each `[[directory]]` needs a `path`. Unread keys are
//! ignored silently, which is why they are listed here.

use std::path::Path;

use super::{Key, Ty, check};

/// `[model]` for `type = 'z_image'`.
const MODEL: &[Key] = &[
    Key::required("type", Ty::OneOf(&["z_image"])),
    Key::required("diffusion_model", Ty::Str),
    Key::required("vae", Ty::Str),
    Key::required(
        "text_encoders",
        Ty::Tables(&[
            Key::new("path", Ty::Str),
            Key::new("paths", Ty::List(&Ty::Str)),
            Key::new("type", Ty::Str),
        ]),
    ),
    Key::new("merge_adapters", Ty::List(&Ty::Str)),
    Key::required("dtype", Ty::OneOf(DTYPES)),
    Key::new("diffusion_model_dtype", Ty::OneOf(DTYPES)),
    Key::new("transformer_dtype", Ty::OneOf(DTYPES)),
    Key::new("timestep_sample_method", Ty::Str),
    Key::new("sigmoid_scale", Ty::Num),
    Key::new("shift", Ty::Num),
    Key::new("flux_shift", Ty::Bool),
    Key::new("guidance", Ty::Num),
    Key::new("cache_text_embeddings", Ty::Bool),
];

/// `DTYPE_MAP` keys in `utils/common.py`.
const DTYPES: &[&str] = &[
    "float32",
    "float16",
    "bfloat16",
    "float8",
    "float8_e4m3fn",
    "float8_e5m2",
];

/// `[adapter]`: `set_config_defaults` raises on `alpha` (it forces alpha = rank).
const ADAPTER: &[Key] = &[
    Key::required("type", Ty::OneOf(&["lora", "lokr"])),
    Key::required("rank", Ty::Int),
    Key::new("dtype", Ty::OneOf(DTYPES)),
    Key::new("dropout", Ty::Num),
    Key::new("rank_dropout", Ty::Num),
    Key::new("decompose_factor", Ty::Int),
    Key::new("init_from_existing", Ty::Str),
    Key::new("exclude_modules", Ty::Any),
];

/// `[optimizer]`: `type`, `gradient_release` and `beta2_half_life` for `train.py`; the rest
/// are `optimi.AdamW` keyword arguments.
const OPTIMIZER: &[Key] = &[
    Key::required("type", Ty::Str),
    Key::new("gradient_release", Ty::Bool),
    Key::new("beta2_half_life", Ty::Num),
    Key::required("lr", Ty::Num),
    Key::new("betas", Ty::List(&Ty::Num)),
    Key::new("weight_decay", Ty::Num),
    Key::new("eps", Ty::Num),
    Key::new("decouple_lr", Ty::Bool),
    Key::new("max_lr", Ty::Num),
    Key::new("kahan_sum", Ty::Bool),
    Key::new("foreach", Ty::Bool),
];

/// The main config's top-level keys `train.py` and `utils/saver.py` read.
const CONFIG: &[Key] = &[
    Key::required("output_dir", Ty::Str),
    Key::required("dataset", Ty::Str),
    Key::required("epochs", Ty::Int),
    Key::new("max_steps", Ty::Int),
    Key::new("micro_batch_size_per_gpu", Ty::Int),
    Key::new("image_micro_batch_size_per_gpu", Ty::Int),
    Key::new("pipeline_stages", Ty::Int),
    Key::new("gradient_accumulation_steps", Ty::Int),
    Key::new("gradient_clipping", Ty::Num),
    Key::new("warmup_steps", Ty::Int),
    Key::new("lr_scheduler", Ty::OneOf(&["constant", "linear", "cosine"])),
    Key::new("force_constant_lr", Ty::Num),
    Key::new("save_every_n_epochs", Ty::Int),
    Key::new("save_every_n_steps", Ty::Int),
    Key::new("save_every_n_examples", Ty::Int),
    Key::new("checkpoint_every_n_epochs", Ty::Int),
    Key::new("checkpoint_every_n_minutes", Ty::Num),
    Key::new("activation_checkpointing", Ty::Any),
    Key::new("reentrant_activation_checkpointing", Ty::Bool),
    Key::new("save_dtype", Ty::OneOf(DTYPES)),
    Key::new("caching_batch_size", Ty::Int),
    Key::new("uncond_fraction", Ty::Num),
    Key::new("map_num_proc", Ty::Int),
    Key::new("resume_from_checkpoint", Ty::Any),
    Key::new("regenerate_cache", Ty::Bool),
    Key::new("eval_datasets", Ty::Any),
    Key::new("eval_every_n_epochs", Ty::Int),
    Key::new("eval_every_n_steps", Ty::Int),
    Key::new("eval_every_n_examples", Ty::Int),
    Key::new("eval_before_first_step", Ty::Bool),
    Key::new("eval_gradient_accumulation_steps", Ty::Int),
    Key::new("eval_micro_batch_size_per_gpu", Ty::Any),
    Key::new("eval_image_micro_batch_size_per_gpu", Ty::Any),
    Key::new("disable_block_swap_for_eval", Ty::Bool),
    Key::new("steps_per_print", Ty::Int),
    Key::new("logging_steps", Ty::Int),
    Key::new("blocks_to_swap", Ty::Int),
    Key::new("partition_method", Ty::Str),
    Key::new("partition_split", Ty::List(&Ty::Int)),
    Key::new("compile", Ty::Bool),
    Key::new("x_axis_examples", Ty::Bool),
    Key::new("monitoring", Ty::Any),
    Key::required("model", Ty::Table(MODEL)),
    Key::new("adapter", Ty::Table(ADAPTER)),
    Key::required("optimizer", Ty::Table(OPTIMIZER)),
];

/// Keys `DirectoryDataset` reads per `[[directory]]` and, as their defaults, at the top of
/// `dataset.toml`.
const DIRECTORY_OR_TOP: &[Key] = &[
    Key::new("num_repeats", Ty::Int),
    Key::new("resolutions", Ty::List(&Ty::Any)),
    Key::new("enable_ar_bucket", Ty::Bool),
    Key::new("min_ar", Ty::Num),
    Key::new("max_ar", Ty::Num),
    Key::new("num_ar_buckets", Ty::Int),
    Key::new("ar_buckets", Ty::List(&Ty::Any)),
    Key::new("frame_buckets", Ty::List(&Ty::Int)),
    Key::new("size_buckets", Ty::List(&Ty::Any)),
    Key::new("cache_shuffle_num", Ty::Int),
    Key::new("cache_shuffle_delimiter", Ty::Str),
    Key::new("skip_empty_caption", Ty::Bool),
    Key::new("shuffle_tags", Ty::Bool),
    Key::new("caption_prefix", Ty::Str),
    Key::new("shuffle_metadata", Ty::Bool),
    Key::new("online_captions", Ty::Bool),
];

/// Keys only a `[[directory]]` has.
const DIRECTORY_ONLY: &[Key] = &[
    Key::required("path", Ty::Str),
    Key::new("mask_path", Ty::Str),
    Key::new("control_path", Ty::Str),
    Key::new("default_mask_file", Ty::Str),
];

/// Keys only the top of `dataset.toml` has (`Dataset`); `directory` is checked per entry.
const TOP_ONLY: &[Key] = &[
    Key::new("subsample_ratio", Ty::Num),
    Key::required("directory", Ty::Any),
];

/// Every way the diffusion-pipe files in `out` depart from what diffusion-pipe reads.
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let c = super::super::toml_file(&out.join("config.toml"));
    let mut p = check("config.toml", &c, CONFIG);
    let saves = [
        "save_every_n_epochs",
        "save_every_n_steps",
        "save_every_n_examples",
    ];
    if !saves.iter().any(|k| c.get(*k).is_some()) {
        p.push("config.toml: set_config_defaults asserts a save_every_n_* key".to_owned());
    }
    if c["adapter"].get("alpha").is_some() {
        p.push(
            "config.toml: adapter.alpha: set_config_defaults raises NotImplementedError".to_owned(),
        );
    }
    let d = super::super::toml_file(&out.join("dataset.toml"));
    p.extend(check(
        "dataset.toml",
        &d,
        &[DIRECTORY_OR_TOP, TOP_ONLY].concat(),
    ));
    let directory: Vec<Key> = [DIRECTORY_OR_TOP, DIRECTORY_ONLY].concat();
    for (i, dir) in d["directory"].as_array().into_iter().flatten().enumerate() {
        p.extend(check(
            &format!("dataset.toml: directory[{i}]"),
            dir,
            &directory,
        ));
    }
    // `DirectoryDataset.validate` quits on more than three resolutions.
    if d["resolutions"].as_array().is_some_and(|r| r.len() > 3) {
        p.push("dataset.toml: more than 3 resolutions: diffusion-pipe quits".to_owned());
    }
    p
}

#[test]
fn every_export_matches_diffusion_pipes_format() {
    let e = super::exports(zcurate_train::Trainer::DiffusionPipe);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

#[test]
fn checkpoints_every_250_steps_and_no_alpha() {
    let e = super::exports(zcurate_train::Trainer::DiffusionPipe);
    let (_, out) = &e.outs[0];
    let c = super::super::toml_file(&out.join("config.toml"));
    assert_eq!(c["save_every_n_steps"], 250);
    let mut bad = c.clone();
    bad["adapter"]["alpha"] = 32.into();
    bad["model"]["type"] = "flux".into();
    bad["frobnicate"] = true.into();
    let p = check("config.toml", &bad, CONFIG);
    for expected in [
        "model.type: \"flux\" is not one of z_image",
        "frobnicate: unknown key",
        "adapter.alpha: unknown key",
    ] {
        assert!(p.iter().any(|e| e.contains(expected)), "{expected}: {p:?}");
    }
}
