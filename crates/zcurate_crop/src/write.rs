//! The output folder's temporary files: every file is written through one
//! ([`zcurate_fs::write_atomic`]), and what a killed run left is swept before the next one.

use std::path::Path;

/// Removes the temporary files of killed runs from `dir` and the folders below it, except
/// hidden ones other than `.zcurate` (an output folder is zcurate's, but not what the user
/// hides in it).
pub(crate) fn remove_stale_temps(dir: &Path) {
    zcurate_fs::remove_stale_temps(dir);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let hidden = name.to_string_lossy().starts_with('.') && name != ".zcurate";
        if !hidden && e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_stale_temps(&e.path());
        }
    }
}
