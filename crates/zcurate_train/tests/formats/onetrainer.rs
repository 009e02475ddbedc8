//! Nerogar/OneTrainer at commit 23df3832e8f213d64c337e39f9365ba46e99fed0 (2026-08-19).
//!
//! Configs are read by `BaseConfig.from_dict` (`modules/util/config/BaseConfig.py`) into the
//! classes of `modules/util/config/`: every key of a class's `default_values()` with its
//! type (enums by member name); unknown keys are ignored and a value of the wrong type is
//! only printed ("Could not set ..."), so both go unnoticed. `scripts/train.py
//! --config-path` calls `from_dict(..., migrate=True)`: a file without `__version` runs every
//! migration from version 0, which fails on a current config (`KeyError: 'weight_dtype'`) and
//! would move `prior` over `transformer`. The key lists below were printed from
//! `TrainConfig.default_values()`, `ConceptConfig.default_values()` and
//! `SampleConfig.default_values(ModelType.Z_IMAGE)` at this commit; `ZImageModel.encode_text`
//! (`modules/model/ZImageModel.py`) raises `NotImplementedError` for text-encoder (caption)
//! dropout.

use std::path::Path;

use super::{Key, Ty, check};

/// `TrainConfig(config_version=11)`.
const TRAIN_CONFIG_VERSION: i64 = 11;
/// `ConceptConfig(config_version=2)`.
const CONCEPT_CONFIG_VERSION: i64 = 2;

