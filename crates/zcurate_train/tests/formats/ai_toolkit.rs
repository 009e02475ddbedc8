//! ostris/ai-toolkit at commit 27a03a91f23eb1b757d5ec2e80ee3e129cfcc350 (2026-08-21).
//!
//! The job config is read by `toolkit/config.py` (`get_config`), then
//! `jobs/process/BaseSDTrainProcess.py` hands each section to a class of
//! `toolkit/config_modules.py`, which reads its keys with `kwargs.get` and silently ignores
//! any other: the key lists below are those reads, one per class (types from the classes'
//! annotations and the code that uses them). A Z-Image `arch` is `zimage` with an optional
//! `:tag` (`ModelConfig` strips it; the UI's presets are `zimage:turbo`, `zimage`,
//! `zimage:deturbo`). `BaseSDTrainProcess.clean_up_saves` deletes all but the newest
//! `max_step_saves_to_keep` checkpoints, so keeping fewer than the run writes loses the early
//! ones.

use std::path::Path;

use serde_json::Value;

use super::{Key, Ty, check};

/// `NetworkType` in config_modules.py.
const NETWORK_TYPES: &[&str] = &["lora", "locon", "lorm", "lokr"];
/// The Z-Image architectures of the UI presets (`ui/src/app/jobs/new/options.tsx`).
const ZIMAGE_ARCHES: &[&str] = &["zimage", "zimage:turbo", "zimage:deturbo"];
/// The quantisation types the UI offers (`options.tsx`, `quantizationOptions`).
const QTYPES: &[&str] = &[
    "qfloat8",
    "float8",
    "convrot8",
    "convrot4",
    "nvfp4",
    "convrotint7",
    "convrotint6",
    "convrotint5",
    "convrotint4",
    "convrotint3",
    "convrotint2",
    "convrotbitnet",
    "uint7",
    "uint6",
    "uint5",
    "uint4",
    "uint3",
    "uint2",
];

