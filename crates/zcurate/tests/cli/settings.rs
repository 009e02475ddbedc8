//! Where settings come from: for three representative settings (the face detector's
//! `det-size`, the lint profile, the crop framing), one test per source (flag, environment,
//! `zcurate.toml`, default) showing which wins, and the error naming the source when the
//! value is invalid. Old spellings (`--class`, `[caption] class`) still work, with a warning.

use std::process::{Command, Output};

use crate::common::{TestContext, pattern, run_ok};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `cmd`, expecting zcurate to refuse it (exit 2) with `message` on stderr.
fn refused(cmd: &mut Command, message: &str) {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(message), "{}", stderr(&out));
}

/// `zcurate` reading the folder's `zcurate.toml`, with the variables under test cleared.
fn zcurate(ctx: &TestContext) -> Command {
    let mut cmd = ctx.command_with_config();
    cmd.env_remove("ZCURATE_DET_SIZE");
    cmd
}

// --- det-size ([faces] det-size, --det-size, ZCURATE_DET_SIZE; default 640) --------------

/// The det-size a scan of the folder recorded in the manifest.
fn scanned_det_size(ctx: &TestContext, cmd: &mut Command) -> u64 {
    run_ok(cmd.args(["scan", "."]));
    ctx.manifest()["settings"]["faces"]["det_size"]
        .as_u64()
        .unwrap()
}

fn face_folder() -> TestContext {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(64, 48, 1));
    ctx
}

#[test]
fn det_size_default() {
    let ctx = face_folder();
    assert_eq!(scanned_det_size(&ctx, &mut zcurate(&ctx)), 640);
}

#[test]
fn det_size_file_wins_over_default() {
    let ctx = face_folder();
    ctx.write("zcurate.toml", "[faces]\ndet-size = 480\n");
    assert_eq!(scanned_det_size(&ctx, &mut zcurate(&ctx)), 480);

    ctx.write("zcurate.toml", "[faces]\ndet-size = 16\n");
    refused(
        zcurate(&ctx).args(["scan", "."]),
        "error: [faces] det-size = 16 in ./zcurate.toml: must be at least 32",
    );
}

#[test]
fn det_size_environment_wins_over_file() {
    let ctx = face_folder();
    ctx.write("zcurate.toml", "[faces]\ndet-size = 480\n");
    let mut cmd = zcurate(&ctx);
    cmd.env("ZCURATE_DET_SIZE", "320");
    assert_eq!(scanned_det_size(&ctx, &mut cmd), 320);

    refused(
        zcurate(&ctx)
            .env("ZCURATE_DET_SIZE", "16")
            .args(["scan", "."]),
        "error: ZCURATE_DET_SIZE=16 (environment): must be at least 32",
    );
}

#[test]
fn det_size_flag_wins_over_environment_and_file() {
    let ctx = face_folder();
    ctx.write("zcurate.toml", "[faces]\ndet-size = 480\n");
    run_ok(
        zcurate(&ctx)
            .env("ZCURATE_DET_SIZE", "320")
            .args(["scan", ".", "--det-size", "256"]),
    );
    assert_eq!(
        ctx.manifest()["settings"]["faces"]["det_size"].as_u64(),
        Some(256)
    );

    refused(
        zcurate(&ctx)
            .env("ZCURATE_DET_SIZE", "320")
            .args(["scan", ".", "--det-size", "16"]),
        "error: --det-size 16: must be at least 32",
    );
}

// --- the lint profile ([lint] profile, --profile, ZCURATE_PROFILE; default face) ----------

/// The profile `zcurate lint --show-settings` resolves.
fn linted_profile(cmd: &mut Command) -> String {
    let out = run_ok(cmd.args(["lint", ".", "--show-settings"]));
    let text = stdout(&out);
    let settings: toml::Table = toml::from_str(&text).unwrap();
    settings["profile"]["name"].as_str().unwrap().to_owned()
}

#[test]
fn profile_default() {
    let ctx = TestContext::new();
    assert_eq!(linted_profile(&mut zcurate(&ctx)), "face");
}

#[test]
fn profile_file_wins_over_default() {
    let ctx = TestContext::new();
    ctx.write("zcurate.toml", "[lint]\nprofile = \"character\"\n");
    assert_eq!(linted_profile(&mut zcurate(&ctx)), "character");

    ctx.write("zcurate.toml", "[lint]\nprofile = \"portrait\"\n");
    refused(
        zcurate(&ctx).args(["lint", ".", "--show-settings"]),
        "[lint] profile = \"portrait\" in ./zcurate.toml: unknown profile `portrait`",
    );
}

