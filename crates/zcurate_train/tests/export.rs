//! Export bars: every emitted file parses with a real YAML/TOML/JSON parser and holds the
//! keys `trainers.md` names, with the right types (asserted per trainer, plus snapshots), and
//! matches each trainer's own format as read from its source (`formats/`); the resolution
//! follows the images that reach it; a failing set is gated; odd paths survive; re-export is
//! idempotent; OUT inside DIR is refused.

mod formats;

use std::path::{Path, PathBuf};

use serde_json::Value;
use zcurate_lint::{ConfigTables, LintSettings, Overrides};
use zcurate_manifest::testing::{ANGLES, EXPRESSIONS, face, photo, scan_settings, with_faces};
use zcurate_manifest::{FramingClass, ImageRecord, Manifest};
use zcurate_train::{
    EXPORT_MANIFEST, ExportJob, ExportManifest, ExportOutcome, Model, Plan, PlanOptions, Target,
    TrainError, Trainer,
};

/// A dataset on disk whose manifest passes the face profile: the files are small stand-ins
/// (export never decodes), the records say 1024×1280 close-ups and head-and-shoulders.
struct Dataset {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    manifest: Manifest,
}

impl Dataset {
    fn new(names: &[String]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data set ü");
        Self::in_dir(tmp, dir, names)
    }

    fn in_dir(tmp: tempfile::TempDir, dir: PathBuf, names: &[String]) -> Self {
        std::fs::create_dir_all(&dir).unwrap();
        let images = names
            .iter()
            .enumerate()
            .map(|(i, name)| record(&dir, i, name))
            .collect();
        let mut manifest = Manifest::new(dir.display().to_string(), scan_settings());
        manifest.images = images;
        manifest.images.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            _tmp: tmp,
            dir,
            manifest,
        }
    }

    /// Gives image `i` another size (the stand-in file does not change: export never decodes).
    fn resize(&mut self, i: usize, width: u32, height: u32) {
        let r = &mut self.manifest.images[i];
        (r.width, r.height) = (Some(width), Some(height));
    }

    fn clean(n: usize) -> Self {
        Self::new(
            &(0..n)
                .map(|i| format!("img_{i:02}.jpg"))
                .collect::<Vec<_>>(),
        )
    }
}

