//! `zcurate crop` killed, run twice at once, or given very long names (issue 18): a killed run
//! is finished by running it again, a second writer of OUT is refused by name, and a source
//! named with 250 bytes is cropped.

use std::collections::BTreeMap;

use crate::common::TestContext;
use crate::crop::{LABELLED, copy_photos, crop, crop_manifest, model, snapshot, stderr};

/// The outputs a crop run leaves in `dst`: every file, the crop manifest by the outputs it
/// records (its tool version and timing aside), and the lock file left out.
fn outputs(dst: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dst);
    files.remove(".zcurate/lock");
    let m = files.remove(".zcurate/crop.json").expect("a crop manifest");
    assert!(!m.is_empty());
    let recorded: Vec<_> = crop_manifest(dst)
        .sources
        .into_iter()
        .map(|s| (s.path, s.status, s.outputs))
        .collect();
    files.insert(
        "recorded outputs".into(),
        serde_json::to_vec(&recorded).unwrap(),
    );
    files
}

/// A crop killed after 0, 1, 3 and 8 file writes (the fault hook aborts the process during
/// the next write, as `kill -9` would; the eighth is the last crop's caption, the ninth the
/// manifest) is finished by running the same command again: exit 0, the same files and
/// records as a run that was never interrupted, and no temporary file left. The re-run used
/// to refuse the crops of the killed run as "not written by zcurate crop" (exit 1).
#[test]
fn a_crop_killed_half_way_is_finished_by_running_it_again() {
    model();
    let ctx = TestContext::new();
    let photos = &LABELLED[..4];
    copy_photos(&ctx.path("src"), photos);
    for name in photos {
        let stem = crate::crop::file_name(name);
        let stem = stem.rsplit_once('.').unwrap().0;
        ctx.write(
            &format!("src/{stem}.txt"),
            "zq person, upper body, soft light\n",
        );
    }
    let args = |out: &str| ["src", "--out", out, "-j", "1"].map(str::to_owned);
    let clean = ctx
        .command()
        .arg("crop")
        .args(args("clean"))
        .output()
        .unwrap();
    assert!(clean.status.success(), "{}", stderr(&clean));
    let clean = outputs(&ctx.path("clean"));
    assert_eq!(
        clean
            .keys()
            .filter(|k| std::path::Path::new(k)
                .extension()
                .is_some_and(|e| e == "txt"))
            .count(),
        4
    );

    for writes in [0, 1, 3, 8] {
        let out = format!("out{writes}");
        let args = args(&out);
        let killed = ctx
            .command()
            .arg("crop")
            .args(&args)
            .env(
                zcurate_fs::fault::ABORT_AFTER_WRITES_ENV,
                writes.to_string(),
            )
            .output()
            .unwrap();
        assert!(
            !killed.status.success(),
            "the fault hook fires after {writes} writes: {}",
            stderr(&killed)
        );
        let temps = snapshot(&ctx.path(&out))
            .into_keys()
            .filter(|k| k.contains(zcurate_fs::TEMP_PREFIX))
            .count();
        assert_eq!(
            temps, 1,
            "the kill after {writes} leaves its temporary file"
        );
        let again = ctx.command().arg("crop").args(&args).output().unwrap();
        assert!(again.status.success(), "after {writes}: {}", stderr(&again));
        assert_eq!(outputs(&ctx.path(&out)), clean, "after {writes}");
    }
}

/// While another zcurate holds OUT's lock, `zcurate crop` into it is refused with the holder
/// named (exit 2) and writes nothing.
#[test]
fn a_crop_is_refused_while_another_writer_holds_the_output_folder() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &LABELLED[..1]);
    let lock = zcurate_fs::DatasetLock::acquire(&ctx.path("out/.zcurate"), "zcurate crop").unwrap();
    let out = crop(&ctx, &["src", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let pid = std::process::id();
    assert!(
        stderr(&out).contains(&format!(
            "another zcurate (pid {pid}, `zcurate crop`) is working on"
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        snapshot(&ctx.path("out")).into_keys().collect::<Vec<_>>(),
        [".zcurate/lock"]
    );
    drop(lock);
}

/// A source whose name takes 250 bytes (the longest most file systems allow is 255) is
/// cropped with its caption: the temporary names no longer add to the output's name.
#[test]
fn a_source_named_with_250_bytes_is_cropped() {
    model();
    let ctx = TestContext::new();
    let stem = "é".repeat(123);
    let photo = std::fs::read(zcurate_models::test_photo(LABELLED[0])).unwrap();
    ctx.write(&format!("src/{stem}.jpg"), &photo);
    ctx.write(&format!("src/{stem}.txt"), "zq person\n");
    assert_eq!(format!("{stem}.jpg").len(), 250);
    let out = crop(&ctx, &["src", "--out", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = snapshot(&ctx.path("out"));
    assert!(
        files.contains_key(&format!("{stem}.jpg")),
        "{:?}",
        files.keys()
    );
    assert!(
        files.contains_key(&format!("{stem}.txt")),
        "{:?}",
        files.keys()
    );
}
