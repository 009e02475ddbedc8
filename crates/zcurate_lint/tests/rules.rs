//! One test per rule: a small hand-built dataset where the rule fires (its findings are
//! snapshotted) and one where it must stay silent. Face records are written by hand, so no
//! model runs here.

mod common;

use common::*;
use zcurate_lint::{BaseModel, LintSettings, Rule, Severity};
use zcurate_manifest::{
    AngleLabel, BorderContact, ColourKind, DirError, ErrorKind, FramingClass, Manifest, RecordError,
};

/// Lints `m` with only `rule` and snapshots its findings as `name`.
fn fires(name: &str, m: &Manifest, rule: Rule, settings: Option<LintSettings>) {
    let report = lint_rule(m, rule, settings);
    assert!(
        !report.findings.is_empty(),
        "{name}: {} found nothing",
        rule.code()
    );
    assert!(report.findings.iter().all(|f| f.rule == rule));
    insta::assert_snapshot!(name, concise(&report.findings));
}

/// Lints `m` with only `rule` and expects nothing.
fn silent(m: &Manifest, rule: Rule, settings: Option<LintSettings>) {
    let report = lint_rule(m, rule, settings);
    assert!(
        report.findings.is_empty(),
        "{} should stay silent:\n{}",
        rule.code(),
        concise(&report.findings)
    );
}

fn error(kind: ErrorKind, message: &str) -> RecordError {
    RecordError {
        kind,
        message: message.into(),
    }
}

/// Marks image `i` undecodable with `kind`.
fn broken(m: &mut Manifest, i: usize, kind: ErrorKind, message: &str) {
    let path = m.images[i].path.clone();
    m.images[i] = zcurate_manifest::ImageRecord {
        path,
        bytes: 10,
        sha256: Some(format!("{:064x}", 900 + i)),
        error: Some(error(kind, message)),
        ..Default::default()
    };
}

fn with_plan(f: impl FnOnce(&mut zcurate_lint::PlanOptions)) -> LintSettings {
    let mut s = LintSettings::with_profile("face");
    f(&mut s.plan);
    s
}

#[test]
fn clean_dataset_passes_every_rule() {
    let mut m = clean();
    embed_all(&mut m, |_| 1);
    let mut s = LintSettings::with_profile("face");
    s.identity = true;
    s.plan = zcurate_lint::PlanOptions {
        base_model: Some(BaseModel::ZImageTurbo),
        steps: Some(2500),
        batch_size: Some(1),
        repeats: Some(1),
        caption_dropout: Some(0.05),
        lora_dropout: Some(0.05),
        training_adapter: Some(true),
    };
    let report = zcurate_lint::lint(&m, &s);
    assert!(report.findings.is_empty(), "{}", concise(&report.findings));
    assert!(
        report.summary.skipped.is_empty(),
        "{:?}",
        report.summary.skipped
    );
    assert!(!report.failed());
}

#[test]
fn img001_unreadable_image() {
    let mut m = clean();
    broken(&mut m, 3, ErrorKind::Corrupt, "truncated JPEG data");
    broken(&mut m, 4, ErrorKind::Empty, "empty file");
    broken(
        &mut m,
        5,
        ErrorKind::Limits,
        // As the scan records it: the decoder's own message.
        "exceeds decode limits: 100000×100000 px is larger than the 16384×16384 px limit",
    );
    m.dir_errors.push(DirError {
        path: "locked".into(),
        message: "permission denied".into(),
    });
    fires("IMG001", &m, Rule::UnreadableImage, None);
    silent(&clean(), Rule::UnreadableImage, None);
}

#[test]
fn img002_unsupported_format() {
    let mut m = clean();
    broken(&mut m, 2, ErrorKind::Unsupported, "HEIC image");
    m.images[6].format = Some("gif".into());
    m.images[7].format = Some("tiff".into());
    fires("IMG002", &m, Rule::UnsupportedFormat, None);
    let mut ok = clean();
    ok.images[6].format = Some("webp".into());
    ok.images[7].format = Some("png".into());
    silent(&ok, Rule::UnsupportedFormat, None);
}

