//! Detections of one image turned into manifest records: each face's head angle, border
//! contact and sharpness, the main subject, and the framing class.

use image::DynamicImage;
use zcurate_face::Detection;
use zcurate_face::pose::{self, PoseThresholds};
use zcurate_framing::{FaceGeom, FramingInput, FramingThresholds};
use zcurate_manifest::{BorderContact, Face, FaceSummary, Framing, round_hundredths};

/// Pixels from an edge within which a face box counts as touching the border.
pub const BORDER_MARGIN_PX: f32 = 2.0;

/// Faces, main subject and framing of one image, as the manifest records them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Described {
    pub(crate) faces: Vec<Face>,
    pub(crate) summary: FaceSummary,
    pub(crate) framing: Framing,
}

/// Manifest records for the detections of one image.
pub(crate) fn describe(
    image: &DynamicImage,
    detections: &[Detection],
    min_score: f32,
    pose_t: &PoseThresholds,
    framing_t: &FramingThresholds,
) -> Described {
    let (w, h) = (image.width(), image.height());
    let faces: Vec<Face> = detections
        .iter()
        .map(|d| face_record(image, d, pose_t))
        .collect();
    let main = zcurate_face::main_subject(detections, min_score);
    let confident = detections.iter().filter(|d| d.score >= min_score).count();
    let summary = FaceSummary {
        main,
        others: confident.saturating_sub(usize::from(main.is_some())),
    };
    let input = FramingInput {
        image_width: w,
        image_height: h,
        face: main.map(|i| {
            let d = &detections[i];
            FaceGeom {
                x: d.x,
                y: d.y,
                w: d.w,
                h: d.h,
                landmarks: Some(d.landmarks),
                roll_deg: faces[i].roll_deg.unwrap_or(0.0),
            }
        }),
    };
    let framing = zcurate_framing::classify(&input, framing_t).to_record();
    Described {
        faces,
        summary,
        framing,
    }
}

fn face_record(image: &DynamicImage, d: &Detection, pose_t: &PoseThresholds) -> Face {
    let (w, h) = (image.width(), image.height());
    let p = pose::estimate(d, pose_t);
    let border = if zcurate_face::cut_by_border(d, w, h) {
        BorderContact::Cut
    } else if zcurate_face::touches_border(d, w, h, BORDER_MARGIN_PX) {
        BorderContact::Touches
    } else {
        BorderContact::Inside
    };
    let sharpness = zcurate_image::region_sharpness(
        image,
        d.x.max(0.0) as u32,
        d.y.max(0.0) as u32,
        d.w.max(0.0) as u32,
        d.h.max(0.0) as u32,
    )
    .unwrap_or(0.0);
    Face {
        bbox: [
            round_hundredths(d.x),
            round_hundredths(d.y),
            round_hundredths(d.w),
            round_hundredths(d.h),
        ],
        score: round_hundredths(d.score),
        landmarks: d
            .landmarks
            .map(|[x, y]| [round_hundredths(x), round_hundredths(y)]),
        roll_deg: p.map(|p| round_hundredths(p.roll_deg)),
        yaw: p.map(|p| round_hundredths(p.yaw)),
        angle: p.map(|p| p.angle),
        pitch: p.and_then(|p| p.pitch),
        height_px: round_hundredths(d.h),
        sharpness: (sharpness * 100.0).round() / 100.0,
        border,
        expression: None,
    }
}
