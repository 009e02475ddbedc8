use std::path::PathBuf;

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("cannot read config file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid config file {}{}:\n{message}", path.display(), key.as_ref().map(|k| format!(" ({k})")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        /// The key the error is at, as `[crop] framing`, when it can be told.
        key: Option<String>,
        message: String,
    },
}