#[test]
fn img003_image_too_small() {
    let mut m = clean();
    (m.images[1].width, m.images[1].height) = (Some(768), Some(960));
    (m.images[2].width, m.images[2].height) = (Some(1600), Some(900));
    fires("IMG003", &m, Rule::ImageTooSmall, None);
    let mut ok = clean();
    (ok.images[1].width, ok.images[1].height) = (Some(1024), Some(1024));
    silent(&ok, Rule::ImageTooSmall, None);
}

#[test]
fn img004_extreme_aspect_ratio() {
    let mut m = clean();
    (m.images[1].width, m.images[1].height) = (Some(1024), Some(2400));
    (m.images[2].width, m.images[2].height) = (Some(3200), Some(1024));
    fires("IMG004", &m, Rule::ExtremeAspectRatio, None);
    // 2.34:1 is fine for the character profile (2.5:1), 2:1 exactly for face.
    let mut ok = clean();
    (ok.images[1].width, ok.images[1].height) = (Some(1024), Some(2048));
    silent(&ok, Rule::ExtremeAspectRatio, None);
    let mut tall = clean();
    (tall.images[1].width, tall.images[1].height) = (Some(1024), Some(2400));
    silent(
        &tall,
        Rule::ExtremeAspectRatio,
        Some(LintSettings::with_profile("character")),
    );
}

#[test]
fn img005_exif_rotated_image() {
    let mut m = clean();
    m.images[0].exif_orientation = Some(6);
    m.images[1].exif_orientation = Some(3);
    fires("IMG005", &m, Rule::ExifRotatedImage, None);
    let mut ok = clean();
    ok.images[0].exif_orientation = Some(1);
    silent(&ok, Rule::ExifRotatedImage, None);
}

#[test]
fn img006_transparent_image() {
    let mut m = clean();
    m.images[4].alpha_present = true;
    m.images[4].alpha_used = true;
    fires("IMG006", &m, Rule::TransparentImage, None);
    // An alpha channel that is fully opaque is harmless.
    let mut ok = clean();
    ok.images[4].alpha_present = true;
    silent(&ok, Rule::TransparentImage, None);
}

#[test]
fn img007_cmyk_image() {
    let mut m = clean();
    m.images[8].colour = Some(ColourKind::Cmyk);
    fires("IMG007", &m, Rule::CmykImage, None);
    let mut ok = clean();
    ok.images[8].colour = Some(ColourKind::Grey);
    silent(&ok, Rule::CmykImage, None);
}

#[test]
fn img008_high_bit_depth_image() {
    let mut m = clean();
    m.images[8].bits_per_channel = Some(16);
    fires("IMG008", &m, Rule::HighBitDepthImage, None);
    silent(&clean(), Rule::HighBitDepthImage, None);
}

#[test]
fn img009_animated_image() {
    let mut m = clean();
    m.images[8].animated = true;
    fires("IMG009", &m, Rule::AnimatedImage, None);
    silent(&clean(), Rule::AnimatedImage, None);
}

#[test]
fn img010_extension_mismatch() {
    let mut m = clean();
    m.images[3].path = "img_03.png".into();
    m.images[3].extension_mismatch = true;
    fires("IMG010", &m, Rule::ExtensionMismatch, None);
    silent(&clean(), Rule::ExtensionMismatch, None);
}

