//! Hand-built manifest pieces for tests of the crates that read manifests (cargo feature
//! `testing`): the scan settings of a face scan and a plausible face record, so every test
//! suite builds the same clean face set rather than its own copy.

use crate::{AnalysisSettings, AngleLabel, BorderContact, Face, FaceSettings, ScanSettings};

/// The angles a clean test set cycles through.
pub const ANGLES: [AngleLabel; 3] = [
    AngleLabel::Front,
    AngleLabel::ThreeQuarterLeft,
    AngleLabel::ThreeQuarterRight,
];

/// Expressions a clean test set's captions cycle through.
pub const EXPRESSIONS: [&str; 5] = [
    "smiling",
    "neutral expression",
    "laughing",
    "serious",
    "soft smile",
];

/// Settings of a default scan with YuNet faces (the model hash is a placeholder).
pub fn scan_settings() -> ScanSettings {
    ScanSettings {
        recursive: false,
        caption_ext: "txt".into(),
        analysis_version: 1,
        analysis: AnalysisSettings {
            clip_dark_max: 2.0 / 255.0,
            clip_bright_min: 253.0 / 255.0,
            grey_chroma_tolerance: 12.0 / 255.0,
            grey_max_chromatic_share: 0.02,
        },
        faces: Some(FaceSettings {
            detector: "yunet".into(),
            model_sha256: "0".repeat(64),
            backend: "tract".into(),
            det_size: 640,
            score_threshold: 0.6,
            nms_iou: 0.3,
            adaptive: true,
            first_pass: 320,
            retry_below_face_ratio: 0.1,
            framing_key: "test".into(),
        }),
    }
}

/// A sharp, confident face `h` px tall, centred on x = 512 at y = 300, with landmarks.
pub fn face(h: f32, angle: AngleLabel) -> Face {
    let (x, y, w) = (512.0 - h * 0.4, 300.0, h * 0.8);
    Face {
        bbox: [x, y, w, h],
        score: 0.95,
        landmarks: [
            [x + w * 0.3, y + h * 0.4],
            [x + w * 0.7, y + h * 0.4],
            [x + w * 0.5, y + h * 0.6],
            [x + w * 0.35, y + h * 0.8],
            [x + w * 0.65, y + h * 0.8],
        ],
        roll_deg: Some(0.0),
        yaw: Some(0.0),
        angle: Some(angle),
        pitch: None,
        height_px: h,
        sharpness: 300.0,
        border: BorderContact::Inside,
        expression: None,
    }
}
