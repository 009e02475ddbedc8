//! Paths read from files that could have been edited or crafted (a manifest shared with a
//! dataset, a crop or export record) are used only when they stay inside their folder.

use std::path::{Component, Path, PathBuf};

/// A recorded path that would lead outside its folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} names `{path}`, which is not a plain relative path inside {root}; refusing to use it", root = .root.display())]
pub struct PathError {
    /// What the path came from, e.g. "manifest record 3 (`a.jpg`) caption_path".
    pub what: String,
    pub path: String,
    pub root: PathBuf,
}

/// True when `rel` is a non-empty relative path of plain names only: no root, no drive, no
/// `..`, no leading `.` (an inner `a/./b` is read as `a/b`, as the OS reads it).
pub fn is_confined(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// `root.join(rel)` when `rel` stays inside `root` by its own components, else an error naming
/// `what` (the record it came from). Symbolic links inside the folder are the user's own and
/// are followed as the rest of zcurate follows them.
pub fn confined(
    root: &Path,
    rel: &str,
    what: impl FnOnce() -> String,
) -> Result<PathBuf, PathError> {
    if is_confined(rel) {
        Ok(root.join(rel))
    } else {
        Err(PathError {
            what: what(),
            path: rel.to_owned(),
            root: root.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_pass() {
        for ok in ["a.jpg", "sub/a.txt", "10_ohwx/b c.png"] {
            assert!(is_confined(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../outside/secret.jpg",
            "a/../../b",
            "./a.jpg",
        ] {
            assert!(!is_confined(bad), "{bad}");
        }
    }

    #[test]
    fn the_error_names_the_record() {
        let e = confined(Path::new("ds"), "../x.jpg", || {
            "manifest record 2 path".into()
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "manifest record 2 path names `../x.jpg`, which is not a plain relative path inside ds; refusing to use it"
        );
        assert_eq!(
            confined(Path::new("ds"), "a/b.jpg", String::new).unwrap(),
            Path::new("ds/a/b.jpg")
        );
    }
}