#[test]
fn img011_image_far_too_small() {
    // A 120 px face among good photos: an error in the face profile (the gate refuses it by
    // name), a warning for character; 600 px (over half of 1024) is only IMG003's warning.
    let mut m = clean();
    (m.images[1].width, m.images[1].height) = (Some(120), Some(150));
    (m.images[2].width, m.images[2].height) = (Some(1600), Some(500));
    fires("IMG011", &m, Rule::ImageFarTooSmall, None);
    let face = lint_rule(&m, Rule::ImageFarTooSmall, None);
    assert!(face.findings.iter().all(|f| f.severity == Severity::Error));
    assert!(face.failed());
    let character = lint_rule(
        &m,
        Rule::ImageFarTooSmall,
        Some(LintSettings::with_profile("character")),
    );
    assert_eq!(character.findings.len(), 2);
    assert!(
        character
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    let mut ok = clean();
    (ok.images[1].width, ok.images[1].height) = (Some(600), Some(600));
    silent(&ok, Rule::ImageFarTooSmall, None);

    // With both rules on, each small image is reported once: IMG011 the far one, IMG003 the
    // 600 px one.
    (m.images[3].width, m.images[3].height) = (Some(600), Some(600));
    let mut s = LintSettings::with_profile("face");
    s.rules = [Rule::ImageTooSmall, Rule::ImageFarTooSmall]
        .into_iter()
        .map(|r| (r, s.severity(r).unwrap_or(r.meta().severity)))
        .collect();
    let both = zcurate_lint::lint(&m, &s);
    let by = |rule: Rule| {
        both.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.path.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(Rule::ImageFarTooSmall),
        [m.images[1].path.clone(), m.images[2].path.clone()]
    );
    assert_eq!(by(Rule::ImageTooSmall), [m.images[3].path.clone()]);
}

#[test]
fn qlt001_blurry_image() {
    let mut m = clean();
    m.images[5].sharpness = Some(12.5);
    fires("QLT001", &m, Rule::BlurryImage, None);
    // Just above the face profile's threshold stays silent.
    let min = zcurate_lint::builtin("face")
        .unwrap()
        .thresholds
        .min_sharpness;
    let mut ok = clean();
    ok.images[5].sharpness = Some(min * 1.05);
    silent(&ok, Rule::BlurryImage, None);
}

#[test]
fn qlt002_dark_image() {
    let mut m = clean();
    m.images[5].luma_p99 = Some(0.25);
    fires("QLT002", &m, Rule::DarkImage, None);
    let mut ok = clean();
    ok.images[5].luma_p99 = Some(0.32);
    silent(&ok, Rule::DarkImage, None);
}

#[test]
fn qlt003_overexposed_image() {
    let mut m = clean();
    m.images[5].luma_p05 = Some(0.97);
    fires("QLT003", &m, Rule::OverexposedImage, None);
    let mut ok = clean();
    ok.images[5].luma_p05 = Some(0.95);
    silent(&ok, Rule::OverexposedImage, None);
}

#[test]
fn qlt004_low_contrast_image() {
    let mut m = clean();
    m.images[5].contrast = Some(0.05);
    fires("QLT004", &m, Rule::LowContrastImage, None);
    let mut ok = clean();
    ok.images[5].contrast = Some(0.08);
    silent(&ok, Rule::LowContrastImage, None);
}

#[test]
fn qlt005_low_information_image() {
    let mut m = clean();
    m.images[5].entropy = Some(2.1);
    fires("QLT005", &m, Rule::LowInformationImage, None);
    let mut ok = clean();
    ok.images[5].entropy = Some(3.0);
    silent(&ok, Rule::LowInformationImage, None);
}

#[test]
fn qlt006_greyscale_in_colour_set() {
    let mut m = clean();
    m.images[2].grey = Some(true);
    m.images[11].grey = Some(true);
    fires("QLT006", &m, Rule::GreyscaleInColourSet, None);
    // An all-grey set is a style.
    let mut grey = clean();
    for r in &mut grey.images {
        r.grey = Some(true);
    }
    silent(&grey, Rule::GreyscaleInColourSet, None);
}

#[test]
fn dup001_exact_duplicate() {
    let mut m = clean();
    let sha = m.images[4].sha256.clone();
    m.images[5].sha256.clone_from(&sha);
    m.images[9].sha256 = sha;
    fires("DUP001", &m, Rule::ExactDuplicate, None);
    silent(&clean(), Rule::ExactDuplicate, None);
}

#[test]
fn dup002_near_duplicate() {
    let mut m = clean();
    let base = u64::from_str_radix(m.images[3].phash.as_deref().unwrap(), 16).unwrap();
    // 7 is 3 bits from 3; 8 is 4 bits from 7 (and 7 from 3): one group, linked through 7.
    m.images[7].phash = Some(format!("{:016x}", base ^ 0b111));
    m.images[8].phash = Some(format!("{:016x}", base ^ 0b111 ^ 0b1111 << 20));
    // 3 is the largest, so it is kept.
    (m.images[3].width, m.images[3].height) = (Some(2048), Some(2560));
    // An exact copy of 3 is DUP001's, not a near-duplicate.
    let (sha, phash) = (m.images[3].sha256.clone(), m.images[3].phash.clone());
    m.images[12].sha256 = sha;
    m.images[12].phash = phash;
    fires("DUP002", &m, Rule::NearDuplicate, None);
    let mut ok = clean();
    ok.images[7].phash = Some(format!("{:016x}", base ^ 0b11_1111));
    ok.images[3].phash = Some(format!("{base:016x}"));
    silent(&ok, Rule::NearDuplicate, None);

    // A larger greyscale copy does not win over the colour original: keep the colour one.
    m.images[3].grey = Some(true);
    let report = lint_rule(&m, Rule::NearDuplicate, None);
    let flagged: Vec<&str> = report
        .findings
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    assert!(flagged.contains(&m.images[3].path.as_str()), "{flagged:?}");
    assert!(
        report.findings.iter().all(|f| f
            .fix
            .as_deref()
            .is_some_and(|fix| !fix.contains(&m.images[3].path))),
        "{:#?}",
        report.findings
    );
}

#[test]
fn face001_no_face() {
    let mut m = clean();
    set_framing(&mut m, 2, FramingClass::NoFace);
    m.images[9].error = Some(error(ErrorKind::Faces, "inference failed: out of memory"));
    fires("FACE001", &m, Rule::NoFace, None);
    // The face profile makes it an error, character a warning.
    let report = lint_rule(&m, Rule::NoFace, None);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Error)
    );
    let report = lint_rule(
        &m,
        Rule::NoFace,
        Some(LintSettings::with_profile("character")),
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    silent(&clean(), Rule::NoFace, None);
}

