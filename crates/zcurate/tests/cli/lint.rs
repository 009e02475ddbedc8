//! `zcurate lint` and `zcurate rule`: every output format, exit codes, configuration.
//!
//! Most tests lint a hand-written manifest with `--no-scan`, so faces need no model; one
//! scans synthetic images end to end (without face detection).

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;
use zcurate_manifest::testing::{ANGLES, EXPRESSIONS, face, photo, scan_settings, with_faces};
use zcurate_manifest::{AngleLabel, FramingClass, ImageRecord, Manifest, RecordError};

use crate::common::{TestContext, filters, pattern};

/// A clean image record: 1024×1280, sharp, one face, close-up or head-shoulders (17 to 19:
/// upper-body, the face profile's 3 to 5), captioned.
fn record(i: usize) -> ImageRecord {
    let class = if i >= 17 {
        FramingClass::UpperBody
    } else if i.is_multiple_of(2) {
        FramingClass::CloseUp
    } else {
        FramingClass::HeadShoulders
    };
    let angle = ANGLES[i % 3];
    let framing = if i >= 17 {
        "upper body"
    } else if i.is_multiple_of(2) {
        "close-up"
    } else {
        "head and shoulders"
    };
    let angle_word = ["front view", "three-quarter left", "three-quarter right"][i % 3];
    let face_h = if i >= 17 {
        260.0
    } else if i.is_multiple_of(2) {
        600.0
    } else {
        380.0
    };
    let record = ImageRecord {
        sha256: Some(format!("{:064x}", i + 1)),
        phash: Some(format!(
            "{:016x}",
            (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        )),
        caption_path: Some(format!("img_{i:02}.txt")),
        caption: Some(format!(
            "zq woman, {framing}, {angle_word}, {}",
            EXPRESSIONS[i % 5]
        )),
        ..photo(format!("img_{i:02}.jpg"), 1024, 1280)
    };
    with_faces(record, vec![face(face_h, angle)], class)
}

fn manifest(images: Vec<ImageRecord>) -> Manifest {
    let mut m = Manifest::new(".", scan_settings());
    m.images = images;
    m
}

fn write_manifest(ctx: &TestContext, m: &Manifest) {
    ctx.write(
        ".zcurate/manifest.json",
        serde_json::to_vec_pretty(m).unwrap(),
    );
}

/// A clean 20-image face set.
fn clean(ctx: &TestContext) {
    write_manifest(ctx, &manifest((0..20).map(record).collect()));
}

/// A face set with one problem of each kind the formats must show: a corrupt file (error),
/// a missing trigger (error), a blurry image (warning), a knee-up shot (scope warning) and
/// a duplicate caption (info).
fn flawed(ctx: &TestContext) {
    let mut images: Vec<ImageRecord> = (0..20).map(record).collect();
    images[3] = ImageRecord {
        path: "img_03.jpg".into(),
        bytes: 2048,
        sha256: Some("f".repeat(64)),
        error: Some(RecordError {
            kind: zcurate_manifest::ErrorKind::Corrupt,
            message: "truncated JPEG data".into(),
        }),
        ..ImageRecord::default()
    };
    images[5].caption = Some("a woman, close-up, front view, smiling".into());
    images[7].sharpness = Some(12.0);
    images[9].framing.as_mut().unwrap().class = FramingClass::KneeUp;
    images[9].faces = Some(vec![face(200.0, AngleLabel::Front)]);
    let first_caption = images[1].caption.clone();
    images[11].caption = first_caption;
    write_manifest(ctx, &manifest(images));
}

fn settings_filters(ctx: &TestContext) -> Vec<(String, String)> {
    let mut f = filters(ctx);
    f.push((
        r#""version": "[0-9.]+""#.into(),
        r#""version": "[VERSION]""#.into(),
    ));
    f
}

macro_rules! snapshot {
    ($ctx:expr, $name:expr, $cmd:expr) => {{
        let filters = settings_filters($ctx);
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        insta::with_settings!({ filters => filters }, { assert_cmd_snapshot!($name, $cmd); });
    }};
}

fn lint(ctx: &TestContext) -> Command {
    let mut cmd = ctx.command();
    cmd.args(["lint", ".", "--no-scan"]);
    cmd
}

#[test]
fn human_report_groups_findings_and_summarises() {
    let ctx = TestContext::new();
    flawed(&ctx);
    snapshot!(&ctx, "lint_human", lint(&ctx));
}

#[test]
fn json_report() {
    let ctx = TestContext::new();
    flawed(&ctx);
    snapshot!(&ctx, "lint_json", lint(&ctx).args(["--format", "json"]));
}

#[test]
fn sarif_report() {
    let ctx = TestContext::new();
    flawed(&ctx);
    let out = lint(&ctx).args(["--format", "sarif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["IMG001", "QLT001", "FACE003", "SET002", "CAP005", "CAP011"]
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], rules[index]);
        assert!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    snapshot!(&ctx, "lint_sarif", lint(&ctx).args(["--format", "sarif"]));
}

#[test]
fn github_annotations() {
    let ctx = TestContext::new();
    flawed(&ctx);
    snapshot!(&ctx, "lint_github", lint(&ctx).args(["--format", "github"]));
}

#[test]
fn junit_report() {
    let ctx = TestContext::new();
    flawed(&ctx);
    snapshot!(&ctx, "lint_junit", lint(&ctx).args(["--format", "junit"]));
}

#[test]
fn clean_set_passes_and_warnings_fail_only_when_denied() {
    let ctx = TestContext::new();
    clean(&ctx);
    snapshot!(&ctx, "lint_clean", lint(&ctx));
    // One warning: exit 0, unless warnings are denied.
    let mut m = manifest((0..20).map(record).collect());
    m.images[4].sharpness = Some(10.0);
    write_manifest(&ctx, &m);
    assert_eq!(lint(&ctx).status().unwrap().code(), Some(0));
    assert_eq!(
        lint(&ctx)
            .args(["--deny", "warnings"])
            .status()
            .unwrap()
            .code(),
        Some(1)
    );
    assert_eq!(
        lint(&ctx)
            .args(["--deny", "warnings", "--exit-zero"])
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
}

#[test]
fn exit_zero_never_fails_on_findings() {
    let ctx = TestContext::new();
    flawed(&ctx);
    assert_eq!(lint(&ctx).status().unwrap().code(), Some(1));
    assert_eq!(
        lint(&ctx).arg("--exit-zero").status().unwrap().code(),
        Some(0)
    );
}

#[test]
fn zcurate_failures_exit_2() {
    let ctx = TestContext::new();
    // No manifest and --no-scan.
    snapshot!(&ctx, "lint_no_manifest", lint(&ctx));
    clean(&ctx);
    snapshot!(
        &ctx,
        "lint_unknown_rule",
        lint(&ctx).args(["--select", "FACE999"])
    );
    snapshot!(
        &ctx,
        "lint_unknown_profile",
        lint(&ctx).args(["--profile", "portrait"])
    );
    snapshot!(
        &ctx,
        "lint_bad_deny",
        lint(&ctx).args(["--deny", "sometimes"])
    );
}

#[test]
fn config_unknown_key_is_an_error_naming_it() {
    let ctx = TestContext::new();
    clean(&ctx);
    ctx.write("zcurate.toml", "[lint]\nselekt = [\"FACE\"]\n");
    let out = ctx
        .command_with_config()
        .args(["lint", ".", "--no-scan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("selekt"), "{stderr}");
    ctx.write(
        "zcurate.toml",
        "[profile.mine]\nextends = \"face\"\nmax-imagez = 3\n",
    );
    let out = ctx
        .command_with_config()
        .args(["lint", ".", "--no-scan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-imagez"));
}

#[test]
fn config_profiles_severities_and_ignores() {
    let ctx = TestContext::new();
    flawed(&ctx);
    ctx.write(
        "zcurate.toml",
        r#"
[lint]
profile = "tight"
trigger = "zq"
ignore = ["IMG"]

[lint.severity]
blurry-image = "error"
CAP011 = "ignore"

[lint.per-file-ignores]
"img_05.*" = ["CAP005"]

[profile.tight]
extends = "face"
min-images = 5
max-images = 25

[[profile.tight.framing-targets]]
classes = ["knee-up", "full-body"]
max = 0.0
"#,
    );
    snapshot!(
        &ctx,
        "lint_config",
        ctx.command_with_config().args(["lint", ".", "--no-scan"])
    );
    snapshot!(
        &ctx,
        "lint_show_settings",
        ctx.command_with_config()
            .args(["lint", ".", "--show-settings"])
    );
}

#[test]
fn plan_flags_run_the_plan_rules() {
    let ctx = TestContext::new();
    clean(&ctx);
    snapshot!(
        &ctx,
        "lint_plan_flags",
        lint(&ctx).args([
            "--base-model",
            "z-image-turbo",
            "--steps",
            "4500",
            "--caption-dropout",
            "0.3",
            "--select",
            "PLAN",
        ])
    );
}

#[test]
fn report_to_a_file() {
    let ctx = TestContext::new();
    flawed(&ctx);
    let status = lint(&ctx)
        .args(["--format", "json", "-o", "report.json"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ctx.path("report.json")).unwrap()).unwrap();
    assert_eq!(report["format_version"], 1);
    assert_eq!(report["manifest"], "./.zcurate/manifest.json");
    assert_eq!(report["failed"], true);
}

#[test]
fn scans_then_lints_synthetic_images() {
    let ctx = TestContext::new();
    for i in 0..4 {
        ctx.write_image(&format!("p{i}.png"), &pattern(1024, 1024, i));
        ctx.write(
            &format!("p{i}.txt"),
            format!("zq woman, close-up, front view, look {i}"),
        );
    }
    // A copy, a small image, a flat (blurry, low-information) image, a missing caption.
    std::fs::copy(ctx.path("p0.png"), ctx.path("p0_copy.png")).unwrap();
    ctx.write("p0_copy.txt", "zq woman, close-up, front view, look 9");
    ctx.write_image("small.png", &pattern(300, 300, 7));
    ctx.write("small.txt", "zq woman, close-up, front view, look 7");
    ctx.write_image(
        "flat.png",
        &image::RgbImage::from_pixel(1024, 1024, image::Rgb([120, 110, 100])),
    );
    ctx.write("flat.txt", "zq woman, close-up, front view, flat");
    ctx.write_image("nocap.png", &pattern(1024, 1024, 11));
    let out = ctx
        .command()
        .args(["lint", ".", "--no-faces", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["path"].as_str().unwrap_or("<dataset>")
            )
        })
        .collect();
    found.sort();
    insta::assert_snapshot!("lint_scanned_findings", found.join("\n"));
    // Face rules did not run, and the summary says why.
    let skipped = report["summary"]["skipped"].to_string();
    assert!(skipped.contains("no face detection"), "{skipped}");
    // A second run reuses the manifest: nothing is analysed again.
    let out = ctx
        .command()
        .args(["lint", ".", "--no-faces"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(0 analysed, 8 unchanged"), "{stderr}");
}

#[test]
fn rule_docs_and_list() {
    let ctx = TestContext::new();
    snapshot!(
        &ctx,
        "rule_face002",
        ctx.command().args(["rule", "FACE002"])
    );
    let by_name = ctx
        .command()
        .args(["rule", "multiple-faces"])
        .output()
        .unwrap();
    let by_code = ctx.command().args(["rule", "face002"]).output().unwrap();
    assert_eq!(by_name.stdout, by_code.stdout);
    snapshot!(&ctx, "rule_all", ctx.command().args(["rule", "--all"]));
    snapshot!(
        &ctx,
        "rule_unknown",
        ctx.command().args(["rule", "multiple-face"])
    );
    let json = ctx
        .command()
        .args(["rule", "--all", "--format", "json"])
        .output()
        .unwrap();
    let all: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 46);
}
