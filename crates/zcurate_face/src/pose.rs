//! Head pose from the five landmarks: roll, a yaw proxy, an angle label and a pitch hint.
//!
//! No head-pose model ships in any package we can fetch, so pose is read off the landmark
//! geometry. The points are first rotated so the eye line is horizontal, which makes yaw and
//! pitch independent of roll.
//!
//! **Left and right are the viewer's**: `three-quarter-left` and `profile-left` mean the face
//! points towards the left edge of the image (the subject turned to their own right). That is
//! how a caption describes what the picture shows, and a horizontal flip swaps the labels.

use zcurate_manifest::{AngleLabel, Pitch};

use crate::detection::Detection;

/// Thresholds of the pose labels.
///
/// Measured on the real test photos at det_size 640 (YuNet / CenterFace / RetinaFace):
///
/// | photo | yaw | eye ratio | pitch ratio |
/// |---|---|---|---|
/// | frontal portraits (obama, obama3, grace_hopper, astronaut, biden, partial faces) | ≤ 0.11 / ≤ 0.09 / ≤ 0.13 | 0.45–0.52 (0.55–0.65 when the box is cut) | 0.50–0.61 / 0.51–0.58 / 0.36–0.74 |
/// | gauss, newton (painted, slightly turned right) | 0.12–0.13 / 0.11 / 0.08–0.15 | 0.44–0.49 | 0.50–0.59 |
/// | obama2 (head turned left) | −0.19 / −0.18 / −0.25 | 0.44–0.46 | 0.45–0.53 |
/// | camera.png (profile, facing right) | 0.68 / 0.57 / 0.51 | 0.21–0.26 | — |
///
/// Every photo read four ways (the photo, its mirror image, a close-up and a head-and-shoulders
/// crop around the face; YuNet, `tests/expression_and_angle.rs`) moves the yaw by up to 0.04
/// between crops, and the mirror image is not the exact negative: the detector's landmarks
/// are not mirror-symmetric, by up to 0.05 (obama2: −0.175 original, +0.121 mirrored, −0.194
/// close-up). A label must not depend on the other images, so the boundaries sit in the gaps
/// of the measured yaws with that noise as the margin on each side:
///
/// - three-quarter from 0.25: frontal portraits and slightly turned heads (obama2, gauss,
///   newton) measure at most 0.19 in any view; a head turned to a real three-quarter measures
///   0.28 and more. 0.25 keeps both at least 0.05 (the largest measured noise) away. obama2's
///   slight turn is therefore a front view; that is what a caption should say of it.
/// - profile from 0.45: below the profile (0.51) and well above the turned heads.
///
/// The pitch ratio of a level face is about 0.55 (RetinaFace's nose point wanders more); a
/// simple model of a nose protruding half the eye–mouth distance puts 0.35 and 0.75 at about
/// 20° up and down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoseThresholds {
    /// `|yaw| ≥` this is at least three-quarter.
    pub three_quarter_yaw: f32,
    /// `|yaw| ≥` this is a profile.
    pub profile_yaw: f32,
    /// Inter-eye distance / box width below this is a profile whatever the yaw proxy says
    /// (when the far eye is hidden, detectors collapse both eyes together and the nose offset
    /// is divided by a small, noisy distance).
    pub profile_eye_ratio: f32,
    /// Nose position between the eye line (0) and the mouth line (1) below which the head is
    /// tilted back (looking up): the protruding nose tip rises towards the eyes.
    pub pitch_up: f32,
    /// Nose position above which the head is tilted down.
    pub pitch_down: f32,
    /// Inter-eye distance in pixels below which landmarks are too close to read a pose.
    pub min_eye_distance_px: f32,
}

impl Default for PoseThresholds {
    fn default() -> Self {
        Self {
            three_quarter_yaw: 0.25,
            profile_yaw: 0.45,
            profile_eye_ratio: 0.3,
            pitch_up: 0.35,
            pitch_down: 0.75,
            min_eye_distance_px: 2.0,
        }
    }
}

/// Pose read from one detection's landmarks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Angle of the eye line in degrees, positive when the head leans clockwise as seen by the
    /// viewer (the eye on the image's right is lower).
    pub roll_deg: f32,
    /// (nose x − eye-midpoint x) / inter-eye distance, along the eye line: about 0 frontal,
    /// negative when the face points to the image's left, positive to the right.
    pub yaw: f32,
    /// Inter-eye distance / box width: about 0.4 frontal, smaller as the head turns.
    pub eye_ratio: f32,
    pub angle: AngleLabel,
    /// Nose position between the eye line (0) and the mouth line (1), when readable.
    pub pitch_ratio: Option<f32>,
    /// `None` for profiles and when the mouth is not below the eyes.
    pub pitch: Option<Pitch>,
}