/// Writes the image stand-in and its caption, and returns the record a scan would make.
fn record(dir: &Path, i: usize, name: &str) -> ImageRecord {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bytes = format!("not really a jpeg {i}").into_bytes();
    std::fs::write(&path, &bytes).unwrap();
    let framing = if i.is_multiple_of(2) {
        "close-up"
    } else {
        "head and shoulders"
    };
    let angle_word = ["front view", "three-quarter left", "three-quarter right"][i % 3];
    let caption = format!("zq woman, {framing}, {angle_word}, {}", EXPRESSIONS[i % 5]);
    let caption_rel = match name.rsplit_once('.') {
        Some((stem, _)) => format!("{stem}.txt"),
        None => format!("{name}.txt"),
    };
    std::fs::write(dir.join(&caption_rel), &caption).unwrap();
    let (size, mtime) = zcurate_scan::stat(&path).unwrap();
    let record = ImageRecord {
        bytes: size,
        mtime_ns: mtime,
        sha256: Some(zcurate_fs::sha256_hex(&bytes)),
        phash: Some(format!(
            "{:016x}",
            (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        )),
        caption_path: Some(caption_rel),
        caption: Some(caption),
        ..photo(name, 1024, 1280)
    };
    let face_h = if i.is_multiple_of(2) { 600.0 } else { 380.0 };
    // The face profile's mix: close-ups and head-and-shoulders, 3 upper-body shots.
    let class = if i % 6 == 5 {
        FramingClass::UpperBody
    } else if i.is_multiple_of(2) {
        FramingClass::CloseUp
    } else {
        FramingClass::HeadShoulders
    };
    with_faces(record, vec![face(face_h, ANGLES[i % 3])], class)
}

/// A shot with no usable face (a back view, a landscape).
fn no_face(r: &mut ImageRecord) {
    *r = with_faces(std::mem::take(r), Vec::new(), FramingClass::NoFace);
}

fn lint_settings(profile: &str) -> LintSettings {
    LintSettings::resolve(
        ConfigTables::default(),
        &Overrides {
            profile: Some(profile.to_owned()),
            ..Overrides::default()
        },
    )
    .unwrap()
}

fn plan(ds: &Dataset, trainer: Trainer, model: Model) -> Plan {
    plan_with(ds, "face", trainer, model, &PlanOptions::default()).unwrap()
}

fn plan_with(
    ds: &Dataset,
    profile: &str,
    trainer: Trainer,
    model: Model,
    options: &PlanOptions,
) -> Result<Plan, TrainError> {
    Plan::compute(
        &ds.manifest,
        &lint_settings(profile),
        Target { trainer, model },
        options,
    )
}

fn export_to(ds: &Dataset, plan: &Plan, out: &Path) -> Result<ExportOutcome, TrainError> {
    zcurate_train::export(&ExportJob {
        dataset_dir: &ds.dir,
        manifest_sha256: "ab".repeat(32),
        out,
        plan,
        force: false,
        overwrite: false,
        models_dir: None,
    })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(path: &Path) -> Value {
    yaml_serde::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn toml_file(path: &Path) -> Value {
    toml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[track_caller]
fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

#[track_caller]
fn float(v: &Value) -> f64 {
    assert!(v.is_f64(), "not a float: {v}");
    v.as_f64().unwrap()
}

#[track_caller]
fn string(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

#[track_caller]
fn boolean(v: &Value) -> bool {
    v.as_bool().unwrap_or_else(|| panic!("not a bool: {v}"))
}

#[track_caller]
fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(int)
        .collect()
}

/// Folder where the export put the images.
fn images_dir(v: &str, out: &Path) -> PathBuf {
    let p = PathBuf::from(v);
    assert!(p.is_absolute(), "{v}");
    assert!(p.starts_with(out), "{v} is not in {}", out.display());
    assert!(p.is_dir(), "{v}");
    p
}

fn out_dir(ds: &Dataset, name: &str) -> PathBuf {
    ds.dir.parent().unwrap().join(name)
}

#[test]
fn ai_toolkit_yaml_has_the_job_keys() {
    let ds = Dataset::clean(20);
    for model in Model::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("ai {model}"));
        let p = plan(&ds, Trainer::AiToolkit, model);
        assert!(p.gate.passed, "{:?}", p.gate.failing);
        let o = export_to(&ds, &p, &out).unwrap();
        assert_eq!(o.main_config, out.join("config.yaml"));
        let v = yaml(&o.main_config);
        assert_eq!(string(&v["job"]), "extension");
        let proc = &v["config"]["process"][0];
        assert_eq!(string(&proc["type"]), "diffusion_trainer");
        assert_eq!(string(&proc["trigger_word"]), "zq");
        assert_eq!(string(&proc["network"]["type"]), "lora");
        assert_eq!(int(&proc["network"]["linear"]), 32);
        assert_eq!(int(&proc["network"]["linear_alpha"]), 32);
        // A clean set has no bleed risk; a face run on Turbo has a small LoRA dropout anyway.
        match model {
            Model::ZImageTurbo => assert_eq!(float(&proc["network"]["dropout"]), 0.05),
            _ => assert!(proc["network"].get("dropout").is_none()),
        }
        let d = &proc["datasets"][0];
        let folder = images_dir(string(&d["folder_path"]), &out);
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 40);
        assert_eq!(string(&d["caption_ext"]), "txt");
        assert_eq!(float(&d["caption_dropout_rate"]), 0.05);
        assert_eq!(ints(&d["resolution"]), vec![512, 768, 1024]);
        assert_eq!(int(&d["num_repeats"]), 1);
        assert!(!boolean(&d["shuffle_tokens"]));
        let t = &proc["train"];
        assert_eq!(int(&t["steps"]), 2000);
        assert_eq!(int(&t["batch_size"]), 1);
        assert_eq!(float(&t["lr"]), 0.0001);
        assert_eq!(string(&t["optimizer"]), "adamw8bit");
        let m = &proc["model"];
        let s = &proc["sample"];
        assert_eq!(int(&s["sample_every"]), 250);
        let prompts: Vec<&str> = s["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| string(&p["prompt"]))
            .collect();
        assert!(prompts.iter().any(|p| p.starts_with("zq woman")));
        assert!(
            prompts.iter().any(|p| !p.contains("zq")),
            "a neutral prompt"
        );
        match model {
            Model::ZImageTurbo => {
                assert_eq!(string(&m["name_or_path"]), "Tongyi-MAI/Z-Image-Turbo");
                assert_eq!(string(&m["arch"]), "zimage:turbo");
                assert_eq!(
                    string(&m["assistant_lora_path"]),
                    "ostris/zimage_turbo_training_adapter/zimage_turbo_training_adapter_v2.safetensors"
                );
                assert_eq!(float(&s["guidance_scale"]), 1.0);
                assert_eq!(int(&s["sample_steps"]), 9);
            }
            Model::ZImage => {
                assert_eq!(string(&m["name_or_path"]), "Tongyi-MAI/Z-Image");
                assert_eq!(string(&m["arch"]), "zimage");
                assert!(m.get("assistant_lora_path").is_none());
                assert_eq!(float(&s["guidance_scale"]), 4.0);
                assert_eq!(int(&s["sample_steps"]), 30);
            }
            Model::ZImageDeturbo => {
                assert_eq!(string(&m["name_or_path"]), "ostris/Z-Image-De-Turbo");
                assert_eq!(
                    string(&m["extras_name_or_path"]),
                    "Tongyi-MAI/Z-Image-Turbo"
                );
                assert_eq!(string(&m["arch"]), "zimage:deturbo");
                assert_eq!(float(&s["guidance_scale"]), 3.0);
                assert_eq!(int(&s["sample_steps"]), 25);
            }
        }
        // Comments cite the sources in the file itself.
        assert!(read(&o.main_config).contains("# "));
    }
}

#[test]
fn musubi_tuner_toml_and_command_line() {
    let ds = Dataset::clean(20);
    for model in Model::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("musubi {model}"));
        let p = plan(&ds, Trainer::MusubiTuner, model);
        let o = export_to(&ds, &p, &out).unwrap();
        assert_eq!(o.main_config, out.join("dataset.toml"));
        let v = toml_file(&o.main_config);
        let g = &v["general"];
        assert_eq!(ints(&g["resolution"]), vec![1024, 1024]);
        assert_eq!(string(&g["caption_extension"]), ".txt");
        assert_eq!(int(&g["batch_size"]), 1);
        assert!(boolean(&g["enable_bucket"]));
        assert!(
            boolean(&g["bucket_no_upscale"]),
            "small images train at their own size"
        );
        let d = &v["datasets"][0];
        images_dir(string(&d["image_directory"]), &out);
        assert!(string(&d["cache_directory"]).ends_with("/cache"));
        assert_eq!(int(&d["num_repeats"]), 10);
        assert!(
            v.get("subsets").is_none() && d.get("subsets").is_none(),
            "musubi has no subsets"
        );
        assert!(
            d.get("caption_dropout_rate").is_none(),
            "musubi has no caption dropout"
        );

        let script = read(&out.join("train.sh"));
        assert!(script.contains("zimage_train_network.py"));
        assert!(script.contains("--network_module networks.lora_zimage"));
        assert!(script.contains("--network_dim 32"));
        assert!(script.contains("--max_train_steps 2000"));
        assert!(script.contains("zimage_cache_latents.py"));
        assert!(script.contains("zimage_cache_text_encoder_outputs.py"));
        assert_eq!(
            script.contains("--base_weights"),
            model == Model::ZImageTurbo
        );
        let status = std::process::Command::new("sh")
            .arg("-n")
            .arg(out.join("train.sh"))
            .status()
            .unwrap();
        assert!(status.success(), "train.sh is valid shell");
        let prompts = read(&out.join("sample_prompts.txt"));
        let lines: Vec<_> = prompts.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), 5);
        assert!(lines.iter().all(|l| l.contains("--w 1024 --h 1024")));
        if model != Model::ZImage {
            // The adapter is merged: samples come from the de-distilled model.
            assert!(
                lines.iter().all(|l| l.contains("--s 20 --l 4.0")),
                "{prompts}"
            );
        }
    }
}

