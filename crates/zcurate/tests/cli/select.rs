//! `zcurate select` on a messy folder built from the fetched real photos
//! (`zcurate_dev::messy_set`): the face set and the character set it makes pass lint with
//! their profiles, hold no duplicate, mirrored copy, blurry or tiny image and, with
//! `--identity`, no other person; re-runs change only what changed; bad folders are exit 2
//! with nothing written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{TestContext, pattern, run_ok};

/// The messy set, built once per test run and copied into each test's folder.
fn messy_set() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        zcurate_dev::messy_set::write_messy_set(dir.path()).expect("the messy set builds");
        dir
    })
    .path()
}

fn copy_messy(ctx: &TestContext, rel: &str) -> PathBuf {
    let to = ctx.path(rel);
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(messy_set()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    to
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn lint(ctx: &TestContext, dir: &str, profile: &str, extra: &[&str]) -> (i32, Value) {
    let out = ctx
        .command()
        .args(["lint", dir, "--profile", profile, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), report)
}

fn codes(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Decision and reason code of every candidate, by id.
fn decisions(record: &Value) -> BTreeMap<String, (String, String)> {
    record["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                (
                    c["decision"].as_str().unwrap().to_owned(),
                    c["reason-code"].as_str().unwrap_or("").to_owned(),
                ),
            )
        })
        .collect()
}

fn hash(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap(), 16).unwrap()
}

