//! The JSON records zcurate reads back from its own outputs, which a user can edit or share:
//! the export record (`OUT/zcurate-export.json`, read by a re-export and by `zcurate
//! evaluate`), the crop manifest (read by a re-run of `zcurate crop`), and the outputs list of
//! the select record (read by a re-run of `zcurate select`). Every input is tried as each.
//!
//! Must hold: no panic; a record that reads serialises and reads again as the same value.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};
use zcurate_crop::{CropManifest, read_manifest};
use zcurate_select::record::OutputEntry;
use zcurate_train::ExportManifest;

static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));
static INPUT: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("record.json"));

/// The part of the select record a re-run reads (`zcurate_select::record::read_outputs`).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct SelectOutputs {
    outputs: Vec<OutputEntry>,
}

fn read_again<T: Serialize + for<'de> Deserialize<'de>>(value: &T) -> T {
    let text = serde_json::to_vec_pretty(value).expect("a record serialises");
    serde_json::from_slice(&text).unwrap_or_else(|e| {
        panic!(
            "a record that read cannot be read after writing it back: {e}\n{}",
            String::from_utf8_lossy(&text)
        )
    })
}

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*INPUT, data).expect("write the record");
    if let Ok(Some(export)) = ExportManifest::read(&INPUT) {
        let text = serde_json::to_vec_pretty(&export).expect("a record serialises");
        std::fs::write(&*INPUT, &text).expect("write the record back");
        let again = ExportManifest::read(&INPUT)
            .unwrap_or_else(|e| panic!("export record unreadable after a write: {e}"))
            .expect("the file exists");
        assert!(
            again == export,
            "the export record changed on a write and read"
        );
        std::fs::write(&*INPUT, data).expect("write the record");
    }
    if let Ok(Some(crop)) = read_manifest(&INPUT) {
        let text = serde_json::to_vec_pretty(&crop).expect("a record serialises");
        std::fs::write(&*INPUT, &text).expect("write the record back");
        let again: CropManifest = read_manifest(&INPUT)
            .unwrap_or_else(|e| panic!("crop manifest unreadable after a write: {e}"))
            .expect("the file exists");
        assert!(
            again == crop,
            "the crop manifest changed on a write and read"
        );
    }
    if let Ok(select) = serde_json::from_slice::<SelectOutputs>(data) {
        assert!(read_again(&select) == select, "the select outputs changed");
    }
});
