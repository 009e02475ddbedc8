use std::path::PathBuf;

/// Why a manifest could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    #[error("cannot read manifest {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("manifest {path} is not valid JSON for this zcurate version: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "manifest {path} has schema version {found}, this zcurate reads version {supported}; re-run `zcurate scan`"
    )]
    Version {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cannot write manifest {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A record names a file outside the dataset: the manifest was edited or crafted.
    #[error("manifest {path}: {source}; remove the manifest and run `zcurate scan` to rebuild it")]
    UnsafePath {
        path: PathBuf,
        #[source]
        source: zcurate_fs::PathError,
    },
    #[error("cannot write CSV")]
    Csv(#[from] csv::Error),
}
