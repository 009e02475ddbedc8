//! Writing files without ever leaving half of one, as every zcurate command writes them
//! ([`zcurate_fs`]): a temporary file with a short name in the same folder, flushed, renamed.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file and a rename. With `replace` false an
/// existing file is an `AlreadyExists` error and is left alone. On any error the temporary
/// file is removed; a run that is killed leaves one that the next run removes.
pub fn write_file(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let options = zcurate_fs::WriteOptions {
        replace,
        ..zcurate_fs::WriteOptions::default()
    };
    zcurate_fs::write_with(path, options, |f| f.write_all(bytes))
}

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
