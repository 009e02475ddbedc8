//! The choice and the exclusions on synthetic candidates and hand-built manifests.

use std::collections::BTreeMap;

use zcurate_manifest::{AngleLabel, FacePhash, FramingClass, ImageRecord, Manifest};

use crate::candidates::{Candidate, Kind};
use crate::choose::choose;
use crate::{Decision, Exclusion, SelectSettings, plan};

fn settings(profile: &str) -> SelectSettings {
    let p = zcurate_lint::builtin(profile).expect("built-in profile");
    SelectSettings::new(
        profile,
        p.thresholds,
        zcurate_framing::FramingThresholds::default(),
    )
}

/// A usable candidate of photo `shot`.
fn cand(id: &str, shot: &str, framing: FramingClass, angle: AngleLabel, quality: f64) -> Candidate {
    Candidate {
        id: id.to_owned(),
        record: 0,
        source: id.to_owned(),
        kind: Kind::Original,
        framing,
        crop: None,
        width: 1024,
        height: 1024,
        face_px: 400.0,
        face_sharpness: 300.0,
        sharpness: Some(300.0),
        brightness: Some(0.5),
        contrast: Some(0.2),
        lighting: None,
        angle: Some(angle),
        expression: None,
        identity: None,
        grey: false,
        shot: shot.to_owned(),
        quality,
        exclusion: None,
    }
}

const FRONT: AngleLabel = AngleLabel::Front;
const LEFT: AngleLabel = AngleLabel::ThreeQuarterLeft;
const RIGHT: AngleLabel = AngleLabel::ThreeQuarterRight;

/// 40 photos: 24 close-up or head-shoulders, 10 upper-body, 6 knee-up crops' worth.
fn pool() -> Vec<Candidate> {
    let angles = [FRONT, LEFT, RIGHT, FRONT];
    let mut v = Vec::new();
    for i in 0..24 {
        let class = if i % 2 == 0 {
            FramingClass::CloseUp
        } else {
            FramingClass::HeadShoulders
        };
        v.push(cand(
            &format!("f{i:02}.jpg"),
            &format!("p{i:02}"),
            class,
            angles[i % 4],
            0.5 + (i % 5) as f64 / 10.0,
        ));
    }
    for i in 0..10 {
        v.push(cand(
            &format!("u{i:02}.jpg"),
            &format!("q{i:02}"),
            FramingClass::UpperBody,
            angles[i % 3],
            0.7,
        ));
    }
    v
}

fn ids(cands: &[Candidate], chosen: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = chosen.iter().map(|&i| cands[i].id.clone()).collect();
    v.sort();
    v
}

#[test]
fn the_face_targets_are_met() {
    let s = settings("face");
    let cands = pool();
    let c = choose(&cands, &s, &[]);
    assert_eq!(c.chosen.len(), 25, "the face profile's target is 18–25");
    let ub = c
        .chosen
        .iter()
        .filter(|&&i| cands[i].framing == FramingClass::UpperBody)
        .count();
    assert!((3..=5).contains(&ub), "{ub} upper-body");
    let tight = c.chosen.len() - ub;
    assert!(tight as f64 / 25.0 >= 0.7);
    // The spare upper-body shots say why.
    let spare_ub = c
        .spare
        .iter()
        .find(|(i, _)| cands[**i].framing == FramingClass::UpperBody)
        .unwrap();
    assert!(spare_ub.1.contains("upper-body"), "{}", spare_ub.1);
}

#[test]
fn the_character_mix_is_met() {
    let s = settings("character");
    let mut cands = pool();
    for i in 0..12 {
        cands.push(cand(
            &format!("k{i:02}.jpg"),
            &format!("r{i:02}"),
            FramingClass::KneeUp,
            [FRONT, LEFT, RIGHT][i % 3],
            0.6,
        ));
    }
    let c = choose(&cands, &s, &[]);
    let n = c.chosen.len();
    assert_eq!(n, 40);
    let share = |classes: &[FramingClass]| {
        c.chosen
            .iter()
            .filter(|&&i| classes.contains(&cands[i].framing))
            .count() as f64
            / n as f64
    };
    let face = share(&[FramingClass::CloseUp, FramingClass::HeadShoulders]);
    assert!((0.15..=0.5).contains(&face), "{face}");
    assert!(share(&[FramingClass::UpperBody]) >= 0.15);
    assert!(share(&[FramingClass::KneeUp, FramingClass::FullBody]) >= 0.2);
}

