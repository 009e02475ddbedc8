use std::fmt;
use std::path::PathBuf;

/// Why captioning could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptionError {
    /// A bug: the embedded `builtin.toml` does not parse.
    #[error("the built-in caption schemas are invalid: {0}")]
    Builtin(String),
    #[error("caption schema `{schema}`: {message}")]
    Schema { schema: String, message: String },
    #[error("caption vocabulary `{vocabulary}`: {message}")]
    Vocabulary { vocabulary: String, message: String },
    #[error("unknown caption schema `{name}` (known: {known})")]
    UnknownSchema { name: String, known: String },
    /// The user's attributes have errors; every one is listed.
    #[error("{}", ProblemList(problems))]
    Attributes { problems: Vec<Problem> },
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("caption {path} is not valid UTF-8; zcurate leaves it alone")]
    NotUtf8 { path: PathBuf },
    #[error("cannot write caption {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The history could not be saved: no caption was replaced.
    #[error("cannot save the caption history {path}")]
    History {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Manifest(#[from] zcurate_manifest::ManifestError),
}

/// A located problem in the user's attribute files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file, as given.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u64>,
    /// The column (slot) name, when the problem is in one cell.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the attributes",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}