const TRAIN_CONFIG: &[Key] = &[
    Key::required("__version", Ty::IntEq(TRAIN_CONFIG_VERSION)),
    Key::new("training_method", Ty::OneOf(TRAININGMETHOD)),
    Key::new("model_type", Ty::OneOf(MODELTYPE)),
    Key::new("debug_mode", Ty::Bool),
    Key::new("debug_dir", Ty::Str),
    Key::new("workspace_dir", Ty::Str),
    Key::new("cache_dir", Ty::Str),
    Key::new("huggingface_cache_dir", Ty::Str),
    Key::new("offline_mode", Ty::Bool),
    Key::new("tensorboard", Ty::Bool),
    Key::new("tensorboard_expose", Ty::Bool),
    Key::new("tensorboard_always_on", Ty::Bool),
    Key::new("tensorboard_port", Ty::Int),
    Key::new("validation", Ty::Bool),
    Key::new("validate_after", Ty::Int),
    Key::new("validate_after_unit", Ty::OneOf(TIMEUNIT)),
    Key::new("continue_last_backup", Ty::Bool),
    Key::new("prevent_overwrites", Ty::Bool),
    Key::new("include_train_config", Ty::OneOf(CONFIGPART)),
    Key::new("multi_gpu", Ty::Bool),
    Key::new("device_indexes", Ty::Str),
    Key::new(
        "gradient_reduce_precision",
        Ty::OneOf(GRADIENTREDUCEPRECISION),
    ),
    Key::new("fused_gradient_reduce", Ty::Bool),
    Key::new("async_gradient_reduce", Ty::Bool),
    Key::new("async_gradient_reduce_buffer", Ty::Int),
    Key::new("base_model_name", Ty::Str),
    Key::new("output_dtype", Ty::OneOf(DATATYPE)),
    Key::new("output_model_format", Ty::OneOf(MODELFORMAT)),
    Key::new("output_model_destination", Ty::Str),
    Key::new("async_offloading", Ty::Bool),
    Key::new("force_circular_padding", Ty::Bool),
    Key::new("compile", Ty::Bool),
    Key::new("concept_file_name", Ty::Str),
    Key::new("concepts", Ty::Any),
    Key::new("aspect_ratio_bucketing", Ty::Bool),
    Key::new("latent_caching", Ty::Bool),
    Key::new("clear_cache_before_training", Ty::Bool),
    Key::new("learning_rate_scheduler", Ty::OneOf(LEARNINGRATESCHEDULER)),
    Key::new("custom_learning_rate_scheduler", Ty::Str),
    Key::new("scheduler_params", Ty::Any),
    Key::new("learning_rate", Ty::Num),
    Key::new("learning_rate_warmup_steps", Ty::Num),
    Key::new("learning_rate_cycles", Ty::Num),
    Key::new("learning_rate_min_factor", Ty::Num),
    Key::new("epochs", Ty::Int),
    Key::new("batch_size", Ty::Int),
    Key::new("gradient_accumulation_steps", Ty::Int),
    Key::new("ema", Ty::OneOf(EMAMODE)),
    Key::new("ema_decay", Ty::Num),
    Key::new("ema_update_step_interval", Ty::Int),
    Key::new("dataloader_threads", Ty::Int),
    Key::new("train_device", Ty::Str),
    Key::new("temp_device", Ty::Str),
    Key::new("train_dtype", Ty::OneOf(DATATYPE)),
    Key::new("fallback_train_dtype", Ty::OneOf(DATATYPE)),
    Key::new("enable_autocast_cache", Ty::Bool),
    Key::new("only_cache", Ty::Bool),
    Key::new("resolution", Ty::Str),
    Key::new("frames", Ty::Str),
    Key::new("attention_mechanism", Ty::OneOf(ATTENTIONMECHANISM)),
    Key::new("mse_strength", Ty::Num),
    Key::new("mae_strength", Ty::Num),
    Key::new("log_cosh_strength", Ty::Num),
    Key::new("huber_strength", Ty::Num),
    Key::new("huber_delta", Ty::Num),
    Key::new("vb_loss_strength", Ty::Num),
    Key::new("loss_weight_fn", Ty::OneOf(LOSSWEIGHT)),
    Key::new("loss_weight_strength", Ty::Num),
    Key::new("dropout_probability", Ty::Num),
    Key::new("loss_scaler", Ty::OneOf(LOSSSCALER)),
    Key::new("learning_rate_scaler", Ty::OneOf(LEARNINGRATESCALER)),
    Key::new("clip_grad_norm", Ty::Num),
    Key::new("offset_noise_weight", Ty::Num),
    Key::new("generalized_offset_noise", Ty::Bool),
    Key::new("perturbation_noise_weight", Ty::Num),
    Key::new("rescale_noise_scheduler_to_zero_terminal_snr", Ty::Bool),
    Key::new("force_v_prediction", Ty::Bool),
    Key::new("force_epsilon_prediction", Ty::Bool),
    Key::new("min_noising_strength", Ty::Num),
    Key::new("max_noising_strength", Ty::Num),
    Key::new("timestep_distribution", Ty::OneOf(TIMESTEPDISTRIBUTION)),
    Key::new("noising_weight", Ty::Num),
    Key::new("noising_bias", Ty::Num),
    Key::new("timestep_shift", Ty::Num),
    Key::new("dynamic_timestep_shifting", Ty::Bool),
    Key::new("unet", Ty::Table(MODEL_PART)),
    Key::new("prior", Ty::Table(MODEL_PART)),
    Key::new("transformer", Ty::Table(MODEL_PART)),
    Key::new("unconditional_transformer", Ty::Table(MODEL_PART)),
    Key::new("quantization", Ty::Table(QUANTIZATION)),
    Key::new("text_encoder", Ty::Table(MODEL_PART)),
    Key::new("text_encoder_layer_skip", Ty::Int),
    Key::new("text_encoder_sequence_length", Ty::Int),
    Key::new("text_encoder_2", Ty::Table(MODEL_PART)),
    Key::new("text_encoder_2_layer_skip", Ty::Int),
    Key::new("text_encoder_2_sequence_length", Ty::Int),
    Key::new("text_encoder_3", Ty::Table(MODEL_PART)),
    Key::new("text_encoder_3_layer_skip", Ty::Int),
    Key::new("text_encoder_4", Ty::Table(MODEL_PART)),
    Key::new("text_encoder_4_layer_skip", Ty::Int),
    Key::new("vae", Ty::Table(MODEL_PART)),
    Key::new("effnet_encoder", Ty::Table(MODEL_PART)),
    Key::new("decoder", Ty::Table(MODEL_PART)),
    Key::new("decoder_text_encoder", Ty::Table(MODEL_PART)),
    Key::new("decoder_vqgan", Ty::Table(MODEL_PART)),
    Key::new("masked_training", Ty::Bool),
    Key::new("unmasked_probability", Ty::Num),
    Key::new("unmasked_weight", Ty::Num),
    Key::new("normalize_masked_area_loss", Ty::Bool),
    Key::new("masked_prior_preservation_weight", Ty::Num),
    Key::new("custom_conditioning_image", Ty::Bool),
    Key::new("layer_filter", Ty::Str),
    Key::new("layer_filter_preset", Ty::Str),
    Key::new("layer_filter_regex", Ty::Bool),
    Key::new("embedding_learning_rate", Ty::Num),
    Key::new("preserve_embedding_norm", Ty::Bool),
    Key::new("embedding", Ty::Any),
    Key::new("additional_embeddings", Ty::Any),
    Key::new("embedding_weight_dtype", Ty::OneOf(DATATYPE)),
    Key::new("cloud", Ty::Any),
    Key::new("peft_type", Ty::OneOf(PEFTTYPE)),
    Key::new("lora_model_name", Ty::Str),
    Key::new("lora_rank", Ty::Int),
    Key::new("lora_alpha", Ty::Num),
    Key::new("lora_decompose", Ty::Bool),
    Key::new("lora_decompose_norm_epsilon", Ty::Bool),
    Key::new("lora_decompose_output_axis", Ty::Bool),
    Key::new("lora_weight_dtype", Ty::OneOf(DATATYPE)),
    Key::new("bundle_additional_embeddings", Ty::Bool),
    Key::new("oft_block_size", Ty::Int),
    Key::new("oft_block_share", Ty::Bool),
    Key::new("oft_scaled", Ty::Bool),
    Key::new("lokr_dim", Ty::Int),
    Key::new("lokr_decompose_both", Ty::Bool),
    Key::new("lokr_decompose_factor", Ty::Int),
    Key::new("lokr_use_tucker", Ty::Bool),
    Key::new("lokr_weight_decompose", Ty::Bool),
    Key::new("lokr_dora_on_output", Ty::Bool),
    Key::new("lokr_full_matrix", Ty::Bool),
    Key::new("lokr_vec_trick", Ty::Bool),
    Key::new("optimizer", Ty::Any),
    Key::new("optimizer_defaults", Ty::Any),
    Key::new("sample_definition_file_name", Ty::Str),
    Key::new("samples", Ty::Any),
    Key::new("sample_after", Ty::Int),
    Key::new("sample_after_unit", Ty::OneOf(TIMEUNIT)),
    Key::new("sample_skip_first", Ty::Int),
    Key::new("sample_image_format", Ty::OneOf(IMAGEFORMAT)),
    Key::new("sample_video_format", Ty::OneOf(VIDEOFORMAT)),
    Key::new("sample_audio_format", Ty::OneOf(AUDIOFORMAT)),
    Key::new("samples_to_tensorboard", Ty::Bool),
    Key::new("non_ema_sampling", Ty::Bool),
    Key::new("backup_after", Ty::Int),
    Key::new("backup_after_unit", Ty::OneOf(TIMEUNIT)),
    Key::new("rolling_backup", Ty::Bool),
    Key::new("rolling_backup_count", Ty::Int),
    Key::new("backup_before_save", Ty::Bool),
    Key::new("save_every", Ty::Int),
    Key::new("save_every_unit", Ty::OneOf(TIMEUNIT)),
    Key::new("save_skip_first", Ty::Int),
    Key::new("save_filename_prefix", Ty::Str),
    Key::new("secrets", Ty::Any),
];
const MODEL_PART: &[Key] = &[
    Key::new("model_name", Ty::Str),
    Key::new("include", Ty::Bool),
    Key::new("train", Ty::Bool),
    Key::new("stop_training_after", Ty::Int),
    Key::new("stop_training_after_unit", Ty::OneOf(TIMEUNIT)),
    Key::new("learning_rate", Ty::Num),
    Key::new("weight_dtype", Ty::OneOf(DATATYPE)),
    Key::new("dropout_probability", Ty::Num),
    Key::new("train_embedding", Ty::Bool),
    Key::new("attention_mask", Ty::Bool),
    Key::new("guidance_scale", Ty::Num),
    Key::new("gradient_checkpointing", Ty::Bool),
    Key::new("offload_fraction", Ty::Num),
    Key::new("activation_offloading", Ty::Bool),
];
const QUANTIZATION: &[Key] = &[
    Key::new("layer_filter", Ty::Str),
    Key::new("layer_filter_preset", Ty::Str),
    Key::new("layer_filter_regex", Ty::Bool),
    Key::new("svd_dtype", Ty::OneOf(DATATYPE)),
    Key::new("svd_rank", Ty::Int),
    Key::new("cache_dir", Ty::Str),
];
const CONCEPT_CONFIG: &[Key] = &[
    Key::required("__version", Ty::IntEq(CONCEPT_CONFIG_VERSION)),
    Key::new("image", Ty::Table(CONCEPT_IMAGE)),
    Key::new("text", Ty::Table(CONCEPT_TEXT)),
    Key::new("name", Ty::Str),
    Key::new("path", Ty::Str),
    Key::new("seed", Ty::Int),
    Key::new("enabled", Ty::Bool),
    Key::new("type", Ty::OneOf(CONCEPTTYPE)),
    Key::new("include_subdirectories", Ty::Bool),
    Key::new("image_variations", Ty::Int),
    Key::new("text_variations", Ty::Int),
    Key::new("balancing", Ty::Num),
    Key::new("balancing_strategy", Ty::OneOf(BALANCINGSTRATEGY)),
    Key::new("loss_weight", Ty::Num),
    Key::new("concept_stats", Ty::Any),
];
const CONCEPT_IMAGE: &[Key] = &[
    Key::new("enable_crop_jitter", Ty::Bool),
    Key::new("enable_random_flip", Ty::Bool),
    Key::new("enable_fixed_flip", Ty::Bool),
    Key::new("enable_random_rotate", Ty::Bool),
    Key::new("enable_fixed_rotate", Ty::Bool),
    Key::new("random_rotate_max_angle", Ty::Num),
    Key::new("enable_random_brightness", Ty::Bool),
    Key::new("enable_fixed_brightness", Ty::Bool),
    Key::new("random_brightness_max_strength", Ty::Num),
    Key::new("enable_random_contrast", Ty::Bool),
    Key::new("enable_fixed_contrast", Ty::Bool),
    Key::new("random_contrast_max_strength", Ty::Num),
    Key::new("enable_random_saturation", Ty::Bool),
    Key::new("enable_fixed_saturation", Ty::Bool),
    Key::new("random_saturation_max_strength", Ty::Num),
    Key::new("enable_random_hue", Ty::Bool),
    Key::new("enable_fixed_hue", Ty::Bool),
    Key::new("random_hue_max_strength", Ty::Num),
    Key::new("enable_resolution_override", Ty::Bool),
    Key::new("resolution_override", Ty::Str),
    Key::new("enable_random_circular_mask_shrink", Ty::Bool),
    Key::new("enable_random_mask_rotate_crop", Ty::Bool),
];
const CONCEPT_TEXT: &[Key] = &[
    Key::new("prompt_source", Ty::Str),
    Key::new("prompt_path", Ty::Str),
    Key::new("enable_tag_shuffling", Ty::Bool),
    Key::new("tag_delimiter", Ty::Str),
    Key::new("keep_tags_count", Ty::Int),
    Key::new("tag_dropout_enable", Ty::Bool),
    Key::new("tag_dropout_mode", Ty::Str),
    Key::new("tag_dropout_probability", Ty::Num),
    Key::new("tag_dropout_special_tags_mode", Ty::Str),
    Key::new("tag_dropout_special_tags", Ty::Str),
    Key::new("tag_dropout_special_tags_regex", Ty::Bool),
    Key::new("caps_randomize_enable", Ty::Bool),
    Key::new("caps_randomize_mode", Ty::Str),
    Key::new("caps_randomize_probability", Ty::Num),
    Key::new("caps_randomize_lowercase", Ty::Bool),
];
const SAMPLE_CONFIG: &[Key] = &[
    Key::new("enabled", Ty::Bool),
    Key::new("prompt", Ty::Str),
    Key::new("negative_prompt", Ty::Str),
    Key::new("height", Ty::Int),
    Key::new("width", Ty::Int),
    Key::new("frames", Ty::Int),
    Key::new("length", Ty::Num),
    Key::new("seed", Ty::Int),
    Key::new("random_seed", Ty::Bool),
    Key::new("diffusion_steps", Ty::Int),
    Key::new("cfg_scale", Ty::Num),
    Key::new("noise_scheduler", Ty::OneOf(NOISESCHEDULER)),
    Key::new("text_encoder_1_layer_skip", Ty::Int),
    Key::new("text_encoder_1_sequence_length", Ty::Int),
    Key::new("text_encoder_2_layer_skip", Ty::Int),
    Key::new("text_encoder_2_sequence_length", Ty::Int),
    Key::new("text_encoder_3_layer_skip", Ty::Int),
    Key::new("text_encoder_4_layer_skip", Ty::Int),
    Key::new("transformer_attention_mask", Ty::Bool),
    Key::new("force_last_timestep", Ty::Bool),
    Key::new("sample_inpainting", Ty::Bool),
    Key::new("base_image_path", Ty::Str),
    Key::new("mask_image_path", Ty::Str),
];
const ATTENTIONMECHANISM: &[&str] = &["SDP", "FLASH", "CUDNN", "FLEX"];
const AUDIOFORMAT: &[&str] = &["MP3"];
const BALANCINGSTRATEGY: &[&str] = &["REPEATS", "SAMPLES"];
const CONCEPTTYPE: &[&str] = &["STANDARD", "VALIDATION", "PRIOR_PREDICTION"];
const CONFIGPART: &[&str] = &["NONE", "SETTINGS", "ALL"];
const DATATYPE: &[&str] = &[
    "NONE",
    "FLOAT_8",
    "FLOAT_16",
    "FLOAT_32",
    "BFLOAT_16",
    "TFLOAT_32",
    "INT_8",
    "NFLOAT_4",
    "FLOAT_W8A8",
    "INT_W8A8",
    "FLOAT_W8A8_COMPRESSED",
    "INT_W8A8_COMPRESSED",
    "GGUF",
    "GGUF_A8_FLOAT",
    "GGUF_A8_INT",
];
const EMAMODE: &[&str] = &["OFF", "GPU", "CPU"];
const GRADIENTREDUCEPRECISION: &[&str] = &[
    "WEIGHT_DTYPE",
    "FLOAT_32",
    "WEIGHT_DTYPE_STOCHASTIC",
    "FLOAT_32_STOCHASTIC",
];
const IMAGEFORMAT: &[&str] = &["PNG", "JPG"];
const LEARNINGRATESCALER: &[&str] = &[
    "NONE",
    "BATCH",
    "GLOBAL_BATCH",
    "GRADIENT_ACCUMULATION",
    "BOTH",
    "GLOBAL_BOTH",
];
const LEARNINGRATESCHEDULER: &[&str] = &[
    "CONSTANT",
    "LINEAR",
    "COSINE",
    "COSINE_WITH_RESTARTS",
    "COSINE_WITH_HARD_RESTARTS",
    "REX",
    "ADAFACTOR",
    "CUSTOM",
];
const LOSSSCALER: &[&str] = &[
    "NONE",
    "BATCH",
    "GLOBAL_BATCH",
    "GRADIENT_ACCUMULATION",
    "BOTH",
    "GLOBAL_BOTH",
];
const LOSSWEIGHT: &[&str] = &[
    "CONSTANT",
    "P2",
    "MIN_SNR_GAMMA",
    "DEBIASED_ESTIMATION",
    "SIGMA",
];
const MODELFORMAT: &[&str] = &[
    "DIFFUSERS",
    "ORIGINAL_SINGLE_FILE",
    "ORIGINAL_TRANSFORMER",
    "COMFY_TRANSFORMER",
    "LEGACY_SAFETENSORS",
    "DIFFUSERS_LORA",
    "KOHYA_LORA",
    "ORIGINAL_LORA",
    "COMFY_LORA",
    "LEGACY_LORA",
    "SAFETENSORS",
    "INTERNAL",
];
const MODELTYPE: &[&str] = &[
    "STABLE_DIFFUSION_15",
    "STABLE_DIFFUSION_15_INPAINTING",
    "STABLE_DIFFUSION_20",
    "STABLE_DIFFUSION_20_BASE",
    "STABLE_DIFFUSION_20_INPAINTING",
    "STABLE_DIFFUSION_20_DEPTH",
    "STABLE_DIFFUSION_21",
    "STABLE_DIFFUSION_21_BASE",
    "STABLE_DIFFUSION_3",
    "STABLE_DIFFUSION_35",
    "STABLE_DIFFUSION_XL_10_BASE",
    "STABLE_DIFFUSION_XL_10_BASE_INPAINTING",
    "WUERSTCHEN_2",
    "STABLE_CASCADE_1",
    "PIXART_ALPHA",
    "PIXART_SIGMA",
    "FLUX_DEV_1",
    "FLUX_FILL_DEV_1",
    "FLUX_2",
    "SANA",
    "HUNYUAN_VIDEO",
    "HI_DREAM_FULL",
    "CHROMA_1",
    "QWEN",
    "ANIMA",
    "KREA_2",
    "Z_IMAGE",
    "ERNIE",
    "IDEOGRAM_4",
];
const NOISESCHEDULER: &[&str] = &[
    "DDIM",
    "EULER",
    "EULER_A",
    "DPMPP",
    "DPMPP_SDE",
    "UNIPC",
    "EULER_KARRAS",
    "DPMPP_KARRAS",
    "DPMPP_SDE_KARRAS",
    "UNIPC_KARRAS",
];
const PEFTTYPE: &[&str] = &["LORA", "LOHA", "OFT_2", "LOKR"];
const TIMEUNIT: &[&str] = &[
    "EPOCH", "STEP", "SECOND", "MINUTE", "HOUR", "NEVER", "ALWAYS",
];
const TIMESTEPDISTRIBUTION: &[&str] = &[
    "UNIFORM",
    "SIGMOID",
    "LOGIT_NORMAL",
    "HEAVY_TAIL",
    "COS_MAP",
    "INVERTED_PARABOLA",
    "BETA",
];
const TRAININGMETHOD: &[&str] = &["FINE_TUNE", "LORA", "EMBEDDING", "FINE_TUNE_VAE"];
const VIDEOFORMAT: &[&str] = &["PNG_IMAGE_SEQUENCE", "JPG_IMAGE_SEQUENCE", "MP4"];

