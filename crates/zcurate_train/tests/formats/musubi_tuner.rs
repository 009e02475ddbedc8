//! kohya-ss/musubi-tuner at commit 30c658c4f4b0bf05038b3346eff9670259b10fc7 (2026-06-24).
//!
//! `dataset.toml` is validated by `ConfigSanitizer` in `src/musubi_tuner/dataset/config_utils.py`
//! (voluptuous, so an unknown key or a wrong type is an error): `[general]` takes
//! `DATASET_ASCENDABLE_SCHEMA`, each `[[datasets]]` that plus `IMAGE_DATASET_DISTINCT_SCHEMA`.
//! There is no subsets level and no caption dropout. `train.sh` runs three scripts whose flags
//! are those of their argparse parsers (`cache_latents.setup_parser_common`,
//! `zimage_cache_text_encoder_outputs.py`, and `training/parser_common.py` plus
//! `zimage_setup_parser` for `zimage_train_network.py`); the flags below are the ones zcurate
//! may write, each as the parser defines it. `docs/zimage.md` documents the training command
//! and requires `--vae`, `--text_encoder` and `--network_module networks.lora_zimage`.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Key, Ty, check};

/// `DATASET_ASCENDABLE_SCHEMA`: keys of `[general]` and of each dataset.
const ASCENDABLE: &[Key] = &[
    Key::new("caption_extension", Ty::Str),
    Key::new("batch_size", Ty::Int),
    Key::new("num_repeats", Ty::Int),
    Key::new("resolution", Ty::Either(&Ty::Int, &Ty::List(&Ty::Int))),
    Key::new("enable_bucket", Ty::Bool),
    Key::new("bucket_no_upscale", Ty::Bool),
];

/// `IMAGE_DATASET_DISTINCT_SCHEMA`: what an image dataset takes besides [`ASCENDABLE`];
/// zcurate writes an image directory, which `ImageDataset` needs (or a JSONL file).
const IMAGE_DATASET: &[Key] = &[
    Key::required("image_directory", Ty::Str),
    Key::new("image_jsonl_file", Ty::Str),
    Key::new("cache_directory", Ty::Str),
    Key::new("control_directory", Ty::Str),
    Key::new("multiple_target", Ty::Bool),
    Key::new("fp_latent_window_size", Ty::Int),
    Key::new("fp_1f_clean_indices", Ty::List(&Ty::Int)),
    Key::new("fp_1f_target_index", Ty::Int),
    Key::new("fp_1f_no_post", Ty::Bool),
    Key::new("no_resize_control", Ty::Bool),
    Key::new(
        "control_resolution",
        Ty::Either(&Ty::Int, &Ty::List(&Ty::Int)),
    ),
];

/// `zimage_cache_latents.py`: `cache_latents.setup_parser_common`.
const CACHE_LATENTS: &[Key] = &[
    Key::required("dataset_config", Ty::Str),
    Key::required("vae", Ty::Str),
    Key::new("batch_size", Ty::Int),
];

/// `zimage_cache_text_encoder_outputs.py`: its `zimage_setup_parser` on
/// `cache_text_encoder_outputs.setup_parser_common`.
const CACHE_TEXT: &[Key] = &[
    Key::required("dataset_config", Ty::Str),
    Key::required("text_encoder", Ty::Str),
    Key::new("batch_size", Ty::Int),
    Key::new("fp8_llm", Ty::Bool),
];