#[test]
fn face_rules_are_skipped_without_face_detection() {
    let m = without_faces(clean());
    let report = lint_rule(&m, Rule::NoFace, None);
    assert!(report.findings.is_empty());
    assert_eq!(report.summary.skipped.len(), 1);
    assert_eq!(report.summary.skipped[0].rules, [Rule::NoFace]);
    assert!(
        report.summary.skipped[0]
            .reason
            .contains("no face detection")
    );
}

#[test]
fn face002_multiple_faces() {
    let mut m = clean();
    let r = &mut m.images[6];
    let extra = face(1024, 1280, 120.0, AngleLabel::Front);
    r.faces.as_mut().unwrap().extend([extra.clone(), extra]);
    r.face_summary.as_mut().unwrap().others = 2;
    fires("FACE002", &m, Rule::MultipleFaces, None);
    silent(&clean(), Rule::MultipleFaces, None);
}

#[test]
fn face003_face_too_small() {
    let mut m = clean();
    m.images[6].faces = Some(vec![face(1024, 1280, 150.0, AngleLabel::Front)]);
    // A 4000×5000 file: a 400 px face shrinks to 92 px at 1024².
    (m.images[7].width, m.images[7].height) = (Some(4000), Some(5000));
    m.images[7].faces = Some(vec![face(4000, 5000, 400.0, AngleLabel::Front)]);
    fires("FACE003", &m, Rule::FaceTooSmall, None);
    let mut ok = clean();
    ok.images[6].faces = Some(vec![face(1024, 1280, 220.0, AngleLabel::Front)]);
    silent(&ok, Rule::FaceTooSmall, None);
    // The character profile accepts the 134 px face, not the 92 px one.
    let report = lint_rule(
        &m,
        Rule::FaceTooSmall,
        Some(LintSettings::with_profile("character")),
    );
    let paths: Vec<_> = report
        .findings
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    assert_eq!(paths, ["img_07.jpg"]);
}

#[test]
fn face004_face_cut_off() {
    let mut m = clean();
    m.images[6].faces.as_mut().unwrap()[0].border = BorderContact::Cut;
    fires("FACE004", &m, Rule::FaceCutOff, None);
    let mut ok = clean();
    ok.images[6].faces.as_mut().unwrap()[0].border = BorderContact::Touches;
    silent(&ok, Rule::FaceCutOff, None);
}

