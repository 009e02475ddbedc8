//! One caption reader: `zcurate caption --stats` and `zcurate lint` read the same captions
//! into the same slots, with the same counts and entropies, on the README tour's broad set,
//! on that set rewritten to the face schema, and on a character set with accessories.

use std::fmt::Write as _;

use serde_json::Value;

use crate::common::{TestContext, pattern, run_ok};

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// (name, filled, distinct, entropy bits) of every slot, from `zcurate caption --stats`.
type SlotRow = (String, u64, u64, f64);

fn rows(slots: &Value) -> Vec<SlotRow> {
    slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["filled"].as_u64().unwrap(),
                s["distinct"].as_u64().unwrap(),
                s["entropy_bits"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// Runs both commands on the scanned folder and requires the same slot figures; returns them.
fn agree(ctx: &TestContext, schema: &str, profile: &str) -> Vec<SlotRow> {
    let caption = json(&run_ok(ctx.command().args([
        "caption", ".", "--schema", schema, "--stats", "--format", "json",
    ])));
    let lint = ctx
        .command()
        .args([
            "lint",
            ".",
            "--no-scan",
            "--profile",
            profile,
            "--format",
            "json",
            "--exit-zero",
        ])
        .output()
        .unwrap();
    let lint = json(&lint);
    assert_eq!(lint["summary"]["caption_schema"], schema);
    let from_caption = rows(&caption["stats"]["slots"]);
    let from_lint = rows(&lint["summary"]["slots"]);
    assert_eq!(from_caption.len(), from_lint.len());
    for (c, l) in from_caption.iter().zip(&from_lint) {
        assert_eq!((&c.0, c.1, c.2), (&l.0, l.1, l.2), "slot {}", c.0);
        // lint rounds entropies to 4 decimals for its report.
        assert!((c.3 - l.3).abs() < 1e-4, "slot {}: {} vs {}", c.0, c.3, l.3);
    }
    assert_eq!(
        caption["stats"]["trigger"]["first"],
        lint["summary"]["trigger_first"]
    );
    from_caption
}

fn slot<'a>(rows: &'a [SlotRow], name: &str) -> &'a SlotRow {
    rows.iter().find(|r| r.0 == name).unwrap()
}

fn scan(ctx: &TestContext) {
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
}

#[test]
fn caption_stats_and_lint_agree_on_the_tour_sets() {
    let ctx = TestContext::new();
    std::fs::remove_dir(ctx.root()).unwrap();
    zcurate_dev::broad_set::write_tour_set(ctx.root()).unwrap();
    scan(&ctx);
    let broad = agree(&ctx, "face", "face");
    // Natural-language captions, read clause by clause: 6 outfits and 4 places, all
    // forbidden in a face caption, each in every caption.
    let n = u64::from(zcurate_dev::broad_set::TOUR_SHOTS);
    assert_eq!(slot(&broad, "clothing").1, n);
    assert_eq!(slot(&broad, "clothing").2, 6);
    assert_eq!(slot(&broad, "location").1, n);
    assert_eq!(slot(&broad, "location").2, 4);
    assert_eq!(slot(&broad, "trigger").1, n);
    assert!(slot(&broad, "clothing").3 > 2.5);
    let same = agree(&ctx, "character", "character");
    assert_eq!(slot(&same, "clothing").2, 6);

    // The same set rewritten to the face schema from an attributes file.
    let mut csv = String::from("file,framing,angle,expression\n");
    for i in 0..n {
        let expression = ["smiling", "neutral expression", "mouth open"][i as usize % 3];
        let angle = ["front view", "three-quarter view"][i as usize % 2];
        let _ = writeln!(csv, "img_{i:02}.jpg,close-up,{angle},{expression}");
    }
    ctx.write("attrs.csv", csv);
    run_ok(ctx.command().args([
        "caption",
        ".",
        "--schema",
        "face",
        "--trigger",
        "ohwx",
        "--class-word",
        "man",
        "--attributes",
        "attrs.csv",
        "--write",
        "--overwrite",
    ]));
    scan(&ctx);
    let face = agree(&ctx, "face", "face");
    assert_eq!(slot(&face, "clothing").1, 0);
    assert_eq!(slot(&face, "expression").2, 3);
    assert!((slot(&face, "expression").3 - 3f64.log2()).abs() < 1e-9);
    assert!((slot(&face, "angle").3 - 1.0).abs() < 1e-9);
}