/// `zimage_train_network.py`: `setup_parser_common` plus `zimage_setup_parser`; flags with
/// no value are `Bool` (`store_true`), `nargs="*"` ones lists.
const TRAIN: &[Key] = &[
    Key::required("dit", Ty::Str),
    Key::required("vae", Ty::Str),
    Key::required("text_encoder", Ty::Str),
    Key::required("dataset_config", Ty::Str),
    Key::new("sdpa", Ty::Bool),
    Key::new("mixed_precision", Ty::OneOf(&["no", "fp16", "bf16"])),
    Key::new(
        "timestep_sampling",
        Ty::OneOf(&[
            "sigma",
            "uniform",
            "sigmoid",
            "shift",
            "flux_shift",
            "flux2_shift",
            "ideogram4_shift",
            "qwen_shift",
            "krea2_shift",
            "logsnr",
            "qinglong_flux",
            "qinglong_qwen",
        ]),
    ),
    Key::new(
        "weighting_scheme",
        Ty::OneOf(&["logit_normal", "mode", "cosmap", "sigma_sqrt", "none"]),
    ),
    Key::new("discrete_flow_shift", Ty::Num),
    Key::new("optimizer_type", Ty::Str),
    Key::new("learning_rate", Ty::Num),
    Key::new("gradient_checkpointing", Ty::Bool),
    Key::new("max_data_loader_n_workers", Ty::Int),
    Key::new("persistent_data_loader_workers", Ty::Bool),
    // The only network module for Z-Image (docs/zimage.md: "Requires").
    Key::required("network_module", Ty::OneOf(&["networks.lora_zimage"])),
    Key::new("network_dim", Ty::Int),
    Key::new("network_alpha", Ty::Num),
    Key::new("network_dropout", Ty::Num),
    Key::new("network_args", Ty::List(&Ty::Str)),
    Key::new("max_train_steps", Ty::Int),
    Key::new("max_train_epochs", Ty::Int),
    Key::new("save_every_n_steps", Ty::Int),
    Key::new("save_every_n_epochs", Ty::Int),
    Key::new("seed", Ty::Int),
    Key::new("sample_prompts", Ty::Str),
    Key::new("sample_every_n_steps", Ty::Int),
    Key::new("output_dir", Ty::Str),
    Key::new("output_name", Ty::Str),
    Key::new("base_weights", Ty::List(&Ty::Str)),
    Key::new("base_weights_multiplier", Ty::List(&Ty::Num)),
    Key::new("fp8_base", Ty::Bool),
    Key::new("fp8_scaled", Ty::Bool),
    Key::new("fp8_llm", Ty::Bool),
];

/// The flags of the training command in `docs/zimage.md`, which an export writes as
/// documented. (`--max_train_epochs 16 --save_every_n_epochs 1` are replaced on purpose by
/// `--max_train_steps` and `--save_every_n_steps`: the run length follows the dataset.)
pub(crate) const DOCUMENTED_TRAIN_FLAGS: &[&str] = &[
    "dit",
    "vae",
    "text_encoder",
    "dataset_config",
    "sdpa",
    "mixed_precision",
    "timestep_sampling",
    "weighting_scheme",
    "discrete_flow_shift",
    "optimizer_type",
    "learning_rate",
    "gradient_checkpointing",
    "max_data_loader_n_workers",
    "persistent_data_loader_workers",
    "network_module",
    "network_dim",
    "seed",
    "output_dir",
    "output_name",
];

/// Every way the musubi-tuner files in `out` depart from what musubi-tuner reads.
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let mut p = dataset_problems(&super::super::toml_file(&out.join("dataset.toml")));
    let script = super::super::read(&out.join("train.sh"));
    let mut seen = Vec::new();
    for (script_name, flags) in commands(&script) {
        let (keys, label) = match script_name.as_str() {
            "zimage_cache_latents.py" => (CACHE_LATENTS, "train.sh: zimage_cache_latents.py"),
            "zimage_cache_text_encoder_outputs.py" => {
                (CACHE_TEXT, "train.sh: zimage_cache_text_encoder_outputs.py")
            }
            "zimage_train_network.py" => (TRAIN, "train.sh: zimage_train_network.py"),
            other => {
                p.push(format!("train.sh: runs {other}, not a Z-Image script"));
                continue;
            }
        };
        p.extend(check(label, &flags, keys));
        if script_name == "zimage_train_network.py" {
            for flag in DOCUMENTED_TRAIN_FLAGS {
                if flags.get(*flag).is_none() {
                    p.push(format!(
                        "{label}: --{flag} of docs/zimage.md's command is missing"
                    ));
                }
            }
        }
        seen.push(script_name);
    }
    for needed in [
        "zimage_cache_latents.py",
        "zimage_cache_text_encoder_outputs.py",
        "zimage_train_network.py",
    ] {
        if !seen.iter().any(|s| s == needed) {
            p.push(format!("train.sh: does not run {needed}"));
        }
    }
    p
}

/// The sanitizer's verdict on a dataset TOML (used on sd-scripts' too, which it rejects):
/// `{"general": ASCENDABLE, "datasets": [ASCENDABLE + IMAGE_DATASET]}`.
pub(crate) fn dataset_problems(v: &Value) -> Vec<String> {
    let dataset: Vec<Key> = [ASCENDABLE, IMAGE_DATASET].concat();
    let mut p = Vec::new();
    let mut has_datasets = false;
    for (k, val) in v.as_object().into_iter().flatten() {
        match k.as_str() {
            "general" => p.extend(check("dataset.toml: general", val, ASCENDABLE)),
            "datasets" => {
                has_datasets = true;
                for (i, d) in val.as_array().into_iter().flatten().enumerate() {
                    p.extend(check(&format!("dataset.toml: datasets[{i}]"), d, &dataset));
                }
            }
            _ => p.push(format!("dataset.toml: {k}: unknown key")),
        }
    }
    if !has_datasets {
        p.push("dataset.toml: datasets: missing required key".to_owned());
    }
    p
}

