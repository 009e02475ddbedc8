//! Face models: detection, landmarks and head angle, and identity embeddings.
//!
//! ```text
//! let det = zcurate_face::load(&DetectorConfig::new(DetectorKind::YuNet, path))?;
//! for face in det.detect(&image)? { let pose = zcurate_face::pose::estimate(&face, &PoseThresholds::default()); }
//! ```
//!
//! Three detector families are supported behind one [`FaceDetector`] trait (YuNet,
//! CenterFace, RetinaFace); each has its own input layout and decoding, and all return the
//! same [`Detection`] with five landmarks in one canonical order. [`identity::Embedder`]
//! embeds a detected face (ArcFace). Every model runs through `zcurate_infer`, on ONNX Runtime
//! or tract ([`Backend`]); its crate docs show how a new face model plugs in.

mod config;
mod detection;
mod detector;
mod error;
pub mod expression;
pub mod identity;
mod models;
mod nms;
pub mod pose;
mod preprocess;

pub use config::{
    AdaptiveConfig, DEFAULT_DET_SIZE, DetectorConfig, DetectorKind, MIN_INPUT_SIZE,
    check_input_size,
};
pub use detection::{
    CUT_TOLERANCE, Detection, EYE_TO_FACE_SIDE, cut_by_border, main_subject, touches_border,
};
pub use detector::{FaceDetector, load};
pub use error::FaceError;
pub use nms::iou;
// The engine types, re-exported so detector users need not name the inference crate.
pub use zcurate_infer::{Backend, ORT_DYLIB_ENV, ort_library_from_env};
