//! Synthetic faces drawn with the classifier's default proportions, so the head height and
//! chin the planner sees are known exactly.

use zcurate_framing::FramingThresholds;
use zcurate_manifest::FramingClass;
use zcurate_manifest::{BorderContact, Face};

use super::*;
use crate::options::{Aspect, Pad};

/// A face of head height `head` px with its chin at `chin`, tilted `roll` degrees.
fn face(head: f32, chin: [f32; 2], roll: f32) -> Face {
    let t = FramingThresholds::default();
    let (s, c) = roll.to_radians().sin_cos();
    let down = [-s, c];
    let right = [c, s];
    let at = |p: [f32; 2], d: [f32; 2], k: f32| [p[0] + d[0] * k, p[1] + d[1] * k];
    let eye_mouth = t.eye_mouth_to_head * head;
    let mouth = at(chin, down, -eye_mouth * t.chin_below_mouth);
    let eyes = at(mouth, down, -eye_mouth);
    let box_h = t.box_to_head * head;
    let centre = at(chin, down, -box_h * (0.5 + t.chin_below_box));
    let box_w = 0.75 * box_h;
    Face {
        bbox: [
            centre[0] - box_w / 2.0,
            centre[1] - box_h / 2.0,
            box_w,
            box_h,
        ],
        score: 0.9,
        landmarks: [
            at(eyes, right, -0.16 * head),
            at(eyes, right, 0.16 * head),
            at(eyes, down, 0.5 * eye_mouth),
            at(mouth, right, -0.14 * head),
            at(mouth, right, 0.14 * head),
        ],
        roll_deg: Some(roll),
        yaw: Some(0.0),
        angle: None,
        pitch: None,
        height_px: box_h,
        sharpness: 100.0,
        border: BorderContact::Inside,
        expression: None,
    }
}

fn options(framing: FramingClass) -> CropOptions {
    CropOptions {
        framing,
        ..CropOptions::default()
    }
}

/// The checks every plan must pass: size, multiples, face inside, never enlarged unasked.
fn check(p: &CropPlan, o: &CropOptions, width: u32, height: u32) {
    let m = o.multiple;
    assert!(
        p.width.is_multiple_of(m) && p.height.is_multiple_of(m),
        "{}x{}",
        p.width,
        p.height
    );
    assert!(p.width.max(p.height) <= o.size);
    let r = o.aspect.ratio();
    let (w, h) = (f64::from(p.width), f64::from(p.height));
    // The short side is the nearest multiple to what the long side and the aspect ask.
    let off = if r >= 1.0 { h - w / r } else { w - h * r };
    assert!(
        off.abs() <= f64::from(m) / 2.0 + 1e-9,
        "{}x{} is not {} within one multiple",
        p.width,
        p.height,
        o.aspect
    );
    assert!((w / p.crop.width - p.scale).abs() < 1e-6);
    assert!((h / p.crop.height - p.scale).abs() < 1e-3, "{p:?}");
    if !o.allow_upscale {
        assert!(p.scale <= 1.0 + 1e-9 && !p.upscaled, "{p:?}");
    }
    let [x, y, bw, bh] = p.face_box_out;
    let tol = 1e-3;
    assert!(
        x >= -tol && y >= -tol && x + bw <= p.width as f32 + tol && y + bh <= p.height as f32 + tol,
        "face {:?} outside {}x{}",
        p.face_box_out,
        p.width,
        p.height
    );
    if o.pad.is_none() {
        assert!(p.crop.inside(width, height, 1e-6), "{:?}", p.crop);
        assert!(!p.outside);
    }
}

#[test]
fn a_roomy_photo_gets_the_ideal_frame_for_every_class() {
    let (w, h) = (9000, 9000);
    let f = face(900.0, [4500.0, 1500.0], 0.0);
    for framing in FramingClass::BODY {
        let o = options(framing);
        let p = plan_face(w, h, &f, 0, &o).unwrap();
        check(&p, &o, w, h);
        assert_eq!(p.fit, Fit::Ideal, "{framing}");
        assert!(p.framing.reached, "{framing}: {:?}", p.framing);
        assert_eq!((p.width, p.height), (1024, 1024));
        let rule = o.composition.rule(framing).unwrap();
        assert!(
            (p.framing.below_chin_heads - rule.below_chin_heads).abs() < 0.01,
            "{framing}: {:?}",
            p.framing
        );
        // Centred on the face.
        let centre = p.crop.origin[0] + p.crop.width / 2.0;
        let face_centre = f64::from(f.bbox[0] + f.bbox[2] / 2.0);
        assert!((centre - face_centre).abs() < 1e-3);
    }
}

