//! bghira/SimpleTuner at commit bc8e6ab7738ce457a2ed8eb2d26cadd91c6442cb (2026-08-22).
//!
//! `config.json` becomes command-line arguments (`helpers/configuration/json_file.py`,
//! `mapping_to_cli_args`) for the parser that `helpers/configuration/cmd_args.py` builds from
//! the field registry (`simpletuner_sdk/server/services/field_registry/sections/*.py`); it
//! has 556 options, so the list below holds the ones zcurate may write, each with its type and
//! choices as the registry defines them (an unlisted key fails here until someone checks it
//! there). Defaults that apply when a key is omitted matter: `lora_dropout` is 0.1 and
//! `caption_dropout_probability` 0.1. `model_flavour` is one of `ZImage.HUGGINGFACE_PATHS`
//! (`helpers/models/z_image/model.py`). The backends file is read by
//! `helpers/data_backend/config/` (`create_backend_config`) and `factory.py`.

use std::path::Path;

use super::{Key, Ty, check};

const CONFIG: &[Key] = &[
    Key::required("model_type", Ty::OneOf(&["full", "lora"])),
    Key::required("model_family", Ty::OneOf(&["z_image"])),
    Key::new(
        "model_flavour",
        Ty::OneOf(&["base", "turbo", "turbo-ostris-v2", "ostris-de-turbo"]),
    ),
    Key::new("lora_type", Ty::OneOf(&["standard", "lycoris"])),
    Key::new("lora_rank", Ty::Int),
    Key::new("lora_alpha", Ty::Num),
    Key::new("lora_dropout", Ty::Num),
    Key::required("output_dir", Ty::Str),
    Key::required("data_backend_config", Ty::Str),
    Key::new("learning_rate", Ty::Num),
    Key::new("optimizer", Ty::Str),
    Key::new(
        "lr_scheduler",
        Ty::OneOf(&[
            "linear",
            "sine",
            "cosine",
            "cosine_with_restarts",
            "polynomial",
            "constant",
            "constant_with_warmup",
        ]),
    ),
    Key::new("lr_warmup_steps", Ty::Int),
    Key::new("max_train_steps", Ty::Int),
    Key::new("num_train_epochs", Ty::Int),
    Key::new("train_batch_size", Ty::Int),
    Key::new("caption_dropout_probability", Ty::Num),
    Key::new("resolution", Ty::Int),
    Key::new(
        "resolution_type",
        Ty::OneOf(&["pixel", "area", "pixel_area"]),
    ),
    Key::new("mixed_precision", Ty::OneOf(&["no", "fp16", "bf16", "fp8"])),
    Key::new("gradient_checkpointing", Ty::Bool),
    Key::new(
        "base_model_precision",
        Ty::OneOf(&[
            "no_change",
            "int8-quanto",
            "int4-quanto",
            "int2-quanto",
            "int8-torchao",
            "int8dq-torchao",
            "int8dq-int4-torchao",
            "int8-sdnq",
            "uint8-sdnq",
            "int16-sdnq",
            "uint16-sdnq",
            "fp16-sdnq",
            "fp8-sdnq",
            "int6-sdnq",
            "int5-sdnq",
            "uint5-sdnq",
            "uint4-sdnq",
            "uint3-sdnq",
            "uint2-sdnq",
            "nf4-bnb",
            "int4-torchao",
            "fp8-quanto",
            "fp8uz-quanto",
            "fp8-native",
            "fp8-torchao",
            "fp8wo-torchao",
            "fp8-int4-torchao",
            "fp8-transformerengine",
        ]),
    ),
    Key::new("checkpoint_step_interval", Ty::Int),
    Key::new("checkpoints_total_limit", Ty::Int),
    Key::new("validation_prompt", Ty::Str),
    Key::new("user_prompt_library", Ty::Str),
    Key::new("validation_step_interval", Ty::Int),
    Key::new("validation_guidance", Ty::Num),
    Key::new("validation_num_inference_steps", Ty::Int),
    Key::new("validation_resolution", Ty::Str),
    Key::new("validation_seed", Ty::Int),
    Key::new("seed", Ty::Int),
    Key::new(
        "report_to",
        Ty::OneOf(&[
            "simpletuner",
            "tensorboard",
            "wandb",
            "swanlab",
            "comet_ml",
            "custom-tracker",
            "all",
            "none",
        ]),
    ),
    Key::new("push_to_hub", Ty::Bool),
];

