//! Reading one member out of a wheel (zip) or an sdist (tar.gz).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::registry::Dist;

/// The archive of kind `dist` in `dir`, if there is one.
pub(crate) fn find_archive(dir: &Path, dist: Dist) -> Result<Option<PathBuf>> {
    let suffix = match dist {
        Dist::Wheel => ".whl",
        Dist::Sdist => ".tar.gz",
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read directory", dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(Error::io("read directory", dir))?.path();
        if path.is_file() && path.to_string_lossy().ends_with(suffix) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found.into_iter().next())
}

/// Reads `member` of the archive into memory. The largest member pinned is about 35 MB, and
/// reading it whole keeps archive errors apart from errors writing the cache.
pub(crate) fn read_member(archive: &Path, dist: Dist, member: &str) -> Result<Vec<u8>> {
    let bad = |message: String| Error::Archive {
        path: archive.to_path_buf(),
        message,
    };
    let file = File::open(archive).map_err(Error::io("open", archive))?;
    let mut bytes = Vec::new();
    match dist {
        Dist::Wheel => {
            let mut zip =
                zip::ZipArchive::new(BufReader::new(file)).map_err(|e| bad(e.to_string()))?;
            let mut entry = match zip.by_name(member) {
                Ok(entry) => entry,
                Err(zip::result::ZipError::FileNotFound) => return Err(missing(archive, member)),
                Err(e) => return Err(bad(e.to_string())),
            };
            entry
                .read_to_end(&mut bytes)
                .map_err(|e| bad(format!("reading `{member}`: {e}")))?;
        }
        Dist::Sdist => {
            let gz = flate2::read::GzDecoder::new(BufReader::new(file));
            let mut tar = tar::Archive::new(gz);
            let mut found = false;
            for entry in tar.entries().map_err(|e| bad(e.to_string()))? {
                let mut entry = entry.map_err(|e| bad(e.to_string()))?;
                let path = entry.path().map_err(|e| bad(e.to_string()))?;
                if path == Path::new(member) && entry.header().entry_type().is_file() {
                    entry
                        .read_to_end(&mut bytes)
                        .map_err(|e| bad(format!("reading `{member}`: {e}")))?;
                    found = true;
                    break;
                }
            }
            if !found {
                return Err(missing(archive, member));
            }
        }
    }
    Ok(bytes)
}

fn missing(archive: &Path, member: &str) -> Error {
    Error::MemberMissing {
        archive: archive.to_path_buf(),
        member: member.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn write_wheel(path: &Path) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("pkg/data.bin", options).unwrap();
        zip.write_all(b"wheel member").unwrap();
        zip.finish().unwrap();
    }

    fn write_sdist(path: &Path) {
        let gz =
            flate2::write::GzEncoder::new(File::create(path).unwrap(), flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        for (name, data) in [
            ("pkg-1.0/README", &b"readme"[..]),
            ("pkg-1.0/img/a.jpg", b"sdist member"),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, data).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }

    #[test]
    fn reads_members_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("pkg-1.0-py3-none-any.whl");
        let sdist = dir.path().join("pkg-1.0.tar.gz");
        write_wheel(&wheel);
        write_sdist(&sdist);

        assert_eq!(
            read_member(&wheel, Dist::Wheel, "pkg/data.bin").unwrap(),
            b"wheel member"
        );
        assert_eq!(
            read_member(&sdist, Dist::Sdist, "pkg-1.0/img/a.jpg").unwrap(),
            b"sdist member"
        );
        for (archive, dist) in [(&wheel, Dist::Wheel), (&sdist, Dist::Sdist)] {
            let err = read_member(archive, dist, "pkg/nope").unwrap_err();
            assert!(matches!(err, Error::MemberMissing { .. }), "{err}");
            assert!(err.to_string().contains("`pkg/nope` is missing"), "{err}");
        }

        assert_eq!(
            find_archive(dir.path(), Dist::Wheel).unwrap(),
            Some(wheel.clone())
        );
        assert_eq!(find_archive(dir.path(), Dist::Sdist).unwrap(), Some(sdist));
        assert_eq!(
            find_archive(&dir.path().join("none"), Dist::Wheel).unwrap(),
            None
        );
    }

    #[test]
    fn corrupt_archive_is_an_archive_error() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("bad.whl");
        std::fs::write(&wheel, b"not a zip").unwrap();
        let err = read_member(&wheel, Dist::Wheel, "x").unwrap_err();
        assert!(matches!(err, Error::Archive { .. }), "{err}");
        let sdist = dir.path().join("bad.tar.gz");
        std::fs::write(&sdist, b"not gzip").unwrap();
        let err = read_member(&sdist, Dist::Sdist, "x").unwrap_err();
        assert!(matches!(err, Error::Archive { .. }), "{err}");
    }
}
