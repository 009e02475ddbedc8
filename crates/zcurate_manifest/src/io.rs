use std::path::{Path, PathBuf};

use crate::{Manifest, ManifestError, SCHEMA_VERSION};

/// Where a dataset's manifest lives unless `--manifest` says otherwise: a hidden folder
/// inside the dataset, so the manifest travels with the data and never collides with a
/// user's file.
pub fn default_manifest_path(root: &Path) -> PathBuf {
    root.join(".zcurate").join("manifest.json")
}

/// Reads and version-checks a manifest.
pub fn read(path: &Path) -> Result<Manifest, ManifestError> {
    #[derive(serde::Deserialize)]
    struct Head {
        schema_version: u32,
    }
    let bytes = std::fs::read(path).map_err(|source| ManifestError::Read {
        path: path.to_owned(),
        source,
    })?;
    // Check the version before the full parse so an old file gets the version message,
    // not a confusing missing-field one.
    let head: Head = serde_json::from_slice(&bytes).map_err(|source| ManifestError::Parse {
        path: path.to_owned(),
        source,
    })?;
    if head.schema_version != SCHEMA_VERSION {
        return Err(ManifestError::Version {
            path: path.to_owned(),
            found: head.schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|source| ManifestError::Parse {
            path: path.to_owned(),
            source,
        })?;
    check_paths(&manifest, path)?;
    Ok(manifest)
}

/// Every path a manifest records is a plain relative path inside the dataset. A manifest
/// travels with its dataset and can be edited, so nothing read from one may lead a command
/// to read, link or write a file elsewhere (`../outside/secret.jpg`, `/home/me/.bashrc`).
fn check_paths(manifest: &Manifest, path: &Path) -> Result<(), ManifestError> {
    // `DIR/.zcurate/manifest.json`: the dataset is two levels up (for the message only).
    let root = path
        .parent()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fields = manifest.images.iter().enumerate().flat_map(|(i, r)| {
        [
            ("path", Some(&r.path)),
            ("caption_path", r.caption_path.as_ref()),
        ]
        .into_iter()
        .filter_map(move |(field, p)| p.map(|p| (i, field, p)))
    });
    let orphans = manifest
        .orphan_captions
        .iter()
        .map(|p| (usize::MAX, "orphan_captions", p));
    for (i, field, rel) in fields.chain(orphans) {
        zcurate_fs::confined(root, rel, || {
            if i == usize::MAX {
                format!("its `{field}` list")
            } else {
                format!(
                    "record {} (`{}`) field `{field}`",
                    i + 1,
                    manifest.images[i].path
                )
            }
        })
        .map_err(|source| ManifestError::UnsafePath {
            path: path.to_owned(),
            source,
        })?;
    }
    Ok(())
}

/// Writes a manifest through a temporary file and a rename ([`zcurate_fs::write_atomic`]),
/// so a crash never leaves a half-written manifest behind.
pub fn write_atomic(path: &Path, manifest: &Manifest) -> Result<(), ManifestError> {
    let err = |source| ManifestError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let mut text = serde_json::to_vec_pretty(manifest).map_err(|e| err(e.into()))?;
    text.push(b'\n');
    zcurate_fs::write_atomic(path, &text).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisSettings, ScanSettings};

    fn settings() -> ScanSettings {
        ScanSettings {
            recursive: false,
            caption_ext: "txt".into(),
            analysis_version: 1,
            analysis: AnalysisSettings {
                // Values with long decimal expansions: a re-scan compares settings for
                // equality, so they must survive JSON exactly (serde_json float_roundtrip).
                clip_dark_max: 2.0 / 255.0,
                clip_bright_min: 253.0 / 255.0,
                grey_chroma_tolerance: 12.0 / 255.0,
                grey_max_chromatic_share: 0.02,
            },
            faces: None,
        }
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/manifest.json");
        let mut m = Manifest::new("data", settings());
        m.images.push(crate::ImageRecord {
            path: "a.jpg".into(),
            bytes: 3,
            ..Default::default()
        });
        write_atomic(&path, &m).unwrap();
        assert_eq!(read(&path).unwrap(), m);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn wrong_version_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, r#"{"schema_version": 999}"#).unwrap();
        let e = read(&path).unwrap_err();
        assert!(e.to_string().contains("schema version 999"), "{e}");
    }

    #[test]
    fn paths_leading_outside_the_dataset_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ds/.zcurate/manifest.json");
        for (field, bad) in [
            ("path", "../outside/secret.jpg"),
            ("caption_path", "/etc/x.txt"),
        ] {
            let mut m = Manifest::new("ds", settings());
            let mut r = crate::ImageRecord {
                path: "a.jpg".into(),
                ..Default::default()
            };
            match field {
                "path" => r.path = bad.into(),
                _ => r.caption_path = Some(bad.into()),
            }
            m.images.push(r);
            write_atomic(&path, &m).unwrap();
            let e = read(&path).unwrap_err().to_string();
            assert!(e.contains(&format!("field `{field}` names `{bad}`")), "{e}");
        }
    }

    #[test]
    fn garbage_is_a_parse_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, "not json").unwrap();
        assert!(matches!(read(&path), Err(ManifestError::Parse { .. })));
    }
}
