//! Detections of one image turned into manifest records: each face's head angle, border
//! contact and sharpness, the main subject, and the framing class.

use image::DynamicImage;
use zcurate_face::Detection;
use zcurate_face::pose::{self, PoseThresholds};
use zcurate_framing::{FaceGeom, FramingInput, FramingThresholds};
use zcurate_manifest::{
    AngleLabel, BorderContact, Face, FaceSummary, Framing, FramingClass, FramingEvidence, Pitch,
};

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
    let result = zcurate_framing::classify(&input, framing_t);
    let class = match result.class {
        zcurate_framing::Framing::CloseUp => FramingClass::CloseUp,
        zcurate_framing::Framing::HeadShoulders => FramingClass::HeadShoulders,
        zcurate_framing::Framing::UpperBody => FramingClass::UpperBody,
        zcurate_framing::Framing::KneeUp => FramingClass::KneeUp,
        zcurate_framing::Framing::FullBody => FramingClass::FullBody,
        zcurate_framing::Framing::NoFace => FramingClass::NoFace,
    };
    let e = result.evidence;
    let framing = Framing {
        class,
        confidence: round(result.confidence),
        evidence: (class != FramingClass::NoFace).then(|| FramingEvidence {
            below_chin_heads: round(e.below_chin_heads),
            headroom_heads: round(e.headroom_heads),
            face_height_share: round(e.face_height_share),
            face_area_share: round(e.face_area_share),
            head_height_px: round(e.head_height_px),
            boundary_distance_heads: round(e.boundary_distance_heads),
            face_cut: e.face_cut,
        }),
    };
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
        bbox: [round(d.x), round(d.y), round(d.w), round(d.h)],
        score: round(d.score),
        landmarks: d.landmarks.map(|[x, y]| [round(x), round(y)]),
        roll_deg: p.map(|p| round(p.roll_deg)),
        yaw: p.map(|p| round(p.yaw)),
        angle: p.map(|p| match p.angle {
            pose::AngleLabel::Front => AngleLabel::Front,
            pose::AngleLabel::ThreeQuarterLeft => AngleLabel::ThreeQuarterLeft,
            pose::AngleLabel::ThreeQuarterRight => AngleLabel::ThreeQuarterRight,
            pose::AngleLabel::ProfileLeft => AngleLabel::ProfileLeft,
            pose::AngleLabel::ProfileRight => AngleLabel::ProfileRight,
        }),
        pitch: p.and_then(|p| p.pitch).map(|q| match q {
            pose::PitchHint::Up => Pitch::Up,
            pose::PitchHint::Level => Pitch::Level,
            pose::PitchHint::Down => Pitch::Down,
        }),
        height_px: round(d.h),
        sharpness: (sharpness * 100.0).round() / 100.0,
        border,
        expression: None,
    }
}

/// Two decimals keep manifests readable and diffs stable.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
