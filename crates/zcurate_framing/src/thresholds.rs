//! Every number the classifier uses, each with the reason for its default.
//!
//! Values in "head heights" count from the chin down along the body axis; a head height is top
//! of skull to chin (the figure-drawing unit). `docs/framing.md` explains each one.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Configurable thresholds of the framing classifier. Partial configs fill the rest from
/// [`Default`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct FramingThresholds {
    // --- class boundaries, head heights below the chin ---
    /// `close-up` ends here. Default 0.30: on the reference photos the base of the neck sits
    /// 0.11–0.27 head heights below the chin (mean 0.18) and the shoulder line 0.16–0.42
    /// (mean 0.28, leaving out a hunched back and a spacesuit); the figure-drawing prior puts
    /// the shoulders at 0.3–0.5.
    pub close_up_max_heads: f32,
    /// `head-shoulders` ends here. Default 1.10: the prior puts the chest at about 1 head
    /// height, the reference photos mid-chest at 0.73–1.02 (bulky clothes push it lower, 1.39
    /// in a spacesuit); the slack keeps chest-cut frames, which are face-dominant, out of the
    /// few `upper-body` images a face set wants.
    pub head_shoulders_max_heads: f32,
    /// `upper-body` ends here. Default 3.0: the prior's crotch; on the standing reference
    /// photos the waist sits at 2.0–2.5, the hips at 2.4–2.8, the crotch at 2.9–3.4. Below
    /// it the frame shows thighs, i.e. `knee-up`.
    pub upper_body_max_heads: f32,
    /// `knee-up` ends here. Default 5.5: the prior's knees at 5 and feet at 7; "just below
    /// the knees" is still `knee-up`, shins mean `full-body`.
    pub knee_up_max_heads: f32,

    // --- head scale and chin from the face box and landmarks ---
    /// Face box height / head height. Default 0.85: YuNet boxes run from about the hairline to
    /// just below the chin; 0.78–0.93 (mean 0.85) on the ten reference faces.
    pub box_to_head: f32,
    /// Chin below the box bottom, in box heights (negative: above). Default -0.03: YuNet box
    /// bottoms sit on the chin or a little below it (-0.08 to +0.02 on the reference faces).
    pub chin_below_box: f32,
    /// Eye-midpoint to mouth-midpoint distance (along the face axis) / head height. Default
    /// 0.30: canon proportions put the eyes at half the head and the mouth at about four
    /// fifths; YuNet landmarks on the reference faces give 0.28–0.34 (mean 0.30).
    pub eye_mouth_to_head: f32,
    /// Chin below the mouth midpoint, in eye-to-mouth distances. Default 0.68: 0.61–0.89 on
    /// the reference faces (mean 0.69; an open mouth or a raised head moves it).
    pub chin_below_mouth: f32,
    /// Inter-eye distance / eye-to-mouth distance below which the eye line is too short to
    /// give the roll, and the eye-to-mouth axis gives it instead. Default 0.5: frontal faces
    /// measure about 1.1, a three-quarter view 0.85, the profile in camera.png 0.26 (the
    /// hidden eye is put a few pixels from the visible one).
    pub profile_eye_ratio: f32,
    /// Weight of the landmark estimate against the box estimate, 0 to 1. Default 0.6: both
    /// scatter about 6 % on the reference faces, but the eye-to-mouth distance does not move
    /// with hair, hats or a box cut by the frame, so it gets the larger share.
    pub landmark_weight: f32,

    // --- confidence ---
    /// Absolute half-width of the uncertain band around a boundary, head heights. Default 0.15:
    /// the landmarks that define the boundaries vary about this much between people (neck base
    /// 0.11–0.27), so a frame this close to a boundary is ambiguous even to a person.
    pub boundary_margin_heads: f32,
    /// Relative half-width of the uncertain band, as a share of the extent. Default 0.10: the
    /// scale error grows with distance from the face (a 10% scale error moves the feet 0.7
    /// head heights).
    pub boundary_margin_relative: f32,
    /// Headroom (space above the head, head heights) of a typical frame, used to turn the face
    /// height share into an independent extent. Default 0.3: a usual portrait frame.
    pub nominal_headroom_heads: f32,
    /// Confidence factor when the face share implies a different class than the extent.
    /// Default 0.8: a wide background or unusual headroom, not necessarily an error.
    pub share_disagreement_factor: f32,
    /// Landmark and box head heights disagreeing by more than this ratio (larger / smaller
    /// minus one) lower the confidence. Default 0.25: pitched or half-occluded faces.
    pub scale_disagreement_tolerance: f32,
    /// Confidence factor when the two head-height estimates disagree. Default 0.8: a warning,
    /// not proof of an error.
    pub scale_disagreement_factor: f32,

    // --- usable face ---
    /// Faces smaller than this (box height, pixels) count as `no-face`. Default 8: below it
    /// landmarks are noise and the head height is a guess.
    pub min_face_height_px: f32,
}

