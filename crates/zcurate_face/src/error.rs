//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while loading a face model or running it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FaceError {
    /// The model file could not be read or parsed, or is not a model of the configured family.
    #[error("cannot load face model {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    /// Building the optimised plan for one input shape, or running it, failed.
    #[error("face model inference failed: {0}")]
    Inference(String),
    /// The model ran but its outputs do not have the layout its family needs.
    #[error("unexpected output from the {model} model: {reason}")]
    Output { model: &'static str, reason: String },
    /// The configuration cannot work (e.g. a zero detection size).
    #[error("invalid face detector configuration: {0}")]
    Config(String),
    /// The image could not be prepared for the model.
    #[error("cannot prepare the image for face detection: {0}")]
    Image(String),
    /// A Keras model file could not be converted to ONNX (the expression model).
    #[error("cannot convert the Keras model: {0}")]
    Convert(String),
    /// A backend that this build or machine does not provide.
    #[error("face detection backend unavailable: {0}")]
    Backend(String),
}

impl From<zcurate_infer::InferError> for FaceError {
    fn from(e: zcurate_infer::InferError) -> Self {
        use zcurate_infer::InferError as E;
        match e {
            E::Load { path, reason } => FaceError::Load { path, reason },
            E::Run(reason) => FaceError::Inference(reason),
            E::OnnxRuntime(_) | E::UnknownBackend(_) => FaceError::Backend(e.to_string()),
            other => FaceError::Inference(other.to_string()),
        }
    }
}
