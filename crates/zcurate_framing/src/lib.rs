//! Framing classification (close-up to full-body) of an image's main subject.
//!
//! The classifier takes plain geometry (frame size and the main face's box and landmarks, as a
//! face detector reports them) and says how much of the body the frame shows, measured in head
//! heights below the chin. Method and thresholds: `docs/framing.md`.

mod classify;
mod evidence;
mod thresholds;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use classify::{class_at, classify, measure};
pub use evidence::Evidence;
pub use thresholds::{FramingThresholds, ThresholdError};

/// What the classifier is told about one image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramingInput {
    /// Frame width in oriented pixels.
    pub image_width: u32,
    /// Frame height in oriented pixels.
    pub image_height: u32,
    /// The main subject's face, if a usable one was found.
    pub face: Option<FaceGeom>,
}

/// The main face's geometry, in the same oriented pixels as the frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FaceGeom {
    /// Box left edge.
    pub x: f32,
    /// Box top edge.
    pub y: f32,
    /// Box width.
    pub w: f32,
    /// Box height (a YuNet-style box runs from about the brow to the chin).
    pub h: f32,
    /// Right eye, left eye, nose tip, right mouth corner, left mouth corner (the subject's
    /// right and left), as (x, y).
    pub landmarks: Option<[[f32; 2]; 5]>,
    /// Angle of the eye line from the right eye to the left eye, degrees, y pointing down
    /// (positive turns clockwise on screen). Used only when `landmarks` is `None`: with
    /// landmarks the roll is measured from them, so a sign convention cannot drift.
    pub roll_deg: f32,
}

/// Framing class: the lowest part of the main subject's body the frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framing {
    /// Frame ends between above the chin and the base of the neck.
    CloseUp,
    /// Frame ends between the shoulders and mid-chest.
    HeadShoulders,
    /// Frame ends between mid-chest and the hips.
    UpperBody,
    /// Frame ends between the thighs and just below the knees.
    KneeUp,
    /// Shins and feet visible.
    FullBody,
    /// No usable face: nothing can be said.
    NoFace,
}

impl Framing {
    /// The five body classes, tightest first.
    pub const BODY: [Self; 5] = [
        Self::CloseUp,
        Self::HeadShoulders,
        Self::UpperBody,
        Self::KneeUp,
        Self::FullBody,
    ];

    /// The kebab-case name, as serialised.
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

impl fmt::Display for Framing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Framing {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::BODY
            .iter()
            .chain(std::iter::once(&Self::NoFace))
            .find(|c| c.as_str() == s)
            .copied()
            .ok_or_else(|| format!("unknown framing class `{s}`"))
    }
}

/// The class, how sure the classifier is, and what it measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramingResult {
    /// The framing class.
    pub class: Framing,
    /// 0 to 1; 0.5 means "on a class boundary".
    pub confidence: f32,
    /// The measurements behind the class.
    pub evidence: Evidence,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_names_are_kebab_case_everywhere() {
        for class in Framing::BODY.into_iter().chain([Framing::NoFace]) {
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
            assert_eq!(class.to_string().parse::<Framing>().unwrap(), class);
        }
        assert!("knee_up".parse::<Framing>().is_err());
    }

    #[test]
    fn rank_orders_the_body_classes() {
        let ranks: Vec<_> = Framing::BODY.iter().map(|c| c.rank().unwrap()).collect();
        assert_eq!(ranks, [0, 1, 2, 3, 4]);
        assert_eq!(Framing::NoFace.rank(), None);
    }

    #[test]
    fn result_serialises_with_its_evidence() {
        let input = FramingInput {
            image_width: 400,
            image_height: 600,
            face: None,
        };
        let r = classify(&input, &FramingThresholds::default());
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["class"], "no-face");
        assert!(json["evidence"]["below-chin-heads"].is_number());
        let back: FramingResult = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }
}
