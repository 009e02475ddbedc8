//! Writing files without ever leaving half of one: a temporary file in the same folder,
//! flushed to disk, then renamed (or linked) into place.

use std::io::Write;
use std::path::Path;

use crate::temp::temp_path;

/// How [`write_with`] treats the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// Replace an existing file. Without it an existing file is an `AlreadyExists` error and
    /// is left exactly as it was, even when another process creates it meanwhile.
    pub replace: bool,
    /// Unix permission bits of the new file (`None`: 0644 less the umask, as `File::create`).
    pub mode: Option<u32>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            replace: true,
            mode: None,
        }
    }
}

/// Writes `bytes` to `path`, replacing any file there, through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, WriteOptions::default(), |f| f.write_all(bytes))
}

/// [`write_atomic`] into a folder that may not exist yet: it is created first, with its
/// parents (an output folder's sub-folders, `.zcurate/`).
pub fn write_atomic_creating_dirs(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_atomic(path, bytes)
}

/// Writes `bytes` to a new file at `path`; an existing file is an `AlreadyExists` error.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let options = WriteOptions {
        replace: false,
        ..WriteOptions::default()
    };
    write_with(path, options, |f| f.write_all(bytes))
}

/// Writes `path` with the content `fill` writes. On any error, and whatever `fill` did, the
/// temporary file is removed, so a full disk or a read-only folder leaves nothing behind; a
/// process killed half-way leaves only a temporary file that the next run removes
/// ([`crate::remove_stale_temps`]).
pub fn write_with(
    path: &Path,
    options: WriteOptions,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if !options.replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = temp_path(dir);
    let result = (|| {
        let mut f = std::fs::File::create_new(&tmp)?;
        fill(&mut f)?;
        #[cfg(unix)]
        if let Some(mode) = options.mode {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        // Without this a crash after the rename could leave an empty file under the final
        // name on some file systems.
        f.sync_data()?;
        drop(f);
        crate::fault::before_commit();
        if options.replace {
            std::fs::rename(&tmp, path)
        } else {
            commit_new(&tmp, path)
        }
    })();
    // After a rename the temporary name is gone; after a link, or a failure, it is removed.
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Puts `tmp` in place at `path` only if nothing is there: a hard link fails on an existing
/// name atomically. File systems without hard links fall back to check-then-rename.
fn commit_new(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        Err(_) if std::fs::symlink_metadata(path).is_err() => std::fs::rename(tmp, path),
        Err(_) => Err(exists()),
    }
}

fn exists() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_replaces_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jpg");
        write_new(&p, b"one").unwrap();
        let e = write_new(&p, b"two").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["a.jpg"]);
    }

    #[test]
    fn a_failing_write_leaves_nothing_behind() {
        // A disk that fills up half way: the writer fails after some bytes.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.jpg");
        let e = write_with(&p, WriteOptions::default(), |f| {
            f.write_all(b"half")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        })
        .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::StorageFull);
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("c.jpg");
        assert!(write_atomic(&p, b"x").is_err());
    }

    #[test]
    fn long_names_fit() {
        // 250 bytes: the longest name most file systems allow is 255, and a temporary name
        // built from the target's would not fit.
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.txt", "é".repeat(123));
        assert_eq!(name.len(), 250);
        let p = dir.path().join(&name);
        write_atomic(&p, b"caption").unwrap();
        assert_eq!(names(dir.path()), [name]);
    }

    #[cfg(unix)]
    #[test]
    fn mode_is_applied() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("run.sh");
        let options = WriteOptions {
            mode: Some(0o755),
            ..WriteOptions::default()
        };
        write_with(&p, options, |f| f.write_all(b"#!/bin/sh\n")).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
}
