use std::path::PathBuf;

/// Why a scan could not run at all. Problems with single files are not errors: they are
/// recorded in the manifest and the scan goes on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    #[error("dataset folder {path} does not exist or is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("cannot start {jobs} worker threads")]
    ThreadPool {
        jobs: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}