#[test]
fn a_new_photo_and_a_new_angle_win_over_quality() {
    let s = SelectSettings {
        count: Some(2),
        ..settings("face")
    };
    let cands = vec![
        cand("a.jpg", "p1", FramingClass::CloseUp, FRONT, 1.0),
        // The same photo again, better quality: a second crop of one photo comes last.
        cand("a2.jpg", "p1", FramingClass::HeadShoulders, FRONT, 1.0),
        cand("b.jpg", "p2", FramingClass::CloseUp, FRONT, 0.2),
        cand("c.jpg", "p3", FramingClass::CloseUp, LEFT, 0.2),
    ];
    let c = choose(&cands, &s, &[]);
    assert_eq!(ids(&cands, &c.chosen), ["a.jpg", "c.jpg"]);
}

#[test]
fn expression_and_lighting_count_as_variety() {
    let s = SelectSettings {
        count: Some(2),
        ..settings("face")
    };
    let mut a = cand("a.jpg", "p1", FramingClass::CloseUp, FRONT, 0.9);
    a.expression = Some("smiling".into());
    let mut b = cand("b.jpg", "p2", FramingClass::CloseUp, FRONT, 0.9);
    b.expression = Some("smiling".into());
    let mut c = cand("c.jpg", "p3", FramingClass::CloseUp, FRONT, 0.5);
    c.expression = Some("serious".into());
    let cands = vec![a.clone(), b.clone(), c];
    assert_eq!(
        ids(&cands, &choose(&cands, &s, &[]).chosen),
        ["a.jpg", "c.jpg"]
    );
    let mut d = cand("d.jpg", "p4", FramingClass::CloseUp, FRONT, 0.5);
    a.expression = None;
    b.expression = None;
    d.lighting = Some("low-key");
    let cands = vec![a, b, d];
    assert_eq!(
        ids(&cands, &choose(&cands, &s, &[]).chosen),
        ["a.jpg", "d.jpg"]
    );
}

#[test]
fn the_choice_does_not_depend_on_the_order() {
    let s = settings("face");
    let cands = pool();
    let first = ids(&cands, &choose(&cands, &s, &[]).chosen);
    let mut reversed = cands.clone();
    reversed.reverse();
    assert_eq!(ids(&reversed, &choose(&reversed, &s, &[]).chosen), first);
    let mut rotated = cands;
    rotated.rotate_left(13);
    assert_eq!(ids(&rotated, &choose(&rotated, &s, &[]).chosen), first);
}

#[test]
fn count_and_keep_overrule_the_profile() {
    let s = SelectSettings {
        count: Some(6),
        ..settings("face")
    };
    let cands = pool();
    let keep = cands.iter().position(|c| c.id == "u09.jpg").unwrap();
    let c = choose(&cands, &s, &[keep]);
    assert_eq!(c.chosen.len(), 6);
    assert!(c.chosen.contains(&keep));
}

#[test]
fn share_bounds_trim_a_full_set_but_never_below_the_target_size() {
    // 36 tight or upper-body shots and 6 knee-up ones: 40 images would hold 6 knee-up (15 %,
    // under the character profile's 20 %); 30 images hold them at 20 %.
    let s = settings("character");
    let angles = [FRONT, LEFT, RIGHT];
    let mut cands = pool();
    for i in 0..2 {
        cands.push(cand(
            &format!("x{i:02}.jpg"),
            &format!("s{i:02}"),
            FramingClass::HeadShoulders,
            angles[i % 3],
            0.6,
        ));
    }
    for i in 0..6 {
        cands.push(cand(
            &format!("k{i:02}.jpg"),
            &format!("r{i:02}"),
            FramingClass::KneeUp,
            angles[i % 3],
            0.6,
        ));
    }
    let c = choose(&cands, &s, &[]);
    let knee = c
        .chosen
        .iter()
        .filter(|&&i| cands[i].framing == FramingClass::KneeUp)
        .count();
    assert_eq!(knee, 6);
    assert_eq!(c.chosen.len(), 30, "6 knee-up shots are 20 % of 30");
    // With 2 knee-up shots their share cannot be met at 20 images or more, so it is not
    // chased; close-up + head-shoulders at most 50 % still is: 20 of 32 become 12 of 24.
    cands.retain(|c| c.framing != FramingClass::KneeUp || c.id.as_str() < "k02");
    let c = choose(&cands, &s, &[]);
    assert_eq!(c.chosen.len(), 24);
    let knee = c
        .chosen
        .iter()
        .filter(|&&i| cands[i].framing == FramingClass::KneeUp)
        .count();
    assert_eq!(knee, 2);
}

