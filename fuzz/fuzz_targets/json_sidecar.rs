//! JSON attribute sidecars beside images (`a.json` next to `a.jpg`, read by `zcurate caption
//! --attributes json`) against the face schema. Must hold: no panic; a problem names the
//! sidecar; values found belong to the image the sidecar sits beside.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zcurate_caption::{CaptionError, Catalog, read_json_sidecars};

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::builtin);
// The sidecar reader takes a dataset folder; one folder serves every input.
static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));
static SIDECAR: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("a.json"));

fuzz_target!(|data: &[u8]| {
    let schema = CATALOG.get("face").expect("the face schema is built in");
    std::fs::write(&*SIDECAR, data).expect("write the sidecar");
    match read_json_sidecars(DIR.path(), schema, &["a.jpg", "b.jpg"]) {
        Ok(loaded) => {
            assert!(
                loaded.attributes.len() <= 1,
                "values for an image without a sidecar"
            );
            for slot in &schema.slots {
                assert!(loaded.attributes.get("b.jpg", &slot.name).is_none());
                if let Some(given) = loaded.attributes.get("a.jpg", &slot.name) {
                    assert_eq!(given.origin, "a.json");
                }
            }
            for w in &loaded.warnings {
                assert_eq!(w.file, "a.json");
            }
        }
        Err(CaptionError::Attributes { problems }) => {
            assert!(!problems.is_empty());
            for p in &problems {
                assert_eq!(p.file, "a.json");
                assert!(!p.message.is_empty());
            }
        }
        Err(other) => panic!("a sidecar in a readable folder failed unlocated: {other}"),
    }
});
