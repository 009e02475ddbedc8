//! Synthetic face geometries: class boundaries, no-face, roll, cut faces, confidence.

use crate::{FaceGeom, FramingClass, FramingInput, FramingResult, FramingThresholds, classify};

/// A face of head height `head` px with its chin at `chin`, tilted `roll` degrees, drawn with
/// the default proportions, so both head-height estimates agree exactly.
fn face(head: f32, chin: [f32; 2], roll: f32) -> FaceGeom {
    let t = FramingThresholds::default();
    let (s, c) = roll.to_radians().sin_cos();
    let down = [-s, c];
    let right = [c, s]; // from the subject's right eye to the left eye
    let at = |p: [f32; 2], d: [f32; 2], k: f32| [p[0] + d[0] * k, p[1] + d[1] * k];
    let eye_mouth = t.eye_mouth_to_head * head;
    let mouth = at(chin, down, -eye_mouth * t.chin_below_mouth);
    let eyes = at(mouth, down, -eye_mouth);
    let box_h = t.box_to_head * head;
    let centre = at(chin, down, -box_h * (0.5 + t.chin_below_box));
    let box_w = 0.75 * box_h;
    FaceGeom {
        x: centre[0] - box_w / 2.0,
        y: centre[1] - box_h / 2.0,
        w: box_w,
        h: box_h,
        landmarks: Some([
            at(eyes, right, -0.16 * head),
            at(eyes, right, 0.16 * head),
            at(eyes, down, 0.5 * eye_mouth),
            at(mouth, right, -0.14 * head),
            at(mouth, right, 0.14 * head),
        ]),
        roll_deg: roll,
    }
}

/// An upright frame showing `extent` head heights below the chin, `headroom` above the head.
fn scene(extent: f32, headroom: f32, width: u32, roll: f32) -> FramingInput {
    let head = 100.0;
    let chin_y = (headroom + 1.0) * head;
    FramingInput {
        image_width: width,
        image_height: (chin_y + extent * head).round() as u32,
        face: Some(face(head, [width as f32 / 2.0, chin_y], roll)),
    }
}

fn run(input: &FramingInput) -> FramingResult {
    classify(input, &FramingThresholds::default())
}

/// Turns a scene a quarter turn clockwise on screen `quarters` times (the photo on its side).
fn turn(input: &FramingInput, quarters: u8) -> FramingInput {
    let mut out = *input;
    for _ in 0..quarters {
        let (width, height) = (out.image_width, out.image_height);
        let p = |[x, y]: [f32; 2]| [height as f32 - y, x];
        out.face = out.face.map(|f| {
            let a = p([f.x, f.y]);
            let b = p([f.x + f.w, f.y + f.h]);
            FaceGeom {
                x: a[0].min(b[0]),
                y: a[1].min(b[1]),
                w: (a[0] - b[0]).abs(),
                h: (a[1] - b[1]).abs(),
                landmarks: f.landmarks.map(|l| l.map(p)),
                roll_deg: f.roll_deg + 90.0,
            }
        });
        (out.image_width, out.image_height) = (height, width);
    }
    out
}

#[test]
fn table_of_extents() {
    use FramingClass::{CloseUp, FullBody, HeadShoulders, KneeUp, UpperBody};
    let table = [
        (-0.4, CloseUp),
        (0.0, CloseUp),
        (0.15, CloseUp),
        (0.6, HeadShoulders),
        (0.9, HeadShoulders),
        (1.5, UpperBody),
        (2.5, UpperBody),
        (3.6, KneeUp),
        (4.8, KneeUp),
        (6.2, FullBody),
        (7.5, FullBody),
    ];
    for (extent, class) in table {
        for width in [300, 1200] {
            for headroom in [-0.2, 0.3] {
                let r = run(&scene(extent, headroom, width, 0.0));
                assert_eq!(
                    r.class, class,
                    "extent {extent}, width {width}, headroom {headroom}: {r:?}"
                );
                assert!(
                    (r.evidence.below_chin_heads - extent).abs() < 0.02,
                    "extent {extent} measured as {}",
                    r.evidence.below_chin_heads
                );
            }
        }
    }
}

