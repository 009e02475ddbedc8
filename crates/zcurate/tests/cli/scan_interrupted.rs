//! Scans that are killed, run twice at once, or meet odd files (issue 18): a killed scan keeps
//! the records it finished, a second writer is refused by name, a dangling link is named as
//! one.

use std::process::Output;

use crate::common::{TestContext, pattern, record};

/// A pid no process has: above the kernel's pid_max (at most 2^22).
const DEAD_PID: u32 = 4_194_305;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Names in `.zcurate/`, sorted.
fn state_files(ctx: &TestContext) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(ctx.path(".zcurate"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A scan killed during its third progress save (the fault hook aborts the process as
/// `kill -9` would) left a manifest with the two records it had saved: the next run analyses
/// only the other six, and removes the killed run's temporary file and an older version's
/// `.manifest.json.tmp<PID>`. It used to analyse all eight again and leave both behind.
#[test]
fn a_killed_scan_keeps_the_records_it_finished() {
    let ctx = TestContext::new();
    for i in 0..8 {
        ctx.write_image(&format!("img_{i}.png"), &pattern(48, 40, i));
    }
    let scan = |fault: Option<&str>| {
        let mut cmd = ctx.command();
        cmd.args(["scan", ".", "--no-faces", "-j", "1", "--save-every", "0"]);
        if let Some(n) = fault {
            cmd.env(zcurate_fs::fault::ABORT_AFTER_WRITES_ENV, n);
        }
        cmd.output().unwrap()
    };
    let killed = scan(Some("2"));
    assert!(!killed.status.success(), "{}", stderr(&killed));
    let saved: serde_json::Value = ctx.manifest();
    assert_eq!(saved["images"].as_array().unwrap().len(), 2, "{saved}");
    let files = state_files(&ctx);
    assert!(
        files.iter().any(|f| f.starts_with(zcurate_fs::TEMP_PREFIX)),
        "the kill leaves its temporary file: {files:?}"
    );
    ctx.write(&format!(".zcurate/.manifest.json.tmp{DEAD_PID}"), "{");

    let again = scan(None);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("Scanned 8 images (6 analysed, 2 unchanged, 0 with errors)"),
        "{}",
        stderr(&again)
    );
    assert_eq!(state_files(&ctx), ["lock", "manifest.json"]);
    assert_eq!(ctx.manifest()["images"].as_array().unwrap().len(), 8);
}

/// While another zcurate holds the dataset's lock (here the test itself, as a running
/// `zcurate caption --write` would), a scan is refused with the holder named, exit 2, and
/// the manifest is not touched.
#[test]
fn a_scan_is_refused_while_another_writer_holds_the_dataset() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(48, 40, 1));
    let lock =
        zcurate_fs::DatasetLock::acquire(&ctx.path(".zcurate"), "zcurate caption --write").unwrap();
    let out = ctx
        .command()
        .args(["scan", ".", "--no-faces"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let pid = std::process::id();
    assert!(
        stderr(&out).contains(&format!(
            "another zcurate (pid {pid}, `zcurate caption --write`) is working on"
        )),
        "{}",
        stderr(&out)
    );
    assert!(!ctx.path(".zcurate/manifest.json").exists());
    drop(lock);
    let out = ctx
        .command()
        .args(["scan", ".", "--no-faces"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A link to an image that was moved away is reported as a dangling link naming its target,
/// as the file's own error, not as a folder that "cannot be read"; the other image is
/// scanned.
#[cfg(unix)]
#[test]
fn a_dangling_link_is_named_with_its_target() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(48, 40, 1));
    std::os::unix::fs::symlink("../moved/b.png", ctx.path("b.png")).unwrap();
    let out = ctx
        .command()
        .args(["scan", ".", "--no-faces"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "b.png: dangling symbolic link: it points to `../moved/b.png`, which does not exist"
        ),
        "{err}"
    );
    assert!(!err.contains("cannot read directory"), "{err}");
    let m = ctx.manifest();
    assert_eq!(record(&m, "b.png")["error"]["kind"], "io");
    assert!(m["dir_errors"].as_array().unwrap().is_empty(), "{m}");
}
