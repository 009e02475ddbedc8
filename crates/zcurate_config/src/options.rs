use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};
use zcurate_crop::{Aspect, OutputFormat, PadMode, Rgb};
use zcurate_face::{Backend, DetectorKind};
use zcurate_manifest::FramingClass;

/// Reads a value written as text through its type's `FromStr`, so that a bad value is a
/// parse error of the file, located at its line and saying what is accepted.
fn parsed<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    Option::<String>::deserialize(d)?
        .map(|s| s.parse().map_err(serde::de::Error::custom))
        .transpose()
}

/// The contents of `zcurate.toml`. Every field is optional: what is absent falls back to
/// flags, environment or built-in defaults.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// `[scan]`: how datasets are found and analysed.
    pub scan: Option<ScanOptions>,
    /// `[faces]`: face detection.
    pub faces: Option<FaceOptions>,
    /// `[framing]`: framing classifier thresholds (see docs/framing.md).
    pub framing: Option<zcurate_framing::FramingThresholds>,
    /// `[caption]`: caption schemas, trigger and class word (see docs/captions.md).
    pub caption: Option<zcurate_caption::CaptionOptions>,
    /// `[lint]`: rule selection, severities, per-file ignores, thresholds (see docs/lint.md).
    pub lint: Option<zcurate_lint::LintOptions>,
    /// `[profile.NAME]`: custom lint profiles, or changes to the built-in `face` and
    /// `character` ones.
    pub profile: Option<std::collections::BTreeMap<String, zcurate_lint::ProfileOptions>>,
    /// `[plan]`: the training run the dataset is for, checked by the `PLAN` lint rules.
    pub plan: Option<zcurate_lint::PlanOptions>,
    /// `[crop]`: defaults of `zcurate crop` (see docs/crop.md); its flags win.
    pub crop: Option<CropDefaults>,
    /// `[evaluate]`: thresholds of `zcurate evaluate` (see docs/evaluate.md); its flags win.
    pub evaluate: Option<EvaluateDefaults>,
}

/// `[evaluate]` table: each key is the `zcurate evaluate` flag of the same name. The
/// identity threshold is the lint profile's `min-identity-similarity`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EvaluateDefaults {
    /// Largest share of neutral-prompt faces that may pass as the subject. Default 0.2.
    pub max_bleed: Option<f64>,
    /// Smallest share of trigger samples that must show the subject. Default 0.5.
    pub min_activation: Option<f64>,
    /// A later checkpoint must beat an earlier one's likeness by more than this. Default 0.02.
    pub likeness_tolerance: Option<f64>,
}

/// `[crop]` table: each key is the `zcurate crop` flag of the same name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CropDefaults {
    /// Framing class to crop to: `close-up` (default), `head-shoulders`, `upper-body`,
    /// `knee-up`, `full-body`.
    pub framing: Option<FramingClass>,
    /// Output aspect ratio `W:H`. Default `1:1`.
    #[serde(default, deserialize_with = "parsed")]
    pub aspect: Option<Aspect>,
    /// Long side of the output, pixels. Default 1024.
    pub size: Option<u32>,
    /// Both output sides are multiples of this. Default 64 (16 suits Z-Image buckets).
    pub multiple: Option<u32>,
    /// `jpg` (default), `png` or `webp`.
    #[serde(default, deserialize_with = "parsed")]
    pub format: Option<OutputFormat>,
    /// JPEG quality, 1 to 100. Default 95.
    pub quality: Option<u8>,
    /// Skip faces whose box is shorter than this many source pixels. Default 0.
    pub min_face: Option<f32>,
    /// Enlarge crops smaller than `size`. Default false.
    pub allow_upscale: Option<bool>,
    /// Rotate each crop so that the eye line is level. Default false.
    pub level_eyes: Option<bool>,
    /// Fill what lies outside the photo: `reflect`, `blur` or `colour`. Default: none (the
    /// crop is moved or shrunk instead).
    pub pad: Option<PadMode>,
    /// Colour for `pad = "colour"`, as `RRGGBB`. Default `808080`.
    #[serde(default, deserialize_with = "parsed")]
    pub pad_colour: Option<Rgb>,
    /// Space below the chin and above the head per framing class, and the side margin
    /// (`[crop.composition]`, see docs/crop.md).
    pub composition: Option<zcurate_crop::Composition>,
}

/// `[scan]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanOptions {
    /// Search sub-folders too (kohya `N_name` folders are always searched). Default false.
    pub recursive: Option<bool>,
    /// Caption sidecar extension without the dot. Default `txt`.
    pub caption_ext: Option<String>,
    /// Worker threads. Default: one per core.
    pub jobs: Option<usize>,
    /// Luma (0 to 1) at or below which a pixel counts as clipped dark.
    pub clip_dark_max: Option<f64>,
    /// Luma (0 to 1) at or above which a pixel counts as clipped bright.
    pub clip_bright_min: Option<f64>,
    /// Channel spread (0 to 1) above which a pixel counts as chromatic.
    pub grey_chroma_tolerance: Option<f64>,
    /// Largest share of chromatic pixels for which an image is still grey.
    pub grey_max_chromatic_share: Option<f64>,
}

/// `[faces]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FaceOptions {
    /// Detector family: `yunet` (default), `centerface`, `retinaface`.
    #[serde(default, deserialize_with = "parsed")]
    pub detector: Option<DetectorKind>,
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
    /// Longest side of the adaptive first pass. Default 320: YuNet still finds faces of about
    /// 20 px there, at about a third of the cost of 640.
    pub first_pass: Option<u32>,
    /// Retry at `det-size` when the largest face found by the first pass is smaller than this
    /// share of the image's longest side (or none was found). Default 0.1.
    pub retry_below_face_ratio: Option<f32>,
    /// Inference backend: `ort` (ONNX Runtime) or `tract`. Unset: ONNX Runtime, falling back
    /// to tract (with a note) where it cannot be had; named: that one or an error.
    #[serde(default, deserialize_with = "parsed")]
    pub backend: Option<Backend>,
    /// Classify the main face's expression (the `fer` model) for the caption's expression
    /// slot. Default true.
    pub expression: Option<bool>,
}