#[test]
fn face005_blurry_face() {
    let mut m = clean();
    m.images[6].faces.as_mut().unwrap()[0].sharpness = 20.0;
    fires("FACE005", &m, Rule::BlurryFace, None);
    let mut ok = clean();
    ok.images[6].faces.as_mut().unwrap()[0].sharpness = 40.0;
    silent(&ok, Rule::BlurryFace, None);
}

#[test]
fn set001_dataset_size_out_of_range() {
    let mut few = clean();
    few.images.truncate(10);
    fires("SET001_few", &few, Rule::DatasetSizeOutOfRange, None);
    let mut many = clean();
    many.images = (0..45).map(image).collect();
    fires("SET001_many", &many, Rule::DatasetSizeOutOfRange, None);
    // 45 images are within the character profile's range.
    silent(
        &many,
        Rule::DatasetSizeOutOfRange,
        Some(LintSettings::with_profile("character")),
    );
    silent(&clean(), Rule::DatasetSizeOutOfRange, None);
}

/// The broad "face" set of the domain notes: mixed framings.
fn broad() -> Manifest {
    let mut m = clean();
    for i in [1, 3, 5, 7, 9] {
        set_framing(&mut m, i, FramingClass::UpperBody);
    }
    for i in [11, 13] {
        set_framing(&mut m, i, FramingClass::KneeUp);
    }
    for i in [15, 17] {
        set_framing(&mut m, i, FramingClass::FullBody);
    }
    m
}

#[test]
fn set002_framing_mix_off_target() {
    fires("SET002", &broad(), Rule::FramingMixOffTarget, None);
    // The character profile wants body shots: the clean face set misses them.
    fires(
        "SET002_character",
        &clean(),
        Rule::FramingMixOffTarget,
        Some(LintSettings::with_profile("character")),
    );
    let mut ok = clean();
    set_framing(&mut ok, 1, FramingClass::UpperBody);
    silent(&ok, Rule::FramingMixOffTarget, None);
}

#[test]
fn set003_low_angle_variety() {
    let mut m = clean();
    for r in &mut m.images[1..] {
        let f = &mut r.faces.as_mut().unwrap()[0];
        f.angle = Some(AngleLabel::Front);
    }
    fires("SET003", &m, Rule::LowAngleVariety, None);
    silent(&clean(), Rule::LowAngleVariety, None);
    // Too few faces to judge.
    let mut few = m.clone();
    few.images.truncate(5);
    silent(&few, Rule::LowAngleVariety, None);
}

#[test]
fn set004_repeated_composition() {
    let mut m = clean();
    for r in &mut m.images[..14] {
        r.faces.as_mut().unwrap()[0].angle = Some(AngleLabel::Front);
        r.framing.as_mut().unwrap().class = FramingClass::CloseUp;
    }
    fires("SET004", &m, Rule::RepeatedComposition, None);
    silent(&clean(), Rule::RepeatedComposition, None);
}

#[test]
fn cap001_missing_caption() {
    let mut m = clean();
    for i in [4, 13] {
        m.images[i].caption_path = None;
        m.images[i].caption = None;
    }
    fires("CAP001", &m, Rule::MissingCaption, None);
    silent(&clean(), Rule::MissingCaption, None);
}

#[test]
fn cap002_empty_caption() {
    let mut m = clean();
    m.images[4].caption = Some("  \n".into());
    fires("CAP002", &m, Rule::EmptyCaption, None);
    silent(&clean(), Rule::EmptyCaption, None);
}

#[test]
fn cap003_unreadable_caption() {
    let mut m = clean();
    m.images[4].caption = None;
    // The scan's two messages: text that is not UTF-8, a file that cannot be read at all.
    m.images[4].error = Some(error(
        ErrorKind::Caption,
        "caption img_04.txt is not valid UTF-8 (invalid utf-8 sequence of 1 bytes from index 8)",
    ));
    m.images[5].caption = None;
    m.images[5].error = Some(error(
        ErrorKind::Caption,
        "cannot read caption img_05.txt: Permission denied (os error 13)",
    ));
    fires("CAP003", &m, Rule::UnreadableCaption, None);
    // CAP001 does not also call it missing.
    silent(&m, Rule::MissingCaption, None);
    silent(&clean(), Rule::UnreadableCaption, None);
}

