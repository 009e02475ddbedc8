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
    #[error("cannot write CSV")]
    Csv(#[from] csv::Error),
}
