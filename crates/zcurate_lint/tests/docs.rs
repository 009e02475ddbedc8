//! The committed rule pages in `docs/rules/` must match the rules' doc comments. Regenerate
//! with `ZCURATE_UPDATE_DOCS=1 cargo test -p zcurate_lint --test docs`.

use std::path::PathBuf;

#[test]
fn committed_rule_docs_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let files = zcurate_lint::docs::generated_files();
    if std::env::var_os("ZCURATE_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (name, text) in &files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &files {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if committed != *text {
            stale.push(name.clone());
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if std::path::Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
                && !files.iter().any(|(n, _)| *n == name)
            {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale ({}): run `ZCURATE_UPDATE_DOCS=1 cargo test -p zcurate_lint --test docs` and commit it",
        stale.join(", ")
    );
}