#[test]
fn profile_environment_wins_over_file() {
    let ctx = TestContext::new();
    ctx.write("zcurate.toml", "[lint]\nprofile = \"character\"\n");
    assert_eq!(
        linted_profile(zcurate(&ctx).env("ZCURATE_PROFILE", "face")),
        "face"
    );
    refused(
        zcurate(&ctx)
            .env("ZCURATE_PROFILE", "portrait")
            .args(["lint", ".", "--show-settings"]),
        "ZCURATE_PROFILE=portrait (environment): unknown profile `portrait`",
    );
}

#[test]
fn profile_flag_wins_over_environment_and_file() {
    let ctx = TestContext::new();
    ctx.write("zcurate.toml", "[lint]\nprofile = \"face\"\n");
    let mut cmd = zcurate(&ctx);
    cmd.env("ZCURATE_PROFILE", "face");
    let out = run_ok(cmd.args(["lint", ".", "--show-settings", "--profile", "character"]));
    let settings: toml::Table = toml::from_str(&stdout(&out)).unwrap();
    assert_eq!(settings["profile"]["name"].as_str(), Some("character"));

    refused(
        zcurate(&ctx).env("ZCURATE_PROFILE", "face").args([
            "lint",
            ".",
            "--show-settings",
            "--profile",
            "portrait",
        ]),
        "--profile portrait: unknown profile `portrait`",
    );
}

// --- the crop framing ([crop] framing, --framing; default close-up) -----------------------
// Environment: none. `--framing` has no variable; a framing is chosen per run, not per
// machine (the variables are for what a machine or CI decides: config, offline, profile,
// report format, det-size).

/// The framing `zcurate crop --dry-run` plans with `flags` (its summary names it).
fn planned_framing(ctx: &TestContext, flags: &[&str]) -> String {
    let out = run_ok(
        zcurate(ctx)
            .args(["crop", "src", "--out", "out", "--dry-run"])
            .args(flags),
    );
    let text = stderr(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("Planned"))
        .unwrap_or_else(|| panic!("no summary: {text}"));
    let after = line.split(" images into ").nth(1).unwrap();
    after.split_whitespace().nth(1).unwrap().to_owned()
}

fn crop_folder() -> TestContext {
    let ctx = TestContext::new();
    ctx.write_image("src/a.png", &pattern(64, 48, 2));
    ctx
}

#[test]
fn crop_framing_default() {
    let ctx = crop_folder();
    assert_eq!(planned_framing(&ctx, &[]), "close-up");
}

