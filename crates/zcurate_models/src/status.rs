//! What is cached, for `zcurate models list`.

use std::path::PathBuf;

use crate::cache::{self, Cache, CacheState};
use crate::error::Result;
use crate::registry::{EntryKind, registry};

/// One registry entry and the state of its cached file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntryStatus {
    pub kind: EntryKind,
    pub name: String,
    /// Where the file is or would be cached.
    pub path: PathBuf,
    pub state: CacheState,
    /// SPDX-style licence id of the file.
    pub licence: String,
    /// Only fetched or used when non-commercial use is allowed.
    pub opt_in: bool,
}

impl Cache {
    /// Every model then every photo, with whether its cached file is there and verified. Hashes
    /// each cached file (once per process); never downloads.
    pub fn status(&self) -> Result<Vec<EntryStatus>> {
        registry()
            .entries()
            .map(|entry| {
                let path = self.path_of(entry);
                Ok(EntryStatus {
                    kind: entry.kind(),
                    name: entry.name().to_owned(),
                    state: cache::check(&path, entry.sha256())?,
                    path,
                    licence: entry.licence().spdx.clone(),
                    opt_in: entry.opt_in(),
                })
            })
            .collect()
    }
}

/// [`Cache::status`] of the cache of [`Cache::from_env`].
pub fn status() -> Result<Vec<EntryStatus>> {
    Cache::from_env()?.status()
}

impl Cache {
    /// Whether the file of registry entry `name` is cached and verified, hashing only that
    /// file; an unknown name or an unreadable cache is `false`.
    pub fn is_verified(&self, name: &str) -> bool {
        registry().entry(name).is_ok_and(|entry| {
            cache::check(&self.path_of(entry), entry.sha256())
                .is_ok_and(|state| state == CacheState::Verified)
        })
    }
}

/// [`Cache::is_verified`] in the cache of [`Cache::from_env`]: lets a caller say "fetching"
/// only when it will.
pub fn is_verified(name: &str) -> bool {
    Cache::from_env().is_ok_and(|cache| cache.is_verified(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_cache_lists_everything_missing() {
        let dir = tempfile::tempdir().unwrap();
        let status = Cache::at(dir.path()).status().unwrap();
        assert_eq!(
            status.len(),
            registry().models.len() + registry().photos.len()
        );
        assert!(status.iter().all(|s| s.state == CacheState::Missing));
        let arcface = status.iter().find(|s| s.name == "arcface-mbf").unwrap();
        assert!(arcface.opt_in);
        assert_eq!(arcface.licence, "LicenseRef-InsightFace-non-commercial");
        let astronaut = status.iter().find(|s| s.name == "astronaut").unwrap();
        assert_eq!(astronaut.kind, EntryKind::Photo);
        assert_eq!(astronaut.path, dir.path().join("photos/astronaut.png"));
    }

    #[test]
    fn is_verified_only_for_a_file_with_the_pinned_hash() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        assert!(!cache.is_verified("yunet"), "missing");
        assert!(!cache.is_verified("no-such-entry"), "unknown");
        let path = cache.path_of(registry().entry("yunet").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"not the model").unwrap();
        assert!(!cache.is_verified("yunet"), "wrong bytes");
    }
}
