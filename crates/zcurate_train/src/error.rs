use std::path::PathBuf;

/// What can stop an export or a run. Each message says what to do next.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("no manifest at {path}; create it with `zcurate scan {dir}`")]
    NoManifest { path: PathBuf, dir: String },
    #[error(
        "the manifest of {dir} is out of date ({summary}); update it with `zcurate scan {dir}`"
    )]
    Stale { dir: String, summary: String },
    #[error("the dataset has no usable image to export")]
    NoImages,
    #[error(
        "no trigger word: pass --trigger (or set `trigger` in [lint] or [caption] of zcurate.toml)"
    )]
    NoTrigger,
    #[error("invalid trigger `{0}`: it must be one line of text")]
    BadTrigger(String),
    #[error(
        "invalid --resolution {0}: it must be a multiple of {m} from {lo} to {hi}, which every trainer can bucket",
        m = crate::resolution::SAFE_MULTIPLE,
        lo = crate::resolution::RESOLUTION_RANGE.0,
        hi = crate::resolution::RESOLUTION_RANGE.1
    )]
    BadResolution(u32),
    #[error(
        "the output folder {out} and the dataset folder {dir} overlap (one is inside the other); choose an output folder outside the dataset"
    )]
    OutInsideDataset { out: PathBuf, dir: PathBuf },
    #[error(
        "{out} is not empty and was not made by `zcurate export`; choose an empty folder, or pass --overwrite to write into it (files of the same names are replaced, nothing else is touched)"
    )]
    ForeignOutput { out: PathBuf },
    #[error(
        "files changed since the last export, not overwritten: {files}; pass --overwrite to replace them"
    )]
    EditedOutput { files: String },
    #[error("path is not valid UTF-8, which trainer configs need: {0}")]
    NonUtf8Path(PathBuf),
    #[error(transparent)]
    UnsafePath(#[from] zcurate_fs::PathError),
    #[error("two images map to the same file name in the export: {0}")]
    NameClash(String),
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the trainer command `{command}`")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the previous export manifest {path} is unreadable; remove it or pass --overwrite")]
    BadMarker {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}
