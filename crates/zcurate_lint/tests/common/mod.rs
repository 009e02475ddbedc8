//! Hand-built manifests for the rule tests: a clean face dataset that every rule accepts,
//! which each test then spoils in one way.

#![allow(dead_code, unreachable_pub)]

use std::fmt::Write as _;

use zcurate_lint::{Finding, LintSettings, Report, Rule};
use zcurate_manifest::testing::{photo, with_faces};
use zcurate_manifest::{
    AngleLabel, BorderContact, Face, FaceSummary, Framing, FramingClass, IdentityEmbedding,
    ImageRecord, Manifest,
};

/// splitmix64: deterministic, well-spread 64-bit values (pHashes, fake hashes, noise).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

pub const ANGLES: [AngleLabel; 4] = [
    AngleLabel::Front,
    AngleLabel::ThreeQuarterLeft,
    AngleLabel::ThreeQuarterRight,
    AngleLabel::Front,
];
const EXPRESSIONS: [&str; 5] = [
    "smiling",
    "neutral expression",
    "laughing",
    "serious",
    "soft smile",
];
const LIGHTS: [&str; 4] = [
    "soft light",
    "window light",
    "studio lighting",
    "golden hour",
];

/// A face box of `h` px in a `w`×`h_img` image, centred, with landmarks and a pose.
pub fn face(img_w: u32, img_h: u32, h: f32, angle: AngleLabel) -> Face {
    let (cx, cy) = (img_w as f32 / 2.0, img_h as f32 * 0.4);
    let w = h * 0.8;
    let (x, y) = (cx - w / 2.0, cy - h / 2.0);
    let yaw = match angle {
        AngleLabel::Front => 0.02,
        AngleLabel::ThreeQuarterLeft => -0.3,
        AngleLabel::ThreeQuarterRight => 0.3,
        AngleLabel::ProfileLeft => -0.6,
        AngleLabel::ProfileRight => 0.6,
    };
    Face {
        bbox: [x, y, w, h],
        score: 0.95,
        landmarks: [
            [x + w * 0.3, y + h * 0.4],
            [x + w * 0.7, y + h * 0.4],
            [x + w * 0.5, y + h * 0.6],
            [x + w * 0.35, y + h * 0.8],
            [x + w * 0.65, y + h * 0.8],
        ],
        roll_deg: Some(0.0),
        yaw: Some(yaw),
        angle: Some(angle),
        pitch: None,
        height_px: h,
        sharpness: 300.0,
        border: BorderContact::Inside,
        expression: None,
    }
}

/// Image `i` of the clean set: 1024×1280, sharp, well exposed, one face, close-up or
/// head-shoulders, a face-schema caption.
pub fn image(i: usize) -> ImageRecord {
    let path = format!("img_{i:02}.jpg");
    let (w, h) = (1024, 1280);
    let class = if i.is_multiple_of(2) {
        FramingClass::CloseUp
    } else {
        FramingClass::HeadShoulders
    };
    let angle = ANGLES[i % ANGLES.len()];
    let face_h = if class == FramingClass::CloseUp {
        600.0
    } else {
        380.0
    };
    let framing_word = if class == FramingClass::CloseUp {
        "close-up"
    } else {
        "head and shoulders"
    };
    let angle_word = match angle {
        AngleLabel::Front => "front view",
        AngleLabel::ThreeQuarterLeft => "three-quarter left",
        AngleLabel::ThreeQuarterRight => "three-quarter right",
        _ => "profile",
    };
    let caption = format!(
        "zq woman, {framing_word}, {angle_word}, {}, {}",
        EXPRESSIONS[i % EXPRESSIONS.len()],
        LIGHTS[(i / 2) % LIGHTS.len()]
    );
    let record = ImageRecord {
        sha256: Some(format!("{:016x}{:048x}", mix(i as u64), 0)),
        phash: Some(format!("{:016x}", mix(1000 + i as u64))),
        caption_path: Some(format!("img_{i:02}.txt")),
        caption: Some(caption),
        ..photo(path, w, h)
    };
    with_faces(record, vec![face(w, h, face_h, angle)], class)
}