#[test]
fn sd_scripts_toml_with_subsets_in_a_repeat_folder() {
    let ds = Dataset::clean(20);
    let out = out_dir(&ds, "sd");
    let p = plan(&ds, Trainer::SdScripts, Model::ZImage);
    let o = export_to(&ds, &p, &out).unwrap();
    let v = toml_file(&o.main_config);
    let g = &v["general"];
    assert!(boolean(&g["enable_bucket"]));
    assert_eq!(int(&g["bucket_reso_steps"]), 64);
    assert_eq!(int(&g["resolution"]), 1024);
    assert_eq!(int(&g["batch_size"]), 1);
    assert_eq!(string(&g["caption_extension"]), ".txt");
    assert_eq!(int(&g["keep_tokens"]), 1);
    let sub = &v["datasets"][0]["subsets"][0];
    let dir = images_dir(string(&sub["image_dir"]), &out);
    assert_eq!(dir.file_name().unwrap(), "10_zq", "kohya N_name folder");
    assert_eq!(int(&sub["num_repeats"]), 10);
    assert_eq!(float(&sub["caption_dropout_rate"]), 0.05);
    assert_eq!(string(&sub["class_tokens"]), "zq woman");
    assert!(o.run_hint.is_none(), "sd-scripts has no Z-Image script");
    // Turbo has no adapter in sd-scripts: the plan rule PLAN001 fails the gate.
    let turbo = plan(&ds, Trainer::SdScripts, Model::ZImageTurbo);
    assert!(!turbo.gate.passed);
    assert_eq!(turbo.gate.failing[0].code, "PLAN001");
}

