//! The failure the linter exists for (`../shared/domain.md`), on the fetched real photos: a
//! broad 45-image "face set" of one man (mixed framings, knee-up shots, long captions naming
//! clothes and places, one photo of a different man, two near-duplicates) fails the face
//! profile with the rules that explain why; the same photos cropped tight, captioned with the
//! face schema, pass.

use std::collections::BTreeSet;

use image::{DynamicImage, GenericImageView, imageops};
use serde_json::Value;
use zcurate_dev::broad_set::{SOURCES, broad_shot, framed, jpeg, photo, sources};

use crate::common::{TestContext, run_ok};

fn save(ctx: &TestContext, rel: &str, img: &DynamicImage, quality: u8) {
    ctx.write(rel, jpeg(img, quality).unwrap());
}

fn lint_json(ctx: &TestContext, extra: &[&str]) -> (i32, Value) {
    let out = ctx
        .command()
        .args(["lint", ".", "--profile", "face", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

fn codes(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn files_of(report: &Value, code: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn broad_face_set_fails_and_the_tight_one_passes() {
    let photos = sources().unwrap();

    // The broad set: 42 shots of the man, framed from the chest to the thighs.
    let broad = TestContext::new();
    for i in 0..42u32 {
        let (shot, caption) = broad_shot(&photos, i);
        save(&broad, &format!("img_{i:02}.jpg"), &shot, 92);
        broad.write(&format!("img_{i:02}.txt"), caption);
    }
    // Two near-duplicates: one shot saved twice, the second smaller and recompressed.
    let dup = framed(&photos[0], &SOURCES[0], 1.2, 1);
    save(&broad, "dup_a.jpg", &dup, 92);
    let (w, h) = dup.dimensions();
    save(
        &broad,
        "dup_b.jpg",
        &dup.resize(w * 9 / 10, h * 9 / 10, imageops::FilterType::Triangle),
        75,
    );
    broad.write("dup_a.txt", "ohwx man in a dark suit at a press conference");
    broad.write(
        "dup_b.txt",
        "ohwx man in a dark suit at a press conference, again",
    );
    // One photo of somebody else.
    save(&broad, "other.jpg", &photo("biden").unwrap(), 92);
    broad.write("other.txt", "ohwx man wearing a dark suit in an office");

    let (code, report) = lint_json(&broad, &["--identity"]);
    let found = codes(&report);
    assert_eq!(code, 1, "{found:?}");
    for expected in [
        "SET002", // framing mix: far too many upper-body and knee-up shots for a face set
        "SET001", // 45 images, more than the face profile's range
        "CAP009", // clothing and location vary: the captions carry what should not be learnt
        "DUP002", // the near-duplicates
        "ID001",  // the other man
    ] {
        assert!(
            found.contains(expected),
            "{expected} missing from {found:?}"
        );
    }
    assert_eq!(
        files_of(&report, "ID001"),
        BTreeSet::from(["other.jpg".to_owned()])
    );
    assert!(
        files_of(&report, "DUP002")
            .iter()
            .any(|f| f == "dup_a.jpg" || f == "dup_b.jpg"),
        "{report:#}"
    );

    // The export gate reads the same embeddings with `--identity`, and names the other man.
    let elsewhere = TestContext::new();
    let export = |identity: bool| {
        let mut cmd = broad.command();
        cmd.args([
            "export",
            ".",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image-turbo",
        ])
        .arg("--out")
        .arg(elsewhere.path("export"));
        if identity {
            cmd.arg("--identity");
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = export(true);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("ID001") && stderr.contains("other.jpg"),
        "{stderr}"
    );
    let (code, stderr) = export(false);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("ID001"), "{stderr}");

    // The fix: the same shots of the man cropped to close-up and head-shoulders (three kept
    // at upper-body), the other man and the duplicate removed, captions from the face schema.
    let tight = TestContext::new();
    for i in 0..24u32 {
        let k = (i % 3) as usize;
        // Three upper-body shots (the face profile's 3 to 5), the rest tight.
        let below = if i < 9 && i % 3 == 0 {
            1.6
        } else if i % 4 == 0 {
            0.7
        } else {
            0.25
        };
        let mut shot = framed(&photos[k], &SOURCES[k], below, i);
        if i % 2 == 1 {
            shot = shot.fliph();
        }
        save(&tight, &format!("img_{i:02}.jpg"), &shot, 92);
    }
    let scanned = tight.command().args(["scan", "."]).output().unwrap();
    assert!(scanned.status.success());
    run_ok(
        tight
            .command()
            .args(["caption", ".", "--schema", "face", "--trigger", "ohwx"])
            .args(["--class", "man", "--write"]),
    );
    // Export never scans: without stored embeddings, `--identity` says how to get them.
    let out = tight
        .command()
        .args([
            "export",
            ".",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image-turbo",
        ])
        .arg("--out")
        .arg(elsewhere.path("tight-export"))
        .arg("--identity")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("run `zcurate scan . --identity` first"),
        "{stderr}"
    );
    let (_, report) = lint_json(&tight, &["--identity"]);
    // These crops come from small test photos: most are under half the 1024 px training
    // resolution, which the face profile refuses (IMG011, tested on its own). Nothing else
    // about the tight set fails.
    let findings = report["findings"].as_array().unwrap();
    let errors: Vec<&Value> = findings
        .iter()
        .filter(|f| f["severity"] == "error" && f["code"] != "IMG011")
        .collect();
    assert!(errors.is_empty(), "errors: {errors:#?}");
    assert!(findings.iter().any(|f| f["code"] == "IMG011"));
    let found = codes(&report);
    // Near-duplicate warnings stay: 24 crops of three photos are near-duplicates in truth.
    for gone in ["SET002", "CAP009", "ID001"] {
        assert!(!found.contains(gone), "{gone} still in {found:?}");
    }
}