#[test]
fn close_up_headroom_and_eye_line() {
    let o = options(FramingClass::CloseUp);
    let p = plan_face(4000, 4000, &face(400.0, [2000.0, 2000.0], 0.0), 0, &o).unwrap();
    assert!(
        (p.framing.headroom_heads - 0.12).abs() < 0.01,
        "{:?}",
        p.framing
    );
    // The eye line of a close-up sits just above the middle of the frame.
    let eyes_y = (2000.0 - 400.0 * (0.30 * 0.68 + 0.30) - p.crop.origin[1]) / p.crop.height;
    assert!((0.40..0.50).contains(&eyes_y), "{eyes_y}");
}

#[test]
fn near_an_edge_the_crop_moves_inside() {
    let (w, h) = (2000, 3000);
    let o = options(FramingClass::HeadShoulders);
    let f = face(300.0, [250.0, 420.0], 0.0);
    let p = plan_face(w, h, &f, 0, &o).unwrap();
    check(&p, &o, w, h);
    assert_eq!(p.fit, Fit::Shifted);
    // Moved right to the left edge; the top keeps its headroom.
    assert!(p.crop.origin[0].abs() < 1e-6, "{:?}", p.crop);
    assert!((p.crop.origin[1] - 60.0).abs() < 1e-3, "{:?}", p.crop);
    assert!(p.framing.reached, "{:?}", p.framing);
}

#[test]
fn a_narrow_photo_shrinks_the_crop_and_says_the_framing_was_not_reached() {
    // Knee-up at 1:1 needs 5.5 head heights of width; the photo has 3.
    let (w, h) = (900, 2400);
    let o = options(FramingClass::KneeUp);
    let f = face(300.0, [450.0, 420.0], 0.0);
    let p = plan_face(w, h, &f, 0, &o).unwrap();
    check(&p, &o, w, h);
    assert_eq!(p.fit, Fit::Shrunk);
    assert!((p.crop.width - 900.0).abs() < 1e-3, "{:?}", p.crop);
    assert!(!p.framing.reached);
    assert_eq!(p.framing.expected, FramingClass::UpperBody);
    // The same photo reaches knee-up at a portrait aspect.
    let o = CropOptions {
        aspect: Aspect { w: 1, h: 3 },
        ..o
    };
    let p = plan_face(w, h, &f, 0, &o).unwrap();
    check(&p, &o, w, h);
    assert!(p.framing.reached, "{:?}", p.framing);
}

#[test]
fn padding_keeps_the_ideal_frame() {
    let (w, h) = (900, 2400);
    let o = CropOptions {
        pad: Some(Pad::Reflect),
        ..options(FramingClass::KneeUp)
    };
    let p = plan_face(w, h, &face(300.0, [450.0, 420.0], 0.0), 0, &o).unwrap();
    check(&p, &o, w, h);
    assert_eq!(p.fit, Fit::Padded);
    assert!(p.outside && p.framing.reached, "{p:?}");
    // Vertically the crop fits, so it is moved inside rather than padded.
    assert!(p.crop.origin[1] >= -1e-6 && p.crop.origin[1] + p.crop.height <= 2400.0 + 1e-6);
}

#[test]
fn small_crops_keep_their_size_unless_enlarging_is_allowed() {
    let (w, h) = (600, 600);
    let f = face(150.0, [300.0, 330.0], 0.0);
    let o = options(FramingClass::CloseUp);
    let p = plan_face(w, h, &f, 0, &o).unwrap();
    check(&p, &o, w, h);
    // 1.27 head heights = 190 px of crop: 128 px out, not 1024.
    assert_eq!((p.width, p.height), (128, 128));
    assert_eq!(p.shortfall, Some([1024, 1024]));
    assert!(p.scale <= 1.0);
    let o = CropOptions {
        allow_upscale: true,
        ..o
    };
    let p = plan_face(w, h, &f, 0, &o).unwrap();
    check(&p, &o, w, h);
    assert_eq!((p.width, p.height), (1024, 1024));
    assert!(p.upscaled && p.shortfall.is_none());
}

#[test]
fn every_aspect_within_one_multiple() {
    let f = face(220.0, [700.0, 600.0], 0.0);
    for aspect in [
        "1:1", "4:5", "3:4", "2:3", "9:16", "16:9", "5:4", "7:3", "1:3",
    ] {
        for multiple in [1, 8, 16, 64] {
            for size in [512, 1000, 1024, 1536] {
                for framing in [FramingClass::CloseUp, FramingClass::UpperBody] {
                    let o = CropOptions {
                        aspect: aspect.parse().unwrap(),
                        multiple,
                        size,
                        framing,
                        ..CropOptions::default()
                    };
                    match plan_face(1400, 2100, &f, 0, &o) {
                        Ok(p) => check(&p, &o, 1400, 2100),
                        Err(e) => panic!("{aspect} {multiple} {size} {framing}: {e}"),
                    }
                }
            }
        }
    }
}