/// Each `python src/musubi_tuner/<script> --flag value ...` command of a shell script, with
/// its flags as a table: `--flag value` a number or string, a bare `--flag` true, repeated
/// values (`nargs="*"`) a list.
fn commands(script: &str) -> Vec<(String, Value)> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let words = shell_words(line);
        let Some(at) = words.iter().position(|w| {
            w.starts_with("src/musubi_tuner/")
                && Path::new(w).extension().is_some_and(|e| e == "py")
        }) else {
            continue;
        };
        let name = words[at].trim_start_matches("src/musubi_tuner/").to_owned();
        let mut flags = Map::new();
        let mut current: Option<String> = None;
        for w in &words[at + 1..] {
            if let Some(flag) = w.strip_prefix("--") {
                flags.insert(flag.to_owned(), Value::Bool(true));
                current = Some(flag.to_owned());
            } else if let Some(flag) = &current {
                let v = scalar(w);
                let slot = flags.get_mut(flag).expect("inserted");
                *slot = match slot.take() {
                    Value::Bool(true) => v,
                    Value::Array(mut a) => {
                        a.push(v);
                        Value::Array(a)
                    }
                    first => Value::Array(vec![first, v]),
                };
            }
        }
        // `nargs="*"` flags are lists even with one value.
        for key in TRAIN.iter().filter(|k| matches!(k.ty, Ty::List(_))) {
            if let Some(v) = flags.get_mut(key.name)
                && !v.is_array()
            {
                *v = Value::Array(vec![v.take()]);
            }
        }
        out.push((name, Value::Object(flags)));
    }
    out
}

fn scalar(w: &str) -> Value {
    if let Ok(i) = w.parse::<i64>() {
        Value::from(i)
    } else if let Ok(f) = w.parse::<f64>() {
        Value::from(f)
    } else {
        Value::from(w)
    }
}

/// Splits a shell command line into words: whitespace outside quotes separates, single and
/// double quotes group, a backslash outside quotes escapes (enough for the scripts zcurate
/// writes; `$VAR` stays as written).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            word.push(c);
            escaped = false;
            continue;
        }
        match (quote, c) {
            (None, '\\') => {
                escaped = true;
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '#') if !in_word => break,
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn shell_words_follow_quotes() {
    assert_eq!(
        shell_words(r#"a --x 'it'\''s' "$DIT" --y 2 # note"#),
        ["a", "--x", "it's", "$DIT", "--y", "2"]
    );
}

#[test]
fn every_export_matches_musubi_tuners_format() {
    let e = super::exports(zcurate_train::Trainer::MusubiTuner);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

/// Defect: the training command lacked `--seed` and the data-loader worker flags of
/// docs/zimage.md's command.
#[test]
fn the_training_command_has_the_documented_flags() {
    let e = super::exports(zcurate_train::Trainer::MusubiTuner);
    let (_, out) = &e.outs[0];
    let script = super::super::read(&out.join("train.sh"));
    let (_, train) = commands(&script)
        .into_iter()
        .find(|(name, _)| name == "zimage_train_network.py")
        .unwrap();
    assert_eq!(train["seed"], 42);
    assert_eq!(train["max_data_loader_n_workers"], 2);
    assert_eq!(train["persistent_data_loader_workers"], true);
    assert_eq!(train["network_module"], "networks.lora_zimage");
    // The checks fire on what musubi-tuner would reject.
    let mut bad = train.clone();
    bad.as_object_mut().unwrap().remove("seed");
    bad["network_module"] = "networks.lora".into();
    bad["cache_text_embeddings"] = true.into();
    let mut p = check("train", &bad, TRAIN);
    for flag in DOCUMENTED_TRAIN_FLAGS {
        if bad.get(*flag).is_none() {
            p.push(format!("--{flag} missing"));
        }
    }
    for expected in [
        "network_module: \"networks.lora\" is not one of networks.lora_zimage",
        "cache_text_embeddings: unknown key",
        "--seed missing",
    ] {
        assert!(p.iter().any(|e| e.contains(expected)), "{expected}: {p:?}");
    }
}