// NetworkConfig: 18 keys
const NETWORK: &[Key] = &[
    Key::new("type", Ty::OneOf(NETWORK_TYPES)),
    Key::new("rank", Ty::Int),
    Key::new("linear", Ty::Int),
    Key::new("conv", Ty::Int),
    Key::new("alpha", Ty::Num),
    Key::new("linear_alpha", Ty::Num),
    Key::new("conv_alpha", Ty::Num),
    Key::new("dropout", Ty::Num),
    Key::new("network_kwargs", Ty::Any),
    Key::new("lorm", Ty::Any),
    Key::new("transformer_only", Ty::Any),
    Key::new("lokr_full_rank", Ty::Any),
    Key::new("lokr_factor", Ty::Any),
    Key::new("old_lokr_format", Ty::Any),
    Key::new("split_multistage_loras", Ty::Any),
    Key::new("layer_offloading", Ty::Any),
    Key::new("pretrained_lora_path", Ty::Any),
    Key::new("all_layers", Ty::Any),
];
// SaveConfig: 7 keys
const SAVE: &[Key] = &[
    Key::new("save_every", Ty::Int),
    Key::new("dtype", Ty::Str),
    Key::new("max_step_saves_to_keep", Ty::Int),
    Key::new("save_format", Ty::OneOf(&["safetensors", "diffusers"])),
    Key::new("push_to_hub", Ty::Bool),
    Key::new("hf_repo_id", Ty::Str),
    Key::new("hf_private", Ty::Bool),
];
// SampleConfig: 21 keys
const SAMPLE: &[Key] = &[
    Key::new(
        "sampler",
        Ty::OneOf(&[
            "flowmatch",
            "ddpm",
            "euler",
            "euler_a",
            "lms",
            "ddim",
            "dpmsolver++",
            "pndm",
            "heun",
            "dpm2",
            "dpm2_a",
            "dpmsolver",
        ]),
    ),
    Key::new("sample_every", Ty::Int),
    Key::new("sample_start_step", Ty::Int),
    Key::new("width", Ty::Int),
    Key::new("height", Ty::Int),
    Key::new("neg", Ty::Str),
    Key::new("seed", Ty::Int),
    Key::new("walk_seed", Ty::Bool),
    Key::new("guidance_scale", Ty::Num),
    Key::new("sample_steps", Ty::Int),
    Key::new("network_multiplier", Ty::Any),
    Key::new("guidance_rescale", Ty::Any),
    Key::new("format", Ty::Any),
    Key::new("adapter_conditioning_scale", Ty::Any),
    Key::new("refiner_start_at", Ty::Any),
    Key::new("extra_values", Ty::Any),
    Key::new("num_frames", Ty::Any),
    Key::new("fps", Ty::Int),
    Key::new("prompts", Ty::Any),
    Key::new("samples", Ty::Tables(SAMPLE_ITEM)),
    Key::new("do_cfg_norm", Ty::Bool),
];
// SampleItem: 16 keys
const SAMPLE_ITEM: &[Key] = &[
    Key::new("prompt", Ty::Str),
    Key::new("width", Ty::Int),
    Key::new("height", Ty::Int),
    Key::new("neg", Ty::Str),
    Key::new("seed", Ty::Int),
    Key::new("guidance_scale", Ty::Num),
    Key::new("sample_steps", Ty::Int),
    Key::new("fps", Ty::Int),
    Key::new("num_frames", Ty::Int),
    Key::new("ctrl_img", Ty::Str),
    Key::new("ctrl_idx", Ty::Int),
    Key::new("ctrl_img_1", Ty::Str),
    Key::new("ctrl_img_2", Ty::Str),
    Key::new("ctrl_img_3", Ty::Str),
    Key::new("network_multiplier", Ty::Num),
    Key::new("do_cfg_norm", Ty::Bool),
];
// TrainConfig: 126 keys
const TRAIN: &[Key] = &[
    Key::new("noise_scheduler", Ty::Str),
    Key::new("content_or_style", Ty::Any),
    Key::new("steps", Ty::Int),
    Key::new("lr", Ty::Num),
    Key::new("unet_lr", Ty::Any),
    Key::new("text_encoder_lr", Ty::Any),
    Key::new("refiner_lr", Ty::Any),
    Key::new("embedding_lr", Ty::Any),
    Key::new("adapter_lr", Ty::Any),
    Key::new("optimizer", Ty::Str),
    Key::new("optimizer_params", Ty::Any),
    Key::new("lr_scheduler", Ty::Any),
    Key::new("lr_scheduler_params", Ty::Any),
    Key::new("min_denoising_steps", Ty::Int),
    Key::new("max_denoising_steps", Ty::Int),
    Key::new("batch_size", Ty::Int),
    Key::new("dtype", Ty::Str),
    Key::new("xformers", Ty::Any),
    Key::new("sdp", Ty::Any),
    Key::new("attention_backend", Ty::Str),
    Key::new("train_unet", Ty::Bool),
    Key::new("train_text_encoder", Ty::Bool),
    Key::new("train_refiner", Ty::Any),
    Key::new("train_turbo", Ty::Any),
    Key::new("show_turbo_outputs", Ty::Any),
    Key::new("min_snr_gamma", Ty::Any),
    Key::new("snr_gamma", Ty::Any),
    Key::new("learnable_snr_gos", Ty::Any),
    Key::new("noise_offset", Ty::Any),
    Key::new("skip_first_sample", Ty::Any),
    Key::new("force_first_sample", Ty::Any),
    Key::new("gradient_checkpointing", Ty::Bool),
    Key::new("weight_jitter", Ty::Any),
    Key::new("merge_network_on_save", Ty::Any),
    Key::new("merge_network_on_save_strength", Ty::Any),
    Key::new("max_grad_norm", Ty::Any),
    Key::new("start_step", Ty::Any),
    Key::new("free_u", Ty::Any),
    Key::new("adapter_assist_name_or_path", Ty::Str),
    Key::new("adapter_assist_type", Ty::Str),
    Key::new("noise_multiplier", Ty::Any),
    Key::new("target_noise_multiplier", Ty::Any),
    Key::new("random_noise_multiplier", Ty::Any),
    Key::new("do_signal_correction_noise", Ty::Any),
    Key::new("do_batch_noise_correction", Ty::Any),
    Key::new("batch_noise_correction_scale", Ty::Any),
    Key::new("do_signal_amplification", Ty::Any),
    Key::new("signal_amplification_strength", Ty::Any),
    Key::new("signal_correction_noise_scale", Ty::Any),
    Key::new("random_noise_shift", Ty::Any),
    Key::new("img_multiplier", Ty::Any),
    Key::new("noisy_latent_multiplier", Ty::Any),
    Key::new("latent_multiplier", Ty::Any),
    Key::new("negative_prompt", Ty::Any),
    Key::new("max_negative_prompts", Ty::Any),
    Key::new("reg_weight", Ty::Any),
    Key::new("num_train_timesteps", Ty::Any),
    Key::new("adaptive_scaling_factor", Ty::Any),
    Key::new("prompt_dropout_prob", Ty::Any),
    Key::new("match_noise_norm", Ty::Any),
    Key::new("gradient_accumulation_steps", Ty::Any),
    Key::new("gradient_accumulation", Ty::Int),
    Key::new("short_and_long_captions", Ty::Any),
    Key::new("short_and_long_captions_encoder_split", Ty::Any),
    Key::new("single_item_batching", Ty::Any),
    Key::new("match_adapter_assist", Ty::Any),
    Key::new("match_adapter_chance", Ty::Any),
    Key::new("loss_target", Ty::Any),
    Key::new("inverted_mask_prior", Ty::Any),
    Key::new("inverted_mask_prior_multiplier", Ty::Any),
    Key::new("diff_output_preservation", Ty::Any),
    Key::new("diff_output_preservation_multiplier", Ty::Any),
    Key::new("diff_output_preservation_class", Ty::Any),
    Key::new("blank_prompt_preservation", Ty::Any),
    Key::new("blank_prompt_preservation_multiplier", Ty::Any),
    Key::new("standardize_images", Ty::Any),
    Key::new("standardize_latents", Ty::Any),
    Key::new("dynamic_noise_offset", Ty::Any),
    Key::new("do_cfg", Ty::Any),
    Key::new("do_random_cfg", Ty::Any),
    Key::new("cfg_scale", Ty::Any),
    Key::new("max_cfg_scale", Ty::Any),
    Key::new("cfg_rescale", Ty::Any),
    Key::new("correct_pred_norm", Ty::Any),
    Key::new("correct_pred_norm_multiplier", Ty::Any),
    Key::new("loss_type", Ty::Any),
    Key::new("t0_loss_target", Ty::Any),
    Key::new("t0_velocity_equiv_weight", Ty::Any),
    Key::new("do_fft_loss", Ty::Any),
    Key::new("do_fft_velocity_equiv_weight", Ty::Any),
    Key::new("pred_scaler", Ty::Any),
    Key::new("prompt_saturation_chance", Ty::Any),
    Key::new("do_prior_divergence", Ty::Any),
    Key::new("ema_config", Ty::Table(EMA)),
    Key::new("target_norm_std", Ty::Any),
    Key::new("target_norm_std_value", Ty::Any),
    Key::new(
        "timestep_type",
        Ty::OneOf(&[
            "sigmoid",
            "linear",
            "lognorm_blend",
            "next_sample",
            "weighted",
            "one_step",
        ]),
    ),
    Key::new("next_sample_timesteps", Ty::Any),
    Key::new("linear_timesteps", Ty::Any),
    Key::new("linear_timesteps2", Ty::Any),
    Key::new("disable_sampling", Ty::Any),
    Key::new("unload_text_encoder", Ty::Bool),
    Key::new("cache_text_embeddings", Ty::Bool),
    Key::new("do_paramiter_swapping", Ty::Any),
    Key::new("paramiter_swapping_factor", Ty::Any),
    Key::new("bypass_guidance_embedding", Ty::Any),
    Key::new("latent_feature_extractor_path", Ty::Any),
    Key::new("latent_feature_loss_weight", Ty::Any),
    Key::new("diffusion_feature_extractor_path", Ty::Any),
    Key::new("diffusion_feature_extractor_weight", Ty::Any),
    Key::new("optimal_noise_pairing_samples", Ty::Any),
    Key::new("force_consistent_noise", Ty::Any),
    Key::new("blended_blur_noise", Ty::Any),
    Key::new("do_guidance_loss", Ty::Any),
    Key::new("guidance_loss_target", Ty::Any),
    Key::new("do_guidance_loss_cfg_zero", Ty::Bool),
    Key::new("guidance_loss_schedule", Ty::Str),
    Key::new("unconditional_prompt", Ty::Str),
    Key::new("do_differential_guidance", Ty::Any),
    Key::new("differential_guidance_scale", Ty::Any),
    Key::new("switch_boundary_every", Ty::Int),
    Key::new("do_blank_stabilization", Ty::Any),
    Key::new("audio_loss_multiplier", Ty::Any),
    Key::new("max_loss_debug", Ty::Bool),
    Key::new("max_loss", Ty::Num),
    Key::new("validation_config", Ty::Any),
];
// EMAConfig: 4 keys
const EMA: &[Key] = &[
    Key::new("use_ema", Ty::Bool),
    Key::new("ema_decay", Ty::Num),
    Key::new("use_feedback", Ty::Bool),
    Key::new("param_multiplier", Ty::Num),
];
// ModelConfig: 60 keys
const MODEL: &[Key] = &[
    Key::new("name_or_path", Ty::Str),
    Key::new("is_v2", Ty::Bool),
    Key::new("is_xl", Ty::Bool),
    Key::new("is_pixart", Ty::Bool),
    Key::new("is_pixart_sigma", Ty::Bool),
    Key::new("is_auraflow", Ty::Bool),
    Key::new("is_v3", Ty::Bool),
    Key::new("is_flux", Ty::Bool),
    Key::new("is_lumina2", Ty::Bool),
    Key::new("use_flux_cfg", Ty::Any),
    Key::new("is_ssd", Ty::Bool),
    Key::new("is_vega", Ty::Bool),
    Key::new("is_v_pred", Ty::Bool),
    Key::new("dtype", Ty::Str),
    Key::new("vae_path", Ty::Any),
    Key::new("refiner_name_or_path", Ty::Any),
    Key::new("refiner_start_at", Ty::Any),
    Key::new("lora_path", Ty::Any),
    Key::new("assistant_lora_path", Ty::Str),
    Key::new("inference_lora_path", Ty::Any),
    Key::new("unconditional_lora_path", Ty::Any),
    Key::new("latent_space_version", Ty::Any),
    Key::new("use_text_encoder_1", Ty::Bool),
    Key::new("use_text_encoder_2", Ty::Bool),
    Key::new("experimental_xl", Ty::Bool),
    Key::new("text_encoder_bits", Ty::Any),
    Key::new("unet_path", Ty::Any),
    Key::new("unet_sample_size", Ty::Any),
    Key::new("vae_device", Ty::Any),
    Key::new("vae_dtype", Ty::Any),
    Key::new("te_device", Ty::Any),
    Key::new("te_dtype", Ty::Any),
    Key::new("quantize", Ty::Bool),
    Key::new("quantize_te", Ty::Bool),
    Key::new("qtype", Ty::OneOf(QTYPES)),
    Key::new("qtype_te", Ty::OneOf(QTYPES)),
    Key::new("low_vram", Ty::Bool),
    Key::new("attn_masking", Ty::Any),
    Key::new("ignore_if_contains", Ty::Any),
    Key::new("only_if_contains", Ty::Any),
    Key::new("quantize_kwargs", Ty::Any),
    Key::new("split_model_over_gpus", Ty::Any),
    Key::new("split_model_other_module_param_count_scale", Ty::Any),
    Key::new("te_name_or_path", Ty::Any),
    Key::new("arch", Ty::OneOf(ZIMAGE_ARCHES)),
    Key::new("auto_memory", Ty::Any),
    Key::new("layer_offloading", Ty::Any),
    Key::new("layer_offloading_transformer_percent", Ty::Any),
    Key::new("layer_offloading_text_encoder_percent", Ty::Any),
    Key::new("extras_name_or_path", Ty::Str),
    Key::new("accuracy_recovery_adapter", Ty::Any),
    Key::new("compile", Ty::Any),
    Key::new("block_compile", Ty::Any),
    Key::new("compile_mode", Ty::Any),
    Key::new("compile_fullgraph", Ty::Any),
    Key::new("compile_dynamic", Ty::Any),
    Key::new("cache_size_limit", Ty::Any),
    Key::new("model_kwargs", Ty::Any),
    Key::new("model_paths", Ty::Any),
    Key::new("in_context", Ty::Any),
];
// DatasetConfig: 79 keys
const DATASET: &[Key] = &[
    Key::new("batch_size", Ty::Int),
    Key::new("type", Ty::Any),
    Key::new("folder_path", Ty::Str),
    Key::new("dataset_path", Ty::Str),
    Key::new("default_caption", Ty::Str),
    Key::new("trigger_word", Ty::Str),
    Key::new("diff_output_preservation", Ty::Bool),
    Key::new("diff_output_preservation_class", Ty::Str),
    Key::new("random_triggers", Ty::Any),
    Key::new("random_triggers_max", Ty::Int),
    Key::new("caption_ext", Ty::Str),
    Key::new("random_scale", Ty::Bool),
    Key::new("random_crop", Ty::Bool),
    Key::new("resolution", Ty::Either(&Ty::Int, &Ty::List(&Ty::Int))),
    Key::new("scale", Ty::Num),
    Key::new("buckets", Ty::Bool),
    Key::new("bucket_tolerance", Ty::Int),
    Key::new("is_reg", Ty::Bool),
    Key::new("prior_reg", Ty::Bool),
    Key::new("network_weight", Ty::Any),
    Key::new("token_dropout_rate", Ty::Any),
    Key::new("shuffle_tokens", Ty::Bool),
    Key::new("caption_dropout_rate", Ty::Num),
    Key::new("keep_tokens", Ty::Int),
    Key::new("flip_x", Ty::Bool),
    Key::new("flip_y", Ty::Bool),
    Key::new("augments", Ty::Any),
    Key::new("control_path", Ty::Any),
    Key::new("control_from_same_folder", Ty::Bool),
    Key::new("num_controls_from_same_folder", Ty::Int),
    Key::new("control_path_1", Ty::Any),
    Key::new("control_path_2", Ty::Any),
    Key::new("control_path_3", Ty::Any),
    Key::new("control_transparent_color", Ty::Any),
    Key::new("inpaint_path", Ty::Any),
    Key::new("full_size_control_images", Ty::Bool),
    Key::new("alpha_mask", Ty::Bool),
    Key::new("mask_path", Ty::Str),
    Key::new("unconditional_path", Ty::Str),
    Key::new("invert_mask", Ty::Bool),
    Key::new("mask_min_value", Ty::Num),
    Key::new("poi", Ty::Str),
    Key::new("use_short_captions", Ty::Bool),
    Key::new("num_repeats", Ty::Int),
    Key::new("cache_latents", Ty::Bool),
    Key::new("cache_latents_to_disk", Ty::Bool),
    Key::new("cache_tensors_to_disk", Ty::Bool),
    Key::new("cache_clip_vision_to_disk", Ty::Bool),
    Key::new("cache_text_embeddings", Ty::Bool),
    Key::new("load_image_when_caching_latents", Ty::Bool),
    Key::new("standardize_images", Ty::Bool),
    Key::new("augmentations", Ty::Any),
    Key::new("shuffle_augmentations", Ty::Bool),
    Key::new("caption_type", Ty::Any),
    Key::new("guidance_type", Ty::Any),
    Key::new("clip_image_path", Ty::Str),
    Key::new("clip_image_from_same_folder", Ty::Bool),
    Key::new("clip_image_augmentations", Ty::Any),
    Key::new("clip_image_shuffle_augmentations", Ty::Bool),
    Key::new("replacements", Ty::Any),
    Key::new("loss_multiplier", Ty::Num),
    Key::new("num_workers", Ty::Int),
    Key::new("prefetch_factor", Ty::Int),
    Key::new("cache_latents_num_workers", Ty::Int),
    Key::new("extra_values", Ty::Any),
    Key::new("square_crop", Ty::Bool),
    Key::new("replay_transforms", Ty::Bool),
    Key::new("num_frames", Ty::Int),
    Key::new("shrink_video_to_frames", Ty::Bool),
    Key::new("fps", Ty::Int),
    Key::new("auto_frame_count", Ty::Bool),
    Key::new("trim_auto_frame_count_tail", Ty::Bool),
    Key::new("debug", Ty::Bool),
    Key::new("controls", Ty::Any),
    Key::new("fast_image_size", Ty::Bool),
    Key::new("do_i2v", Ty::Bool),
    Key::new("do_audio", Ty::Bool),
    Key::new("audio_preserve_pitch", Ty::Bool),
    Key::new("audio_normalize", Ty::Bool),
];