#[test]
fn narrow_aspects_grow_taller_rather_than_cut_the_face() {
    // Enlarging allowed, so the crop is not trimmed to a smaller size's aspect.
    let o = CropOptions {
        aspect: "1:3".parse().unwrap(),
        allow_upscale: true,
        ..options(FramingClass::CloseUp)
    };
    let f = face(300.0, [1500.0, 1500.0], 0.0);
    let p = plan_face(3000, 4000, &f, 0, &o).unwrap();
    check(&p, &o, 3000, 4000);
    let margin = f64::from(f.bbox[2]) * 0.15;
    assert!(p.crop.width >= f64::from(f.bbox[2]) + 2.0 * margin - 1e-6);
    // The extra height goes mostly above the head: still a close-up.
    assert!(p.framing.reached, "{:?}", p.framing);
}

#[test]
fn small_faces_and_missing_faces_are_skipped() {
    let o = CropOptions {
        min_face_px: 100.0,
        ..CropOptions::default()
    };
    let f = face(80.0, [500.0, 500.0], 0.0);
    assert!(matches!(
        plan_face(1000, 1000, &f, 0, &o),
        Err(Skip::FaceTooSmall { .. })
    ));
    let none = plan_image(1000, 1000, &[], None, &CropOptions::default());
    assert_eq!(none.skipped, vec![(None, Skip::NoFace)]);
    assert!(none.plans.is_empty());
}

#[test]
fn a_face_too_wide_for_the_aspect_is_skipped() {
    let o = CropOptions {
        aspect: "1:8".parse().unwrap(),
        ..CropOptions::default()
    };
    let f = face(330.0, [150.0, 300.0], 0.0);
    assert_eq!(plan_face(300, 330, &f, 0, &o), Err(Skip::FaceDoesNotFit));
}

#[test]
fn level_eyes_turns_the_crop_by_the_roll() {
    let f = face(300.0, [2000.0, 1500.0], 12.0);
    let o = options(FramingClass::HeadShoulders);
    let straight = plan_face(4000, 4000, &f, 0, &o).unwrap();
    assert_eq!(straight.crop.angle_deg, 0.0);
    assert!(straight.framing.reached);
    let o = CropOptions {
        level_eyes: true,
        ..o
    };
    let level = plan_face(4000, 4000, &f, 0, &o).unwrap();
    check(&level, &o, 4000, 4000);
    assert!(
        (level.crop.angle_deg - 12.0).abs() < 0.1,
        "{:?}",
        level.crop
    );
    assert!(level.framing.reached, "{:?}", level.framing);
}

#[test]
fn a_body_on_its_side_keeps_the_output_orientation() {
    // Roll 90: the face's "down" points to the image's left; the body lies to the left.
    let f = face(200.0, [3000.0, 1000.0], 90.0);
    let o = CropOptions {
        aspect: "4:5".parse().unwrap(),
        ..options(FramingClass::UpperBody)
    };
    let p = plan_face(4000, 2000, &f, 0, &o).unwrap();
    check(&p, &o, 4000, 2000);
    assert_eq!(p.crop.angle_deg, 0.0);
    assert!(p.width < p.height, "{}x{}", p.width, p.height);
    assert!(p.framing.reached, "{:?}", p.framing);
    // The frame extends from the face towards the image's left, where the body is.
    let chin_x = 3000.0;
    assert!(p.crop.origin[0] < chin_x - 1.5 * 200.0, "{:?}", p.crop);
}

#[test]
fn all_faces_plans_each_face() {
    let faces = [
        face(200.0, [800.0, 700.0], 0.0),
        face(150.0, [2200.0, 800.0], 0.0),
    ];
    let o = CropOptions {
        all_faces: true,
        ..CropOptions::default()
    };
    let p = plan_image(3000, 2000, &faces, Some(0), &o);
    assert_eq!(p.plans.iter().map(|p| p.face).collect::<Vec<_>>(), [0, 1]);
    let main_only = plan_image(3000, 2000, &faces, Some(0), &CropOptions::default());
    assert_eq!(main_only.plans.len(), 1);
}

#[test]
fn level_eyes_falls_back_to_an_unturned_crop_at_the_edge() {
    // A tilted face against the left edge: no turned crop fits, the straight one does.
    let f = face(300.0, [72.0, 600.0], 12.0);
    assert!(f.bbox[0] > 0.0 && f.bbox[0] < 2.0, "{:?}", f.bbox);
    let o = CropOptions {
        level_eyes: true,
        ..options(FramingClass::CloseUp)
    };
    let p = plan_face(2000, 2000, &f, 0, &o).unwrap();
    check(&p, &o, 2000, 2000);
    assert_eq!(p.crop.angle_deg, 0.0);
}