#[test]
fn diffusion_pipe_dataset_and_main_config() {
    let ds = Dataset::clean(20);
    for model in Model::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("dp {model}"));
        let p = plan(&ds, Trainer::DiffusionPipe, model);
        let o = export_to(&ds, &p, &out).unwrap();
        assert_eq!(o.main_config, out.join("config.toml"));
        let d = toml_file(&out.join("dataset.toml"));
        assert_eq!(ints(&d["resolutions"]), vec![512, 768, 1024]);
        assert!(boolean(&d["enable_ar_bucket"]));
        assert_eq!(float(&d["min_ar"]), 0.5);
        assert_eq!(int(&d["num_ar_buckets"]), 7);
        images_dir(string(&d["directory"][0]["path"]), &out);
        assert_eq!(int(&d["directory"][0]["num_repeats"]), 10);
        let c = toml_file(&o.main_config);
        assert_eq!(
            string(&c["dataset"]),
            out.join("dataset.toml").to_str().unwrap()
        );
        assert!(string(&c["output_dir"]).starts_with(out.to_str().unwrap()));
        // 20 images × 10 repeats × 3 resolutions = 600 per epoch; 2000 steps → 4 epochs.
        assert_eq!(int(&c["epochs"]), 4);
        assert_eq!(int(&c["max_steps"]), 2000);
        assert_eq!(int(&c["micro_batch_size_per_gpu"]), 1);
        assert_eq!(int(&c["pipeline_stages"]), 1);
        assert_eq!(float(&c["uncond_fraction"]), 0.05);
        let m = &c["model"];
        assert_eq!(string(&m["type"]), "z_image");
        assert!(string(&m["diffusion_model"]).ends_with(".safetensors"));
        assert!(string(&m["vae"]).ends_with("flux_vae.safetensors"));
        assert_eq!(string(&m["text_encoders"][0]["type"]), "lumina2");
        assert_eq!(string(&m["dtype"]), "bfloat16");
        assert_eq!(
            m.get("merge_adapters").is_some(),
            model == Model::ZImageTurbo
        );
        if model == Model::ZImageTurbo {
            assert!(
                string(&m["merge_adapters"][0])
                    .ends_with("zimage_turbo_training_adapter_v2.safetensors")
            );
        }
        let a = &c["adapter"];
        assert_eq!(string(&a["type"]), "lora");
        assert_eq!(int(&a["rank"]), 32);
        assert!(a.get("alpha").is_none(), "diffusion-pipe rejects alpha");
        assert_eq!(string(&c["optimizer"]["type"]), "adamw_optimi");
        assert_eq!(float(&c["optimizer"]["lr"]), 0.0001);
    }
}

#[test]
fn onetrainer_config_concepts_and_samples() {
    let ds = Dataset::clean(20);
    for model in Model::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("ot {model}"));
        let p = plan(&ds, Trainer::OneTrainer, model);
        assert!(p.gate.passed, "{:?}", p.gate.failing);
        let o = export_to(&ds, &p, &out).unwrap();
        let c = json(&o.main_config);
        assert_eq!(string(&c["model_type"]), "Z_IMAGE");
        assert_eq!(string(&c["training_method"]), "LORA");
        assert_eq!(
            string(&c["concept_file_name"]),
            out.join("concepts.json").to_str().unwrap()
        );
        assert_eq!(string(&c["resolution"]), "1024", "a string in OneTrainer");
        assert!(boolean(&c["aspect_ratio_bucketing"]));
        assert_eq!(int(&c["epochs"]), 10);
        assert_eq!(int(&c["batch_size"]), 1);
        assert_eq!(float(&c["learning_rate"]), 0.0003);
        assert_eq!(int(&c["lora_rank"]), 32);
        assert_eq!(float(&c["lora_alpha"]), 1.0);
        // No bleed risk, and OneTrainer's Turbo export trains De-Turbo: no LoRA dropout.
        assert_eq!(float(&c["dropout_probability"]), 0.0);
        assert_eq!(float(&c["text_encoder"]["dropout_probability"]), 0.0);
        let transformer = &c["transformer"];
        assert!(boolean(&transformer["train"]));
        match model {
            Model::ZImage => {
                assert_eq!(string(&c["base_model_name"]), "Tongyi-MAI/Z-Image");
                assert!(transformer.get("model_name").is_none());
            }
            _ => assert!(
                string(&transformer["model_name"])
                    .ends_with("z_image_de_turbo_v1_bf16.safetensors")
            ),
        }
        let concepts = json(&out.join("concepts.json"));
        let concept = &concepts[0];
        images_dir(string(&concept["path"]), &out);
        assert_eq!(float(&concept["balancing"]), 10.0);
        assert_eq!(string(&concept["balancing_strategy"]), "REPEATS");
        assert_eq!(string(&concept["text"]["prompt_source"]), "sample");
        let samples = json(&out.join("samples.json"));
        assert_eq!(samples.as_array().unwrap().len(), 5);
        assert!(string(&samples[0]["prompt"]).starts_with("zq"));
        assert_eq!(int(&samples[0]["width"]), 1024);
        // Sources of the JSON keys are in the README.
        assert!(read(&out.join("README.md")).contains("text_encoder.dropout_probability"));
    }
}