// Plans of hand-built manifests: the exclusions.

fn manifest(records: Vec<ImageRecord>) -> Manifest {
    let mut m = Manifest::new("src", zcurate_manifest::testing::scan_settings());
    m.images = records;
    m
}

fn rec(path: &str, class: FramingClass, angle: AngleLabel) -> ImageRecord {
    let mut r = zcurate_manifest::testing::record(path, class, angle);
    let h = u64::from_str_radix(r.phash.as_deref().unwrap(), 16).unwrap();
    r.phash_mirror = Some(format!("{:016x}", h.rotate_left(7)));
    r.face_phash = Some(FacePhash {
        phash: format!("{:016x}", h.rotate_left(19)),
        mirror: format!("{:016x}", h.rotate_left(31)),
    });
    r
}

fn decision<'a>(p: &'a crate::SelectPlan, id: &str) -> &'a Decision {
    let i = p
        .candidates
        .iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("no candidate {id}"));
    &p.decisions[i]
}

#[test]
fn copies_mirrors_and_crops_of_one_photo_count_once() {
    let a = rec("a.jpg", FramingClass::UpperBody, FRONT);
    // An exact copy, a near duplicate, a mirrored copy, and a user's crop of `a` whose frame
    // hash differs but whose face is the same.
    let mut exact = a.clone();
    exact.path = "exact.jpg".into();
    let mut near = rec("near.jpg", FramingClass::UpperBody, FRONT);
    let ha = u64::from_str_radix(a.phash.as_deref().unwrap(), 16).unwrap();
    near.phash = Some(format!("{:016x}", ha ^ 0b101));
    near.width = Some(1400);
    near.height = Some(1750);
    let mut mirrored = rec("mirror.jpg", FramingClass::UpperBody, FRONT);
    mirrored.phash = a.phash_mirror.clone();
    let mut crop = rec("crop.jpg", FramingClass::HeadShoulders, FRONT);
    crop.face_phash.clone_from(&a.face_phash);
    let other = rec("other.jpg", FramingClass::CloseUp, LEFT);
    let m = manifest(vec![a, crop, exact, mirrored, near, other]);
    let p = plan(&m, &settings("face"), &vec![None; 6], None).unwrap();
    let reason = |id| match decision(&p, id) {
        Decision::Drop { reason } => reason.clone(),
        d => panic!("{id}: {d:?}"),
    };
    assert!(matches!(reason("exact.jpg"), Exclusion::ExactCopy { of } if of == "a.jpg"));
    assert!(
        matches!(reason("near.jpg"), Exclusion::NearDuplicate { of, distance: 2 } if of == "a.jpg")
    );
    assert!(
        matches!(reason("mirror.jpg"), Exclusion::MirroredCopy { of, distance: 0 } if of == "a.jpg")
    );
    // `a`'s own head-shoulders crop and the user's crop show one photo at one framing.
    let hs = ["a.jpg@head-shoulders", "crop.jpg"];
    let kept: Vec<&str> = hs
        .iter()
        .copied()
        .filter(|id| decision(&p, id).output().is_some())
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", p.decisions);
    assert!(hs.iter().any(|id| matches!(
        decision(&p, id),
        Decision::Drop {
            reason: Exclusion::SamePhoto { .. }
        }
    )));
    // Both photos are in the set, `a` as the original and as a close-up.
    assert!(decision(&p, "a.jpg").output().is_some());
    assert!(decision(&p, "a.jpg@close-up").output().is_some());
    assert!(decision(&p, "other.jpg").output().is_some());
    assert!(!p.met(), "6 candidates cannot make a face set");
    assert!(
        p.missing.iter().any(|m| m.contains("more images")),
        "{:?}",
        p.missing
    );
}

