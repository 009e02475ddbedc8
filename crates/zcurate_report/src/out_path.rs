//! Where a report may be written: never over a user's file, never into the dataset itself.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// What every page zcurate writes carries near its top (see `html.rs`): the mark of a file
/// zcurate may replace.
const GENERATOR_MARK: &[u8] = b"<meta name=\"generator\" content=\"zcurate";

/// How much of an existing file is read to find the mark.
const MARK_WINDOW: usize = 4096;

/// Checks that writing the report to `out` harms nothing of the user's: `out` must not lie
/// inside the dataset `root` (other than under its `.zcurate/` folder, which is zcurate's
/// own), and an existing `out` must be a report zcurate wrote.
pub fn check_out_path(out: &Path, root: &Path) -> Result<(), ReportError> {
    let target = resolved(out);
    if let (Some(target), Ok(root)) = (&target, std::fs::canonicalize(root))
        && target.starts_with(&root)
        && !target.starts_with(root.join(".zcurate"))
    {
        return Err(ReportError::OutInsideDataset {
            out: out.to_owned(),
            root: root.clone(),
        });
    }
    match std::fs::metadata(out) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_file() => Err(ReportError::OutNotAFile {
            out: out.to_owned(),
        }),
        Ok(_) if written_by_zcurate(out) => Ok(()),
        Ok(_) => Err(ReportError::OutNotOurs {
            out: out.to_owned(),
        }),
    }
}

/// `out` with its folder resolved (the file itself may not exist yet), or `None` when the
/// folder does not exist either (then it is not inside the dataset: nothing there yet).
fn resolved(out: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(out) {
        return Some(p);
    }
    let name = out.file_name()?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
    Some(parent.join(name))
}

fn written_by_zcurate(path: &Path) -> bool {
    let mut head = Vec::with_capacity(MARK_WINDOW);
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MARK_WINDOW as u64).read_to_end(&mut head));
    read.is_ok()
        && head
            .windows(GENERATOR_MARK.len())
            .any(|w| w == GENERATOR_MARK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_the_dataset_only_under_zcurate() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ds");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.jpg"), b"photo").unwrap();
        for bad in [
            root.join("a.jpg"),
            root.join("report.html"),
            root.join("sub/r.html"),
        ] {
            let e = check_out_path(&bad, &root).unwrap_err();
            assert!(
                matches!(e, ReportError::OutInsideDataset { .. }),
                "{bad:?}: {e}"
            );
        }
        check_out_path(&root.join(".zcurate/report.html"), &root).unwrap();
        check_out_path(&dir.path().join("report.html"), &root).unwrap();
        // A relative path through `..` that lands inside is caught too.
        let sneaky = root.join("sub/../a.jpg");
        assert!(check_out_path(&sneaky, &root).is_err());
        assert_eq!(std::fs::read(root.join("a.jpg")).unwrap(), b"photo");
    }

    #[test]
    fn only_our_own_pages_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ds");
        std::fs::create_dir(&root).unwrap();
        let mine = dir.path().join("notes.html");
        std::fs::write(&mine, "<html>my notes</html>").unwrap();
        let e = check_out_path(&mine, &root).unwrap_err();
        assert!(matches!(e, ReportError::OutNotOurs { .. }), "{e}");
        let ours = dir.path().join("report.html");
        std::fs::write(
            &ours,
            "<!doctype html>\n<html><head><meta name=\"generator\" content=\"zcurate 0.1.0\">",
        )
        .unwrap();
        check_out_path(&ours, &root).unwrap();
        let e = check_out_path(dir.path(), &root).unwrap_err();
        assert!(matches!(e, ReportError::OutNotAFile { .. }), "{e}");
    }
}