#[test]
fn cap004_orphan_caption() {
    let mut m = clean();
    m.orphan_captions = vec!["deleted.txt".into(), "sub/old.txt".into()];
    fires("CAP004", &m, Rule::OrphanCaption, None);
    silent(&clean(), Rule::OrphanCaption, None);
}

#[test]
fn cap005_missing_trigger() {
    let mut m = clean();
    for i in [2, 7] {
        let c = m.images[i].caption.take().unwrap();
        m.images[i].caption = Some(c.replacen("zq woman", "a woman", 1));
    }
    fires("CAP005", &m, Rule::MissingTrigger, None);
    // No trigger set and none to infer: one dataset-level finding.
    let mut none = clean();
    for r in &mut none.images {
        let c = r.caption.take().unwrap();
        r.caption = Some(c.replacen("zq woman", "woman", 1));
    }
    fires("CAP005_none", &none, Rule::MissingTrigger, None);
    silent(&clean(), Rule::MissingTrigger, None);
}

#[test]
fn cap006_misspelled_trigger() {
    let mut m = clean();
    let c = m.images[3].caption.take().unwrap();
    m.images[3].caption = Some(c.replacen("zq", "ZQ", 1));
    fires("CAP006", &m, Rule::MisspelledTrigger, None);
    // A configured longer trigger tolerates one typo as a variant.
    let mut long = clean();
    for r in &mut long.images {
        let c = r.caption.take().unwrap();
        r.caption = Some(c.replacen("zq", "ohwx", 1));
    }
    let c = long.images[5].caption.take().unwrap();
    long.images[5].caption = Some(c.replacen("ohwx", "owhx", 1));
    let mut s = LintSettings::with_profile("face");
    s.trigger = Some("ohwx".into());
    fires("CAP006_typo", &long, Rule::MisspelledTrigger, Some(s));
    silent(&clean(), Rule::MisspelledTrigger, None);
}

#[test]
fn cap007_trigger_not_first() {
    let mut m = clean();
    m.images[3].caption = Some("close-up, zq woman, front view, smiling, soft light".into());
    m.images[4].caption = Some("a photo of zq woman, front view, smiling".into());
    fires("CAP007", &m, Rule::TriggerNotFirst, None);
    silent(&clean(), Rule::TriggerNotFirst, None);
}

#[test]
fn cap008_mixed_class_words() {
    let mut m = clean();
    for i in [3, 8] {
        let c = m.images[i].caption.take().unwrap();
        m.images[i].caption = Some(c.replacen("woman", "man", 1));
    }
    let c = m.images[10].caption.take().unwrap();
    m.images[10].caption = Some(c.replacen("woman", "person", 1));
    fires("CAP008", &m, Rule::MixedClassWords, None);
    // A configured class word wins over the majority.
    let mut s = LintSettings::with_profile("face");
    s.class_word = Some("person".into());
    fires("CAP008_configured", &m, Rule::MixedClassWords, Some(s));
    silent(&clean(), Rule::MixedClassWords, None);
}

/// Captions naming a different outfit and place in most images.
fn wordy() -> Manifest {
    const CLOTHES: [&str; 6] = [
        "red dress",
        "black leather jacket",
        "white t-shirt",
        "blue sweater",
        "denim jacket",
        "green coat",
    ];
    const PLACES: [&str; 5] = [
        "in a park",
        "on a city street",
        "at the beach",
        "in a cafe",
        "in the office",
    ];
    let mut m = clean();
    for (i, r) in m.images.iter_mut().enumerate().take(14) {
        let c = r.caption.take().unwrap();
        r.caption = Some(format!(
            "{c}, wearing a {}, {}",
            CLOTHES[i % 6],
            PLACES[i % 5]
        ));
    }
    m
}