/// The clean dataset: 20 images every rule accepts under the face profile.
pub fn clean() -> Manifest {
    let mut m = Manifest::new(".", zcurate_manifest::testing::scan_settings());
    m.images = (0..20).map(image).collect();
    // A face set holds 3 to 5 upper-body shots (the face profile's count target).
    for i in 17..20 {
        set_framing(&mut m, i, FramingClass::UpperBody);
    }
    m
}

/// A manifest scanned without face detection.
pub fn without_faces(mut m: Manifest) -> Manifest {
    m.settings.faces = None;
    for r in &mut m.images {
        r.faces = None;
        r.face_summary = None;
        r.framing = None;
    }
    m
}

/// Sets image `i`'s framing class (and a matching face size).
pub fn set_framing(m: &mut Manifest, i: usize, class: FramingClass) {
    let r = &mut m.images[i];
    r.framing = Some(Framing {
        class,
        confidence: 0.8,
        evidence: None,
    });
    if class == FramingClass::NoFace {
        r.faces = Some(Vec::new());
        r.face_summary = Some(FaceSummary {
            main: None,
            others: 0,
        });
        return;
    }
    let h = match class {
        FramingClass::CloseUp => 600.0,
        FramingClass::HeadShoulders => 380.0,
        FramingClass::UpperBody => 260.0,
        _ => 200.0,
    };
    let angle = r
        .faces
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.angle)
        .unwrap_or(AngleLabel::Front);
    r.faces = Some(vec![face(r.width.unwrap(), r.height.unwrap(), h, angle)]);
    r.face_summary = Some(FaceSummary {
        main: Some(0),
        others: 0,
    });
}

/// A unit embedding near `base` (one person) with a little per-image noise.
pub fn embedding(person: u64, image: u64) -> Vec<f32> {
    let v: Vec<f32> = (0..512u64)
        .map(|k| {
            let base = (mix(person * 10_000 + k) % 2000) as f32 / 1000.0 - 1.0;
            let noise = (mix(image * 77_777 + k) % 2000) as f32 / 1000.0 - 1.0;
            base + 0.35 * noise
        })
        .collect();
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

/// Stores an embedding of `person` for every image's main face.
pub fn embed_all(m: &mut Manifest, person_of: impl Fn(usize) -> u64) {
    for (i, r) in m.images.iter_mut().enumerate() {
        let Some(face) = r.faces.as_ref().and_then(|f| f.first()).cloned() else {
            continue;
        };
        r.identity = Some(IdentityEmbedding {
            model_sha256: "m".into(),
            bbox: face.bbox,
            embedding: embedding(person_of(i), i as u64),
        });
    }
}

/// One line per finding, with its measured value, files and fix: what the snapshots hold.
pub fn concise(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let at = f.path.as_deref().unwrap_or("<dataset>");
        let _ = writeln!(out, "{}[{}] {at}: {}", f.severity, f.rule.code(), f.message);
        if let (Some(v), Some(t)) = (f.value, f.threshold) {
            let _ = writeln!(out, "  value {v:.4} threshold {t}");
        }
        if !f.files.is_empty() {
            let _ = writeln!(out, "  files {}", f.files.join(", "));
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  fix: {fix}");
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// Lints with only `rule` enabled (at its default severity, or the profile's).
pub fn lint_rule(m: &Manifest, rule: Rule, settings: Option<LintSettings>) -> Report {
    let mut s = settings.unwrap_or_else(|| LintSettings::with_profile("face"));
    let sev = s.severity(rule).unwrap_or(rule.meta().severity);
    s.rules = [(rule, sev)].into_iter().collect();
    zcurate_lint::lint(m, &s)
}