/// An image backend (`ImageBackendConfig.from_dict`, `factory.py`), the keys zcurate writes
/// among those it reads.
const IMAGE_BACKEND: &[Key] = &[
    Key::required("id", Ty::Str),
    Key::new(
        "type",
        Ty::OneOf(&["local", "aws", "csv", "huggingface", "parquet", "webshart"]),
    ),
    Key::new("dataset_type", Ty::OneOf(&["image"])),
    Key::required("instance_data_dir", Ty::Str),
    Key::new(
        "caption_strategy",
        Ty::OneOf(&[
            "filename",
            "textfile",
            "instanceprompt",
            "parquet",
            "csv",
            "huggingface",
            "webshart",
        ]),
    ),
    Key::new("resolution", Ty::Num),
    Key::new(
        "resolution_type",
        Ty::OneOf(&["pixel", "area", "pixel_area"]),
    ),
    Key::new("minimum_image_size", Ty::Num),
    Key::new("maximum_image_size", Ty::Num),
    Key::new("target_downsample_size", Ty::Num),
    Key::new("crop", Ty::Bool),
    Key::new("crop_aspect", Ty::Str),
    Key::new("crop_style", Ty::Str),
    Key::new("repeats", Ty::Int),
    Key::new("cache_dir_vae", Ty::Str),
    Key::new("text_embeds", Ty::Str),
    Key::new("metadata_backend", Ty::Str),
    Key::new("instance_prompt", Ty::Str),
    Key::new("disabled", Ty::Bool),
];

/// A text-embeds backend (`TextEmbedBackendConfig.from_dict`, `factory.py`).
const TEXT_BACKEND: &[Key] = &[
    Key::required("id", Ty::Str),
    Key::required("dataset_type", Ty::OneOf(&["text_embeds"])),
    Key::new("default", Ty::Bool),
    Key::new("type", Ty::OneOf(&["local", "aws"])),
    Key::required("cache_dir", Ty::Str),
    Key::new("write_batch_size", Ty::Int),
    Key::new("disabled", Ty::Bool),
];

/// Every way the SimpleTuner files in `out` depart from what SimpleTuner reads.
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let c = super::super::json(&out.join("config.json"));
    let mut p = check("config.json", &c, CONFIG);
    let backends = super::super::json(&out.join("multidatabackend.json"));
    let mut text_ids = Vec::new();
    for (i, b) in backends.as_array().into_iter().flatten().enumerate() {
        let file = format!("multidatabackend.json[{i}]");
        if b["dataset_type"] == "text_embeds" {
            p.extend(check(&file, b, TEXT_BACKEND));
            text_ids.push(b["id"].clone());
        } else {
            p.extend(check(&file, b, IMAGE_BACKEND));
        }
    }
    // `_assign_text_embed_cache` raises when the named text-embeds backend is missing.
    for b in backends.as_array().into_iter().flatten() {
        if let Some(id) = b.get("text_embeds")
            && !text_ids.contains(id)
        {
            p.push(format!(
                "multidatabackend.json: text_embeds {id} names no text_embeds backend"
            ));
        }
    }
    if text_ids.is_empty() {
        p.push("multidatabackend.json: no text_embeds backend".to_owned());
    }
    p
}

#[test]
fn every_export_matches_simpletuners_format() {
    let e = super::exports(zcurate_train::Trainer::SimpleTuner);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

/// Defect: "LoRA dropout off" omitted `lora_dropout`, and SimpleTuner's default is 0.1.
#[test]
fn lora_dropout_is_always_written() {
    let e = super::exports(zcurate_train::Trainer::SimpleTuner);
    for (label, out) in &e.outs {
        let c = super::super::json(&out.join("config.json"));
        let dropout = c["lora_dropout"].as_f64();
        assert!(dropout.is_some(), "{label}: lora_dropout missing");
        assert!(c["caption_dropout_probability"].is_number(), "{label}");
        let limit = c["checkpoints_total_limit"].as_u64().unwrap();
        let steps = c["max_train_steps"].as_u64().unwrap();
        assert!(
            limit >= steps.div_ceil(250),
            "{label}: early checkpoints pruned"
        );
    }
    // Base on a clean set has no reason for dropout: 0, not SimpleTuner's 0.1.
    let (_, base) = &e.outs[1];
    assert_eq!(
        super::super::json(&base.join("config.json"))["lora_dropout"],
        0.0
    );
    let mut bad = super::super::json(&base.join("config.json"));
    bad["lora_droput"] = 0.05.into();
    bad["model_flavour"] = "turbo-v3".into();
    let p = check("config.json", &bad, CONFIG);
    for expected in [
        "lora_droput: unknown key",
        "model_flavour: \"turbo-v3\" is not one of",
    ] {
        assert!(p.iter().any(|e| e.contains(expected)), "{expected}: {p:?}");
    }
}