#[test]
fn cap009_high_caption_slot_entropy() {
    fires("CAP009", &wordy(), Rule::HighCaptionSlotEntropy, None);
    // The character schema wants clothing and places.
    silent(
        &wordy(),
        Rule::HighCaptionSlotEntropy,
        Some(LintSettings::with_profile("character")),
    );
    silent(&clean(), Rule::HighCaptionSlotEntropy, None);
}

#[test]
fn cap010_caption_too_long() {
    let mut m = clean();
    m.images[9].caption = Some(
        "zq woman wearing a dark suit, white shirt and blue tie, standing in front of a flag at a \
         press conference in a large hall, with microphones and a crowd of journalists"
            .into(),
    );
    fires("CAP010", &m, Rule::CaptionTooLong, None);
    silent(&clean(), Rule::CaptionTooLong, None);
}

#[test]
fn cap011_duplicate_caption() {
    let mut m = clean();
    let c = m.images[0].caption.clone();
    m.images[5].caption.clone_from(&c);
    m.images[10].caption = c.map(|c| c.to_uppercase().replace("ZQ", "zq"));
    fires("CAP011", &m, Rule::DuplicateCaption, None);
    silent(&clean(), Rule::DuplicateCaption, None);
}

#[test]
fn cap012_constant_caption_slot() {
    // `short hair` in every caption: constant; glasses in some: a change, fine.
    let mut m = clean();
    for (i, r) in m.images.iter_mut().enumerate() {
        let extra = if i % 3 == 0 {
            ", short hair, glasses"
        } else {
            ", short hair"
        };
        r.caption = r.caption.take().map(|c| c + extra);
    }
    fires("CAP012", &m, Rule::ConstantCaptionSlot, None);
    silent(&clean(), Rule::ConstantCaptionSlot, None);
}

#[test]
fn plan001_turbo_without_adapter() {
    let off = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.training_adapter = Some(false);
    });
    fires("PLAN001", &clean(), Rule::TurboWithoutAdapter, Some(off));
    let unset = with_plan(|p| p.base_model = Some(BaseModel::ZImageTurbo));
    fires(
        "PLAN001_unset",
        &clean(),
        Rule::TurboWithoutAdapter,
        Some(unset),
    );
    let on = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.training_adapter = Some(true);
    });
    silent(&clean(), Rule::TurboWithoutAdapter, Some(on));
    let base = with_plan(|p| p.base_model = Some(BaseModel::ZImage));
    silent(&clean(), Rule::TurboWithoutAdapter, Some(base));
}

#[test]
fn plan002_turbo_run_too_long() {
    let long = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.steps = Some(4500);
        p.repeats = Some(10);
    });
    fires("PLAN002", &clean(), Rule::TurboRunTooLong, Some(long));
    let batched = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.steps = Some(2000);
        p.batch_size = Some(2);
    });
    fires(
        "PLAN002_batch",
        &clean(),
        Rule::TurboRunTooLong,
        Some(batched),
    );
    let ok = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.steps = Some(2500);
    });
    silent(&clean(), Rule::TurboRunTooLong, Some(ok));
}

#[test]
fn plan003_caption_dropout_out_of_range() {
    let high = with_plan(|p| p.caption_dropout = Some(0.3));
    fires(
        "PLAN003_high",
        &clean(),
        Rule::CaptionDropoutOutOfRange,
        Some(high),
    );
    let zero = with_plan(|p| p.caption_dropout = Some(0.0));
    fires(
        "PLAN003_zero",
        &clean(),
        Rule::CaptionDropoutOutOfRange,
        Some(zero),
    );
    let ok = with_plan(|p| p.caption_dropout = Some(0.1));
    silent(&clean(), Rule::CaptionDropoutOutOfRange, Some(ok));
}

#[test]
fn plan004_missing_lora_dropout() {
    let mut broad_wordy = broad();
    broad_wordy.images = broad_wordy
        .images
        .into_iter()
        .zip(wordy().images)
        .map(|(mut a, b)| {
            a.caption = b.caption;
            a
        })
        .collect();
    let plan = with_plan(|p| p.base_model = Some(BaseModel::ZImage));
    fires(
        "PLAN004",
        &broad_wordy,
        Rule::MissingLoraDropout,
        Some(plan.clone()),
    );
    // No risks, no finding; a dropout set, no finding.
    silent(&clean(), Rule::MissingLoraDropout, Some(plan));
    let dropout = with_plan(|p| p.lora_dropout = Some(0.05));
    silent(&broad_wordy, Rule::MissingLoraDropout, Some(dropout));
}

