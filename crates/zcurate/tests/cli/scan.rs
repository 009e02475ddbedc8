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

/// `--backend ort` needs no `ORT_DYLIB_PATH`: the pinned ONNX Runtime comes from the model
/// cache (fetched there on first use) and finds the face tract finds.
#[cfg(feature = "ort")]
#[test]
fn ort_backend_finds_its_runtime_without_the_environment_variable() {
    zcurate_models::test_model("yunet");
    zcurate_models::test_model("onnxruntime");
    let ctx = TestContext::new();
    std::fs::copy(zcurate_models::test_photo("obama"), ctx.path("obama.jpg")).unwrap();
    let run = |backend: &str| {
        let manifest = format!("{backend}.json");
        crate::common::run_ok(
            ctx.command()
                .args(["scan", ".", "--quiet", "--backend", backend, "--manifest"])
                .arg(&manifest)
                .env_remove(zcurate_face::ORT_DYLIB_ENV),
        );
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(ctx.path(&manifest)).unwrap()).unwrap();
        m["images"][0].clone()
    };
    let (tract, ort) = (run("tract"), run("ort"));
    assert_eq!(ort["error"], serde_json::Value::Null);
    assert_eq!(ort["faces"].as_array().map(Vec::len), Some(1), "{ort}");
    assert_eq!(ort["framing"], tract["framing"]);
}
