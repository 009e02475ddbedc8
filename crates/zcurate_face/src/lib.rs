//! Face detection on ONNX models (tract by default, ONNX Runtime optional), landmarks and head angle.
//!
//! ```text
//! let det = zcurate_face::load(&DetectorConfig::new(DetectorKind::YuNet, path))?;
//! for face in det.detect(&image)? { let pose = zcurate_face::pose::estimate(&face, &PoseThresholds::default()); }
//! ```
//!
//! Three model families are supported behind one [`FaceDetector`] trait (YuNet, CenterFace,
//! RetinaFace); each has its own input layout and decoding, and all return the same
//! [`Detection`] with five landmarks in one canonical order.

mod backend;
mod config;
mod detection;
mod detector;
mod error;
pub mod expression;
mod models;
mod nms;
pub mod pose;
mod preprocess;

pub use config::{
    AdaptiveConfig, Backend, DEFAULT_DET_SIZE, DetectorConfig, DetectorKind, ORT_DYLIB_ENV,
    ort_library_from_env,
};
pub use detection::{
    CUT_TOLERANCE, Detection, EYE_TO_FACE_SIDE, cut_by_border, main_subject, touches_border,
};
pub use detector::{FaceDetector, load};
pub use error::FaceError;
pub use nms::iou;