/// Every way the OneTrainer files in `out` depart from what OneTrainer reads.
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let c = super::super::json(&out.join("config.json"));
    let mut p = check("config.json", &c, TRAIN_CONFIG);
    if c["model_type"] != "Z_IMAGE" {
        p.push(format!(
            "config.json: model_type {} is not Z_IMAGE",
            c["model_type"]
        ));
    }
    let te_dropout = c["text_encoder"]["dropout_probability"]
        .as_f64()
        .unwrap_or(0.0);
    if te_dropout > 0.0 {
        p.push(format!(
            "config.json: text_encoder.dropout_probability {te_dropout}: ZImageModel.encode_text raises NotImplementedError"
        ));
    }
    let concepts = super::super::json(&out.join("concepts.json"));
    for (i, concept) in concepts.as_array().into_iter().flatten().enumerate() {
        p.extend(check(
            &format!("concepts.json[{i}]"),
            concept,
            CONCEPT_CONFIG,
        ));
    }
    let samples = super::super::json(&out.join("samples.json"));
    for (i, sample) in samples.as_array().into_iter().flatten().enumerate() {
        p.extend(check(&format!("samples.json[{i}]"), sample, SAMPLE_CONFIG));
    }
    p
}

#[test]
fn every_export_matches_onetrainers_format() {
    let e = super::exports(zcurate_train::Trainer::OneTrainer);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

/// Defect: without `__version` OneTrainer migrates the config from version 0 and fails.
#[test]
fn the_config_states_its_version() {
    let e = super::exports(zcurate_train::Trainer::OneTrainer);
    for (label, out) in &e.outs {
        let c = super::super::json(&out.join("config.json"));
        assert_eq!(c["__version"], TRAIN_CONFIG_VERSION, "{label}");
        // The pre-version-9 top-level weight_dtype is not a key of a current config.
        assert!(c.get("weight_dtype").is_none(), "{label}");
        let concepts = super::super::json(&out.join("concepts.json"));
        assert_eq!(concepts[0]["__version"], CONCEPT_CONFIG_VERSION, "{label}");
    }
}

/// Defect: caption dropout 0.05 reached `ZImageModel.encode_text`, which raises
/// `NotImplementedError` on the first step.
#[test]
fn no_caption_dropout_for_z_image() {
    let e = super::exports(zcurate_train::Trainer::OneTrainer);
    for (label, out) in &e.outs {
        let c = super::super::json(&out.join("config.json"));
        assert_eq!(c["text_encoder"]["dropout_probability"], 0.0, "{label}");
        let readme = super::super::read(&out.join("README.md"));
        assert!(
            readme.contains("cannot do caption dropout for Z-Image"),
            "{label}"
        );
    }
    let (_, out) = &e.outs[0];
    let mut c = super::super::json(&out.join("config.json"));
    c["text_encoder"]["dropout_probability"] = 0.05.into();
    std::fs::write(out.join("config.json"), c.to_string()).unwrap();
    let p = problems(out);
    assert!(p.iter().any(|e| e.contains("NotImplementedError")), "{p:?}");
}

/// Defect: without the presets' quantisation filter every Linear layer was quantised, and
/// no checkpoint was saved during the run.
#[test]
fn quantises_the_blocks_only_and_saves_checkpoints() {
    let e = super::exports(zcurate_train::Trainer::OneTrainer);
    let (_, out) = &e.outs[0];
    let c = super::super::json(&out.join("config.json"));
    assert_eq!(c["quantization"]["layer_filter"], "layers");
    assert_eq!(c["quantization"]["layer_filter_preset"], "blocks");
    assert_eq!(c["save_every"], 250);
    assert_eq!(c["save_every_unit"], "STEP");
    let mut bad = c.clone();
    bad.as_object_mut().unwrap().remove("__version");
    bad["save_every_unit"] = "FORTNIGHT".into();
    bad["resolution"] = 1024.into();
    let p = check("config.json", &bad, TRAIN_CONFIG);
    for expected in [
        "__version: missing required key",
        "save_every_unit: \"FORTNIGHT\" is not one of",
        "resolution: 1024 is not a string",
    ] {
        assert!(p.iter().any(|e| e.contains(expected)), "{expected}: {p:?}");
    }
}
