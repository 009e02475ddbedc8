//! From evidence to a class and a confidence.

use crate::evidence::{measure as evidence_measure, usable};
use crate::{Evidence, FramingClass, FramingInput, FramingResult, FramingThresholds};

/// Classifies the framing of the main subject.
///
/// The class follows the visible extent below the chin in head heights; the confidence is 0.5
/// on a class boundary, rises to 1 one uncertain band away from it, and drops when the face
/// share or the two head-height estimates disagree. A missing, degenerate or tiny face gives
/// `no-face` with confidence 1.
pub fn classify(input: &FramingInput, thresholds: &FramingThresholds) -> FramingResult {
    let t = thresholds;
    let Some(face) = input
        .face
        .filter(|f| usable(f, input.image_width, input.image_height, t))
    else {
        return FramingResult {
            class: FramingClass::NoFace,
            confidence: 1.0,
            evidence: Evidence::default(),
        };
    };
    let mut evidence = evidence_measure(&face, input.image_width, input.image_height, t);
    let extent = evidence.below_chin_heads;
    let class = class_at(extent, t);
    let distance = t
        .boundaries()
        .iter()
        .map(|b| (extent - b).abs())
        .fold(f32::INFINITY, f32::min);
    evidence.boundary_distance_heads = distance;

    let band = t.boundary_margin_heads + t.boundary_margin_relative * extent.max(0.0);
    let mut confidence = 0.5 + 0.5 * (distance / band).min(1.0);

    // Cross-check 1: what the face share alone implies (assumes a typical headroom; a wide
    // background or a lot of space above the head makes it differ).
    let share_class = class_at(evidence.share_below_chin_heads, t);
    if share_class != class {
        confidence *= t.share_disagreement_factor;
    }
    // Cross-check 2: landmark and box head heights (pitch, occlusion, a loose box). A box cut
    // by the frame cannot be compared; without landmarks it only bounds the scale from below.
    match (evidence.head_height_landmarks_px, evidence.face_cut) {
        (Some(lm), false) => {
            let b = evidence.head_height_box_px;
            if lm.max(b) / lm.min(b) - 1.0 > t.scale_disagreement_tolerance {
                confidence *= t.scale_disagreement_factor;
            }
        }
        (None, true) => confidence *= t.scale_disagreement_factor,
        (Some(_), true) | (None, false) => {}
    }

    FramingResult {
        class,
        confidence: confidence.clamp(0.0, 1.0),
        evidence,
    }
}

/// Measures the main face of `input` as [`classify`] does (head height, chin, roll, body
/// axis), without deciding a class: for callers that compose frames from the same geometry,
/// such as `zcurate crop`, so that their frames and the classifier agree. `None` for a
/// missing, degenerate or tiny face (what `classify` calls `no-face`).
pub fn measure(input: &FramingInput, thresholds: &FramingThresholds) -> Option<Evidence> {
    let face = input
        .face
        .filter(|f| usable(f, input.image_width, input.image_height, thresholds))?;
    Some(evidence_measure(
        &face,
        input.image_width,
        input.image_height,
        thresholds,
    ))
}

/// The body class of a given extent below the chin.
pub fn class_at(extent: f32, t: &FramingThresholds) -> FramingClass {
    t.boundaries()
        .iter()
        .position(|b| extent < *b)
        .map_or(FramingClass::FullBody, |i| FramingClass::BODY[i])
}

#[cfg(test)]
mod tests;
