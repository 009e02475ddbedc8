//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while loading an engine or a model, or running it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InferError {
    /// A backend name that is neither `ort` nor `tract`.
    #[error("unknown backend {0:?}; expected ort or tract")]
    UnknownBackend(String),
    /// ONNX Runtime could not be loaded (no library given, a missing file, a library that
    /// fails to load or is too old), or a session could not be made.
    #[error("ONNX Runtime: {0}")]
    OnnxRuntime(String),
    /// The model file could not be read or parsed, or lacks the inputs and outputs asked for.
    #[error("cannot load model {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    /// The input data does not fill the shape it was given with.
    #[error("input of shape {shape:?} needs {expected} values, got {got}")]
    Input {
        shape: Vec<usize>,
        expected: usize,
        got: usize,
    },
    /// Building the plan for one input shape, or running the model, failed.
    #[error("inference failed: {0}")]
    Run(String),
}
