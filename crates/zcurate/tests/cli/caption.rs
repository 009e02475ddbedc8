//! `zcurate caption`. Manifests come from a `--no-faces` scan of synthetic images, patched
//! with the framing, angle and measures a face scan would record, so these tests do not
//! depend on the face detector.

use std::process::Output;

use insta_cmd::assert_cmd_snapshot;
use serde_json::{Value, json};

use crate::common::{TestContext, filters, pattern, record, run_ok};

const HISTORY: &str = ".zcurate/caption-history.jsonl";

fn scan(ctx: &TestContext) {
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
}

/// Sets what face detection and the image analysis would have recorded for `path`.
pub(crate) fn patch(
    ctx: &TestContext,
    path: &str,
    framing: Option<&str>,
    angle: Option<&str>,
    pitch: &str,
    brightness: f64,
    contrast: f64,
) {
    let manifest_path = ctx.path(".zcurate/manifest.json");
    let mut m: Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let r = m["images"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["path"] == path)
        .unwrap();
    r["brightness"] = json!(brightness);
    r["contrast"] = json!(contrast);
    r["clipped_dark"] = json!(0.0);
    if let Some(class) = framing {
        r["framing"] = json!({ "class": class, "confidence": 0.9, "evidence": null });
    }
    if let Some(angle) = angle {
        r["faces"] = json!([{
            "box": [10.0, 10.0, 12.0, 12.0],
            "score": 0.95,
            "landmarks": [[13.0, 14.0], [19.0, 14.0], [16.0, 17.0], [14.0, 20.0], [18.0, 20.0]],
            "roll_deg": 0.0,
            "yaw": 0.0,
            "angle": angle,
            "pitch": pitch,
            "height_px": 12.0,
            "sharpness": 100.0,
            "border": "inside",
        }]);
        r["face_summary"] = json!({ "main": 0, "others": 0 });
    }
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

/// Four images: three with face facts (one dark), one where detection found nothing, and an
/// existing caption on `b.png`.
fn dataset() -> TestContext {
    let ctx = TestContext::new();
    for (i, name) in ["a.png", "b.png", "c.png", "d.png"].iter().enumerate() {
        ctx.write_image(name, &pattern(32, 32, i as u32 + 1));
    }
    ctx.write("b.txt", "zq woman, smiling");
    scan(&ctx);
    patch(
        &ctx,
        "a.png",
        Some("close-up"),
        Some("front"),
        "level",
        0.45,
        0.2,
    );
    patch(
        &ctx,
        "b.png",
        Some("head-shoulders"),
        Some("three-quarter-left"),
        "down",
        0.45,
        0.2,
    );
    patch(
        &ctx,
        "c.png",
        Some("upper-body"),
        Some("profile-right"),
        "level",
        0.15,
        0.05,
    );
    patch(&ctx, "d.png", None, None, "level", 0.5, 0.2);
    ctx
}

fn run(ctx: &TestContext, args: &[&str]) -> Output {
    ctx.command()
        .arg("caption")
        .arg(".")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn snapshot_settings(ctx: &TestContext) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for (from, to) in filters(ctx) {
        settings.add_filter(&from, to);
    }
    settings
}

#[test]
fn caption_preview() {
    let ctx = dataset();
    let mut cmd = ctx.command();
    cmd.args(["caption", ".", "--trigger", "zq", "--class-word", "woman"]);
    snapshot_settings(&ctx).bind(|| {
        assert_cmd_snapshot!(cmd, @r"
        success: false
        exit_code: 1
        ----- stdout -----
        a.png: new
          + zq woman, close-up, front view
            from: settings trigger, class; detected framing, angle
        b.png: changed
          - zq woman, smiling
          + zq woman, head and shoulders, three-quarter view, looking down, smiling
            from: settings trigger, class; detected framing, angle, tilt; old caption expression
        c.png: new
          + zq woman, upper body, profile view, dim light
            from: settings trigger, class; detected framing, angle, lighting
        d.png: incomplete: no value for required slots framing, angle

        ----- stderr -----
        Proposed captions for 4 images with schema face: 2 new, 1 changed, 1 incomplete
        hint: `--write` writes new captions; existing ones are kept unless `--overwrite`
        error: 1 image miss required slots (angle, framing); nothing is written for them
        hint: give the values in an `--attributes` CSV, or scan with face detection for framing and angle
        ");
    });
    // A preview writes nothing.
    assert!(!ctx.path("a.txt").exists());
    assert_eq!(
        std::fs::read_to_string(ctx.path("b.txt")).unwrap(),
        "zq woman, smiling"
    );
}

#[test]
fn missing_trigger_and_class_are_reported_not_invented() {
    let ctx = dataset();
    let out = run(&ctx, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("a.png: incomplete: no value for required slots trigger, class"),
        "{stdout}"
    );
    let err = stderr(&out);
    assert!(err.contains("`--trigger`"), "{err}");
    assert!(err.contains("`--class-word`"), "{err}");
}

const ATTRS: &str = "file,expression,hair,accessories,framing,angle\n\
a.png,grin,ponytail,\"eyeglasses, silver earrings\",,\n\
b.png,neutral,wet hair,,,\n\
c.png,laughing,,hat,,\n\
d.png,serious,short hair,,full body,back view\n";

/// Generates with `--write` and reads every caption back with `--audit`: every slot of every
/// proposal comes back with the same value.
#[test]
fn caption_round_trip() {
    let ctx = dataset();
    std::fs::remove_file(ctx.path("b.txt")).unwrap();
    ctx.write("attrs.csv", ATTRS);
    let base = [
        "--trigger",
        "zq",
        "--class-word",
        "woman",
        "--attributes",
        "attrs.csv",
    ];

    let out = run(&ctx, &[&base[..], &["--format", "json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let preview: Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = run(&ctx, &[&base[..], &["--write"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Wrote 4 captions with schema face (4 new, 0 replaced)"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    let out = run(
        &ctx,
        &[
            "--trigger",
            "zq",
            "--class-word",
            "woman",
            "--audit",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let audit: Value = serde_json::from_slice(&out.stdout).unwrap();
    let proposals = preview["images"].as_array().unwrap();
    let parsed = audit["images"].as_array().unwrap();
    assert_eq!(proposals.len(), 4);
    let mut slots_checked = 0;
    for (p, a) in proposals.iter().zip(parsed) {
        assert_eq!(p["path"], a["path"]);
        let text = p["proposal"]["text"].as_str().unwrap();
        assert_eq!(
            std::fs::read_to_string(ctx.path(a["caption_path"].as_str().unwrap())).unwrap(),
            text
        );
        assert_eq!(a["parsed"]["misfits"], json!([]), "{text}");
        let values = a["parsed"]["values"].as_object().unwrap();
        let filled = p["proposal"]["slots"].as_array().unwrap();
        assert_eq!(values.len(), filled.len(), "{text}: {values:?}");
        for slot in filled {
            assert_eq!(
                values[slot["slot"].as_str().unwrap()],
                slot["value"],
                "{text}"
            );
            slots_checked += 1;
        }
    }
    assert_eq!(slots_checked, 27);
    let d = &proposals[3]["proposal"];
    assert_eq!(
        d["text"],
        "zq woman, full body, back view, serious expression, short hair"
    );
    assert_eq!(d["slots"][2]["origin"], "attrs.csv line 5");
    // The write stored the statistics for the linter.
    let m = ctx.manifest();
    assert_eq!(m["caption_stats"]["captioned"], 4);
    assert_eq!(
        record(&m, "a.png")["caption"],
        proposals[0]["proposal"]["text"]
    );
}

#[test]
fn writing_never_loses_a_caption() {
    let ctx = dataset();
    ctx.write("d.txt", b"\xEF\xBB\xBFmy own words about d");
    let args = ["--trigger", "zq", "--class-word", "woman"];

    // Without --overwrite the existing captions stay as they are.
    let out = run(&ctx, &[&args[..], &["--write"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out)); // d.png is incomplete
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("b.png: kept (a caption exists; --overwrite replaces it)"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(ctx.path("b.txt")).unwrap(),
        "zq woman, smiling"
    );
    assert_eq!(
        std::fs::read(ctx.path("d.txt")).unwrap(),
        b"\xEF\xBB\xBFmy own words about d"
    );
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "zq woman, close-up, front view"
    );
    assert!(!ctx.path(HISTORY).exists());

    // With --overwrite the old text goes into the caption history before the file is
    // replaced (`caption_history.rs` tests that it survives).
    let out = run(&ctx, &[&args[..], &["--write", "--overwrite"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The old caption's `smiling` is kept: re-captioning keeps what it knew.
    let new_b = "zq woman, head and shoulders, three-quarter view, looking down, smiling";
    assert_eq!(std::fs::read_to_string(ctx.path("b.txt")).unwrap(), new_b);
    let m = ctx.manifest();
    let history = || -> Vec<Value> {
        std::fs::read_to_string(ctx.path(HISTORY))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let h = history();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (&h[0]["path"], &h[0]["image"], &h[0]["text"]),
        (
            &json!("b.txt"),
            &json!("b.png"),
            &json!("zq woman, smiling")
        )
    );
    assert!(record(&m, "b.png").get("caption_history").is_none());
    assert_eq!(record(&m, "b.png")["caption"], new_b);
    // d.png is incomplete: even --overwrite leaves its caption alone.
    assert_eq!(
        std::fs::read(ctx.path("d.txt")).unwrap(),
        b"\xEF\xBB\xBFmy own words about d"
    );

    // Overwriting again with the same result changes nothing and records nothing.
    let out = run(&ctx, &[&args[..], &["--write", "--overwrite"]].concat());
    assert!(String::from_utf8_lossy(&out.stdout).contains("b.png: unchanged"));
    assert_eq!(history().len(), 1);

    // A caption that is not UTF-8 is never overwritten.
    ctx.write("a.txt", b"caf\xe9");
    let out = run(&ctx, &[&args[..], &["--write", "--overwrite"]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(ctx.path("a.txt")).unwrap(), b"caf\xe9");
    assert!(String::from_utf8_lossy(&out.stdout).contains("a.png: unreadable: caption"));

    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(ctx.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn images_sharing_a_caption_file_are_not_written() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(16, 16, 1));
    ctx.write_image("a.jpg", &pattern(16, 16, 2));
    scan(&ctx);
    let out = run(
        &ctx,
        &[
            "--trigger",
            "zq",
            "--class-word",
            "woman",
            "--schema",
            "character",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("a.jpg: conflict: a.txt is also the caption of a.png"),
        "{stdout}"
    );
    assert!(!ctx.path("a.txt").exists());
}

#[test]
fn csv_problems_name_the_line() {
    let ctx = dataset();
    let base = [
        "--trigger",
        "zq",
        "--class-word",
        "woman",
        "--attributes",
        "attrs.csv",
    ];
    let cases: &[(&[u8], i32, &str)] = &[
        (
            b"image,expression\na.png,smiling\n",
            2,
            "attrs.csv line 1: no `file` column (the header has: image, expression)",
        ),
        (
            b"file,expression\r\na.png,smiling\r\nzzz.png,sad\r\n",
            1,
            "warning: attrs.csv line 3: no image `zzz.png` in the dataset's manifest; row ignored",
        ),
        (
            b"file,expression\na.png,smiling\na.png,sad\n",
            2,
            "attrs.csv line 3: `a.png` already has a row on line 2, with different values",
        ),
        (
            b"file,expression\na.png,smiling\na.png,smile\n",
            1,
            "warning: attrs.csv line 3: repeats line 2 for `a.png`; ignored",
        ),
        (
            b"\xEF\xBB\xBFfile,expression\na.png,smirk\n",
            2,
            "attrs.csv line 2, column `expression`: `smirk` is not in the vocabulary `expression`",
        ),
        (
            b"file,expression\n\"a.png\",\"smiling, happy\"\n",
            2,
            "attrs.csv line 2, column `expression`: `smiling, happy` is not in the vocabulary",
        ),
    ];
    for (text, code, needle) in cases {
        ctx.write("attrs.csv", text);
        let out = run(&ctx, &base);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(*code), "{err}");
        assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    }
}

#[test]
fn attribute_errors_snapshot() {
    let ctx = dataset();
    ctx.write(
        "attrs.csv",
        "file,expression,mood\na.png,smirk,calm\nb.png,sad,,extra\n",
    );
    let mut cmd = ctx.command();
    cmd.args([
        "caption",
        ".",
        "--trigger",
        "zq",
        "--class-word",
        "woman",
        "--attributes",
        "attrs.csv",
    ]);
    snapshot_settings(&ctx).bind(|| {
        assert_cmd_snapshot!(cmd, @r"
        success: false
        exit_code: 2
        ----- stdout -----

        ----- stderr -----
        error: 2 errors in the attributes
          attrs.csv line 2, column `expression`: `smirk` is not in the vocabulary `expression` (known: smiling, laughing, neutral expression, serious expression, surprised, angry, sad, crying, frowning, pouting, eyes closed, winking, mouth open, tongue out)
          attrs.csv line 3: 4 fields, but the header has 3 (a comma inside a value needs quotes)
        ");
    });
}

#[test]
fn json_sidecars_fill_slots() {
    let ctx = dataset();
    ctx.write(
        "a.json",
        r#"{"expression": "smile", "accessories": ["glasses", "hat"]}"#,
    );
    let out = run(
        &ctx,
        &[
            "--trigger",
            "zq",
            "--class-word",
            "woman",
            "--json-sidecars",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("+ zq woman, close-up, front view, smiling, glasses, hat"),
        "{stdout}"
    );
}

/// Captions on disk whose statistics are worked out by hand in the comments.
fn captioned() -> TestContext {
    let ctx = TestContext::new();
    let captions = [
        ("a", "zq woman, close-up, front view, smiling"),
        ("b", "zq woman, close-up, front view, smiling"),
        (
            "c",
            "ZQ person, close-up, profile view, laughing, red dress",
        ),
        ("d", "upper body, zq woman, front view, neutral, soft light"),
    ];
    for (i, (stem, text)) in captions.iter().enumerate() {
        ctx.write_image(&format!("{stem}.png"), &pattern(16, 16, i as u32 + 1));
        ctx.write(&format!("{stem}.txt"), text);
    }
    ctx.write_image("e.png", &pattern(16, 16, 9));
    scan(&ctx);
    ctx
}

#[test]
fn caption_stats() {
    let ctx = captioned();
    let mut cmd = ctx.command();
    cmd.args([
        "caption",
        ".",
        "--stats",
        "--trigger",
        "zq",
        "--class-word",
        "woman",
    ]);
    snapshot_settings(&ctx).bind(|| {
        assert_cmd_snapshot!(cmd, @r"
        success: true
        exit_code: 0
        ----- stdout -----
        Caption statistics, schema face: 5 images, 4 captioned

        slot         presence    filled  share  distinct  entropy bits  values
        trigger      required       4/5    80%         1          0.00  zq (4)
        class        required       4/5    80%         2          0.81  woman (3), person (1)
        framing      required       4/5    80%         2          0.81  close-up (3), upper body (1)
        angle        required       4/5    80%         2          0.81  front view (3), profile view (1)
        tilt         optional       0/5     0%         0          0.00
        expression   optional       4/5    80%         3          1.50  smiling (2), laughing (1), neutral expression (1)
        hair         optional       0/5     0%         0          0.00
        accessories  optional       0/5     0%         0          0.00
        lighting     optional       1/5    20%         1          0.81  soft light (1)
        clothing     forbidden      1/5    20%         1          0.81  red dress (1)
        location     forbidden      0/5     0%         0          0.00
        background   forbidden      0/5     0%         0          0.00
        pose         forbidden      0/5     0%         0          0.00

        tokens per caption       min 6, median 7, mean 7.2, max 9
        outside identity slots   21 of 29 tokens (72%)
        class words              woman (3), person (1)
        trigger                  `zq`: present in 3/4, first in 2/4, spellings: zq (3), ZQ (1)
        duplicate captions       a.png = b.png
        misfits                  3

        ----- stderr -----
        ");
    });
    // Stored in the manifest for the linter, with the figures worked out by hand:
    // framing close-up ×3, upper body ×1: -(3/4 log2 3/4 + 1/4 log2 1/4) = 0.8113 bits;
    // expression 2/1/1: 1.5 bits.
    let m = ctx.manifest();
    let stats = &m["caption_stats"];
    let slot = |name: &str| {
        stats["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    assert!(
        (slot("framing")["entropy_bits"].as_f64().unwrap() - 0.811_278_124_459_132_8).abs() < 1e-12
    );
    assert!((slot("expression")["entropy_bits"].as_f64().unwrap() - 1.5).abs() < 1e-12);
    assert_eq!(slot("expression")["fill_share"], 0.8);
    assert_eq!(stats["tokens"]["total"], 29);
    assert_eq!(stats["tokens"]["identity"], 8);
    assert_eq!(stats["trigger"]["one_spelling"], false);
    assert_eq!(stats["duplicates"], json!([["a.png", "b.png"]]));
}

#[test]
fn caption_audit() {
    let ctx = captioned();
    let mut cmd = ctx.command();
    cmd.args(["caption", ".", "--audit", "--trigger", "zq"]);
    snapshot_settings(&ctx).bind(|| {
        assert_cmd_snapshot!(cmd, @r"
        success: false
        exit_code: 1
        ----- stdout -----
        a.png: ok
          slots: angle=front view | class=woman | expression=smiling | framing=close-up | trigger=zq
        b.png: ok
          slots: angle=front view | class=woman | expression=smiling | framing=close-up | trigger=zq
        c.png: 2 misfits
          slots: angle=profile view | class=person | clothing=red dress | expression=laughing | framing=close-up | trigger=zq
          trigger-spelling `ZQ`: trigger spelled `ZQ`, expected `zq`
          forbidden `red dress`: clothing is forbidden in schema face
        d.png: 1 misfit
          slots: angle=front view | class=woman | expression=neutral expression | framing=upper body | lighting=soft light | trigger=zq
          trigger-position `zq`: the trigger is not the first word
        e.png: no caption

        ----- stderr -----
        Audited 4 captions with schema face: 2 fit, 2 with misfits (3 segments), 0 missing required slots, 1 images without a caption
        ");
    });
}

#[test]
fn audit_infers_the_trigger() {
    let ctx = captioned();
    let out = run(&ctx, &["--audit", "--format", "json"]);
    assert!(
        stderr(&out).contains("`zq` starts most captions"),
        "{}",
        stderr(&out)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["images"][0]["parsed"]["values"]["trigger"], "zq");
}

#[test]
fn config_gives_trigger_class_and_custom_schema() {
    let ctx = dataset();
    ctx.write(
        "zcurate.toml",
        r#"
[caption]
schema = "portrait"
trigger = "ohwx"
class = "man"
defaults = { mood = "calm" }

[caption.schemas.portrait]
separator = " | "
slots = [
  { name = "trigger", role = "trigger", presence = "required" },
  { name = "class", role = "class", presence = "required", joiner = " " },
  { name = "framing", presence = "required", fact = "framing" },
  { name = "mood", vocabulary = "mood", template = "{value} mood" },
]

[caption.vocabularies.mood]
terms = [{ value = "calm", synonyms = ["peaceful"] }, "tense"]
"#,
    );
    // Not `ctx.command()`, which isolates from config files.
    let out = ctx
        .command_with_config()
        .args(["caption", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("+ ohwx man | close-up | calm mood"),
        "{stdout}\n{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1)); // d.png has no framing

    ctx.write("zcurate.toml", "[caption]\ntriger = \"x\"\n");
    let out = ctx
        .command_with_config()
        .args(["caption", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("triger"), "{}", stderr(&out));
}

#[test]
fn failures_exit_2() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(16, 16, 1));
    let out = run(&ctx, &["--trigger", "zq"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("create it with `zcurate scan .`"),
        "{}",
        stderr(&out)
    );
    scan(&ctx);
    let out = run(&ctx, &["--schema", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown caption schema `nope` (known: character, face)"));
    let out = run(&ctx, &["--overwrite"]);
    assert_eq!(out.status.code(), Some(2)); // --overwrite needs --write
    let out = run(&ctx, &["--attributes", "missing.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.csv"));
}

/// Re-captioning keeps what a caption says for the slots the schema keeps (b.png's
/// `smiling`, c.png's `short hair`); `--fresh` ignores it; `--drop` leaves a slot out.
#[test]
fn recaptioning_keeps_known_values() {
    let ctx = dataset();
    ctx.write("c.txt", "zq woman, upper body, short hair, red dress");
    let args = ["--trigger", "zq", "--class-word", "woman"];
    let out = run(&ctx, &args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "b.png: changed\n  - zq woman, smiling\n  + zq woman, head and shoulders, three-quarter view, looking down, smiling\n    from: settings trigger, class; detected framing, angle, tilt; old caption expression\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  + zq woman, upper body, profile view, short hair, dim light\n"),
        "{text}"
    );
    let fresh = run(
        &ctx,
        &["--trigger", "zq", "--class-word", "woman", "--fresh"],
    );
    let text = String::from_utf8_lossy(&fresh.stdout);
    assert!(
        text.contains("  + zq woman, head and shoulders, three-quarter view, looking down\n"),
        "{text}"
    );
    assert!(
        text.contains("  + zq woman, upper body, profile view, dim light\n"),
        "{text}"
    );
    let dropped = run(
        &ctx,
        &["--trigger", "zq", "--class-word", "woman", "--drop", "hair"],
    );
    let text = String::from_utf8_lossy(&dropped.stdout);
    assert!(
        text.contains("  + zq woman, upper body, profile view, dim light\n"),
        "{text}"
    );
    assert!(text.contains("looking down, smiling\n"), "{text}");
    let bad = run(&ctx, &["--drop", "framing"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("required"), "{}", stderr(&bad));
}