/// Keys of a `diffusion_trainer` process that `BaseTrainProcess`/`BaseSDTrainProcess` read
/// with `get_conf` (the sections are the classes above).
const PROCESS: &[Key] = &[
    Key::required("type", Ty::OneOf(&["diffusion_trainer"])),
    Key::new("training_folder", Ty::Str),
    Key::new("device", Ty::Str),
    Key::new("trigger_word", Ty::Str),
    Key::new("network", Ty::Table(NETWORK)),
    Key::required("save", Ty::Table(SAVE)),
    Key::required("datasets", Ty::Tables(DATASET)),
    Key::required("train", Ty::Table(TRAIN)),
    Key::required("model", Ty::Table(MODEL)),
    Key::new("sample", Ty::Table(SAMPLE)),
    Key::new("logging", Ty::Any),
    Key::new("training_seed", Ty::Int),
    Key::new("performance_log_every", Ty::Int),
    Key::new("first_sample", Ty::Any),
    Key::new("guidance", Ty::Any),
    Key::new("embedding", Ty::Any),
    Key::new("decorator", Ty::Any),
    Key::new("adapter", Ty::Any),
    Key::new("log_dir", Ty::Str),
];

/// `job: extension` with one process (`jobs/ExtensionJob.py`), and the `meta` block.
const JOB: &[Key] = &[
    Key::required("job", Ty::OneOf(&["extension"])),
    Key::required(
        "config",
        Ty::Table(&[
            Key::required("name", Ty::Str),
            Key::required("process", Ty::Tables(PROCESS)),
        ]),
    ),
    Key::new("meta", Ty::Any),
];

