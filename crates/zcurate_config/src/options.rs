use serde::{Deserialize, Serialize};

/// The contents of `zcurate.toml`. Every field is optional: what is absent falls back to
/// flags, environment or built-in defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// `[scan]`: how datasets are found and analysed.
    pub scan: Option<ScanOptions>,
    /// `[faces]`: face detection.
    pub faces: Option<FaceOptions>,
}

/// `[scan]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanOptions {
    /// Search sub-folders too (kohya `N_name` folders are always searched). Default false.
    pub recursive: Option<bool>,
    /// Caption sidecar extension without the dot. Default `txt`.
    pub caption_ext: Option<String>,
    /// Worker threads. Default: one per core.
    pub jobs: Option<usize>,
    /// Colourfulness below which an image counts as grey. Default 0.05.
    pub grey_colourfulness: Option<f64>,
}

/// `[faces]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FaceOptions {
    /// Detector family: `yunet` (default), `centerface`, `retinaface`.
    pub detector: Option<String>,
    /// A custom ONNX file of the detector's family instead of the pinned one.
    pub model: Option<std::path::PathBuf>,
    /// Longest side for detection, padded to a multiple of 32. Default 640.
    pub det_size: Option<u32>,
    /// Minimum detector score.
    pub score_threshold: Option<f32>,
    /// IoU above which overlapping boxes are merged.
    pub nms_iou: Option<f32>,
    /// Run a small first pass and retry at full size only when faces are small or missing.
    pub adaptive: Option<bool>,
}
