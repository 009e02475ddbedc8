//! The labelled set on the real photos with the real detector: each crop is cut from the
//! fetched photo at test time, YuNet (zcurate_face, default config) finds the faces, and the
//! classifier must meet the bar. Fails, never skips, when a photo or the model cannot be had.

mod common;

use common::{Fixtures, Outcome, Score};
use zcurate_face::pose::{PoseThresholds, estimate};
use zcurate_face::{Detection, DetectorConfig, DetectorKind, iou, load, main_subject};
use zcurate_framing::{FaceGeom, FramingInput, FramingThresholds, classify};
use zcurate_image::DecodeLimits;
use zcurate_manifest::FramingClass;

/// A detection overlapping the labelled subject's hand-drawn box this much is that subject.
/// By-eye boxes run hairline to chin, YuNet's a little higher and lower: IoU about 0.7.
const SUBJECT_IOU: f32 = 0.3;

fn face_geom(det: &Detection) -> FaceGeom {
    FaceGeom {
        x: det.x,
        y: det.y,
        w: det.w,
        h: det.h,
        landmarks: Some(det.landmarks),
        roll_deg: estimate(det, &PoseThresholds::default()).map_or(0.0, |p| p.roll_deg),
    }
}

#[test]
fn labelled_set_with_the_real_detector_meets_the_bar() {
    let fx = Fixtures::load();
    let model = zcurate_models::test_model("yunet");
    let detector = load(&DetectorConfig::new(DetectorKind::YuNet, &model))
        .unwrap_or_else(|e| panic!("cannot load YuNet from {}: {e}", model.display()));
    let min_score = detector.config().score_threshold;
    let thresholds = FramingThresholds::default();

    let mut photos = std::collections::BTreeMap::new();
    let mut outcomes: Vec<Outcome<'_>> = Vec::new();
    for case in &fx.cases {
        let subject = fx.subject(&case.subject);
        let photo = fx.photo(&subject.photo);
        let image = photos.entry(photo.name.clone()).or_insert_with(|| {
            let path = zcurate_models::test_photo(&photo.name);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            zcurate_image::decode_bytes(&bytes, &DecodeLimits::default())
                .unwrap_or_else(|e| panic!("cannot decode {}: {e}", path.display()))
                .image
        });
        assert_eq!(
            (image.width(), image.height()),
            (photo.width, photo.height),
            "{}: size differs from landmarks.toml",
            photo.file
        );
        let [left, top, width, height] = case.crop;
        let crop = image.crop_imm(left, top, width, height);
        let detections = detector
            .detect(&crop)
            .unwrap_or_else(|e| panic!("{}: detection failed: {e}", case.name));

        // The labelled subject, found by overlap with its hand-drawn box; in a no-face case,
        // whatever the pipeline would call the main subject.
        let [bx, by, bw, bh] = subject.face_box;
        let (dx, dy) = (left as f32, top as f32);
        let hand = [bx - dx, by - dy, bx + bw - dx, by + bh - dy];
        let main = main_subject(&detections, min_score);
        let chosen = if case.expected == FramingClass::NoFace {
            main
        } else {
            detections
                .iter()
                .enumerate()
                .map(|(i, d)| (i, iou([d.x, d.y, d.x + d.w, d.y + d.h], hand)))
                .filter(|(_, v)| *v >= SUBJECT_IOU)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        let remark = match (chosen, main) {
            (None, _) if case.expected != FramingClass::NoFace => {
                format!("subject not found among {} faces", detections.len())
            }
            (Some(c), Some(m)) if c != m => {
                format!("{} faces; subject is not the largest", detections.len())
            }
            _ => format!("{} faces", detections.len()),
        };
        let input = FramingInput {
            image_width: width,
            image_height: height,
            face: chosen.map(|i| face_geom(&detections[i])),
        };
        outcomes.push(Outcome {
            case,
            result: classify(&input, &thresholds),
            remark,
        });
    }
    let score = Score::of(&outcomes);
    println!("{}", score.report);
    score.assert_bar();
}

#[test]
fn landmarks_pin_the_same_photos_as_the_registry() {
    let fx = Fixtures::load();
    for photo in &fx.landmarks.photo {
        let entry = zcurate_models::photos()
            .iter()
            .find(|p| p.name == photo.name)
            .unwrap_or_else(|| panic!("`{}` is not in fixtures/photos.toml", photo.name));
        assert_eq!(entry.sha256, photo.sha256, "{}", photo.name);
        assert_eq!(entry.file, photo.file, "{}", photo.name);
        assert_eq!((entry.width, entry.height), (photo.width, photo.height));
    }
}
