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
    #[error(
        "{} is inside the dataset {}; write the report elsewhere, or under its .zcurate/ folder",
        out.display(),
        root.display()
    )]
    OutInsideDataset { out: PathBuf, root: PathBuf },
    #[error(
        "{} exists and is not a report zcurate wrote; remove it or choose another --out",
        out.display()
    )]
    OutNotOurs { out: PathBuf },
    #[error("{} is not a file; --out names the report file to write", out.display())]
    OutNotAFile { out: PathBuf },
    #[error("cannot start {jobs} thumbnail threads")]
    Threads {
        jobs: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}
