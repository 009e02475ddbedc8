//! A caption `zcurate caption` replaced is never lost: it is saved in the dataset's caption
//! history (`.zcurate/caption-history.jsonl`) before the file is replaced, no scan touches
//! that file, and `--restore` brings the text back. Also: one writer per dataset, writes that
//! fail are reported as failed, long names, stale temporary files, strict CSV quotes.

use std::process::Output;

use serde_json::{Value, json};

use crate::caption::patch;
use crate::common::{TestContext, pattern, record, run_ok};

const HISTORY: &str = ".zcurate/caption-history.jsonl";

fn caption(ctx: &TestContext, args: &[&str]) -> Output {
    ctx.command()
        .arg("caption")
        .arg(".")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn history(ctx: &TestContext) -> Vec<Value> {
    std::fs::read_to_string(ctx.path(HISTORY))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Temporary files zcurate left in the dataset folder.
fn temps(ctx: &TestContext) -> Vec<String> {
    std::fs::read_dir(ctx.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("zcurate-tmp"))
        .collect()
}

/// `a.png` with the facts a face scan records, and the user's own caption.
fn captioned(name: &str) -> TestContext {
    let ctx = TestContext::new();
    ctx.write_image(&format!("{name}.png"), &pattern(32, 32, 1));
    ctx.write(&format!("{name}.txt"), "my own caption");
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
    patch(
        &ctx,
        &format!("{name}.png"),
        Some("close-up"),
        Some("front"),
        "level",
        0.45,
        0.2,
    );
    ctx
}

const WRITE: [&str; 6] = [
    "--trigger",
    "t",
    "--class-word",
    "man",
    "--write",
    "--overwrite",
];

/// The scenario on a real photo: the replaced caption survives scans that rebuild
/// every record, and `--restore` brings it back (and a second `--restore` undoes the first).
#[test]
fn a_replaced_caption_survives_rescans_and_is_restored() {
    let ctx = TestContext::new();
    std::fs::copy(zcurate_models::test_photo("obama"), ctx.path("a.jpg")).unwrap();
    ctx.write("a.txt", "my own caption\n");
    run_ok(ctx.command().args(["scan", "."]));
    let out = run_ok(ctx.command().args(["caption", "."]).args(WRITE));
    assert!(text(&out.stdout).starts_with("a.jpg: replaced\n"));
    let generated = std::fs::read_to_string(ctx.path("a.txt")).unwrap();
    assert!(generated.starts_with("t man, "), "{generated}");
    run_ok(ctx.command().args(["scan", ".", "--det-size", "320"]));
    run_ok(ctx.command().args(["scan", ".", "--no-cache"]));
    let manifest = std::fs::read_to_string(ctx.path(".zcurate/manifest.json")).unwrap();
    assert!(!manifest.contains("my own caption"));
    let h = history(&ctx);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["path"], "a.txt");
    assert_eq!(h[0]["image"], "a.jpg");
    assert_eq!(h[0]["text"], "my own caption\n");
    assert_eq!(
        h[0]["sha256"],
        zcurate_fs::sha256_hex(b"my own caption\n").as_str()
    );
    assert_eq!(
        h[0]["command"],
        "zcurate caption --write --overwrite (schema face)"
    );

    let out = run_ok(ctx.command().args(["caption", ".", "--restore", "a.jpg"]));
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "my own caption\n"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("a.txt: restored the caption"),
        "{stdout}"
    );
    assert!(stdout.contains("\n  + my own caption\n"), "{stdout}");
    // The text it replaced went into the history first: restoring again undoes the restore.
    assert_eq!(history(&ctx)[1]["text"], generated.as_str());
    run_ok(ctx.command().args(["caption", ".", "--restore"]));
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        generated
    );
    assert_eq!(
        record(&ctx.manifest(), "a.jpg")["caption"],
        generated.as_str()
    );
}

/// A scan that read the manifest before `caption --write --overwrite` ran and saved it after
/// (the race the issue measured) cannot erase the history; and captions written while scans
/// run concurrently each leave their entry.
#[test]
fn a_scan_during_caption_does_not_erase_the_history() {
    let ctx = captioned("a");
    let before = std::fs::read(ctx.path(".zcurate/manifest.json")).unwrap();
    run_ok(ctx.command().args(["caption", "."]).args(WRITE));
    std::fs::write(ctx.path(".zcurate/manifest.json"), before).unwrap();
    run_ok(ctx.command().args(["caption", ".", "--restore", "a.png"]));
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "my own caption"
    );

    // Real processes: scans rebuilding every record while captions are replaced.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let replaced = std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = ctx
                    .command()
                    .args(["scan", ".", "--no-faces", "--no-cache", "--quiet"])
                    .output();
            }
        });
        let mut replaced = 0;
        for i in 0..12 {
            let class = if i % 2 == 0 { "woman" } else { "man" };
            let out = caption(
                &ctx,
                &[
                    "--trigger",
                    "t",
                    "--class-word",
                    class,
                    "--write",
                    "--overwrite",
                ],
            );
            // A scan rebuilt the manifest without the patched facts: the caption is then
            // incomplete and nothing is replaced.
            if text(&out.stdout).contains("a.png: replaced") {
                replaced += 1;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        replaced
    });
    // Two entries from the first part (the overwrite, and the restore's save).
    assert_eq!(history(&ctx).len(), 2 + replaced);
}