#[test]
fn caption_stats_and_lint_agree_on_a_character_set_with_accessories() {
    let ctx = TestContext::new();
    let captions = [
        "zq woman, full body, standing, smiling, denim jacket, jeans, wristwatch, city street, natural light, blurred background",
        "zq woman, upper body, sitting, neutral expression, white shirt, dark suit, glasses, wristwatch, office, soft light",
        "zq woman, knee-up, walking, smiling, red dress, earrings, necklace, park, golden hour",
        "zq woman, full body, head tilted, laughing, leather jacket, black jeans, wristwatch, sunglasses, beach, backlit, white background",
        "zq woman, close-up, smiling, hoodie, beanie, wristwatch, studio, studio lighting, grey background",
        "zq woman, upper body, arms crossed, serious expression, t-shirt, cap, wristwatch, indoors, dim light",
        "zq woman, full body, dancing, mouth open, sweater, skirt, headphones, stage, neon light, dark background",
    ];
    for (i, text) in captions.iter().enumerate() {
        ctx.write_image(&format!("c{i}.png"), &pattern(24, 24, i as u32 + 1));
        ctx.write(&format!("c{i}.txt"), text);
    }
    scan(&ctx);
    let rows = agree(&ctx, "character", "character");
    // `wristwatch` is an accessory in both readers, in 5 captions; every caption has one.
    let acc = slot(&rows, "accessories");
    assert_eq!(acc.1, 7);
    let stats = json(&run_ok(ctx.command().args([
        "caption",
        ".",
        "--schema",
        "character",
        "--stats",
        "--format",
        "json",
    ])));
    let with_watch = stats["stats"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "accessories")
        .unwrap()["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["value"].as_str().unwrap().contains("wristwatch"))
        .map(|v| v["count"].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(with_watch, 5);
    // `white shirt, dark suit` is clothing, `head tilted` a pose; nothing is left over.
    assert_eq!(stats["stats"]["misfits"], 0, "{:#}", stats["stats"]);
    assert_eq!(slot(&rows, "pose").1, 6);
    assert_eq!(slot(&rows, "background").1, 4);
    // The face profile reads the same set with the face schema: the same figures again.
    let face = agree(&ctx, "face", "face");
    assert_eq!(slot(&face, "accessories").1, 7);
    assert_eq!(slot(&face, "clothing").1, 7);
}

/// Re-captioning keeps what the old captions said and fills the rest from the face: on the
/// README tour's broad set (real photos), `smiling` and `mouth open` stay where the captions
/// had them, every other caption gets its expression from the model, clothing and places go.
#[test]
fn recaptioning_the_tour_set_keeps_and_fills_expression() {
    let ctx = TestContext::new();
    std::fs::remove_dir(ctx.root()).unwrap();
    zcurate_dev::broad_set::write_tour_set(ctx.root()).unwrap();
    run_ok(ctx.command().args(["scan", "."]));
    let old: Vec<String> = (0..zcurate_dev::broad_set::TOUR_SHOTS)
        .map(|i| std::fs::read_to_string(ctx.path(&format!("img_{i:02}.txt"))).unwrap())
        .collect();
    let preview = run_ok(ctx.command().args([
        "caption",
        ".",
        "--schema",
        "face",
        "--trigger",
        "ohwx",
        "--class-word",
        "man",
    ]));
    let text = String::from_utf8_lossy(&preview.stdout);
    assert!(text.contains("old caption expression"), "{text}");
    run_ok(ctx.command().args([
        "caption",
        ".",
        "--schema",
        "face",
        "--trigger",
        "ohwx",
        "--class-word",
        "man",
        "--write",
        "--overwrite",
        "--format",
        "json",
    ]));
    let manifest = ctx.manifest();
    let mut from_model = 0;
    for (i, before) in old.iter().enumerate() {
        let now = std::fs::read_to_string(ctx.path(&format!("img_{i:02}.txt"))).unwrap();
        assert!(now.starts_with("ohwx man, "), "{now}");
        assert!(
            !now.contains("wearing") && !now.contains("conference"),
            "{now}"
        );
        for kept in ["smiling", "mouth open"] {
            if before.contains(kept) {
                assert!(now.contains(kept), "img_{i:02}: `{before}` became `{now}`");
            }
        }
        if !before.contains("smiling") && !before.contains("mouth open") {
            let record = &manifest["images"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["path"] == format!("img_{i:02}.jpg"))
                .unwrap()
                .clone();
            let main = record["face_summary"]["main"].as_u64().unwrap() as usize;
            assert!(
                record["faces"][main]["expression"]["happy"].is_number(),
                "img_{i:02}: no expression in the manifest"
            );
            if ["smiling", "neutral expression", "surprised"]
                .iter()
                .any(|e| now.contains(e))
            {
                from_model += 1;
            }
        }
    }
    // The model fills the expression of most shots the captions said nothing about (it may
    // stay silent on a face it is unsure of, e.g. someone talking).
    let without = old
        .iter()
        .filter(|c| !c.contains("smiling") && !c.contains("mouth open"))
        .count();
    assert!(from_model * 2 >= without, "{from_model} of {without}");
}
