use std::path::PathBuf;

/// Why a run could not be evaluated at all (exit 2). Problems with single samples are
/// [`Note`](crate::Note)s instead: the rest is still scored.
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    #[error("{} is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the export record {}: {reason}", path.display())]
    BadRecord { path: PathBuf, reason: String },
    #[error("cannot read the prompts in {}: {reason}", path.display())]
    BadPrompts { path: PathBuf, reason: String },
    #[error("{0}")]
    NoPrompts(String),
    /// The trainer writes no samples during training (diffusion-pipe), or zcurate does not
    /// know where it does.
    #[error("{0}")]
    NoSampling(String),
    #[error("no sample images found in {}; {hint}", path.display())]
    NoSamples { path: PathBuf, hint: String },
    #[error("{} holds sample images in more than one layout ({found}); choose one with --layout", path.display())]
    AmbiguousLayout { path: PathBuf, found: String },
    #[error("none of the {found} sample images matches a prompt: {why}")]
    NothingPaired { found: usize, why: String },
    #[error("{0}")]
    NoCentre(String),
    #[error("nothing could be scored: {0}")]
    NothingScored(String),
}
