//! Hand-built manifest pieces for tests of the crates that read manifests (cargo feature
//! `testing`): the scan settings of a face scan and a plausible face record, so every test
//! suite builds the same clean face set rather than its own copy.

use crate::{
    AnalysisSettings, AngleLabel, BorderContact, ColourKind, Face, FaceSettings, FaceSummary,
    Framing, FramingClass, ImageRecord, ScanSettings,
};

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

/// A decoded, sharp, well-exposed 1600 × 2000 colour photo whose one face (`face(400.0,
/// angle)`) is framed as `class`, with distinct hashes derived from `path`.
pub fn record(path: &str, class: FramingClass, angle: AngleLabel) -> ImageRecord {
    let seed = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    ImageRecord {
        path: path.to_owned(),
        bytes: 400_000,
        sha256: Some(format!("{seed:016x}").repeat(4)),
        format: Some("jpeg".to_owned()),
        width: Some(1600),
        height: Some(2000),
        phash: Some(format!("{seed:016x}")),
        sharpness: Some(300.0),
        brightness: Some(0.5),
        contrast: Some(0.2),
        clipped_dark: Some(0.0),
        clipped_bright: Some(0.0),
        luma_p05: Some(0.1),
        luma_p99: Some(0.9),
        entropy: Some(7.0),
        colourfulness: Some(0.2),
        chromatic_share: Some(0.6),
        grey: Some(false),
        faces: Some(vec![face(400.0, angle)]),
        face_summary: Some(FaceSummary {
            main: Some(0),
            others: 0,
        }),
        framing: Some(Framing {
            class,
            confidence: 0.9,
            evidence: None,
        }),
        ..ImageRecord::default()
    }
}

/// The measurements of a decoded, sharp, well-exposed `width` × `height` 8-bit colour JPEG of
/// 400 kB at `path`, with no hashes, faces or caption: the base of the test sets that make one
/// record per image and fill in what they vary (`ImageRecord { .., ..photo(..) }`).
pub fn photo(path: impl Into<String>, width: u32, height: u32) -> ImageRecord {
    ImageRecord {
        path: path.into(),
        bytes: 400_000,
        mtime_ns: Some(1),
        format: Some("jpeg".into()),
        width: Some(width),
        height: Some(height),
        colour: Some(ColourKind::Rgb),
        bits_per_channel: Some(8),
        sharpness: Some(400.0),
        brightness: Some(0.45),
        contrast: Some(0.22),
        clipped_dark: Some(0.0),
        clipped_bright: Some(0.0),
        luma_p05: Some(0.08),
        luma_p99: Some(0.95),
        entropy: Some(7.2),
        colourfulness: Some(0.2),
        chromatic_share: Some(0.8),
        grey: Some(false),
        ..ImageRecord::default()
    }
}

/// `record` with `faces` (the first one the main face) framed as `class` with confidence 0.9.
pub fn with_faces(record: ImageRecord, faces: Vec<Face>, class: FramingClass) -> ImageRecord {
    ImageRecord {
        face_summary: Some(FaceSummary {
            main: (!faces.is_empty()).then_some(0),
            others: faces.len().saturating_sub(1),
        }),
        faces: Some(faces),
        framing: Some(Framing {
            class,
            confidence: 0.9,
            evidence: None,
        }),
        ..record
    }
}