#[test]
fn each_boundary_splits_its_neighbours_with_low_confidence() {
    let t = FramingThresholds::default();
    for (i, b) in t.boundaries().into_iter().enumerate() {
        let below = run(&scene(b - 0.03, 0.3, 600, 0.0));
        let above = run(&scene(b + 0.03, 0.3, 600, 0.0));
        assert_eq!(below.class, FramingClass::BODY[i], "just below {b}");
        assert_eq!(above.class, FramingClass::BODY[i + 1], "just above {b}");
        for r in [below, above] {
            assert!(r.confidence < 0.7, "near {b}: confidence {}", r.confidence);
            assert!(r.evidence.boundary_distance_heads < 0.05);
        }
    }
}

#[test]
fn confidence_is_high_mid_class_and_stays_in_unit_interval() {
    // Middles of the classes, with the typical headroom so the face share agrees.
    for extent in [0.1, 0.7, 2.0, 4.2, 7.0] {
        let r = run(&scene(extent, 0.3, 600, 0.0));
        assert!(r.confidence >= 0.9, "extent {extent}: {}", r.confidence);
    }
    for step in -10..100 {
        let r = run(&scene(step as f32 * 0.1, 0.3, 600, 0.0));
        assert!((0.0..=1.0).contains(&r.confidence));
    }
}

#[test]
fn no_face_when_missing_degenerate_or_tiny() {
    let mut input = scene(2.0, 0.3, 600, 0.0);
    let good = input.face.unwrap();
    let cases = [
        None,
        Some(FaceGeom { w: 0.0, ..good }),
        Some(FaceGeom {
            h: f32::NAN,
            ..good
        }),
        Some(FaceGeom { h: 4.0, ..good }),
        Some(FaceGeom {
            landmarks: Some([[f32::INFINITY, 0.0]; 5]),
            ..good
        }),
    ];
    for face in cases {
        input.face = face;
        let r = run(&input);
        assert_eq!(r.class, FramingClass::NoFace, "{face:?}");
        assert_eq!(r.confidence, 1.0);
    }
    let empty = FramingInput {
        image_width: 0,
        image_height: 0,
        face: Some(good),
    };
    assert_eq!(run(&empty).class, FramingClass::NoFace);
}

#[test]
fn head_tilt_keeps_the_class_and_the_body_upright() {
    for extent in [0.1, 0.7, 2.0, 4.2, 7.0] {
        let level = run(&scene(extent, 0.3, 600, 0.0));
        for roll in [-25.0, -10.0, 10.0, 25.0] {
            let tilted = run(&scene(extent, 0.3, 600, roll));
            assert_eq!(tilted.class, level.class, "extent {extent}, roll {roll}");
            assert_eq!(tilted.evidence.body_axis_deg, 0.0);
            assert!((tilted.evidence.roll_deg - roll).abs() < 0.01);
            assert!((tilted.evidence.below_chin_heads - extent).abs() < 0.02);
        }
    }
}

#[test]
fn photo_on_its_side_is_measured_along_the_face() {
    for extent in [0.1, 0.7, 2.0, 4.2, 7.0] {
        let upright = scene(extent, 0.3, 600, 8.0);
        let expected = run(&upright);
        for quarters in 1..4 {
            let turned = turn(&upright, quarters);
            let r = run(&turned);
            assert_eq!(
                r.class, expected.class,
                "extent {extent}, {quarters} quarter turns"
            );
            assert_eq!(r.evidence.body_axis_deg, f32::from(quarters) * 90.0);
            assert!((r.evidence.below_chin_heads - extent).abs() < 0.02);
        }
    }
}

#[test]
fn roll_comes_from_the_landmarks_when_present() {
    let mut input = scene(2.0, 0.3, 600, 12.0);
    if let Some(f) = input.face.as_mut() {
        f.roll_deg = -70.0; // a detector with another sign convention
    }
    let r = run(&input);
    assert!((r.evidence.roll_deg - 12.0).abs() < 0.01);
    assert_eq!(r.class, FramingClass::UpperBody);
}