impl Default for FramingThresholds {
    fn default() -> Self {
        Self {
            close_up_max_heads: 0.30,
            head_shoulders_max_heads: 1.10,
            upper_body_max_heads: 3.0,
            knee_up_max_heads: 5.5,
            box_to_head: 0.85,
            chin_below_box: -0.03,
            eye_mouth_to_head: 0.30,
            chin_below_mouth: 0.68,
            profile_eye_ratio: 0.5,
            landmark_weight: 0.6,
            boundary_margin_heads: 0.15,
            boundary_margin_relative: 0.10,
            nominal_headroom_heads: 0.3,
            share_disagreement_factor: 0.8,
            scale_disagreement_tolerance: 0.25,
            scale_disagreement_factor: 0.8,
            min_face_height_px: 8.0,
        }
    }
}

impl FramingThresholds {
    /// The four class boundaries, tightest first.
    pub fn boundaries(&self) -> [f32; 4] {
        [
            self.close_up_max_heads,
            self.head_shoulders_max_heads,
            self.upper_body_max_heads,
            self.knee_up_max_heads,
        ]
    }

    /// Checks that the values make sense together (a config file may set any of them).
    pub fn validate(&self) -> Result<(), ThresholdError> {
        let b = self.boundaries();
        if b.iter().any(|v| !v.is_finite()) || !b.windows(2).all(|w| w[0] < w[1]) {
            return Err(ThresholdError(
                "class boundaries must be finite and increase from close-up to knee-up".into(),
            ));
        }
        let positive = [
            ("box-to-head", self.box_to_head),
            ("eye-mouth-to-head", self.eye_mouth_to_head),
            ("boundary-margin-heads", self.boundary_margin_heads),
        ];
        for (name, v) in positive {
            if !(v.is_finite() && v > 0.0) {
                return Err(ThresholdError(format!("{name} must be positive, got {v}")));
            }
        }
        let unit = [
            ("landmark-weight", self.landmark_weight),
            ("share-disagreement-factor", self.share_disagreement_factor),
            ("scale-disagreement-factor", self.scale_disagreement_factor),
        ];
        for (name, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(ThresholdError(format!(
                    "{name} must be within 0..=1, got {v}"
                )));
            }
        }
        let non_negative = [
            ("chin-below-mouth", self.chin_below_mouth),
            ("profile-eye-ratio", self.profile_eye_ratio),
            ("boundary-margin-relative", self.boundary_margin_relative),
            (
                "scale-disagreement-tolerance",
                self.scale_disagreement_tolerance,
            ),
            ("min-face-height-px", self.min_face_height_px),
        ];
        for (name, v) in non_negative {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ThresholdError(format!(
                    "{name} must be zero or more, got {v}"
                )));
            }
        }
        if !(self.chin_below_box.is_finite() && self.nominal_headroom_heads.is_finite()) {
            return Err(ThresholdError(
                "chin-below-box and nominal-headroom-heads must be finite".into(),
            ));
        }
        Ok(())
    }
}

/// A threshold set that cannot work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdError(String);

impl fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid framing thresholds: {}", self.0)
    }
}

impl std::error::Error for ThresholdError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_ordered() {
        let t = FramingThresholds::default();
        t.validate().unwrap();
        assert_eq!(t.boundaries(), [0.30, 1.10, 3.0, 5.5]);
    }

    #[test]
    fn partial_config_fills_in_defaults_and_rejects_unknown_keys() {
        let t: FramingThresholds =
            toml::from_str("knee-up-max-heads = 6.0\nlandmark-weight = 1.0").unwrap();
        assert_eq!(t.knee_up_max_heads, 6.0);
        assert_eq!(t.landmark_weight, 1.0);
        assert_eq!(t.box_to_head, FramingThresholds::default().box_to_head);
        assert!(toml::from_str::<FramingThresholds>("knee_up_max_heads = 6.0").is_err());
    }

    #[test]
    fn round_trips_through_json() {
        let t = FramingThresholds::default();
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains("\"close-up-max-heads\":0.3"));
        assert_eq!(serde_json::from_str::<FramingThresholds>(&json).unwrap(), t);
    }

    #[test]
    fn validate_names_the_bad_value() {
        let bad = [
            FramingThresholds {
                head_shoulders_max_heads: 0.2,
                ..FramingThresholds::default()
            },
            FramingThresholds {
                box_to_head: 0.0,
                ..FramingThresholds::default()
            },
            FramingThresholds {
                landmark_weight: 1.5,
                ..FramingThresholds::default()
            },
            FramingThresholds {
                min_face_height_px: f32::NAN,
                ..FramingThresholds::default()
            },
        ];
        let messages: Vec<String> = bad
            .iter()
            .map(|t| t.validate().unwrap_err().to_string())
            .collect();
        assert!(messages[0].contains("increase"));
        assert!(messages[1].contains("box-to-head"));
        assert!(messages[2].contains("landmark-weight"));
        assert!(messages[3].contains("min-face-height-px"));
    }
}