#[test]
fn simpletuner_config_and_backends() {
    let ds = Dataset::clean(20);
    for (model, flavour) in [
        (Model::ZImageTurbo, "turbo-ostris-v2"),
        (Model::ZImage, "base"),
        (Model::ZImageDeturbo, "ostris-de-turbo"),
    ] {
        let out = out_dir(&ds, &format!("st {model}"));
        let p = plan(&ds, Trainer::SimpleTuner, model);
        let o = export_to(&ds, &p, &out).unwrap();
        let c = json(&o.main_config);
        assert_eq!(string(&c["model_type"]), "lora");
        assert_eq!(string(&c["model_family"]), "z_image");
        assert_eq!(string(&c["model_flavour"]), flavour);
        assert_eq!(
            string(&c["data_backend_config"]),
            out.join("multidatabackend.json").to_str().unwrap()
        );
        assert_eq!(float(&c["caption_dropout_probability"]), 0.05);
        assert_eq!(int(&c["max_train_steps"]), 2000);
        assert_eq!(int(&c["train_batch_size"]), 1);
        assert_eq!(int(&c["resolution"]), 1024);
        assert_eq!(string(&c["resolution_type"]), "pixel_area");
        assert_eq!(int(&c["lora_rank"]), 32);
        assert_eq!(float(&c["learning_rate"]), 0.0001);
        let lora_dropout = if model == Model::ZImageTurbo {
            0.05
        } else {
            0.0
        };
        assert_eq!(float(&c["lora_dropout"]), lora_dropout);
        let expected_steps = if model == Model::ZImageTurbo {
            8
        } else if model == Model::ZImage {
            30
        } else {
            25
        };
        assert_eq!(int(&c["validation_num_inference_steps"]), expected_steps);
        assert!(c["validation_guidance"].is_f64());
        assert!(string(&c["validation_prompt"]).starts_with("zq"));
        let b = json(&out.join("multidatabackend.json"));
        images_dir(string(&b[0]["instance_data_dir"]), &out);
        assert_eq!(string(&b[0]["type"]), "local");
        assert_eq!(string(&b[0]["caption_strategy"]), "textfile");
        assert_eq!(
            int(&b[0]["repeats"]),
            0,
            "SimpleTuner counts steps; 0 = once"
        );
        assert_eq!(int(&b[0]["minimum_image_size"]), 1024);
        assert_eq!(string(&b[1]["dataset_type"]), "text_embeds");
        assert_eq!(string(&b[0]["text_embeds"]), string(&b[1]["id"]));
        let lib = json(&out.join("user_prompt_library.json"));
        assert_eq!(lib.as_object().unwrap().len(), 5);
    }
}

/// Replaces machine-specific paths so snapshots are stable.
fn redact(text: &str, ds: &Dataset, out: &Path) -> String {
    text.replace(out.to_str().unwrap(), "[OUT]")
        .replace(ds.dir.to_str().unwrap(), "[DIR]")
}

#[test]
fn emitted_files_snapshots() {
    let ds = Dataset::clean(20);
    for trainer in Trainer::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("snap {trainer}"));
        let model = if trainer == Trainer::SdScripts {
            Model::ZImage
        } else {
            Model::ZImageTurbo
        };
        let p = plan(&ds, trainer, model);
        let o = export_to(&ds, &p, &out).unwrap();
        for f in &o.config_files {
            let name = f.file_name().unwrap().to_str().unwrap();
            insta::assert_snapshot!(format!("{trainer}__{name}"), redact(&read(f), &ds, &out));
        }
        if trainer == Trainer::AiToolkit {
            insta::assert_snapshot!(
                "ai-toolkit__README.md",
                redact(&read(&out.join("README.md")), &ds, &out)
            );
        }
    }
}

#[test]
fn captions_carry_the_trigger_and_images_are_links() {
    let mut ds = Dataset::clean(20);
    // A caption without the trigger, and one missing.
    let r = &mut ds.manifest.images[3];
    std::fs::write(ds.dir.join("img_03.txt"), "a woman, close-up").unwrap();
    r.caption = Some("a woman, close-up".into());
    std::fs::remove_file(ds.dir.join("img_04.txt")).unwrap();
    ds.manifest.images[4].caption = None;
    ds.manifest.images[4].caption_path = None;
    zcurate_train::check_fresh(&ds.manifest, &ds.dir).unwrap();
    let out = out_dir(&ds, "captions");
    let mut settings = lint_settings("face");
    settings.trigger = Some("zq".into());
    let p = Plan::compute(
        &ds.manifest,
        &settings,
        Target {
            trainer: Trainer::AiToolkit,
            model: Model::ZImage,
        },
        &PlanOptions::default(),
    )
    .unwrap();
    zcurate_train::export(&ExportJob {
        dataset_dir: &ds.dir,
        manifest_sha256: String::new(),
        out: &out,
        plan: &p,
        force: true,
        overwrite: false,
        models_dir: None,
    })
    .unwrap();
    assert_eq!(
        read(&out.join("dataset/img_03.txt")),
        "zq, a woman, close-up\n"
    );
    assert_eq!(read(&out.join("dataset/img_04.txt")), "zq woman\n");
    assert_eq!(
        read(&out.join("dataset/img_05.txt")),
        format!("{}\n", ds.manifest.images[5].caption.as_ref().unwrap())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let a = std::fs::metadata(ds.dir.join("img_05.jpg")).unwrap();
        let b = std::fs::metadata(out.join("dataset/img_05.jpg")).unwrap();
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()), "a hard link");
    }
}

