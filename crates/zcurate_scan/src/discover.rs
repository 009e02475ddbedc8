//! Finding images, caption sidecars and kohya repeat folders under a dataset root.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use zcurate_manifest::DirError;

/// Extensions of files treated as images, lower case. Formats beyond the trainers' usual
/// four are still listed so that lint can report them instead of ignoring them.
pub const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff", "heic", "heif", "avif", "jxl",
];

/// Folders never searched: zcurate's own state and other hidden folders.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// One image file found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundImage {
    /// Path relative to the root with `/` separators.
    pub rel: String,
    pub abs: PathBuf,
    /// Repeat count from the nearest kohya `N_name` folder.
    pub repeats: Option<u32>,
    /// Caption sidecar, when one exists: (relative, absolute).
    pub caption: Option<(String, PathBuf)>,
    /// The path below the root is not valid UTF-8, so `rel` shows it with replacement
    /// characters and names no file: the image gets a record refused for its name, and no
    /// command may derive a file name from `rel`.
    pub lossy_name: bool,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub images: Vec<FoundImage>,
    pub orphan_captions: Vec<String>,
    pub dir_errors: Vec<DirError>,
}

/// Parses a kohya repeat folder name (`10_alice`) into its repeat count.
pub fn kohya_repeats(dir_name: &str) -> Option<u32> {
    let (n, rest) = dir_name.split_once('_')?;
    if rest.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn rel_string(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why an image with a non-UTF-8 path is refused, and what to do, for every command to show.
pub fn lossy_name_reason(rel: &str) -> String {
    format!(
        "the file name is not valid UTF-8 (shown here as `{rel}`), so zcurate cannot name it \
         exactly; rename the file (or its folder) to UTF-8, then run `zcurate scan` again"
    )
}

/// A symbolic link whose target does not exist.
pub(crate) fn is_dangling_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

fn extension_lower(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Walks `root`. Without `recursive`, only the root and kohya repeat folders directly under
/// it are searched, which is how kohya-style trainers read a dataset.
pub fn discover(root: &Path, recursive: bool, caption_ext: &str) -> Discovery {
    let caption_ext = caption_ext.trim_start_matches('.').to_ascii_lowercase();
    let mut out = Discovery::default();
    let mut images = Vec::new();
    // Captions by (dir, stem) so an image finds its sidecar and leftovers become orphans.
    let mut captions: BTreeMap<(PathBuf, String), PathBuf> = BTreeMap::new();

    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_dir() {
                if is_hidden(&name) {
                    return false;
                }
                recursive || (e.depth() == 1 && kohya_repeats(&name).is_some())
            } else {
                true
            }
        });

    for entry in walker {
        let path = match &entry {
            Ok(e) if e.file_type().is_file() => e.path().to_owned(),
            Ok(_) => continue,
            // A link to an image that is gone is an image the user meant to have: it gets a
            // record whose error names the link's target, not a folder error.
            Err(err) if err.path().is_some_and(is_dangling_link) => {
                err.path().map(Path::to_owned).unwrap_or_default()
            }
            Err(err) => {
                let path = err.path().map_or_else(String::new, |p| rel_string(root, p));
                let message = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                out.dir_errors.push(DirError { path, message });
                continue;
            }
        };
        let Some(ext) = extension_lower(&path) else {
            continue;
        };
        let dir = path.parent().unwrap_or(root).to_owned();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ext == caption_ext && entry.is_ok() {
            captions.insert((dir, stem), path);
        } else if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
            images.push((dir, stem, path));
        }
    }

    let mut used = BTreeSet::new();
    for (dir, stem, abs) in images {
        let key = (dir, stem);
        let caption = captions.get(&key).map(|p| {
            used.insert(key.clone());
            (rel_string(root, p), p.clone())
        });
        let repeats = abs.strip_prefix(root).ok().and_then(|rel| {
            rel.parent()?
                .components()
                .rev()
                .find_map(|c| kohya_repeats(&c.as_os_str().to_string_lossy()))
        });
        let lossy_name = abs
            .strip_prefix(root)
            .map_or(abs.to_str(), Path::to_str)
            .is_none();
        out.images.push(FoundImage {
            rel: rel_string(root, &abs),
            abs,
            repeats,
            caption: caption.filter(|_| !lossy_name),
            lossy_name,
        });
    }
    out.orphan_captions = captions
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|(_, p)| rel_string(root, p))
        .collect();
    out.images.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.orphan_captions.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"x").unwrap();
    }

    #[test]
    fn kohya_folder_names() {
        assert_eq!(kohya_repeats("10_alice"), Some(10));
        assert_eq!(kohya_repeats("1_a_b"), Some(1));
        assert_eq!(kohya_repeats("alice"), None);
        assert_eq!(kohya_repeats("10_"), None);
        assert_eq!(kohya_repeats("_x"), None);
        assert_eq!(kohya_repeats("1x_a"), None);
    }

    #[test]
    fn finds_images_captions_and_repeats() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for f in [
            "a.JPG",
            "a.txt",
            "b.png",
            "orphan.txt",
            "notes.md",
            "10_zq/c.jpeg",
            "10_zq/c.txt",
            "sub/d.webp",
            ".zcurate/e.jpg",
        ] {
            touch(r, f);
        }
        let found = discover(r, false, "txt");
        let rels: Vec<_> = found.images.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, ["10_zq/c.jpeg", "a.JPG", "b.png"]);
        assert_eq!(found.images[0].repeats, Some(10));
        assert_eq!(found.images[0].caption.as_ref().unwrap().0, "10_zq/c.txt");
        assert_eq!(found.images[1].caption.as_ref().unwrap().0, "a.txt");
        assert!(found.images[2].caption.is_none());
        assert_eq!(found.orphan_captions, ["orphan.txt"]);

        let found = discover(r, true, "txt");
        let rels: Vec<_> = found.images.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, ["10_zq/c.jpeg", "a.JPG", "b.png", "sub/d.webp"]);
    }

    #[test]
    fn caption_extension_is_configurable() {
        let d = tempfile::tempdir().unwrap();
        touch(d.path(), "a.jpg");
        touch(d.path(), "a.caption");
        let found = discover(d.path(), false, ".caption");
        assert!(found.images[0].caption.is_some());
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_directory_is_reported_and_the_walk_goes_on() {
        // A symlink loop fails to read even as root, unlike a chmod-000 folder.
        let d = tempfile::tempdir().unwrap();
        touch(d.path(), "sub/a.jpg");
        std::os::unix::fs::symlink("..", d.path().join("sub/loop")).unwrap();
        let found = discover(d.path(), true, "txt");
        assert_eq!(found.dir_errors.len(), 1, "{:?}", found.dir_errors);
        assert_eq!(found.dir_errors[0].path, "sub/loop");
        assert_eq!(found.images.len(), 1);
    }
}
