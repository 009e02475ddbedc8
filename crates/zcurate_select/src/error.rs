use std::path::PathBuf;

/// Why `zcurate select` could not do its job (exit 2). Problems with single images are not
/// errors: they are exclusions with a reason.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error("the manifest holds no images")]
    NoImages,
    #[error(
        "none of the {images} images has a usable face (no face, or the scan ran without face detection)"
    )]
    NoFaces { images: usize },
    #[error("`--keep {path}` and `--drop {path}`: an image cannot be both")]
    KeepAndDrop { path: String },
    #[error("`--{flag} {path}`: no such image in the source folder")]
    UnknownImage { flag: &'static str, path: String },
    #[error("`--count {count}` must be at least 1")]
    BadCount { count: usize },
    #[error("{src} is not a folder")]
    SourceNotADirectory { src: PathBuf },
    #[error("the output folder {dst} lies inside the source folder {src}")]
    OutputInsideSource { src: PathBuf, dst: PathBuf },
    #[error("{dst} exists and is not a folder")]
    OutputIsAFile { dst: PathBuf },
    #[error(
        "{dst} holds files zcurate select did not write ({files}); choose an empty or new folder, or one an earlier `zcurate select` wrote"
    )]
    ForeignFiles { dst: PathBuf, files: String },
    #[error("cannot read {path}: {message}")]
    Record { path: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot decode {path}: {message}")]
    Decode { path: PathBuf, message: String },
    #[error("cannot render the crop {path}: {message}")]
    Render { path: PathBuf, message: String },
}