/// Chosen images by output path, with the source each came from.
fn chosen(record: &Value) -> BTreeMap<String, String> {
    record["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| {
            Some((
                c["output"].as_str()?.to_owned(),
                c["source"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn select(ctx: &TestContext, args: &[&str]) -> std::process::Output {
    ctx.command().arg("select").args(args).output().unwrap()
}

#[test]
fn a_messy_folder_gives_a_face_set_and_a_character_set_that_pass_lint() {
    zcurate_models::test_model("yunet");
    let ctx = TestContext::new();
    copy_messy(&ctx, "src");

    // The plan first: a table, and nothing written.
    let out = select(&ctx, &["src", "--out", "face", "--identity", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("decision"), "{stdout}");
    assert!(
        stdout.contains("m1_copy.jpg") && stdout.contains("exact copy of m1.jpg"),
        "{stdout}"
    );
    assert!(!ctx.path("face").exists(), "a dry run writes nothing");

    let out = select(&ctx, &["src", "--out", "face", "--identity"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let record = json_file(&ctx.path("face/.zcurate/select.json"));
    let set = chosen(&record);
    assert!(
        (15..=25).contains(&set.len()),
        "{} images: {set:?}\n{stderr}",
        set.len()
    );
    assert_eq!(
        record["targets"]["missing"].as_array().unwrap().len(),
        0,
        "{stderr}"
    );

    // Every exclusion the folder was built to show, with its reason.
    let d = decisions(&record);
    let reason = |id: &str| {
        d.get(id)
            .unwrap_or_else(|| panic!("no candidate {id}"))
            .1
            .clone()
    };
    assert_eq!(reason("m1_copy.jpg"), "exact-copy");
    assert_eq!(reason("m2_resaved.jpg"), "near-duplicate");
    assert_eq!(reason("m1_flip.jpg"), "mirrored-copy");
    assert_eq!(reason("m1_thumb.jpg"), "too-small");
    assert!(
        reason("m3_blurry.jpg").starts_with("blurry"),
        "{}",
        reason("m3_blurry.jpg")
    );
    assert_eq!(reason("group.jpg"), "several-faces");
    assert_eq!(reason("partial.jpg"), "face-cut");
    for other in ["biden.jpg", "grace_hopper.jpg", "newton.png"] {
        assert_eq!(reason(other), "other-person", "{other}");
    }
    // No other person and nothing the rules left out is in the set.
    let sources: BTreeSet<&str> = set.values().map(String::as_str).collect();
    assert!(sources.iter().all(|s| s.starts_with('m')), "{sources:?}");
    for s in [
        "m1_copy.jpg",
        "m1_thumb.jpg",
        "m3_blurry.jpg",
        "m1_flip.jpg",
    ] {
        assert!(!sources.contains(s), "{s} is in the set");
    }
    // Framings: mostly tight, 3-5 upper-body, no knee-up or full-body.
    let framing_of: BTreeMap<&str, &str> = record["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| Some((c["output"].as_str()?, c["framing"].as_str()?)))
        .collect();
    let ub = framing_of.values().filter(|f| **f == "upper-body").count();
    assert!((3..=5).contains(&ub), "{framing_of:?}");
    assert!(
        framing_of
            .values()
            .all(|f| ["close-up", "head-shoulders", "upper-body"].contains(f))
    );

    // The set passes lint's face profile, with identity, without edits.
    let (code, report) = lint(&ctx, "face", "face", &["--identity"]);
    let found = codes(&report);
    assert_eq!(code, 0, "{found:?}");
    for bad in [
        "DUP001", "DUP002", "QLT001", "FACE005", "FACE001", "FACE002", "FACE004", "ID001",
        "SET001", "SET002", "CAP001",
    ] {
        assert!(!found.contains(bad), "{bad} in {found:?}");
    }
    // No image is a mirrored copy of another, by the hashes of a scan of the set.
    let manifest = json_file(&ctx.path("face/.zcurate/manifest.json"));
    let images = manifest["images"].as_array().unwrap();
    assert_eq!(images.len(), set.len());
    for (i, a) in images.iter().enumerate() {
        for b in &images[i + 1..] {
            let plain = (hash(&a["phash"]) ^ hash(&b["phash"])).count_ones();
            let mirror = (hash(&a["phash"]) ^ hash(&b["phash_mirror"])).count_ones();
            assert!(
                plain > 5 && mirror > 5,
                "{} and {}: {plain} {mirror}",
                a["path"],
                b["path"]
            );
        }
        assert!(
            a["width"]
                .as_u64()
                .unwrap()
                .min(a["height"].as_u64().unwrap())
                >= 512
        );
    }
    // Captions travelled, with the framing of a crop.
    let crop = set
        .keys()
        .find(|k| k.contains("_close-up"))
        .expect("a close-up crop");
    let caption =
        std::fs::read_to_string(ctx.path("face").join(crop.replace(".jpg", ".txt"))).unwrap();
    assert!(caption.starts_with("ohwx man"), "{caption}");

    // A re-run changes nothing; an edited caption survives it.
    let out = select(&ctx, &["src", "--out", "face", "--identity"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0 linked, 0 copied, 0 cropped"), "{stderr}");
    let edited = ctx.path("face").join(crop.replace(".jpg", ".txt"));
    std::fs::write(&edited, "ohwx man, close-up, my own words").unwrap();
    let out = select(&ctx, &["src", "--out", "face", "--identity"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("your version is kept"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "ohwx man, close-up, my own words"
    );
    // Dropping a chosen source removes its files, and only those.
    let (gone_out, gone_src) = set
        .iter()
        .find(|(o, _)| o.ends_with("_close-up.jpg") && **o != *crop)
        .unwrap();
    let out = select(
        &ctx,
        &[
            "src",
            "--out",
            "face",
            "--identity",
            "--drop",
            &format!("src/{gone_src}"),
        ],
    );
    assert!(
        out.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!ctx.path("face").join(gone_out).exists());
    assert!(edited.exists());

    // The character set from the same folder passes the character profile.
    let out = select(
        &ctx,
        &[
            "src",
            "--profile",
            "character",
            "--out",
            "look",
            "--identity",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() != Some(2), "{stderr}");
    let look = json_file(&ctx.path("look/.zcurate/select.json"));
    assert!(chosen(&look).len() >= 15, "{stderr}");
    let (code, report) = lint(&ctx, "look", "character", &["--identity"]);
    assert_eq!(code, 0, "{:?}", codes(&report));
    assert!(!codes(&report).contains("DUP002"));

    // The report on the source shows what select would do.
    run_ok(
        ctx.command()
            .args(["report", "src", "--out", "report.html", "--no-scan"]),
    );
    let html = std::fs::read_to_string(ctx.path("report.html")).unwrap();
    assert!(html.contains(r#"id="filter-select""#));
    assert!(html.contains(r#"data-select="drop""#) && html.contains("sel-keep"));
    assert!(html.contains("exact copy of m1.jpg"));

    // The sources were only read.
    for e in std::fs::read_dir(messy_set()).unwrap() {
        let e = e.unwrap();
        let now = std::fs::read(ctx.path("src").join(e.file_name())).unwrap();
        assert_eq!(
            now,
            std::fs::read(e.path()).unwrap(),
            "{:?} changed",
            e.file_name()
        );
    }
}

#[test]
fn bad_folders_are_exit_2_and_nothing_is_written() {
    zcurate_models::test_model("yunet");
    let ctx = TestContext::new();
    std::fs::create_dir_all(ctx.path("empty")).unwrap();
    let out = select(&ctx, &["empty", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no images"));
    assert!(!ctx.path("out").exists() && !ctx.path("empty/.zcurate").exists());

    for i in 0..3 {
        ctx.write_image(&format!("noface/p{i}.png"), &pattern(320, 240, i));
    }
    let out = select(&ctx, &["noface", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("usable face"), "{stderr}");
    assert!(!ctx.path("out").exists());

    let out = select(&ctx, &["noface", "--out", "noface/sub"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("inside the source folder"), "{stderr}");
    assert!(!ctx.path("noface/sub").exists());

    ctx.write("mine/notes.txt", "my notes");
    let out = select(&ctx, &["noface", "--out", "mine"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("did not write") && stderr.contains("notes.txt"),
        "{stderr}"
    );
    let files: Vec<_> = std::fs::read_dir(ctx.path("mine")).unwrap().collect();
    assert_eq!(files.len(), 1, "nothing written into a user's folder");
}

/// While another zcurate holds OUT's lock, `zcurate select` into it is refused with the
/// holder named (exit 2) and writes nothing into OUT.
#[test]
fn a_select_is_refused_while_another_writer_holds_the_output_folder() {
    zcurate_models::test_model("yunet");
    let ctx = TestContext::new();
    copy_messy(&ctx, "src");
    let lock =
        zcurate_fs::DatasetLock::acquire(&ctx.path("out/.zcurate"), "zcurate select").unwrap();
    let out = select(&ctx, &["src", "--out", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let pid = std::process::id();
    assert!(
        stderr.contains(&format!(
            "another zcurate (pid {pid}, `zcurate select`) is working on"
        )),
        "{stderr}"
    );
    let files: Vec<_> = std::fs::read_dir(ctx.path("out")).unwrap().collect();
    assert_eq!(files.len(), 1, "only `.zcurate/`: {files:?}");
    drop(lock);
}
