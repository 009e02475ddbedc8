//! Measurements: head height, chin and the visible extent below it, from the face geometry.

use serde::{Deserialize, Serialize};

use crate::{FaceGeom, FramingThresholds};

/// What the classifier measured. Lengths in head heights count along the body axis.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Evidence {
    /// Visible extent below the chin, head heights (negative: the chin is cut off).
    pub below_chin_heads: f32,
    /// Face box height over frame height, along the body axis.
    pub face_height_share: f32,
    /// Face box area (inside the frame) over frame area.
    pub face_area_share: f32,
    /// Space above the top of the head, head heights (negative: the head is cut).
    pub headroom_heads: f32,
    /// Extent below the chin that the face height share alone implies, assuming the nominal
    /// headroom: the cross-check against `below_chin_heads`.
    pub share_below_chin_heads: f32,
    /// Head height used, pixels.
    pub head_height_px: f32,
    /// Head height from the eye-to-mouth distance, pixels (`None` without landmarks).
    pub head_height_landmarks_px: Option<f32>,
    /// Head height from the box height, pixels.
    pub head_height_box_px: f32,
    /// Estimated chin position, image pixels (x, y).
    pub chin: [f32; 2],
    /// Roll used, degrees (from the landmarks when present).
    pub roll_deg: f32,
    /// Body axis, degrees clockwise from upright: the roll snapped to a quarter turn, because a
    /// head tilts on an upright body but a photo (or a person) on its side turns both.
    pub body_axis_deg: f32,
    /// Distance from `below_chin_heads` to the nearest class boundary, head heights.
    pub boundary_distance_heads: f32,
    /// The face box reaches the frame edge above or below the face: the box height is then
    /// only a lower bound, and the landmarks alone give the scale.
    pub face_cut: bool,
}

/// The frame turned by quarter turns so that the body axis points down (+y).
#[derive(Debug, Clone, Copy)]
struct Upright {
    quarter: u8,
    src_w: f32,
    src_h: f32,
}

impl Upright {
    fn size(self) -> (f32, f32) {
        if self.quarter.is_multiple_of(2) {
            (self.src_w, self.src_h)
        } else {
            (self.src_h, self.src_w)
        }
    }

    /// Image point to upright point: proper rotations (no mirroring), so left/right stay put.
    fn map(self, [x, y]: [f32; 2]) -> [f32; 2] {
        match self.quarter {
            1 => [y, self.src_w - x],
            2 => [self.src_w - x, self.src_h - y],
            3 => [self.src_h - y, x],
            _ => [x, y],
        }
    }

    fn unmap(self, [x, y]: [f32; 2]) -> [f32; 2] {
        match self.quarter {
            1 => [self.src_w - y, x],
            2 => [self.src_w - x, self.src_h - y],
            3 => [y, self.src_h - x],
            _ => [x, y],
        }
    }
}

/// Whether a face is usable at all.
pub(crate) fn usable(face: &FaceGeom, width: u32, height: u32, t: &FramingThresholds) -> bool {
    let finite = [face.x, face.y, face.w, face.h]
        .iter()
        .all(|v| v.is_finite())
        && face
            .landmarks
            .is_none_or(|l| l.iter().flatten().all(|v| v.is_finite()));
    finite && width > 0 && height > 0 && face.w > 0.0 && face.h >= t.min_face_height_px.max(1.0)
}

/// Roll in degrees, normalised to (-180, 180]: from the eye line, or from the eye-to-mouth axis
/// when the eyes are too close together to give a direction (a profile hides the far eye and
/// detectors put it next to the near one); `roll_deg` only without landmarks.
fn roll_of(face: &FaceGeom, t: &FramingThresholds) -> f32 {
    let roll = match face.landmarks {
        Some([re, le, _, mr, ml]) => {
            let eye_line = sub(le, re);
            let axis = sub(mid(mr, ml), mid(re, le));
            let (eyes, axis_len) = (eye_line[0].hypot(eye_line[1]), axis[0].hypot(axis[1]));
            if eyes > 0.5 && eyes >= t.profile_eye_ratio * axis_len {
                eye_line[1].atan2(eye_line[0]).to_degrees()
            } else if axis_len > 0.5 {
                // The face's "down" is (-sin r, cos r).
                (-axis[0]).atan2(axis[1]).to_degrees()
            } else {
                0.0
            }
        }
        None if face.roll_deg.is_finite() => face.roll_deg,
        None => 0.0,
    };
    let r = roll.rem_euclid(360.0);
    if r > 180.0 { r - 360.0 } else { r }
}