#[test]
fn unusable_images_are_left_out_with_their_reason() {
    let mut blurry = rec("blurry.jpg", FramingClass::CloseUp, FRONT);
    blurry.faces.as_mut().unwrap()[0].sharpness = 10.0;
    let mut small = rec("small.jpg", FramingClass::CloseUp, FRONT);
    small.width = Some(120);
    small.height = Some(150);
    let mut group = rec("group.jpg", FramingClass::CloseUp, FRONT);
    group.face_summary.as_mut().unwrap().others = 2;
    let mut none = rec("none.jpg", FramingClass::NoFace, FRONT);
    none.faces = Some(Vec::new());
    none.face_summary.as_mut().unwrap().main = None;
    let mut broken = ImageRecord {
        path: "broken.jpg".into(),
        ..ImageRecord::default()
    };
    broken.error = Some(zcurate_manifest::RecordError {
        kind: zcurate_manifest::ErrorKind::Corrupt,
        message: "truncated".into(),
    });
    let mut stranger = rec("stranger.jpg", FramingClass::CloseUp, FRONT);
    stranger.grey = Some(false);
    let knee = rec("knee.jpg", FramingClass::KneeUp, LEFT);
    let good = rec("good.jpg", FramingClass::CloseUp, RIGHT);
    let m = manifest(vec![
        blurry, small, group, none, broken, stranger, knee, good,
    ]);
    let mut s = settings("face");
    s.identity = true;
    let identity: BTreeMap<usize, f32> = [(5, 0.05), (7, 1.0), (0, 0.8), (6, 0.7)].into();
    let p = plan(&m, &s, &vec![None; 8], Some(&identity)).unwrap();
    let code = |id| match decision(&p, id) {
        Decision::Drop { reason } => reason.code(),
        d => panic!("{id}: {d:?}"),
    };
    assert_eq!(code("blurry.jpg"), "blurry-face");
    assert_eq!(code("small.jpg"), "too-small");
    assert_eq!(code("group.jpg"), "several-faces");
    assert_eq!(code("none.jpg"), "no-face");
    assert_eq!(code("broken.jpg"), "scan-error");
    assert_eq!(code("stranger.jpg"), "other-person");
    // A knee-up shot is not a face-set image; its crops are.
    assert_eq!(code("knee.jpg"), "framing-not-wanted");
    assert!(decision(&p, "knee.jpg@close-up").output().is_some());
    assert!(decision(&p, "good.jpg").output().is_some());
    let text = match decision(&p, "small.jpg") {
        Decision::Drop { reason } => reason.to_string(),
        _ => unreachable!(),
    };
    assert!(text.contains("120 px") && text.contains("512"), "{text}");
}

#[test]
fn keep_and_drop_overrule_the_rules() {
    let mut blurry = rec("blurry.jpg", FramingClass::CloseUp, FRONT);
    blurry.faces.as_mut().unwrap()[0].sharpness = 10.0;
    let good = rec("good.jpg", FramingClass::CloseUp, RIGHT);
    let m = manifest(vec![blurry, good]);
    let mut s = settings("face");
    s.keep = vec!["blurry.jpg".into()];
    s.drop = vec!["good.jpg".into()];
    let p = plan(&m, &s, &[None, None], None).unwrap();
    assert!(decision(&p, "blurry.jpg").output().is_some());
    assert!(matches!(
        decision(&p, "good.jpg"),
        Decision::Drop {
            reason: Exclusion::Dropped
        }
    ));
    s.keep = vec!["nope.jpg".into()];
    assert!(
        plan(&m, &s, &[None, None], None)
            .unwrap_err()
            .to_string()
            .contains("nope.jpg")
    );
}

#[test]
fn a_folder_without_faces_is_an_error() {
    let mut none = rec("none.jpg", FramingClass::NoFace, FRONT);
    none.face_summary.as_mut().unwrap().main = None;
    let e = plan(&manifest(vec![none]), &settings("face"), &[None], None).unwrap_err();
    assert!(e.to_string().contains("usable face"), "{e}");
    let e = plan(&manifest(vec![]), &settings("face"), &[], None).unwrap_err();
    assert!(e.to_string().contains("no images"), "{e}");
}

#[test]
fn output_names_never_collide_and_name_the_source() {
    let a = rec("a.jpg", FramingClass::UpperBody, FRONT);
    let b = rec("a.png", FramingClass::CloseUp, LEFT);
    // A source named like a crop of `a`.
    let c = rec("a_jpg_close-up.jpg", FramingClass::CloseUp, RIGHT);
    let m = manifest(vec![a, b, c]);
    let p = plan(&m, &settings("face"), &[None, None, None], None).unwrap();
    let outs: Vec<&str> = p
        .chosen
        .iter()
        .map(|&i| p.decisions[i].output().unwrap())
        .collect();
    let mut stems: Vec<String> = outs
        .iter()
        .map(|o| o.rsplit_once('.').unwrap().0.to_lowercase())
        .collect();
    stems.sort();
    let n = stems.len();
    stems.dedup();
    assert_eq!(stems.len(), n, "{outs:?}");
    assert!(
        outs.contains(&"a_jpg.jpg") && outs.contains(&"a_png.png"),
        "{outs:?}"
    );
    assert!(
        outs.iter().any(|o| o.starts_with("a_jpg_close-up")),
        "{outs:?}"
    );
}