/// Reads the pose of `det`, or `None` when its eyes are too close together to tell.
pub fn estimate(det: &Detection, t: &PoseThresholds) -> Option<Pose> {
    let lm = det.landmarks;
    let [rx, ry] = lm[Detection::RIGHT_EYE];
    let [lx, ly] = lm[Detection::LEFT_EYE];
    let (dx, dy) = (lx - rx, ly - ry);
    let eye_dist = dx.hypot(dy);
    if !eye_dist.is_finite() || eye_dist < t.min_eye_distance_px {
        return None;
    }
    let roll = dy.atan2(dx);
    // Rotate by −roll about the eye midpoint: x along the eye line, y across it (down).
    let (sin, cos) = roll.sin_cos();
    let mid = [f32::midpoint(rx, lx), f32::midpoint(ry, ly)];
    let local = |[px, py]: [f32; 2]| {
        let (vx, vy) = (px - mid[0], py - mid[1]);
        [vx * cos + vy * sin, -vx * sin + vy * cos]
    };
    let nose = local(lm[Detection::NOSE]);
    let mouth_r = local(lm[Detection::MOUTH_RIGHT]);
    let mouth_l = local(lm[Detection::MOUTH_LEFT]);
    let yaw = nose[0] / eye_dist;
    let eye_ratio = if det.w > 0.0 {
        eye_dist / det.w
    } else {
        f32::NAN
    };

    let profile = yaw.abs() >= t.profile_yaw
        || (eye_ratio < t.profile_eye_ratio && yaw.abs() >= t.three_quarter_yaw);
    let angle = match (profile, yaw.abs() >= t.three_quarter_yaw, yaw < 0.0) {
        (true, _, true) => AngleLabel::ProfileLeft,
        (true, _, false) => AngleLabel::ProfileRight,
        (false, true, true) => AngleLabel::ThreeQuarterLeft,
        (false, true, false) => AngleLabel::ThreeQuarterRight,
        (false, false, _) => AngleLabel::Front,
    };

    let mouth_y = f32::midpoint(mouth_r[1], mouth_l[1]);
    let pitch_ratio = (mouth_y > 0.0).then(|| nose[1] / mouth_y);
    let pitch = match (profile, pitch_ratio) {
        (false, Some(r)) if r < t.pitch_up => Some(Pitch::Up),
        (false, Some(r)) if r > t.pitch_down => Some(Pitch::Down),
        (false, Some(_)) => Some(Pitch::Level),
        _ => None,
    };
    Some(Pose {
        roll_deg: roll.to_degrees(),
        yaw,
        eye_ratio,
        angle,
        pitch_ratio,
        pitch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A face of box 100×120 at the origin with the given landmarks.
    fn det(landmarks: [[f32; 2]; 5]) -> Detection {
        Detection::from_corners([0.0, 0.0, 100.0, 120.0], 0.9, landmarks, 1000.0, 1000.0)
    }

    /// A frontal template (eyes 40 px apart, nose halfway to the mouth), moved by `nose_dx`
    /// along the eye line and `nose_dy` across it, then rotated by `roll` degrees about the
    /// eye midpoint.
    fn template(nose_dx: f32, nose_dy: f32, roll: f32) -> [[f32; 2]; 5] {
        let pts = [
            [-20.0, 0.0],
            [20.0, 0.0],
            [nose_dx, 20.0 + nose_dy],
            [-15.0, 40.0],
            [15.0, 40.0],
        ];
        let (s, c) = roll.to_radians().sin_cos();
        pts.map(|[x, y]| [50.0 + x * c - y * s, 50.0 + x * s + y * c])
    }

    fn pose(lm: [[f32; 2]; 5]) -> Pose {
        estimate(&det(lm), &PoseThresholds::default()).unwrap()
    }

    #[test]
    fn frontal_level_face() {
        let p = pose(template(0.0, 0.0, 0.0));
        assert!(p.roll_deg.abs() < 1e-4 && p.yaw.abs() < 1e-6);
        assert_eq!(p.angle, AngleLabel::Front);
        assert_eq!(p.pitch, Some(Pitch::Level));
        assert!((p.pitch_ratio.unwrap() - 0.5).abs() < 1e-6);
        assert!((p.eye_ratio - 0.4).abs() < 1e-6);
    }

    #[test]
    fn roll_is_measured_and_does_not_leak_into_yaw_or_pitch() {
        for roll in [-30.0f32, -8.0, 12.0, 40.0] {
            let p = pose(template(0.0, 0.0, roll));
            assert!((p.roll_deg - roll).abs() < 1e-3, "{roll}: {p:?}");
            assert!(p.yaw.abs() < 1e-5);
            assert_eq!(p.angle, AngleLabel::Front);
            assert_eq!(p.pitch, Some(Pitch::Level));
        }
        // Clockwise as seen by the viewer: the image-right eye is lower (larger y).
        let p = pose(template(0.0, 0.0, 10.0));
        assert!(p.roll_deg > 0.0);
    }

    #[test]
    fn yaw_labels_are_the_viewers_side() {
        // Nose towards the image's left: the face points left.
        let p = pose(template(-12.0, 0.0, 0.0));
        assert!((p.yaw + 0.3).abs() < 1e-6);
        assert_eq!(p.angle, AngleLabel::ThreeQuarterLeft);
        assert_eq!(
            pose(template(12.0, 0.0, 5.0)).angle,
            AngleLabel::ThreeQuarterRight
        );
        assert_eq!(
            pose(template(-20.0, 0.0, 0.0)).angle,
            AngleLabel::ProfileLeft
        );
        let p = pose(template(20.0, 0.0, -5.0));
        assert_eq!(p.angle, AngleLabel::ProfileRight);
        assert_eq!(p.pitch, None);
    }

    #[test]
    fn slight_turns_are_front_and_mirrors_swap_sides() {
        // Frontal and slightly turned faces measured up to 0.19 (see `PoseThresholds`).
        for dx in [-7.6f32, -4.0, 0.0, 2.0, 7.6] {
            assert_eq!(
                pose(template(dx, 0.0, 0.0)).angle,
                AngleLabel::Front,
                "{dx}"
            );
        }
        let left = pose(template(-11.0, 0.0, 3.0)).angle;
        let right = pose(template(11.0, 0.0, -3.0)).angle;
        assert_eq!(
            (left, right),
            (AngleLabel::ThreeQuarterLeft, AngleLabel::ThreeQuarterRight)
        );
    }

    #[test]
    fn collapsed_eyes_with_a_moderate_offset_are_a_profile() {
        // Eyes 12 px apart in a 100 px box (ratio 0.12), nose 3 px off (yaw 0.25).
        let lm = [
            [44.0, 50.0],
            [56.0, 50.0],
            [53.0, 70.0],
            [46.0, 90.0],
            [54.0, 90.0],
        ];
        let p = pose(lm);
        assert!((p.yaw - 0.25).abs() < 1e-6);
        assert_eq!(p.angle, AngleLabel::ProfileRight);
        // The same offset with normally spaced eyes is only three-quarter.
        assert_eq!(
            pose(template(10.0, 0.0, 0.0)).angle,
            AngleLabel::ThreeQuarterRight
        );
    }

    #[test]
    fn pitch_from_nose_height() {
        assert_eq!(pose(template(0.0, -10.0, 0.0)).pitch, Some(Pitch::Up));
        assert_eq!(pose(template(0.0, 12.0, 15.0)).pitch, Some(Pitch::Down));
        // Mouth above the eyes: the landmarks make no sense for pitch.
        let mut lm = template(0.0, 0.0, 0.0);
        lm[3][1] = 30.0;
        lm[4][1] = 30.0;
        let p = pose(lm);
        assert_eq!((p.pitch_ratio, p.pitch), (None, None));
    }

    #[test]
    fn no_pose_without_eye_distance() {
        let lm = [
            [50.0, 50.0],
            [50.5, 50.0],
            [50.0, 70.0],
            [45.0, 90.0],
            [55.0, 90.0],
        ];
        assert!(estimate(&det(lm), &PoseThresholds::default()).is_none());
    }

    #[test]
    fn labels_round_trip() {
        for a in AngleLabel::ALL {
            assert_eq!(a.as_str().parse::<AngleLabel>().unwrap(), a);
        }
        assert_eq!("down".parse::<Pitch>().unwrap(), Pitch::Down);
    }
}
