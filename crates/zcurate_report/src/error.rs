use std::path::PathBuf;

/// Why a report could not be written. A single image that cannot be turned into a thumbnail
/// is not an error: the page shows it with the reason instead.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start {jobs} thumbnail threads")]
    Threads {
        jobs: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}