/// A second writer is refused while another zcurate holds the dataset, with the holder named.
#[test]
fn a_second_writer_is_refused_naming_the_holder() {
    let ctx = captioned("a");
    let lock = zcurate_fs::DatasetLock::acquire(&ctx.path(".zcurate"), "zcurate scan").unwrap();
    let manifest = std::fs::read(ctx.path(".zcurate/manifest.json")).unwrap();
    for args in [&WRITE[..], &["--restore"], &["--audit"], &["--stats"]] {
        let out = caption(&ctx, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "another zcurate (pid {}, `zcurate scan`)",
                std::process::id()
            )),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
            "my own caption"
        );
        // --audit and --stats save the manifest: not while another zcurate holds it.
        assert_eq!(
            std::fs::read(ctx.path(".zcurate/manifest.json")).unwrap(),
            manifest,
            "{args:?}"
        );
    }
    drop(lock);
    run_ok(ctx.command().args(["caption", "."]).args(WRITE));
}

/// A caption named with 250 bytes is written: the temporary name does not grow with it.
#[test]
fn a_250_byte_name_is_captioned() {
    let stem = "é".repeat(123);
    let ctx = captioned(&stem);
    std::fs::remove_file(ctx.path(&format!("{stem}.txt"))).unwrap();
    let out = run_ok(ctx.command().args(["caption", "."]).args(WRITE));
    assert!(
        text(&out.stdout).contains(": written\n"),
        "{}",
        text(&out.stdout)
    );
    let name = format!("{stem}.txt");
    assert_eq!(name.len(), 250);
    assert!(
        std::fs::read_to_string(ctx.path(&name))
            .unwrap()
            .starts_with("t man")
    );
    assert!(temps(&ctx).is_empty());
}

/// A write that fails is reported as failed (exit 2), never as "replaced", and the caption
/// stays as it was.
#[test]
fn a_read_only_caption_is_reported_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = captioned("a");
    std::fs::set_permissions(ctx.path("a.txt"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = caption(&ctx, &WRITE);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("replaced"), "{stdout}");
    assert!(
        stdout.starts_with("a.png: failed: a.txt is read-only; left alone"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("a.png: a.txt is read-only"), "{stderr}");
    assert!(stderr.contains("Wrote 0 captions"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "my own caption"
    );
    assert!(history(&ctx).is_empty());

    // Nor does --restore replace it.
    std::fs::set_permissions(ctx.path("a.txt"), std::fs::Permissions::from_mode(0o644)).unwrap();
    run_ok(ctx.command().args(["caption", "."]).args(WRITE));
    std::fs::set_permissions(ctx.path("a.txt"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = caption(&ctx, &["--restore", "a.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).starts_with("a.txt: failed: a.txt is read-only; left alone"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        std::fs::read_to_string(ctx.path("a.txt"))
            .unwrap()
            .starts_with("t man")
    );
}

/// Killed between saving the history and replacing the caption (the fault hook aborts
/// before the rename): the old text is in the history, the caption is whole, and the next
/// run removes the dead run's temporary file and finishes.
#[test]
fn a_killed_caption_write_is_finished_by_running_it_again() {
    let ctx = captioned("a");
    let out = ctx
        .command()
        .env(zcurate_fs::fault::ABORT_AFTER_WRITES_ENV, "0")
        .args(["caption", "."])
        .args(WRITE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "my own caption"
    );
    assert_eq!(history(&ctx)[0]["text"], "my own caption");
    assert_eq!(temps(&ctx).len(), 1);
    let out = run_ok(ctx.command().args(["caption", "."]).args(WRITE));
    assert!(text(&out.stdout).starts_with("a.png: replaced"));
    assert!(temps(&ctx).is_empty(), "{:?}", temps(&ctx));
}

/// A manifest of an earlier version keeps replaced captions in its records: the next caption
/// run moves them into the history file before any scan can drop them.
#[test]
fn an_old_manifests_caption_history_is_moved_to_the_history_file() {
    let ctx = captioned("a");
    let path = ctx.path(".zcurate/manifest.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["images"][0]["caption_history"] = json!([{
        "text": "an older caption", "caption_path": "a.txt", "replaced_by_schema": "face"
    }]);
    std::fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
    let out = caption(&ctx, &["--trigger", "t", "--class-word", "man"]);
    assert!(
        text(&out.stderr).contains("note: moved 1 replaced caption from the manifest"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        record(&ctx.manifest(), "a.png")
            .get("caption_history")
            .is_none()
    );
    run_ok(
        ctx.command()
            .args(["scan", ".", "--no-faces", "--no-cache"]),
    );
    run_ok(ctx.command().args(["caption", ".", "--restore", "a.txt"]));
    assert_eq!(
        std::fs::read_to_string(ctx.path("a.txt")).unwrap(),
        "an older caption"
    );
}

/// An attributes CSV with a quote left open is refused with the line it opens on; nothing is
/// written.
#[test]
fn an_unterminated_csv_quote_is_refused_with_its_line() {
    let ctx = captioned("a");
    std::fs::remove_file(ctx.path("a.txt")).unwrap();
    ctx.write("attrs.csv", "file,expression\n\"a.png,smiling\n");
    let out = caption(
        &ctx,
        &[
            "--trigger",
            "t",
            "--class-word",
            "man",
            "--attributes",
            "attrs.csv",
            "--write",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("attrs.csv line 2: the quote opened on this line is not closed on it"),
        "{stderr}"
    );
    assert!(!ctx.path("a.txt").exists());
}

/// An image whose caption cannot be read is not analysed again on every scan.
#[test]
fn an_unreadable_caption_does_not_make_the_scan_analyse_again() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(32, 32, 1));
    ctx.write_image("b.png", &pattern(32, 32, 2));
    ctx.write("a.txt", b"caf\xe9");
    run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
    let out = run_ok(ctx.command().args(["scan", ".", "--no-faces"]));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("(0 analysed, 2 unchanged, 1 with errors)"),
        "{stderr}"
    );
    assert_eq!(record(&ctx.manifest(), "a.png")["error"]["kind"], "caption");
}
