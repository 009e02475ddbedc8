//! A file whose name is not valid UTF-8 (issue 18, item 5). One behaviour in every command:
//! the scan keeps a record refused for its name (kind `name`) that shows the name with
//! replacement characters and says to rename the file; crop and export leave the image out
//! with that reason and never create a file named with replacement characters; export's lint
//! gate names it (it is not refused as "out of date" for ever).

#![cfg(target_os = "linux")]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::common::{TestContext, pattern, record, run_ok};
use crate::export::{Workspace, face_set};

/// `bad<0xFF>.jpg`: Linux names are bytes, and this one is not UTF-8.
fn bad_name() -> &'static OsStr {
    OsStr::from_bytes(b"bad\xff.jpg")
}

/// Every path under `dir`, relative, as the OS gives it.
fn names_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_non_utf8_name_is_refused_with_its_reason_in_scan_crop_and_export() {
    // Scan: a record refused for its name; the other image is scanned.
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(48, 40, 1));
    pattern(48, 40, 2)
        .save_with_format(ctx.root().join(bad_name()), image::ImageFormat::Jpeg)
        .unwrap();
    std::fs::write(
        ctx.root().join(OsStr::from_bytes(b"bad\xff.txt")),
        "zq person",
    )
    .unwrap();
    let out = run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad\u{FFFD}.jpg: the file name is not valid UTF-8"),
        "{err}"
    );
    assert!(err.contains("rename the file"), "{err}");
    let m = ctx.manifest();
    let bad = record(&m, "bad\u{FFFD}.jpg");
    assert_eq!(bad["error"]["kind"], "name", "{bad}");
    assert!(
        bad["caption_path"].is_null(),
        "no sidecar derived from the lossy name: {bad}"
    );
    // A second scan says the same and keeps working.
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));

    // Crop: the real photo under a bad name is left out with the reason; nothing is named
    // with a replacement character.
    zcurate_models::test_model("yunet");
    let ctx = TestContext::new();
    std::fs::create_dir(ctx.path("src")).unwrap();
    let photo = std::fs::read(zcurate_models::test_photo("obama")).unwrap();
    std::fs::write(ctx.path("src").join(bad_name()), &photo).unwrap();
    std::fs::write(ctx.path("src/ok.jpg"), &photo).unwrap();
    let out = ctx
        .command()
        .args(["crop", "src", "--out", "out"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rename the file"), "{err}");
    assert!(ctx.path("out/ok.jpg").is_file(), "{err}");
    let names = names_under(&ctx.path("out"));
    assert!(!names.iter().any(|n| n.contains('\u{FFFD}')), "{names:?}");

    // Export: the scan's record for such a file beside a clean face set is left out with
    // its reason; the export is not refused as out of date.
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    pattern(48, 40, 3)
        .save_with_format(ws.data.join(bad_name()), image::ImageFormat::Jpeg)
        .unwrap();
    // The record `zcurate scan` writes for it, from a folder holding only that file.
    let alone = ws.path("alone");
    std::fs::create_dir(&alone).unwrap();
    std::fs::copy(ws.data.join(bad_name()), alone.join(bad_name())).unwrap();
    // (Exit 2: no image in it could be scanned; the manifest is written all the same.)
    let out = ws
        .command()
        .args(["scan", "alone", "--no-faces"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let scanned: zcurate_manifest::Manifest =
        serde_json::from_slice(&std::fs::read(alone.join(".zcurate/manifest.json")).unwrap())
            .unwrap();
    let path = ws.data.join(".zcurate/manifest.json");
    let mut m: zcurate_manifest::Manifest =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m.images.extend(scanned.images);
    m.images.sort_by(|a, b| a.path.cmp(&b.path));
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let export = |force: bool| {
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
        ]);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    // Lint's gate names the file and the fix (it used to be "out of date" for ever) ...
    let out = export(false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("out of date"), "{err}");
    assert!(
        err.contains("IMG001") && err.contains("rename the file"),
        "{err}"
    );
    // ... and with --force the set is exported without it.
    let out = export(true);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let names = names_under(&ws.path("out"));
    assert!(names.iter().any(|n| n.ends_with("img_00.jpg")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains('\u{FFFD}')), "{names:?}");
}