#[test]
fn crop_framing_file_wins_over_default() {
    let ctx = crop_folder();
    ctx.write("zcurate.toml", "[crop]\nframing = \"upper-body\"\n");
    assert_eq!(planned_framing(&ctx, &[]), "upper-body");

    // Parsed by serde when the file is read: located at its line, naming what is accepted.
    ctx.write("zcurate.toml", "[crop]\nframing = \"sideways\"\n");
    let out = zcurate(&ctx)
        .args(["crop", "src", "--out", "out", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("zcurate.toml") && err.contains("line 2") && err.contains("`sideways`"),
        "{err}"
    );
    // A framing class, but not one to crop to: checked once resolved, naming the source.
    ctx.write("zcurate.toml", "[crop]\nframing = \"no-face\"\n");
    refused(
        zcurate(&ctx).args(["crop", "src", "--out", "out", "--dry-run"]),
        "error: [crop] framing = \"no-face\" in ./zcurate.toml: is not a framing a crop can aim for",
    );
}

#[test]
fn crop_framing_flag_wins_over_file() {
    let ctx = crop_folder();
    ctx.write("zcurate.toml", "[crop]\nframing = \"upper-body\"\n");
    assert_eq!(planned_framing(&ctx, &["--framing", "knee-up"]), "knee-up");
    refused(
        zcurate(&ctx).args(["crop", "src", "--out", "out", "--framing", "no-face"]),
        "invalid value 'no-face' for '--framing <FRAMING>'",
    );
}

#[test]
fn crop_numbers_are_checked_naming_their_source() {
    let ctx = crop_folder();
    ctx.write("zcurate.toml", "[crop]\nquality = 0\n");
    let crop = |flags: &[&str]| {
        let mut cmd = zcurate(&ctx);
        cmd.args(["crop", "src", "--out", "out", "--dry-run"])
            .args(flags);
        cmd
    };
    refused(
        &mut crop(&[]),
        "error: [crop] quality = 0 in ./zcurate.toml: must be 1 to 100",
    );
    refused(
        &mut crop(&["--quality", "101"]),
        "error: --quality 101: must be 1 to 100",
    );
    ctx.write("zcurate.toml", "[crop]\nsize = 30000\n");
    refused(
        &mut crop(&[]),
        "error: [crop] size = 30000 in ./zcurate.toml: must be at most 16384 px",
    );
}

// --- old spellings -------------------------------------------------------------------------

/// The class word `zcurate lint --show-settings` resolves.
fn class_word(cmd: &mut Command) -> Option<String> {
    let out = run_ok(cmd.args(["lint", ".", "--show-settings"]));
    let settings: toml::Table = toml::from_str(&stdout(&out)).unwrap();
    settings
        .get("class-word")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

#[test]
fn caption_class_word_old_key_still_reads_with_a_warning() {
    let ctx = TestContext::new();
    ctx.write("zcurate.toml", "[caption]\nclass-word = \"woman\"\n");
    let out = zcurate(&ctx)
        .args(["lint", ".", "--show-settings"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("deprecated"), "{}", stderr(&out));
    assert_eq!(class_word(&mut zcurate(&ctx)).as_deref(), Some("woman"));

    ctx.write("zcurate.toml", "[caption]\nclass = \"man\"\n");
    let out = run_ok(zcurate(&ctx).args(["lint", ".", "--show-settings"]));
    assert_eq!(
        stderr(&out),
        "warning: `[caption] class` in ./zcurate.toml is deprecated; write `[caption] class-word`\n"
    );
    assert_eq!(class_word(&mut zcurate(&ctx)).as_deref(), Some("man"));
}

#[test]
fn caption_class_flag_old_spelling_still_works_with_a_warning() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(32, 32, 3));
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
    let caption = |flag: &str| {
        ctx.command()
            .args(["caption", ".", "--trigger", "zq", flag, "woman"])
            .output()
            .unwrap()
    };
    let new = caption("--class-word");
    let old = caption("--class");
    assert_eq!(stdout(&old), stdout(&new));
    assert_eq!(old.status.code(), new.status.code());
    assert!(!stderr(&new).contains("deprecated"), "{}", stderr(&new));
    assert!(
        stderr(&old).starts_with("warning: `--class` is deprecated; write `--class-word`\n"),
        "{}",
        stderr(&old)
    );
}

// --- [scan] analysis thresholds (file only) ----------------------------------------------

/// Each `[scan]` threshold is a level or a share: out of 0 to 1 it is refused naming the key
/// and the file, and the dark level must stay below the bright one.
#[test]
fn scan_thresholds_are_checked_naming_their_key() {
    let ctx = face_folder();
    for (file, message) in [
        (
            "clip-dark-max = 5.0",
            "[scan] clip-dark-max = 5 in ./zcurate.toml: must be between 0 and 1",
        ),
        (
            "grey-max-chromatic-share = -0.1",
            "[scan] grey-max-chromatic-share = -0.1 in ./zcurate.toml: must be between 0 and 1",
        ),
        (
            "clip-bright-min = 0.5\nclip-dark-max = 0.6",
            "[scan] clip-dark-max = 0.6 must be below clip-bright-min = 0.5 in ./zcurate.toml",
        ),
        (
            "clip-dark-max = 0.995",
            "[scan] clip-dark-max = 0.995 must be below clip-bright-min = 0.992 (default) in ./zcurate.toml",
        ),
    ] {
        ctx.write("zcurate.toml", format!("[scan]\n{file}\n"));
        refused(zcurate(&ctx).args(["scan", ".", "--no-faces"]), message);
    }
    ctx.write(
        "zcurate.toml",
        "[scan]\nclip-dark-max = 0.05\nclip-bright-min = 0.9\n",
    );
    run_ok(zcurate(&ctx).args(["scan", ".", "--no-faces"]));
    assert!(ctx.path(".zcurate/manifest.json").is_file());
}
