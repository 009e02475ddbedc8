//! Framing classification (close-up to full-body) of an image's main subject.
//!
//! The classifier takes plain geometry (frame size and the main face's box and landmarks, as a
//! face detector reports them) and says how much of the body the frame shows, measured in head
//! heights below the chin. Method and thresholds: `docs/framing.md`.

mod classify;
mod evidence;
mod thresholds;

use serde::{Deserialize, Serialize};
use zcurate_manifest::{FramingClass, FramingEvidence, round_hundredths};

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

/// The class, how sure the classifier is, and what it measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramingResult {
    /// The framing class.
    pub class: FramingClass,
    /// 0 to 1; 0.5 means "on a class boundary".
    pub confidence: f32,
    /// The measurements behind the class.
    pub evidence: Evidence,
}

impl FramingResult {
    /// The manifest's record of this result: the class, and the evidence the manifest keeps
    /// (none for `no-face`), in hundredths.
    pub fn to_record(&self) -> zcurate_manifest::Framing {
        let e = &self.evidence;
        zcurate_manifest::Framing {
            class: self.class,
            confidence: round_hundredths(self.confidence),
            evidence: (self.class != FramingClass::NoFace).then(|| FramingEvidence {
                below_chin_heads: round_hundredths(e.below_chin_heads),
                headroom_heads: round_hundredths(e.headroom_heads),
                face_height_share: round_hundredths(e.face_height_share),
                face_area_share: round_hundredths(e.face_area_share),
                head_height_px: round_hundredths(e.head_height_px),
                boundary_distance_heads: round_hundredths(e.boundary_distance_heads),
                face_cut: e.face_cut,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_names_are_kebab_case_everywhere() {
        for class in FramingClass::ALL {
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
            assert_eq!(class.to_string().parse::<FramingClass>().unwrap(), class);
        }
        assert!("knee_up".parse::<FramingClass>().is_err());
    }

    #[test]
    fn rank_orders_the_body_classes() {
        let ranks: Vec<_> = FramingClass::BODY
            .iter()
            .map(|c| c.rank().unwrap())
            .collect();
        assert_eq!(ranks, [0, 1, 2, 3, 4]);
        assert_eq!(FramingClass::NoFace.rank(), None);
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
