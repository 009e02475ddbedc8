use insta_cmd::assert_cmd_snapshot;

use crate::common::{TestContext, filters, pattern, record};

/// A small dataset showing every kind of file a scan meets.
fn mixed_dataset() -> TestContext {
    let ctx = TestContext::new();
    ctx.write_image("a_sharp.png", &pattern(64, 48, 1));
    ctx.write("a_sharp.txt", "zq woman, close-up");
    ctx.write_image("b_other.JPG", &pattern(40, 40, 2));
    ctx.write_image("10_zq/c_repeat.png", &pattern(32, 32, 3));
    ctx.write("10_zq/c_repeat.txt", b"\xEF\xBB\xBFzq woman, with BOM");
    ctx.write("orphan.txt", "no image");
    ctx
}

#[test]
fn scan_writes_manifest() {
    let ctx = mixed_dataset();
    let mut cmd = ctx.command();
    cmd.args(["scan", "."]);
    let filters = filters(&ctx);
    let filters: Vec<(&str, &str)> = filters
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    insta::with_settings!({ filters => filters }, {
        assert_cmd_snapshot!(cmd, @r"
        success: true
        exit_code: 0
        ----- stdout -----

        ----- stderr -----
        Scanned 3 images (3 analysed, 0 unchanged, 0 with errors) in [TIME] -> ./.zcurate/manifest.json
        ");
    });
    let m = ctx.manifest();
    insta::assert_json_snapshot!("scan_mixed_manifest", m, {
        ".tool.version" => "[VERSION]",
        ".images[].mtime_ns" => "[MTIME]",
    });
}

#[test]
fn rescan_reuses_unchanged_and_redoes_changed() {
    let ctx = mixed_dataset();
    assert!(
        ctx.command()
            .args(["scan", "."])
            .status()
            .unwrap()
            .success()
    );
    let first = ctx.manifest();
    // Change one image's content; leave the others alone.
    ctx.write_image("b_other.JPG", &pattern(40, 40, 9));
    let out = ctx.command().args(["scan", "."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(1 analysed, 2 unchanged, 0 with errors)"),
        "{stderr}"
    );
    let second = ctx.manifest();
    assert_eq!(
        record(&first, "a_sharp.png"),
        record(&second, "a_sharp.png")
    );
    assert_ne!(
        record(&first, "b_other.JPG")["sha256"],
        record(&second, "b_other.JPG")["sha256"]
    );
    // A caption edit shows without re-analysing the image.
    ctx.write("a_sharp.txt", "zq woman, head-shoulders");
    let out = ctx.command().args(["scan", "."]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("(0 analysed, 3 unchanged"));
    assert_eq!(
        record(&ctx.manifest(), "a_sharp.png")["caption"],
        "zq woman, head-shoulders"
    );
}

#[test]
fn touched_but_identical_file_is_reused_by_hash() {
    let ctx = mixed_dataset();
    assert!(
        ctx.command()
            .args(["scan", "."])
            .status()
            .unwrap()
            .success()
    );
    let p = ctx.path("a_sharp.png");
    let bytes = std::fs::read(&p).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&p, bytes).unwrap(); // new mtime, same content
    let out = ctx.command().args(["scan", "."]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("(0 analysed, 3 unchanged"));
}

#[test]
fn manifest_to_stdout_and_custom_path() {
    let ctx = mixed_dataset();
    let out = ctx
        .command()
        .args(["scan", ".", "--manifest", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["images"].as_array().unwrap().len(), 3);
    assert!(!ctx.path(".zcurate").exists());

    let status = ctx
        .command()
        .args(["scan", ".", "--manifest", "out/m.json"])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(ctx.path("out/m.json").is_file());
}

#[test]
fn recursive_finds_nested_images() {
    let ctx = mixed_dataset();
    ctx.write_image("nested/deep/d.png", &pattern(20, 20, 4));
    let out = ctx
        .command()
        .args(["scan", ".", "--manifest", "-"])
        .output()
        .unwrap();
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["images"].as_array().unwrap().len(), 3);
    let out = ctx
        .command()
        .args(["scan", ".", "-r", "--manifest", "-"])
        .output()
        .unwrap();
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["images"].as_array().unwrap().len(), 4);
    assert_eq!(m["settings"]["recursive"], true);
}

/// Files that must each become a located diagnostic, never a crash.
fn bad_files(ctx: &TestContext) {
    ctx.write("empty.jpg", b"");
    let mut png = Vec::new();
    pattern(64, 64, 5)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    ctx.write("truncated.png", &png[..png.len() / 2]);
    ctx.write("text.jpg", "this is not an image\n");
    // A PNG header claiming 100000 x 100000 pixels: a decompression bomb.
    let mut bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    ctx.write("bomb.png", &bomb);
    ctx.write(
        "random.webp",
        (0..4000u32)
            .map(|i| (i * 7919 % 256) as u8)
            .collect::<Vec<_>>(),
    );
    ctx.write_image("bad_caption.png", &pattern(16, 16, 6));
    ctx.write("bad_caption.txt", b"caption \xff\xfe not utf-8");
}