#[test]
fn failing_face_set_is_gated_and_forced_export_records_it() {
    // 45 images, some full body, some without a face: a face set must show the face
    // (no-face is an error in the face profile), and size and framing mix are off.
    let mut ds = Dataset::clean(45);
    for r in ds.manifest.images.iter_mut().step_by(3) {
        r.framing.as_mut().unwrap().class = FramingClass::FullBody;
    }
    for r in ds.manifest.images.iter_mut().skip(1).step_by(9) {
        no_face(r);
    }
    let p = plan(&ds, Trainer::AiToolkit, Model::ZImageTurbo);
    assert!(!p.gate.passed);
    assert!(p.gate.failing.iter().all(|f| f.severity == "error"));
    assert!(
        p.gate.failing.iter().any(|f| f.name == "no-face"),
        "{:?}",
        p.gate.failing
    );
    // The character profile only warns about faceless shots: it passes.
    let character = plan_with(
        &ds,
        "character",
        Trainer::AiToolkit,
        Model::ZImageTurbo,
        &PlanOptions::default(),
    )
    .unwrap();
    assert!(character.gate.passed, "{:?}", character.gate.failing);
    // The same bleed risks turn on a small LoRA dropout.
    assert_eq!(p.lora_dropout, Some(0.05));
    assert!(p.bleed_risks.is_some());
    let out = out_dir(&ds, "forced");
    let o = zcurate_train::export(&ExportJob {
        dataset_dir: &ds.dir,
        manifest_sha256: String::new(),
        out: &out,
        plan: &p,
        force: true,
        overwrite: false,
        models_dir: None,
    })
    .unwrap();
    assert!(o.forced);
    let readme = read(&out.join("README.md"));
    assert!(
        readme.contains("Gate overridden with `--force`"),
        "{readme}"
    );
    let m = ExportManifest::read(&out.join(EXPORT_MANIFEST))
        .unwrap()
        .unwrap();
    assert!(m.forced);
    assert!(!m.gate.passed);
    let v = yaml(&out.join("config.yaml"));
    assert_eq!(
        float(&v["config"]["process"][0]["network"]["dropout"]),
        0.05
    );
    // Turbo steps stay under the lint's turbo-max-steps (3,000).
    assert_eq!(p.steps, 3000);
}