#[test]
fn plan005_failing_dataset_on_turbo() {
    let mut m = broad();
    m.images[4].caption = None;
    m.images[4].caption_path = None;
    let mut s = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.training_adapter = Some(true);
    });
    s.rules = [
        Rule::MissingCaption,
        Rule::FramingMixOffTarget,
        Rule::FailingDatasetOnTurbo,
    ]
    .into_iter()
    .map(|r| (r, r.meta().severity))
    .collect();
    let report = zcurate_lint::lint(&m, &s);
    let only: Vec<_> = report
        .findings
        .into_iter()
        .filter(|f| f.rule == Rule::FailingDatasetOnTurbo)
        .collect();
    insta::assert_snapshot!("PLAN005", concise(&only));
    let turbo = with_plan(|p| {
        p.base_model = Some(BaseModel::ZImageTurbo);
        p.training_adapter = Some(true);
    });
    silent(&clean(), Rule::FailingDatasetOnTurbo, Some(turbo));
}

#[test]
fn plan_rules_are_skipped_without_a_plan() {
    let report = lint_rule(&clean(), Rule::TurboWithoutAdapter, None);
    assert_eq!(report.summary.skipped.len(), 1);
    assert!(
        report.summary.skipped[0]
            .reason
            .contains("no training plan")
    );
}

#[test]
fn id001_identity_outlier() {
    let mut m = clean();
    embed_all(&mut m, |i| if i == 7 { 2 } else { 1 });
    let mut s = LintSettings::with_profile("face");
    s.identity = true;
    fires("ID001", &m, Rule::IdentityOutlier, Some(s.clone()));
    let report = lint_rule(&m, Rule::IdentityOutlier, Some(s.clone()));
    let id = report.summary.identity.unwrap();
    assert_eq!((id.embedded, id.missing, id.outliers), (20, 0, 1));
    // A stale embedding (another face box) does not count.
    m.images[7].identity.as_mut().unwrap().bbox[0] += 1.0;
    let report = lint_rule(&m, Rule::IdentityOutlier, Some(s.clone()));
    assert!(report.findings.is_empty());
    assert_eq!(report.summary.identity.unwrap().missing, 1);

    let mut ok = clean();
    embed_all(&mut ok, |_| 1);
    silent(&ok, Rule::IdentityOutlier, Some(s));
    // Without --identity the rule does not run.
    let report = lint_rule(&ok, Rule::IdentityOutlier, None);
    assert!(report.summary.skipped[0].reason.contains("--identity"));
}

#[test]
fn per_file_ignores_silence_matching_paths() {
    let mut m = clean();
    m.images[4].path = "reg/img_04.jpg".into();
    m.images[4].caption_path = Some("reg/img_04.txt".into());
    m.images[4].caption = Some("a woman, close-up".into());
    m.images[5].caption = Some("a woman, close-up, smiling".into());
    let lint: zcurate_lint::LintOptions = toml::from_str(
        r#"
        [per-file-ignores]
        "reg/**" = ["CAP005"]
        "#,
    )
    .unwrap();
    let s = LintSettings::resolve(
        zcurate_lint::ConfigTables {
            lint: Some(&lint),
            ..Default::default()
        },
        &zcurate_lint::Overrides::default(),
    )
    .unwrap();
    let report = lint_rule(&m, Rule::MissingTrigger, Some(s));
    let paths: Vec<_> = report
        .findings
        .iter()
        .filter_map(|f| f.path.as_deref())
        .collect();
    assert_eq!(paths, ["img_05.txt"]);
    assert_eq!(report.summary.suppressed, 1);
}

#[test]
fn every_rule_has_a_test_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    for rule in Rule::ALL {
        let prefix = format!("rules__{}", rule.code());
        assert!(
            names.iter().any(|n| n.starts_with(&prefix)),
            "{} has no snapshot in tests/snapshots",
            rule.code()
        );
    }
}
