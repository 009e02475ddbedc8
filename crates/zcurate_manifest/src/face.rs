use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One detected face, in EXIF-oriented pixels of the full image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Face {
    /// `[x, y, w, h]` of the face box.
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    /// Detector confidence, 0 to 1.
    pub score: f32,
    /// Five points `[x, y]`: subject's right eye (image left), left eye, nose tip, right
    /// mouth corner, left mouth corner.
    pub landmarks: [[f32; 2]; 5],
    /// Eye-line angle in degrees (positive: clockwise in the image); null when the eyes
    /// are too close together to measure.
    pub roll_deg: Option<f32>,
    /// Yaw proxy: horizontal nose offset from the eye midpoint in inter-eye distances
    /// (about 0 frontal, ±0.3 three-quarter, beyond ±0.45 profile).
    pub yaw: Option<f32>,
    /// Head angle label from the yaw proxy; null when the landmarks cannot support one.
    pub angle: Option<AngleLabel>,
    /// Pitch hint, when the landmarks support one.
    pub pitch: Option<Pitch>,
    /// Face box height in pixels.
    pub height_px: f32,
    /// Laplacian variance inside the face box on a fixed-size grey resample.
    pub sharpness: f64,
    /// Whether the box touches the image border or is cut by it.
    pub border: BorderContact,
    /// Facial expression probabilities of the main face, from the expression model; absent
    /// for other faces and when the model did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<FaceExpression>,
}

/// Class probabilities of a facial-expression classifier (they sum to 1), and the model that
/// gave them: probabilities of another model are stale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FaceExpression {
    /// sha256 of the model file.
    pub model_sha256: String,
    pub angry: f32,
    pub disgust: f32,
    pub fear: f32,
    pub happy: f32,
    pub sad: f32,
    pub surprise: f32,
    pub neutral: f32,
}

impl FaceExpression {
    /// From the 7 probabilities in the model's class order (angry, disgust, fear, happy,
    /// sad, surprise, neutral).
    pub fn from_probabilities(model_sha256: &str, p: [f32; 7]) -> Self {
        Self {
            model_sha256: model_sha256.to_owned(),
            angry: p[0],
            disgust: p[1],
            fear: p[2],
            happy: p[3],
            sad: p[4],
            surprise: p[5],
            neutral: p[6],
        }
    }
}

/// Head angle, seen from the camera (left = the subject's face turns toward image left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AngleLabel {
    Front,
    ThreeQuarterLeft,
    ThreeQuarterRight,
    ProfileLeft,
    ProfileRight,
}

impl AngleLabel {
    pub const ALL: [AngleLabel; 5] = [
        Self::Front,
        Self::ThreeQuarterLeft,
        Self::ThreeQuarterRight,
        Self::ProfileLeft,
        Self::ProfileRight,
    ];

    /// The kebab-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::ThreeQuarterLeft => "three-quarter-left",
            Self::ThreeQuarterRight => "three-quarter-right",
            Self::ProfileLeft => "profile-left",
            Self::ProfileRight => "profile-right",
        }
    }
}

/// Head pitch hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Pitch {
    Up,
    Level,
    Down,
}

impl Pitch {
    pub const ALL: [Pitch; 3] = [Self::Up, Self::Level, Self::Down];

    /// The kebab-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Level => "level",
            Self::Down => "down",
        }
    }
}

/// How a face box meets the image border.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BorderContact {
    /// Clear of every edge.
    Inside,
    /// Within a few pixels of an edge.
    Touches,
    /// The face extends past the edge.
    Cut,
}

/// Which face is the main subject and how many others there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FaceSummary {
    /// Index into `faces` of the largest confident face, or null when there is none.
    pub main: Option<usize>,
    /// Number of confident faces other than the main one.
    pub others: usize,
}

/// Framing class of an image's main subject, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Framing {
    pub class: FramingClass,
    /// 0 to 1; low near a class boundary or when the evidence disagrees.
    pub confidence: f32,
    /// The measurements the class was decided from; null for `no-face`.
    pub evidence: Option<FramingEvidence>,
}

/// Framing classes, by the lowest part of the body the frame shows (see `docs/framing.md`).
// The one framing type: `zcurate_framing` classifies into it, crop and select aim at it, and
// `zcurate crop --framing` parses it (the `clap` feature; `no-face` is no crop target). Notes
// here and on the variants are plain comments: doc comments would change the generated JSON
// Schema and the `--framing` help.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum FramingClass {
    // Frame ends between above the chin and the base of the neck.
    CloseUp,
    // Frame ends between the shoulders and mid-chest.
    HeadShoulders,
    // Frame ends between mid-chest and the hips.
    UpperBody,
    // Frame ends between the thighs and just below the knees.
    KneeUp,
    // Shins and feet visible.
    FullBody,
    // No usable face: nothing can be said.
    #[cfg_attr(feature = "clap", value(skip))]
    NoFace,
}

impl FramingClass {
    pub const ALL: [FramingClass; 6] = [
        Self::CloseUp,
        Self::HeadShoulders,
        Self::UpperBody,
        Self::KneeUp,
        Self::FullBody,
        Self::NoFace,
    ];

    /// The five body classes, tightest first.
    pub const BODY: [Self; 5] = [
        Self::CloseUp,
        Self::HeadShoulders,
        Self::UpperBody,
        Self::KneeUp,
        Self::FullBody,
    ];

    /// The kebab-case name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CloseUp => "close-up",
            Self::HeadShoulders => "head-shoulders",
            Self::UpperBody => "upper-body",
            Self::KneeUp => "knee-up",
            Self::FullBody => "full-body",
            Self::NoFace => "no-face",
        }
    }

    /// Position on the close-up (0) to full-body (4) scale; `None` for `no-face`. Lets
    /// callers measure how many classes apart two answers are.
    pub fn rank(self) -> Option<u8> {
        Self::BODY.iter().position(|c| *c == self).map(|i| i as u8)
    }
}

/// Measurements behind a framing class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FramingEvidence {
    /// Visible extent of the frame below the chin, in head heights.
    pub below_chin_heads: f32,
    /// Space above the top of the head, in head heights.
    pub headroom_heads: f32,
    /// Face box height over image height.
    pub face_height_share: f32,
    /// Face box area over image area.
    pub face_area_share: f32,
    /// Estimated head height (top of skull to chin) in pixels.
    pub head_height_px: f32,
    /// Distance to the nearest class boundary, in head heights (small: low confidence).
    pub boundary_distance_heads: f32,
    /// The face itself is cut by the frame.
    pub face_cut: bool,
}

/// `Display` and `FromStr` by the kebab-case names files use (`as_str`, over `ALL`).
macro_rules! kebab_names {
    ($($ty:ident: $what:literal),* $(,)?) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| format!("unknown {} `{s}`", $what))
            }
        }
    )*};
}

kebab_names!(AngleLabel: "angle", Pitch: "pitch", FramingClass: "framing class");
