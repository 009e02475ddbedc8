//! Errors that stop a crop run. Per-image problems are not errors: they are recorded in the
//! output manifest and the run goes on.

use std::path::PathBuf;

/// Why a crop run could not start or had to stop.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CropError {
    #[error("the source folder {} does not exist or is not a folder", path.display())]
    SourceNotADirectory { path: PathBuf },
    #[error("the output path {} is a file, not a folder", path.display())]
    DestinationIsAFile { path: PathBuf },
    #[error(
        "the output folder {} is inside the source folder {}: crops would be mixed with the originals; choose a folder outside it",
        dst.display(),
        src.display()
    )]
    DestinationInsideSource { src: PathBuf, dst: PathBuf },
    #[error("the preview {} would be written inside the source folder {}", path.display(), src.display())]
    PreviewInsideSource { src: PathBuf, path: PathBuf },
    #[error("cannot create the output folder {}", path.display())]
    CreateDestination {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to the output folder {}", path.display())]
    DestinationNotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode {}: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    #[error("cannot start {jobs} worker threads")]
    ThreadPool {
        jobs: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// Another zcurate is writing the output folder.
    #[error(transparent)]
    Locked(#[from] zcurate_fs::LockError),
    #[error("invalid crop options: {0}")]
    Options(#[from] crate::options::OptionsError),
}