/// Every way `config.yaml` in `out` departs from what ai-toolkit reads.
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let v = super::super::yaml(&out.join("config.yaml"));
    let mut p = check("config.yaml", &v, JOB);
    for proc in v["config"]["process"].as_array().into_iter().flatten() {
        p.extend(process_values(proc));
    }
    p
}

fn process_values(proc: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let steps = proc["train"]["steps"].as_u64().unwrap_or(1000);
    let every = proc["save"]["save_every"].as_u64().unwrap_or(1000).max(1);
    let keep = proc["save"]["max_step_saves_to_keep"].as_u64().unwrap_or(5);
    if keep < steps.div_ceil(every) {
        p.push(format!(
            "config.yaml: save.max_step_saves_to_keep: {keep} keeps only the last of {} checkpoints (clean_up_saves deletes the early ones)",
            steps.div_ceil(every)
        ));
    }
    let rate = proc["datasets"][0]["caption_dropout_rate"]
        .as_f64()
        .unwrap_or(0.0);
    if !(0.0..1.0).contains(&rate) {
        p.push(format!(
            "config.yaml: caption_dropout_rate {rate} is not a probability"
        ));
    }
    // Buckets are multiples of 16 for Z-Image (`get_bucket_divisibility`).
    for r in proc["datasets"][0]["resolution"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if r.as_u64().is_some_and(|r| r % 16 != 0) {
            p.push(format!(
                "config.yaml: resolution {r} is not a multiple of 16"
            ));
        }
    }
    let arch = proc["model"]["arch"].as_str().unwrap_or_default();
    if proc["model"].get("assistant_lora_path").is_some() != (arch == "zimage:turbo") {
        p.push("config.yaml: model.assistant_lora_path belongs to zimage:turbo only".to_owned());
    }
    p
}

