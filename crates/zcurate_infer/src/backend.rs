//! The two inference engines ("backends" on the command line and in the manifest).

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::error::InferError;

/// An inference engine. Both run the same ONNX graphs; the agreement tests bound how far
/// their results may drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// ONNX Runtime through the `ort` crate, loaded at run time from a shared library
    /// ([`crate::load_onnx_runtime`]); never linked. About 2.4× faster than tract on the face
    /// detectors' convolutions (docs/benchmarks.md).
    Ort,
    /// tract: pure Rust, always available, nothing to fetch or load.
    Tract,
}

impl Backend {
    /// Both engines, the preferred one first.
    pub const ALL: [Backend; 2] = [Backend::Ort, Backend::Tract];

    /// The name used on the command line, in `zcurate.toml` and in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Ort => "ort",
            Backend::Tract => "tract",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = InferError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ort" | "onnxruntime" => Ok(Backend::Ort),
            "tract" => Ok(Backend::Tract),
            _ => Err(InferError::UnknownBackend(s.to_owned())),
        }
    }
}

/// The environment variable naming an ONNX Runtime shared library of the user's own.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// The library [`ORT_DYLIB_ENV`] names, when it is set and not empty.
pub fn ort_library_from_env() -> Option<PathBuf> {
    std::env::var_os(ORT_DYLIB_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print() {
        for b in Backend::ALL {
            assert_eq!(b.name().parse::<Backend>().unwrap(), b);
            assert_eq!(b.to_string(), b.name());
        }
        assert_eq!(" ONNXRuntime ".parse::<Backend>().unwrap(), Backend::Ort);
        let err = "cuda".parse::<Backend>().unwrap_err().to_string();
        assert!(err.contains("expected ort or tract"), "{err}");
    }
}
