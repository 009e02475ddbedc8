//! The dataset manifest (`DIR/.zcurate/manifest.json`) through `zcurate_manifest::read`: the
//! JSON parse, the version check and the path confinement every command relies on.
//!
//! Must hold: no panic; a manifest that reads has only plain relative paths inside the
//! dataset (checked here independently of `zcurate_fs::is_confined`); and what zcurate would
//! write back for it reads again as the same value, so a command never leaves a manifest that
//! the next command cannot read.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zcurate_manifest::Manifest;

static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));
static INPUT: LazyLock<PathBuf> = LazyLock::new(|| manifest_in("ds"));
static REWRITTEN: LazyLock<PathBuf> = LazyLock::new(|| manifest_in("again"));

fn manifest_in(dataset: &str) -> PathBuf {
    let dir = DIR.path().join(dataset).join(".zcurate");
    std::fs::create_dir_all(&dir).expect("create the .zcurate folder");
    dir.join("manifest.json")
}

/// Plain relative: not empty, not absolute, no `..` part, not starting with `.` as a part.
fn plain_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && p.split('/').all(|s| s != "..")
        && p.split('/').next() != Some(".")
}

fn paths(m: &Manifest) -> impl Iterator<Item = &str> {
    m.images
        .iter()
        .flat_map(|r| std::iter::once(&r.path).chain(r.caption_path.as_ref()))
        .chain(&m.orphan_captions)
        .map(String::as_str)
}

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*INPUT, data).expect("write the manifest");
    let Ok(manifest) = zcurate_manifest::read(&INPUT) else {
        return;
    };
    for p in paths(&manifest) {
        assert!(
            plain_relative(p),
            "a manifest with the path {p:?} was accepted"
        );
    }
    // What `zcurate_manifest::write_atomic` writes, without its fsync.
    let mut text = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    text.push(b'\n');
    std::fs::write(&*REWRITTEN, &text).expect("write the manifest back");
    match zcurate_manifest::read(&REWRITTEN) {
        Ok(again) => assert!(
            again == manifest,
            "the manifest changed on a write and read"
        ),
        Err(e) => panic!(
            "a manifest that read cannot be read after writing it back: {e}\n{}",
            String::from_utf8_lossy(&text)
        ),
    }
});
