//! The labelled set with the face boxes and landmarks measured by eye (landmarks.toml) standing
//! in for a detector: checks the classifier alone, without photos or models.

mod common;

use common::{Fixtures, Outcome, Score, hand_face_in_crop};
use zcurate_framing::{FramingInput, FramingThresholds, classify};
use zcurate_manifest::FramingClass;

#[test]
fn labelled_set_with_hand_measured_faces_meets_the_bar() {
    let fx = Fixtures::load();
    let t = FramingThresholds::default();
    let outcomes: Vec<Outcome<'_>> = fx
        .cases
        .iter()
        .map(|case| {
            let subject = fx.subject(&case.subject);
            let input = FramingInput {
                image_width: case.crop[2],
                image_height: case.crop[3],
                face: hand_face_in_crop(subject, case.crop),
            };
            Outcome {
                case,
                result: classify(&input, &t),
                remark: String::new(),
            }
        })
        .collect();
    let score = Score::of(&outcomes);
    println!("{}", score.report);
    score.assert_bar();
}

#[test]
fn labelled_set_is_well_formed() {
    let fx = Fixtures::load();
    assert!(fx.cases.len() >= 24, "at least 24 cases");
    let mut names = std::collections::BTreeSet::new();
    for case in &fx.cases {
        assert!(names.insert(&case.name), "case name `{}` twice", case.name);
        let subject = fx.subject(&case.subject);
        let photo = fx.photo(&subject.photo);
        let [x, y, w, h] = case.crop;
        assert!(
            w > 0 && h > 0 && x + w <= photo.width && y + h <= photo.height,
            "{}: crop outside {}",
            case.name,
            photo.file
        );
        assert!(
            case.name.ends_with(case.orientation()),
            "{}: name must end in -{}",
            case.name,
            case.orientation()
        );
        if case.expected != FramingClass::NoFace {
            assert!(
                hand_face_in_crop(subject, case.crop).is_some(),
                "{}: the subject's eyes are outside the crop",
                case.name
            );
        }
    }
    for class in FramingClass::BODY {
        for orientation in ["portrait", "landscape"] {
            let n = fx
                .cases
                .iter()
                .filter(|c| c.expected == class && c.orientation() == orientation)
                .count();
            // No photo has a standing figure in a landscape frame down to the knees.
            if (class, orientation) != (FramingClass::KneeUp, "landscape") {
                assert!(n > 0, "no {orientation} {class} case");
            }
        }
    }
    for subject in &fx.landmarks.subject {
        let photo = fx.photo(&subject.photo);
        assert!(subject.head_top < subject.chin && subject.chin < photo.height as f32);
        let mut last = subject.chin;
        for key in [
            "neck_base",
            "shoulders",
            "mid_chest",
            "waist",
            "hips",
            "crotch",
            "knees",
            "feet",
        ] {
            if let Some(&y) = subject.body.get(key) {
                assert!(y <= photo.height as f32, "{}: {key} outside", subject.id);
                // Shoulders may sit above the neck base on a hunched figure.
                if key != "shoulders" && key != "mid_chest" {
                    assert!(
                        y >= last,
                        "{}: {key} above the previous landmark",
                        subject.id
                    );
                }
                last = last.max(y);
            }
        }
        for key in subject.body.keys() {
            assert!(
                [
                    "neck_base",
                    "shoulders",
                    "mid_chest",
                    "waist",
                    "hips",
                    "crotch",
                    "knees",
                    "feet"
                ]
                .contains(&key.as_str()),
                "{}: unknown body landmark `{key}`",
                subject.id
            );
        }
    }
}
