/// Why linting could not run. Per-image problems are findings, never errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LintError {
    /// Invalid lint configuration (a profile, a selector, a threshold), with the reason.
    #[error("{0}")]
    Config(String),
    /// A `[lint.per-file-ignores]` glob does not parse.
    #[error("invalid glob `{glob}` in [lint.per-file-ignores]")]
    Glob {
        glob: String,
        #[source]
        source: globset::Error,
    },
}
