//! `zcurate export`: the gate on a face set, paths with spaces and non-ASCII names, re-export
//! idempotence, OUT inside DIR, missing and stale manifests. The emitted files are parsed
//! with real parsers; the per-trainer key checks are in `crates/zcurate_train/tests`.

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::assert_cmd_snapshot;
use zcurate_manifest::testing::{ANGLES, EXPRESSIONS, face, photo, scan_settings, with_faces};
use zcurate_manifest::{FramingClass, ImageRecord, Manifest};

use crate::common::pattern;

/// A parent folder holding a dataset folder and room for OUT folders beside it.
pub(crate) struct Workspace {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) data: PathBuf,
}

impl Workspace {
    pub(crate) fn new(data_name: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join(data_name);
        std::fs::create_dir_all(&data).unwrap();
        Self { tmp, data }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// `zcurate` run from the parent folder, colour off, config files ignored.
    pub(crate) fn command(&self) -> Command {
        let mut cmd = self.command_with_config();
        cmd.arg("--isolated");
        cmd
    }

    /// `zcurate` run from the parent folder, colour off, reading the dataset's
    /// `zcurate.toml` (see [`Workspace::write_config`]).
    pub(crate) fn command_with_config(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zcurate"));
        cmd.current_dir(self.tmp.path())
            .env("NO_COLOR", "1")
            .env_remove("ZCURATE_CONFIG")
            .env_remove("ZCURATE_PROFILE")
            .env_remove("ZCURATE_DET_SIZE");
        cmd
    }

    /// Writes the dataset's `zcurate.toml`.
    pub(crate) fn write_config(&self, text: &str) {
        std::fs::write(self.data.join("zcurate.toml"), text).unwrap();
    }

    pub(crate) fn filters(&self) -> Vec<(String, String)> {
        vec![(
            regex_escape(&self.tmp.path().display().to_string()),
            "[TMP]".into(),
        )]
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes `n` stand-in images with captions into the dataset and a manifest describing them
/// as a clean face set (1024×1280 close-ups and head-and-shoulders, one face each). Export
/// never decodes images, so the files only have to match the manifest's size and time.
/// `no_face` images show no face, which fails the face profile.
pub(crate) fn face_set(ws: &Workspace, n: usize, no_face: &[usize]) {
    let mut images = Vec::new();
    for i in 0..n {
        let name = format!("img_{i:02}.jpg");
        let bytes = format!("stand-in image {i}").into_bytes();
        std::fs::write(ws.data.join(&name), &bytes).unwrap();
        let framing = if i.is_multiple_of(2) {
            "close-up"
        } else {
            "head and shoulders"
        };
        let angle_word = ["front view", "three-quarter left", "three-quarter right"][i % 3];
        let caption = format!("zq woman, {framing}, {angle_word}, {}", EXPRESSIONS[i % 5]);
        std::fs::write(ws.data.join(format!("img_{i:02}.txt")), &caption).unwrap();
        let meta = std::fs::metadata(ws.data.join(&name)).unwrap();
        let mtime = meta
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as i64;
        let record = ImageRecord {
            bytes: meta.len(),
            mtime_ns: Some(mtime),
            sha256: Some(format!("{:064x}", i + 1)),
            phash: Some(format!(
                "{:016x}",
                (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            )),
            caption_path: Some(format!("img_{i:02}.txt")),
            caption: Some(caption),
            ..photo(name, 1024, 1280)
        };
        let (faces, class) = if no_face.contains(&i) {
            (Vec::new(), FramingClass::NoFace)
        } else if i.is_multiple_of(2) {
            (vec![face(600.0, ANGLES[i % 3])], FramingClass::CloseUp)
        } else {
            (
                vec![face(380.0, ANGLES[i % 3])],
                FramingClass::HeadShoulders,
            )
        };
        images.push(with_faces(record, faces, class));
    }
    let mut m = Manifest::new(ws.data.display().to_string(), scan_settings());
    m.images = images;
    let path = ws.data.join(".zcurate/manifest.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

/// Gives `name` in the dataset's manifest another size (export never decodes the file).
fn resize_in_manifest(ws: &Workspace, name: &str, width: u32, height: u32) {
    let path = ws.data.join(".zcurate/manifest.json");
    let mut m: Manifest = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let r = m.images.iter_mut().find(|r| r.path == name).unwrap();
    (r.width, r.height) = (Some(width), Some(height));
    std::fs::write(path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

macro_rules! snapshot {
    ($ws:expr, $name:expr, $cmd:expr) => {{
        let filters = $ws.filters();
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, { assert_cmd_snapshot!($name, $cmd); });
    }};
}

#[test]
fn a_failing_face_set_is_refused_and_exported_with_force() {
    let ws = Workspace::new("faces");
    // Three faceless shots: a face set must show the face.
    face_set(&ws, 20, &[3, 8, 15]);
    let export = |extra: &[&str]| {
        let mut cmd = ws.command();
        cmd.args([
            "export",
            "faces",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image-turbo",
            "--out",
            "out",
            "--profile",
            "face",
        ])
        .args(extra);
        cmd
    };
    snapshot!(&ws, "export_refused", export(&[]));
    assert!(!ws.path("out").exists(), "nothing written when refused");

    let out = export(&["--force"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--force"), "{stderr}");
    let readme = std::fs::read_to_string(ws.path("out/README.md")).unwrap();
    assert!(
        readme.contains("Gate overridden with `--force`"),
        "{readme}"
    );
    assert!(readme.contains("no-face"), "{readme}");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path("out/zcurate-export.json")).unwrap())
            .unwrap();
    assert_eq!(m["forced"], true);
    assert_eq!(m["gate"]["passed"], false);
    assert_eq!(m["gate"]["failing"][0]["name"], "no-face");
    // Faceless images are still training images: 20 exported.
    let v = yaml(&ws.path("out/config.yaml"));
    let folder = PathBuf::from(
        v["config"]["process"][0]["datasets"][0]["folder_path"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(std::fs::read_dir(folder).unwrap().count(), 40);

    // The character profile only warns about faceless shots: exported without --force.
    let ok = ws
        .command()
        .args([
            "export",
            "faces",
            "--trainer",
            "onetrainer",
            "--model",
            "z-image",
            "--out",
            "out2",
            "--profile",
            "character",
        ])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path("out2/config.json")).unwrap()).unwrap();
    assert_eq!(cfg["model_type"], "Z_IMAGE");
}

#[test]
fn a_clean_face_set_exports_and_prints_the_main_config() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    snapshot!(
        &ws,
        "export_clean",
        ws.command().args([
            "export",
            "faces",
            "--trainer",
            "diffusion-pipe",
            "--model",
            "z-image-turbo",
            "--out",
            "dp out",
        ])
    );
    let config: serde_json::Value =
        toml::from_str(&std::fs::read_to_string(ws.path("dp out/config.toml")).unwrap()).unwrap();
    assert_eq!(config["model"]["type"], "z_image");
    assert!(config["model"]["merge_adapters"].is_array());
    let dataset: serde_json::Value =
        toml::from_str(&std::fs::read_to_string(ws.path("dp out/dataset.toml")).unwrap()).unwrap();
    assert_eq!(dataset["directory"][0]["num_repeats"], 10);
}

#[test]
fn scanned_odd_names_survive_and_re_export_is_idempotent() {
    let ws = Workspace::new("my photos – ü");
    let names = [
        "a photo.png",
        "Zoë café.png",
        "日本語.png",
        "it's #1.png",
        "plain.png",
        "x y z.png",
    ];
    for (i, name) in names.iter().enumerate() {
        let img = pattern(640, 800, i as u32);
        img.save(ws.data.join(name)).unwrap();
        let stem = name.trim_end_matches(".png");
        std::fs::write(
            ws.data.join(format!("{stem}.txt")),
            format!("zq woman, close-up, look {i}"),
        )
        .unwrap();
    }
    let scan = ws
        .command()
        .args(["scan", "my photos – ü", "--no-faces"])
        .output()
        .unwrap();
    assert_eq!(
        scan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let export = || {
        let mut cmd = ws.command();
        cmd.args([
            "export",
            "my photos – ü",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image",
            "--out",
            "out – é",
            "--trigger",
            "zq",
        ]);
        cmd
    };
    let first = export().output().unwrap();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8(first.stdout).unwrap();
    assert_eq!(PathBuf::from(stdout.trim()), ws.path("out – é/config.yaml"));
    let v = yaml(&ws.path("out – é/config.yaml"));
    let d = &v["config"]["process"][0]["datasets"][0];
    let folder = PathBuf::from(d["folder_path"].as_str().unwrap());
    for name in names {
        assert!(folder.join(name).is_file(), "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(folder.join("日本語.txt")).unwrap(),
        "zq woman, close-up, look 2\n"
    );
    // 640×800 images: the run trains at the largest multiple of 64 they reach (their area is
    // that of a 715 px square), so the list stops at 704.
    assert_eq!(d["resolution"], serde_json::json!([512, 704]));

    let listing = |dir: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = walk(dir);
        v.sort();
        v
    };
    let before = listing(&ws.path("out – é"));
    let second = export().output().unwrap();
    assert_eq!(second.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("0 linked, 0 copied, 0 files written"),
        "{stderr}"
    );
    assert_eq!(
        listing(&ws.path("out – é")),
        before,
        "same files, same bytes"
    );
}

fn walk(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            for (rel, bytes) in walk(&e.path()) {
                out.push((format!("{}/{rel}", e.file_name().to_string_lossy()), bytes));
            }
        } else {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn out_inside_dir_missing_and_stale_manifests_are_refused() {
    let ws = Workspace::new("faces");
    let export = |out: &str| {
        let mut cmd = ws.command();
        cmd.args([
            "export",
            "faces",
            "--trainer",
            "musubi-tuner",
            "--model",
            "z-image",
            "--out",
            out,
        ]);
        cmd
    };
    snapshot!(&ws, "export_no_manifest", export("out"));
    face_set(&ws, 20, &[]);
    snapshot!(&ws, "export_out_inside", export("faces/export"));
    assert!(!ws.data.join("export").exists());
    std::fs::write(ws.data.join("img_04.jpg"), "edited since the scan").unwrap();
    snapshot!(&ws, "export_stale", export("out"));
    // A non-empty OUT zcurate did not make.
    face_set(&ws, 20, &[]);
    std::fs::create_dir_all(ws.path("mine")).unwrap();
    std::fs::write(ws.path("mine/notes.txt"), "mine").unwrap();
    let out = export("mine").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--overwrite"));
    let out = export("mine").arg("--overwrite").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(ws.path("mine/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn help_lists_trainers_and_models() {
    let ws = Workspace::new("x");
    let out = ws.command().args(["export", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for name in [
        "ai-toolkit",
        "musubi-tuner",
        "sd-scripts",
        "diffusion-pipe",
        "onetrainer",
        "simpletuner",
        "z-image-turbo",
        "z-image-deturbo",
        "--force",
        "--overwrite",
        "--trigger",
        "--profile",
    ] {
        assert!(help.contains(name), "{name}\n{help}");
    }
}

/// Issue 14's bar: 20 good images plus one of 120 px fail the face profile's lint and the
/// export gate, naming the small image; with a 600 px image in its place, ai-toolkit,
/// musubi-tuner and diffusion-pipe train at 1024 and the export names the 600 px image as
/// training smaller.
#[test]
fn one_small_image_is_refused_or_named_but_never_lowers_the_run() {
    let ws = Workspace::new("faces");
    face_set(&ws, 21, &[]);
    resize_in_manifest(&ws, "img_20.jpg", 120, 120);
    let lint = ws
        .command()
        .args(["lint", "faces", "--profile", "face", "--no-scan"])
        .output()
        .unwrap();
    assert_eq!(lint.status.code(), Some(1));
    let said = String::from_utf8_lossy(&lint.stdout);
    assert!(
        said.contains("error[IMG011] image-far-too-small: 1 file"),
        "{said}"
    );
    assert!(
        said.contains("faces/img_20.jpg: short side 120 px"),
        "{said}"
    );
    let export = |trainer: &str, out: &str| {
        let mut cmd = ws.command();
        cmd.args([
            "export",
            "faces",
            "--trainer",
            trainer,
            "--model",
            "z-image-turbo",
            "--out",
            out,
        ]);
        cmd
    };
    snapshot!(
        &ws,
        "export_refused_small_image",
        export("ai-toolkit", "tiny")
    );
    assert!(!ws.path("tiny").exists());

    resize_in_manifest(&ws, "img_20.jpg", 600, 600);
    snapshot!(
        &ws,
        "export_names_a_smaller_image",
        export("ai-toolkit", "ai")
    );
    let v = yaml(&ws.path("ai/config.yaml"));
    let process = &v["config"]["process"][0];
    assert_eq!(
        process["datasets"][0]["resolution"],
        serde_json::json!([512, 768, 1024])
    );
    assert_eq!(process["sample"]["width"], 1024);
    for (trainer, out) in [("musubi-tuner", "mu"), ("diffusion-pipe", "dp")] {
        let o = export(trainer, out).output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("img_20.jpg (600×600): about 600 px, 41% below 1024"),
            "{stderr}"
        );
        let d: serde_json::Value = toml::from_str(
            &std::fs::read_to_string(ws.path(&format!("{out}/dataset.toml"))).unwrap(),
        )
        .unwrap();
        let top = if trainer == "musubi-tuner" {
            d["general"]["resolution"][0].clone()
        } else {
            d["resolutions"][2].clone()
        };
        assert_eq!(top, 1024, "{trainer}");
        let readme = std::fs::read_to_string(ws.path(&format!("{out}/README.md"))).unwrap();
        assert!(
            readme.contains("## Images below the resolution"),
            "{trainer}"
        );
    }
}

/// Every file under `dir`, relative, sorted; hidden temporary files included.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

fn export_cmd(ws: &Workspace, out: &str) -> Command {
    let mut cmd = ws.command();
    cmd.args([
        "export",
        "faces",
        "--trainer",
        "ai-toolkit",
        "--model",
        "z-image-turbo",
        "--out",
        out,
    ]);
    cmd
}

/// An export killed half-way (the fault hook aborts the process during its sixth file
/// write, as `kill -9` would) is finished by running it again: same files as an export
/// that was never interrupted, and no temporary file left. It used to be refused as "not
/// made by `zcurate export`".
#[test]
fn an_export_killed_half_way_is_finished_by_running_it_again() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    crate::common::run_ok(&mut export_cmd(&ws, "clean"));

    for writes in [0, 1, 5, 22] {
        let out = format!("out{writes}");
        let killed = export_cmd(&ws, &out)
            .env(
                zcurate_fs::fault::ABORT_AFTER_WRITES_ENV,
                writes.to_string(),
            )
            .output()
            .unwrap();
        assert!(
            !killed.status.success(),
            "the fault hook fires after {writes} writes"
        );
        crate::common::run_ok(&mut export_cmd(&ws, &out));
        assert_eq!(
            tree(&ws.path(&out)),
            tree(&ws.path("clean")),
            "after {writes}"
        );
        let m: serde_json::Value = serde_json::from_slice(
            &std::fs::read(ws.path(&out).join("zcurate-export.json")).unwrap(),
        )
        .unwrap();
        assert!(m.get("complete").is_none(), "complete again: {m}");
    }
}

/// A dataset image that is a symbolic link (relative, as `ln -s ../elsewhere/a.jpg` makes)
/// is exported as the photo it points to, never as the link, which would dangle in OUT.
#[cfg(unix)]
#[test]
fn a_symlinked_image_is_exported_as_its_target() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    std::fs::create_dir(ws.path("elsewhere")).unwrap();
    let moved = ws.path("elsewhere/img_00.jpg");
    std::fs::rename(ws.data.join("img_00.jpg"), &moved).unwrap();
    std::os::unix::fs::symlink("../elsewhere/img_00.jpg", ws.data.join("img_00.jpg")).unwrap();
    crate::common::run_ok(&mut export_cmd(&ws, "out"));
    let exported = ws.path("out/dataset/img_00.jpg");
    let meta = std::fs::symlink_metadata(&exported).unwrap();
    assert!(meta.is_file(), "a file, not a link");
    assert_eq!(
        std::fs::read(exported).unwrap(),
        std::fs::read(moved).unwrap()
    );
    // And a second export finds it as it left it.
    crate::common::run_ok(&mut export_cmd(&ws, "out"));
}

/// A manifest shared with a dataset (or edited) cannot make export link a file from outside
/// the dataset: a record naming `../outside/secret.jpg` is refused by name, nothing written.
#[test]
fn a_manifest_path_leading_outside_the_dataset_is_refused() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    std::fs::create_dir(ws.path("outside")).unwrap();
    std::fs::write(ws.path("outside/secret.jpg"), b"secret").unwrap();
    let path = ws.data.join(".zcurate/manifest.json");
    let mut m: Manifest = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    // A record added beside the real ones, with the secret's true size and time, so the
    // manifest still looks up to date.
    let mut crafted = m.images[0].clone();
    let (bytes, mtime) = zcurate_scan::stat(&ws.path("outside/secret.jpg")).unwrap();
    (crafted.path, crafted.bytes, crafted.mtime_ns) =
        ("../outside/secret.jpg".into(), bytes, mtime);
    crafted.caption_path = None;
    m.images.push(crafted);
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let out = export_cmd(&ws, "out").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`../outside/secret.jpg`"), "{stderr}");
    assert!(!ws.path("out").exists());
}