#[test]
fn profile_takes_the_roll_from_the_eye_to_mouth_axis() {
    // A profile: both eyes drawn 8 px apart and 3 px askew around the eye midpoint, which as
    // an eye line would read as a 20 degree roll.
    let mut input = scene(2.0, 0.3, 600, 0.0);
    if let Some(f) = input.face.as_mut() {
        let l = f.landmarks.as_mut().unwrap();
        let eyes = [
            f32::midpoint(l[0][0], l[1][0]),
            f32::midpoint(l[0][1], l[1][1]),
        ];
        l[0] = [eyes[0] - 4.0, eyes[1] - 1.5];
        l[1] = [eyes[0] + 4.0, eyes[1] + 1.5];
    }
    let r = run(&input);
    assert!(r.evidence.roll_deg.abs() < 3.0, "{r:?}");
    assert_eq!(r.class, FramingClass::UpperBody);
}

#[test]
fn box_alone_gives_the_same_classes() {
    for extent in [0.1, 0.7, 2.0, 4.2, 7.0] {
        let mut input = scene(extent, 0.3, 600, 0.0);
        let expected = run(&input).class;
        if let Some(f) = input.face.as_mut() {
            f.landmarks = None;
        }
        let r = run(&input);
        assert_eq!(r.class, expected, "extent {extent}");
        assert_eq!(r.evidence.head_height_landmarks_px, None);
    }
}

#[test]
fn head_cut_by_the_top_edge_is_scaled_by_the_landmarks() {
    // Headroom -0.4: the top edge runs through the forehead; a detector clips the box there.
    for extent in [0.1, 0.7, 2.0, 4.2] {
        let mut input = scene(extent, -0.4, 600, 0.0);
        if let Some(f) = input.face.as_mut() {
            let bottom = f.y + f.h;
            f.y = f.y.max(0.0);
            f.h = bottom - f.y;
        }
        let r = run(&input);
        assert!(r.evidence.face_cut);
        assert!((r.evidence.head_height_px - 100.0).abs() < 0.5, "{r:?}");
        assert!(r.evidence.headroom_heads < 0.0);
        assert_eq!(r.class, run(&scene(extent, 0.3, 600, 0.0)).class);
    }
}

#[test]
fn chin_below_the_frame_is_close_up() {
    // The frame ends between the mouth and the chin.
    let r = run(&scene(-0.12, 0.3, 600, 0.0));
    assert_eq!(r.class, FramingClass::CloseUp);
    assert!(r.evidence.below_chin_heads < 0.0);
}

#[test]
fn disagreeing_head_heights_lower_the_confidence() {
    let input = scene(2.0, 0.3, 600, 0.0);
    let base = run(&input);
    let mut loose = input;
    if let Some(f) = loose.face.as_mut() {
        // A box half again as tall as the face (hair, a hat, a loose detector).
        let grow = f.h * 0.5;
        f.y -= grow;
        f.h += grow;
    }
    let r = run(&loose);
    assert_eq!(r.class, base.class);
    assert!(
        r.confidence < base.confidence,
        "{} vs {}",
        r.confidence,
        base.confidence
    );
}

#[test]
fn unusual_headroom_lowers_the_confidence() {
    // Three head heights of sky above a head-shoulders subject: the face share says upper-body
    // or more, the extent says head-shoulders.
    let typical = run(&scene(0.7, 0.3, 600, 0.0));
    let sky = run(&scene(0.7, 3.0, 600, 0.0));
    assert_eq!(sky.class, FramingClass::HeadShoulders);
    assert!(sky.evidence.share_below_chin_heads > 2.0);
    assert!(sky.confidence < typical.confidence);
    assert!((sky.evidence.headroom_heads - 3.0).abs() < 0.02);
}

#[test]
fn evidence_shares_describe_the_frame() {
    let r = run(&scene(2.0, 0.3, 600, 0.0));
    let e = r.evidence;
    // Frame height 330 px, box height 85 px.
    assert!((e.face_height_share - 85.0 / 330.0).abs() < 0.01, "{e:?}");
    assert!(e.face_area_share > 0.0 && e.face_area_share < e.face_height_share);
    assert!((e.chin[0] - 300.0).abs() < 0.5 && (e.chin[1] - 130.0).abs() < 0.5);
}

#[test]
fn custom_thresholds_move_the_boundaries() {
    let t = FramingThresholds {
        upper_body_max_heads: 2.0,
        ..FramingThresholds::default()
    };
    let input = scene(2.5, 0.3, 600, 0.0);
    assert_eq!(run(&input).class, FramingClass::UpperBody);
    assert_eq!(classify(&input, &t).class, FramingClass::KneeUp);
}
