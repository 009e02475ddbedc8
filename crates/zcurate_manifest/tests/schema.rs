//! The committed JSON Schema must match the Rust types. Regenerate with
//! `ZCURATE_UPDATE_SCHEMA=1 cargo test -p zcurate_manifest --test schema`.

use std::path::PathBuf;

#[test]
fn committed_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/manifest.schema.json");
    let generated = zcurate_manifest::json_schema();
    if std::env::var_os("ZCURATE_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/manifest.schema.json is stale: run `ZCURATE_UPDATE_SCHEMA=1 cargo test -p zcurate_manifest --test schema` and commit it"
    );
}
