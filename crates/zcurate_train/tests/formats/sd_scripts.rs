//! kohya-ss/sd-scripts at commit 48d368fa557731ad0488c07304dfeba8c07910eb (2026-02-16).
//!
//! `dataset.toml` is validated by `ConfigSanitizer` in `library/config_util.py`, built by
//! `train_network.py` as `ConfigSanitizer(True, True, args.masked_loss, True)` (DreamBooth,
//! fine-tuning, no ControlNet, dropout): voluptuous schemas, so an unknown key or a wrong type
//! is an error. `[general]` takes the dataset-, subset-, DreamBooth- and dropout-ascendable
//! keys; each `[[datasets]]` those plus `subsets`; a DreamBooth subset requires `image_dir`.
//! sd-scripts has no Z-Image training script on any of its branches.

use std::path::Path;

use super::{Key, Ty, check};

/// `SUBSET_ASCENDABLE_SCHEMA`.
const SUBSET_ASCENDABLE: &[Key] = &[
    Key::new("color_aug", Ty::Bool),
    Key::new("face_crop_aug_range", Ty::List(&Ty::Num)),
    Key::new("flip_aug", Ty::Bool),
    Key::new("num_repeats", Ty::Int),
    Key::new("random_crop", Ty::Bool),
    Key::new("shuffle_caption", Ty::Bool),
    Key::new("keep_tokens", Ty::Int),
    Key::new("keep_tokens_separator", Ty::Str),
    Key::new("secondary_separator", Ty::Str),
    Key::new("caption_separator", Ty::Str),
    Key::new("enable_wildcard", Ty::Bool),
    Key::new("token_warmup_min", Ty::Int),
    Key::new("token_warmup_step", Ty::Num),
    Key::new("caption_prefix", Ty::Str),
    Key::new("caption_suffix", Ty::Str),
    Key::new("custom_attributes", Ty::Any),
    Key::new("resize_interpolation", Ty::Str),
];
/// `DO_SUBSET_ASCENDABLE_SCHEMA` (caption dropout).
const DROPOUT: &[Key] = &[
    Key::new("caption_dropout_every_n_epochs", Ty::Int),
    Key::new("caption_dropout_rate", Ty::Num),
    Key::new("caption_tag_dropout_rate", Ty::Num),
];
/// `DB_SUBSET_ASCENDABLE_SCHEMA`.
const DREAMBOOTH: &[Key] = &[
    Key::new("caption_extension", Ty::Str),
    Key::new("class_tokens", Ty::Str),
    Key::new("cache_info", Ty::Bool),
];
/// `DB_SUBSET_DISTINCT_SCHEMA`.
const DREAMBOOTH_SUBSET: &[Key] = &[
    Key::required("image_dir", Ty::Str),
    Key::new("is_reg", Ty::Bool),
    Key::new("alpha_mask", Ty::Bool),
];
/// `DATASET_ASCENDABLE_SCHEMA`.
const DATASET_ASCENDABLE: &[Key] = &[
    Key::new("batch_size", Ty::Int),
    Key::new("bucket_no_upscale", Ty::Bool),
    Key::new("bucket_reso_steps", Ty::Int),
    Key::new("enable_bucket", Ty::Bool),
    Key::new("max_bucket_reso", Ty::Int),
    Key::new("min_bucket_reso", Ty::Int),
    Key::new("validation_seed", Ty::Int),
    Key::new("validation_split", Ty::Num),
    Key::new("resolution", Ty::Either(&Ty::Int, &Ty::List(&Ty::Int))),
    Key::new("network_multiplier", Ty::Num),
    Key::new("resize_interpolation", Ty::Str),
];

/// Every way `dataset.toml` in `out` departs from what sd-scripts' sanitizer accepts (a
/// DreamBooth-style dataset, which is what zcurate writes).
pub(crate) fn problems(out: &Path) -> Vec<String> {
    let v = super::super::toml_file(&out.join("dataset.toml"));
    let general: Vec<Key> = [DATASET_ASCENDABLE, SUBSET_ASCENDABLE, DREAMBOOTH, DROPOUT].concat();
    let subset: Vec<Key> = [SUBSET_ASCENDABLE, DREAMBOOTH_SUBSET, DREAMBOOTH, DROPOUT].concat();
    let mut p = Vec::new();
    for k in v.as_object().into_iter().flatten().map(|(k, _)| k) {
        if k != "general" && k != "datasets" {
            p.push(format!("dataset.toml: {k}: unknown key"));
        }
    }
    if let Some(g) = v.get("general") {
        p.extend(
            check("dataset.toml", g, &general)
                .into_iter()
                .map(|e| e.replacen("dataset.toml: ", "dataset.toml: general.", 1)),
        );
    }
    let Some(datasets) = v.get("datasets").and_then(|d| d.as_array()) else {
        p.push("dataset.toml: datasets: missing required key".to_owned());
        return p;
    };
    for (i, d) in datasets.iter().enumerate() {
        let mut dataset = general.clone();
        dataset.push(Key::required("subsets", Ty::Any));
        p.extend(check("dataset.toml", d, &dataset).into_iter().map(|e| {
            e.replacen(
                "dataset.toml: ",
                &format!("dataset.toml: datasets[{i}]."),
                1,
            )
        }));
        for (j, s) in d["subsets"].as_array().into_iter().flatten().enumerate() {
            p.extend(check("dataset.toml", s, &subset).into_iter().map(|e| {
                e.replacen(
                    "dataset.toml: ",
                    &format!("dataset.toml: datasets[{i}].subsets[{j}]."),
                    1,
                )
            }));
        }
    }
    p
}

#[test]
fn every_export_matches_sd_scripts_format() {
    let e = super::exports(zcurate_train::Trainer::SdScripts);
    for (label, out) in &e.outs {
        super::assert_clean(label, &problems(out));
    }
}

/// Defects: the advice said "musubi-tuner reads the same layout", but musubi's sanitizer
/// rejects sd-scripts' TOML; and `class_tokens` was the trigger without the class word.
#[test]
fn the_advice_names_musubi_and_class_tokens_name_the_class() {
    let e = super::exports(zcurate_train::Trainer::SdScripts);
    let (_, out) = &e.outs[1];
    let toml = super::super::toml_file(&out.join("dataset.toml"));
    let rejected = super::musubi_tuner::dataset_problems(&toml);
    assert!(
        rejected
            .iter()
            .any(|p| p.contains("bucket_reso_steps: unknown key")),
        "{rejected:?}"
    );
    let readme = super::super::read(&out.join("README.md"));
    assert!(!readme.contains("reads the same layout"), "{readme}");
    assert!(readme.contains("--trainer musubi-tuner"), "{readme}");
    assert!(readme.contains("networks.lora_zimage"), "{readme}");
    assert_eq!(
        toml["datasets"][0]["subsets"][0]["class_tokens"],
        "zq woman"
    );
}