#[test]
fn odd_paths_survive() {
    let names: Vec<String> = [
        "01 smiling face.jpg",
        "Zoë – café.png",
        "日本語の写真.jpg",
        "it's \"quoted\" #1.jpg",
        "sub dir/nested ü.jpg",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain((0..15).map(|i| format!("img {i:02}.jpg")))
    .collect();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my data – ü");
    let mut ds = Dataset::in_dir(tmp, dir, &names);
    ds.manifest.settings.recursive = true;
    for trainer in Trainer::ALL.iter().copied() {
        let out = out_dir(&ds, &format!("out 'ü' {trainer}"));
        let p = plan(&ds, trainer, Model::ZImage);
        let o = export_to(&ds, &p, &out).unwrap();
        let folder = match trainer {
            Trainer::AiToolkit => PathBuf::from(string(
                &yaml(&o.main_config)["config"]["process"][0]["datasets"][0]["folder_path"],
            )),
            Trainer::MusubiTuner => PathBuf::from(string(
                &toml_file(&o.main_config)["datasets"][0]["image_directory"],
            )),
            Trainer::SdScripts => PathBuf::from(string(
                &toml_file(&o.main_config)["datasets"][0]["subsets"][0]["image_dir"],
            )),
            Trainer::DiffusionPipe => PathBuf::from(string(
                &toml_file(&out.join("dataset.toml"))["directory"][0]["path"],
            )),
            Trainer::OneTrainer => {
                PathBuf::from(string(&json(&out.join("concepts.json"))[0]["path"]))
            }
            Trainer::SimpleTuner => PathBuf::from(string(
                &json(&out.join("multidatabackend.json"))[0]["instance_data_dir"],
            )),
        };
        for name in [
            "Zoë – café.png",
            "日本語の写真.jpg",
            "it's \"quoted\" #1.jpg",
            "sub dir__nested ü.jpg",
        ] {
            assert!(folder.join(name).is_file(), "{trainer}: {name}");
        }
        assert_eq!(
            read(&folder.join("日本語の写真.txt"))
                .lines()
                .next()
                .unwrap()
                .split(',')
                .next()
                .unwrap(),
            "zq woman"
        );
        if trainer == Trainer::MusubiTuner {
            let status = std::process::Command::new("sh")
                .arg("-n")
                .arg(out.join("train.sh"))
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn re_export_is_idempotent_and_cleans_up_after_itself() {
    let ds = Dataset::clean(20);
    let out = out_dir(&ds, "again");
    let p = plan(&ds, Trainer::SdScripts, Model::ZImage);
    export_to(&ds, &p, &out).unwrap();
    let first = tree(&out);
    let o = export_to(&ds, &p, &out).unwrap();
    assert_eq!(tree(&out), first, "same files, same bytes");
    assert_eq!((o.linked, o.copied, o.written, o.removed), (0, 0, 0, 0));
    assert_eq!(
        o.unchanged,
        first.len() - 1,
        "everything but the export manifest"
    );

    // Fewer images: repeats change (10 → 13), so the repeat folder is renamed; the old
    // one, ours and untouched, goes away. A file of the user's stays.
    std::fs::write(out.join("my notes.txt"), "mine").unwrap();
    let fewer = Dataset::clean(15);
    let p2 = plan(&fewer, Trainer::SdScripts, Model::ZImage);
    let o = zcurate_train::export(&ExportJob {
        dataset_dir: &fewer.dir,
        manifest_sha256: String::new(),
        out: &out,
        plan: &p2,
        force: false,
        overwrite: false,
        models_dir: None,
    })
    .unwrap();
    assert_eq!(o.removed, 40);
    assert!(!out.join("dataset/10_zq").exists());
    assert_eq!(
        std::fs::read_dir(out.join("dataset/13_zq"))
            .unwrap()
            .count(),
        30
    );
    assert_eq!(read(&out.join("my notes.txt")), "mine");
}

#[test]
fn edited_files_are_not_overwritten() {
    let ds = Dataset::clean(20);
    let out = out_dir(&ds, "edited");
    let p = plan(&ds, Trainer::AiToolkit, Model::ZImage);
    export_to(&ds, &p, &out).unwrap();
    std::fs::write(out.join("config.yaml"), "# mine\n").unwrap();
    let e = export_to(&ds, &p, &out).unwrap_err();
    assert!(matches!(e, TrainError::EditedOutput { .. }), "{e}");
    assert!(e.to_string().contains("config.yaml"), "{e}");
    assert_eq!(read(&out.join("config.yaml")), "# mine\n");
}

#[test]
fn out_inside_dir_and_foreign_out_are_refused() {
    let ds = Dataset::clean(20);
    let p = plan(&ds, Trainer::AiToolkit, Model::ZImage);
    for out in [ds.dir.join("export"), ds.dir.clone(), ds.dir.join("a/../b")] {
        let e = export_to(&ds, &p, &out).unwrap_err();
        assert!(matches!(e, TrainError::OutInsideDataset { .. }), "{e}");
    }
    // The dataset inside OUT is refused too: its files could be replaced.
    let e = export_to(&ds, &p, ds.dir.parent().unwrap()).unwrap_err();
    assert!(matches!(e, TrainError::OutInsideDataset { .. }), "{e}");
    assert!(!ds.dir.join("export").exists());

    let foreign = out_dir(&ds, "foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("README.md"), "the user's").unwrap();
    let e = export_to(&ds, &p, &foreign).unwrap_err();
    assert!(matches!(e, TrainError::ForeignOutput { .. }), "{e}");
    assert_eq!(read(&foreign.join("README.md")), "the user's");
}

#[test]
fn stale_manifests_name_the_scan_command() {
    let ds = Dataset::clean(20);
    zcurate_train::check_fresh(&ds.manifest, &ds.dir).unwrap();
    std::fs::write(ds.dir.join("img_02.jpg"), "changed content, longer").unwrap();
    std::fs::write(ds.dir.join("new.jpg"), "new").unwrap();
    std::fs::write(ds.dir.join("img_05.txt"), "zq woman, edited").unwrap();
    std::fs::remove_file(ds.dir.join("img_07.jpg")).unwrap();
    let e = zcurate_train::check_fresh(&ds.manifest, &ds.dir).unwrap_err();
    let msg = e.to_string();
    for part in [
        "changed: img_02.jpg",
        "missing: img_07.jpg",
        "new: new.jpg",
        "caption changed: img_05.jpg",
        "zcurate scan",
    ] {
        assert!(msg.contains(part), "{part}: {msg}");
    }
}

/// Defect: one small image capped the whole run (a 120 px image exported `resolution: [64]`
/// and 64 px samples). Now a face set of 20 good images plus one of 120 px fails lint and the
/// gate naming it; with a 600 px image instead, ai-toolkit, musubi-tuner and diffusion-pipe
/// train at 1024 and name the 600 px image as training smaller.
#[test]
fn one_small_image_does_not_lower_the_run() {
    let mut tiny = Dataset::clean(21);
    tiny.resize(20, 120, 120);
    let report = zcurate_lint::lint(&tiny.manifest, &lint_settings("face"));
    assert!(report.failed());
    let named = |code: &str, findings: &[(String, Option<String>)]| {
        findings
            .iter()
            .any(|(c, path)| c == code && path.as_deref() == Some("img_20.jpg"))
    };
    let lint_errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == zcurate_lint::Severity::Error)
        .map(|f| (f.rule.code().to_owned(), f.path.clone()))
        .collect();
    assert!(named("IMG011", &lint_errors), "{lint_errors:?}");
    let p = plan(&tiny, Trainer::AiToolkit, Model::ZImageTurbo);
    assert!(!p.gate.passed);
    let gate: Vec<_> = p
        .gate
        .failing
        .iter()
        .map(|f| (f.code.clone(), f.path.clone()))
        .collect();
    assert!(named("IMG011", &gate), "{gate:?}");

    let mut small = Dataset::clean(21);
    small.resize(20, 600, 600);
    for trainer in [
        Trainer::AiToolkit,
        Trainer::MusubiTuner,
        Trainer::DiffusionPipe,
    ] {
        let p = plan(&small, trainer, Model::ZImageTurbo);
        assert!(p.gate.passed, "{trainer}: {:?}", p.gate.failing);
        assert_eq!(p.resolution(), 1024, "{trainer}");
        assert_eq!(p.below.len(), 1, "{trainer}");
        assert_eq!(p.below[0].image, "img_20.jpg");
        let out = out_dir(&small, &format!("small {trainer}"));
        export_to(&small, &p, &out).unwrap();
        let trained = match trainer {
            Trainer::AiToolkit => ints(
                &yaml(&out.join("config.yaml"))["config"]["process"][0]["datasets"][0]["resolution"],
            ),
            Trainer::MusubiTuner => {
                ints(&toml_file(&out.join("dataset.toml"))["general"]["resolution"])
            }
            _ => ints(&toml_file(&out.join("dataset.toml"))["resolutions"]),
        };
        assert_eq!(trained.last(), Some(&1024), "{trainer}: {trained:?}");
        let readme = read(&out.join("README.md"));
        assert!(
            readme.contains("`img_20.jpg (600×600): about 600 px, 41% below 1024;"),
            "{trainer}: {readme}"
        );
        let record = ExportManifest::read(&out.join(EXPORT_MANIFEST))
            .unwrap()
            .unwrap();
        assert_eq!(record.below, p.below);
        assert_eq!(record.sample_size, 1024);
    }
}

#[test]
fn most_images_small_train_at_what_most_reach_and_samples_stay_native() {
    let mut ds = Dataset::clean(20);
    for i in 0..12 {
        ds.resize(i, 700, 700);
    }
    let p = plan(&ds, Trainer::AiToolkit, Model::ZImage);
    // Most images have 700×700 pixels: the run trains at 640, which all of them reach.
    assert_eq!(p.resolutions, vec![512, 640]);
    assert!(p.below.is_empty(), "{:?}", p.below);
    let out = out_dir(&ds, "most small");
    export_to(&ds, &p, &out).unwrap();
    let s = &yaml(&out.join("config.yaml"))["config"]["process"][0]["sample"];
    assert_eq!((int(&s["width"]), int(&s["height"])), (1024, 1024));

    // --resolution overrides the choice; a size the trainers cannot bucket is refused.
    let at = |r: u32| {
        plan_with(
            &ds,
            "face",
            Trainer::MusubiTuner,
            Model::ZImage,
            &PlanOptions {
                resolution: Some(r),
                ..PlanOptions::default()
            },
        )
    };
    let p = at(768).unwrap();
    assert_eq!(p.resolutions, vec![768]);
    assert!(p.resolution_overridden);
    assert!(matches!(at(700), Err(TrainError::BadResolution(700))));
}

#[test]
fn a_turbo_face_run_has_a_small_lora_dropout_and_names_the_alternatives() {
    let ds = Dataset::clean(20);
    let turbo = plan(&ds, Trainer::AiToolkit, Model::ZImageTurbo);
    assert_eq!(turbo.lora_dropout, Some(0.05));
    assert!(turbo.bleed_risks.is_none());
    let why = &turbo
        .recommendations
        .iter()
        .find(|r| r.name == "LoRA dropout")
        .unwrap()
        .reason;
    assert!(why.contains("Turbo face run"), "{why}");
    assert_eq!(
        plan(&ds, Trainer::AiToolkit, Model::ZImage).lora_dropout,
        None
    );
    let character = plan_with(
        &ds,
        "character",
        Trainer::AiToolkit,
        Model::ZImageTurbo,
        &PlanOptions::default(),
    )
    .unwrap();
    // The character profile turns it on only for bleed risks (this face set misses its
    // framing mix), never as a Turbo face default.
    assert_eq!(
        character.lora_dropout.is_some(),
        character.bleed_risks.is_some()
    );
    let why = &character
        .recommendations
        .iter()
        .find(|r| r.name == "LoRA dropout")
        .unwrap()
        .reason;
    assert!(!why.contains("Turbo face run"), "{why}");
    // Caption dropout in 0.05–0.1 wherever the trainer has it for Z-Image.
    for trainer in Trainer::ALL.iter().copied() {
        let p = plan(&ds, trainer, Model::ZImageTurbo);
        match trainer {
            Trainer::MusubiTuner | Trainer::OneTrainer => assert_eq!(p.caption_dropout, None),
            _ => assert!(
                p.caption_dropout.is_some_and(|d| (0.05..=0.1).contains(&d)),
                "{trainer}"
            ),
        }
    }

    let out = out_dir(&ds, "turbo readme");
    export_to(&ds, &turbo, &out).unwrap();
    let readme = read(&out.join("README.md"));
    for part in [
        "## Turbo, Base or De-Turbo",
        "`--model z-image`",
        "`--model z-image-deturbo`",
    ] {
        assert!(readme.contains(part), "{part}: {readme}");
    }
    let base = plan(&ds, Trainer::AiToolkit, Model::ZImage);
    let out = out_dir(&ds, "base readme");
    export_to(&ds, &base, &out).unwrap();
    assert!(!read(&out.join("README.md")).contains("## Turbo, Base or De-Turbo"));
    // The record states each sample prompt and whether it carries the trigger.
    let record = ExportManifest::read(&out.join(EXPORT_MANIFEST))
        .unwrap()
        .unwrap();
    assert_eq!(record.sample_prompts, base.samples);
    assert!(record.sample_prompts.iter().any(|s| s.with_trigger));
    assert!(record.sample_prompts.iter().any(|s| !s.with_trigger));
}