/// Measures the evidence for a usable face (see [`usable`]). `boundary_distance_heads` is left
/// for the classifier.
pub(crate) fn measure(face: &FaceGeom, width: u32, height: u32, t: &FramingThresholds) -> Evidence {
    let roll = roll_of(face, t);
    let quarter = (roll / 90.0).round().rem_euclid(4.0) as u8;
    let residual = (roll - f32::from(quarter) * 90.0 + 180.0).rem_euclid(360.0) - 180.0;
    let up = Upright {
        quarter,
        src_w: width as f32,
        src_h: height as f32,
    };
    let (fw, fh) = up.size();
    // The face's own "down" in the upright frame: tilted by the residual roll.
    let (sin, cos) = residual.to_radians().sin_cos();
    let down = [-sin, cos];

    // Box in the upright frame.
    let a = up.map([face.x, face.y]);
    let b = up.map([face.x + face.w, face.y + face.h]);
    let (x0, x1) = (a[0].min(b[0]), a[0].max(b[0]));
    let (y0, y1) = (a[1].min(b[1]), a[1].max(b[1]));
    let bh = y1 - y0;
    let centre = [f32::midpoint(x0, x1), f32::midpoint(y0, y1)];

    // The box height is taken as is, whatever the roll: YuNet regresses the face's own extent
    // (on obama.jpg tilted 0-30 degrees the box height stayed within 2 %), not the bounding
    // box of a rotated face, so "correcting" it undershot by 10-15 %.
    let box_head = bh / t.box_to_head;
    let box_chin = add(centre, scale(down, bh * (0.5 + t.chin_below_box)));

    let landmark_est = face.landmarks.and_then(|l| {
        let l = l.map(|p| up.map(p));
        let eyes = mid(l[0], l[1]);
        let mouth = mid(l[3], l[4]);
        // Along the face axis only: a turned head shifts the mouth sideways, not down.
        let eye_mouth = dot(sub(mouth, eyes), down);
        (eye_mouth > 0.5).then(|| {
            let chin = add(mouth, scale(down, eye_mouth * t.chin_below_mouth));
            (eye_mouth / t.eye_mouth_to_head, chin)
        })
    });

    // A box cut by the top or bottom edge is shorter than the face: trust the landmarks.
    let box_cut = y0 <= 0.5 || y1 >= fh - 0.5;
    let (head, chin) = match landmark_est {
        Some((lm_head, lm_chin)) => {
            let w = if box_cut { 1.0 } else { t.landmark_weight };
            (
                w * lm_head + (1.0 - w) * box_head,
                add(scale(lm_chin, w), scale(box_chin, 1.0 - w)),
            )
        }
        None => (box_head, box_chin),
    };

    let below_chin = (fh - chin[1]) / head;
    let top_y = chin[1] - head * cos;
    let visible_h = (y1.min(fh) - y0.max(0.0)).max(0.0);
    let visible_w = (x1.min(fw) - x0.max(0.0)).max(0.0);
    let height_share = visible_h / fh;
    let share_extent = if height_share > 0.0 {
        t.box_to_head / height_share - 1.0 - t.nominal_headroom_heads
    } else {
        below_chin
    };

    Evidence {
        below_chin_heads: below_chin,
        face_height_share: height_share,
        face_area_share: visible_w * visible_h / (fw * fh),
        headroom_heads: top_y / head,
        share_below_chin_heads: share_extent,
        head_height_px: head,
        head_height_landmarks_px: landmark_est.map(|(h, _)| h),
        head_height_box_px: box_head,
        chin: up.unmap(chin),
        roll_deg: roll,
        body_axis_deg: f32::from(quarter) * 90.0,
        boundary_distance_heads: 0.0,
        face_cut: box_cut,
    }
}

fn mid(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [f32::midpoint(a[0], b[0]), f32::midpoint(a[1], b[1])]
}

fn add(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] + b[0], a[1] + b[1]]
}

fn sub(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

fn scale(a: [f32; 2], k: f32) -> [f32; 2] {
    [a[0] * k, a[1] * k]
}

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upright_map_round_trips_and_points_the_face_down() {
        for quarter in 0..4 {
            let up = Upright {
                quarter,
                src_w: 300.0,
                src_h: 200.0,
            };
            let p = [17.0, 42.0];
            assert_eq!(up.unmap(up.map(p)), p, "quarter {quarter}");
        }
        // Roll 90: the face's down is the image's -x, which must become upright +y.
        let up = Upright {
            quarter: 1,
            src_w: 300.0,
            src_h: 200.0,
        };
        let (a, b) = (up.map([100.0, 50.0]), up.map([90.0, 50.0]));
        assert!(b[1] > a[1]);
        assert_eq!(up.size(), (200.0, 300.0));
    }
}
