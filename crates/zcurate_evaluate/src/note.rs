//! Findings about single samples and the run (a sample that matches no prompt, an image
//! that cannot be read, an edited config): the evaluation goes on without them and says so.

use std::fmt::Write;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub level: Level,
    pub message: String,
}

impl Note {
    pub fn info(message: impl Into<String>) -> Self {
        Self {
            level: Level::Info,
            message: message.into(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            message: message.into(),
        }
    }
}

/// Items shown in one message before "and N more".
const LISTED: usize = 5;

/// `a, b, c and 4 more`.
pub(crate) fn list(items: &[impl AsRef<str>]) -> String {
    let shown: Vec<&str> = items.iter().take(LISTED).map(AsRef::as_ref).collect();
    let mut s = shown.join(", ");
    if items.len() > LISTED {
        let _ = write!(s, " and {} more", items.len() - LISTED);
    }
    s
}