#[test]
fn every_export_matches_ai_toolkits_format() {
    let e = super::exports(zcurate_train::Trainer::AiToolkit);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

/// Defect: `max_step_saves_to_keep: 4` with a save every 250 steps over 2,000 deleted the
/// early checkpoints the README tells the user to pick from.
#[test]
fn every_checkpoint_of_the_run_is_kept() {
    let e = super::exports(zcurate_train::Trainer::AiToolkit);
    let (_, out) = &e.outs[0];
    let v = super::super::yaml(&out.join("config.yaml"));
    let save = &v["config"]["process"][0]["save"];
    let steps = v["config"]["process"][0]["train"]["steps"]
        .as_u64()
        .unwrap();
    assert_eq!(save["save_every"], 250);
    assert!(save["max_step_saves_to_keep"].as_u64().unwrap() >= steps.div_ceil(250));
    // The check itself catches the old value.
    let mut old = v.clone();
    old["config"]["process"][0]["save"]["max_step_saves_to_keep"] = 4.into();
    let p = process_values(&old["config"]["process"][0]);
    assert!(
        p.iter().any(|e| e.contains("deletes the early ones")),
        "{p:?}"
    );
    // And the key lists catch a key ai-toolkit does not read, or a wrong type.
    let mut bad = v.clone();
    bad["config"]["process"][0]["network"]["rank_dropout"] = 0.1.into();
    bad["config"]["process"][0]["train"]["steps"] = "2000".into();
    bad["config"]["process"][0]["model"]["arch"] = "flux".into();
    let p = check("config.yaml", &bad, JOB);
    for expected in [
        "network.rank_dropout: unknown key",
        "train.steps: \"2000\" is not an integer",
        "model.arch: \"flux\" is not one of",
    ] {
        assert!(p.iter().any(|e| e.contains(expected)), "{expected}: {p:?}");
    }
}