#[test]
fn bad_files_are_recorded_and_the_scan_goes_on() {
    let ctx = TestContext::new();
    ctx.write_image("good.png", &pattern(32, 32, 1));
    bad_files(&ctx);
    let out = ctx.command().args(["scan", "."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let m = ctx.manifest();
    let kind = |p: &str| record(&m, p)["error"]["kind"].as_str().unwrap().to_owned();
    assert_eq!(kind("empty.jpg"), "empty");
    assert_eq!(kind("truncated.png"), "corrupt");
    assert_eq!(kind("text.jpg"), "unsupported");
    assert_eq!(kind("bomb.png"), "limits");
    assert!(["corrupt", "unsupported"].contains(&kind("random.webp").as_str()));
    assert_eq!(kind("bad_caption.png"), "caption");
    // The image with the bad caption was still analysed.
    assert!(record(&m, "bad_caption.png")["width"].is_u64());
    assert!(record(&m, "good.png")["error"].is_null());
    for f in [
        "empty.jpg",
        "truncated.png",
        "text.jpg",
        "bomb.png",
        "random.webp",
        "bad_caption",
    ] {
        assert!(stderr.contains(f), "stderr does not name {f}:\n{stderr}");
    }

    let out = ctx
        .command()
        .args(["scan", ".", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn nothing_scannable_exits_2() {
    let ctx = TestContext::new();
    bad_files(&ctx);
    std::fs::remove_file(ctx.path("bad_caption.png")).unwrap();
    let out = ctx.command().args(["scan", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    let empty = TestContext::new();
    let out = empty.command().args(["scan", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no images found"));
}

#[test]
fn missing_folder_is_a_clear_error() {
    let ctx = TestContext::new();
    let out = ctx
        .command()
        .args(["scan", "does-not-exist"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does-not-exist"), "{stderr}");
}

#[test]
fn out_of_range_adaptive_settings_are_refused_by_name() {
    let ctx = mixed_dataset();
    for (toml, key) in [
        ("[faces]\nfirst-pass = 16\n", "first-pass"),
        (
            "[faces]\nretry-below-face-ratio = 1.5\n",
            "retry-below-face-ratio",
        ),
    ] {
        ctx.write("zcurate.toml", toml);
        let out = ctx
            .command_with_config()
            .args(["scan", "."])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(key), "{stderr}");
    }
}

/// A dataset of real faces: the same man twice and another man.
fn faces_dataset() -> TestContext {
    let ctx = TestContext::new();
    for (name, file) in [
        ("obama", "obama.jpg"),
        ("obama2", "obama2.jpg"),
        ("biden", "biden.jpg"),
    ] {
        std::fs::copy(zcurate_models::test_photo(name), ctx.path(file)).unwrap();
    }
    ctx
}

fn manifest_at(ctx: &TestContext, rel: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(ctx.path(rel)).unwrap()).unwrap()
}

/// No flag and no `ORT_DYLIB_PATH`: faces run on the pinned ONNX Runtime from the model
/// cache. Switching to tract then re-analyses nothing (the engines agree on the pinned
/// detectors), while the manifest names the engine of the latest run.
#[test]
fn onnx_runtime_is_the_default_and_switching_engines_keeps_the_records() {
    let ctx = faces_dataset();
    let scan = |extra: &[&str]| {
        let out = crate::common::run_ok(
            ctx.command()
                .args(["scan", "."])
                .args(extra)
                .env_remove(zcurate_face::ORT_DYLIB_ENV),
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = scan(&[]);
    assert!(stderr.contains("(3 analysed, 0 unchanged"), "{stderr}");
    let ort = ctx.manifest();
    assert_eq!(ort["settings"]["faces"]["backend"], "ort");
    for r in ort["images"].as_array().unwrap() {
        assert_eq!(r["faces"].as_array().map(Vec::len), Some(1), "{r}");
    }

    let stderr = scan(&["--backend", "tract"]);
    assert!(stderr.contains("(0 analysed, 3 unchanged"), "{stderr}");
    let tract = ctx.manifest();
    assert_eq!(tract["settings"]["faces"]["backend"], "tract");
    assert_eq!(tract["images"], ort["images"]);
    // Anything else that decides the faces still re-analyses.
    let stderr = scan(&["--backend", "tract", "--det-size", "480"]);
    assert!(stderr.contains("(3 analysed, 0 unchanged"), "{stderr}");
}

/// With the detector cached but not ONNX Runtime, `--offline` falls back to tract and says
/// so in one line; naming `--backend ort` then fails (exit 2). A library that does not load
/// behaves the same.
#[test]
fn without_onnx_runtime_the_default_falls_back_to_tract_and_a_named_ort_fails() {
    let ctx = faces_dataset();
    // A model cache holding only the models a scan uses by default (the detector and the
    // expression model), laid out as zcurate_models lays it out.
    let cache = ctx.path("cache");
    for name in ["yunet", "fer"] {
        let model = zcurate_models::test_model(name);
        let dest = cache
            .join("models")
            .join(name)
            .join(model.file_name().unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&model, &dest).unwrap();
    }
    let not_a_library = ctx.path("cache/libonnxruntime.so");
    std::fs::write(&not_a_library, b"not a library").unwrap();

    let cases: [(&str, Option<&std::path::Path>); 2] =
        [("offline", None), ("broken", Some(&not_a_library))];
    for (what, library) in cases {
        let scan = |backend: Option<&str>| {
            let mut cmd = ctx.command();
            cmd.args(["scan", "data", "--offline", "--no-cache"])
                .env(zcurate_models::ENV_CACHE_DIR, &cache)
                .env_remove(zcurate_face::ORT_DYLIB_ENV);
            if let Some(lib) = library {
                cmd.env(zcurate_face::ORT_DYLIB_ENV, lib);
            }
            if let Some(b) = backend {
                cmd.args(["--backend", b]);
            }
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            (out.status.code(), stderr)
        };
        std::fs::create_dir_all(ctx.path("data")).unwrap();
        std::fs::copy(ctx.path("obama.jpg"), ctx.path("data/obama.jpg")).unwrap();

        let (code, stderr) = scan(None);
        assert_eq!(code, Some(0), "{what}: {stderr}");
        let notes: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("Scanned"))
            .collect();
        assert_eq!(notes.len(), 1, "{what}: {stderr}");
        assert!(
            notes[0].starts_with("warning: faces run on tract")
                && notes[0].contains("ONNX Runtime is unavailable"),
            "{what}: {stderr}"
        );
        let m = manifest_at(&ctx, "data/.zcurate/manifest.json");
        assert_eq!(m["settings"]["faces"]["backend"], "tract", "{what}");
        assert_eq!(m["images"][0]["faces"].as_array().map(Vec::len), Some(1));

        let (code, stderr) = scan(Some("ort"));
        assert_eq!(code, Some(2), "{what}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot use the ort backend: ONNX Runtime is unavailable"),
            "{what}: {stderr}"
        );
        if library.is_none() {
            assert!(stderr.contains("--offline forbids fetching it"), "{stderr}");
        }
        let (code, stderr) = scan(Some("tract"));
        assert_eq!(code, Some(0), "{what}: {stderr}");
        assert!(!stderr.contains("warning"), "{what}: {stderr}");
    }
}

/// `scan --identity` embeds each main face from the image it decoded, states the model's
/// licence, and keeps the embeddings; a scan without the flag neither fetches the model nor
/// drops them; `lint --identity --no-scan` only reads them.
#[test]
fn identity_is_a_scan_fact_that_lint_reads() {
    let ctx = faces_dataset();
    let out = crate::common::run_ok(ctx.command().args(["scan", ".", "--identity"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: --identity uses arcface-mbf, licensed LicenseRef-InsightFace-non-commercial"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("Embedded 3 faces (0 cached)"), "{stderr}");
    let first = ctx.manifest();
    for r in first["images"].as_array().unwrap() {
        let id = &r["identity"];
        assert_eq!(id["embedding"].as_array().map(Vec::len), Some(512), "{r}");
        assert_eq!(id["box"], r["faces"][0]["box"], "{r}");
    }

    let out = crate::common::run_ok(ctx.command().args(["scan", "."]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("arcface") && !stderr.contains("Embedded"),
        "{stderr}"
    );
    assert_eq!(ctx.manifest()["images"], first["images"]);

    let manifest_before = std::fs::read(ctx.path(".zcurate/manifest.json")).unwrap();
    let out = ctx
        .command()
        .args([
            "lint",
            ".",
            "--identity",
            "--no-scan",
            "--format",
            "json",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = &report["summary"]["identity"];
    assert_eq!(
        (id["embedded"].as_u64(), id["missing"].as_u64()),
        (Some(3), Some(0)),
        "{id}"
    );
    assert_eq!(
        std::fs::read(ctx.path(".zcurate/manifest.json")).unwrap(),
        manifest_before,
        "lint --no-scan wrote the manifest"
    );

    // A new image scanned without --identity has no embedding; `scan --identity` adds only it.
    std::fs::copy(zcurate_models::test_photo("obama3"), ctx.path("obama3.jpg")).unwrap();
    crate::common::run_ok(ctx.command().args(["scan", "."]));
    let out = crate::common::run_ok(ctx.command().args(["scan", ".", "--identity"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(0 analysed, 4 unchanged"), "{stderr}");
    assert!(stderr.contains("Embedded 1 faces (3 cached)"), "{stderr}");
}
