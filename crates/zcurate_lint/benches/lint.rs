//! Linting already-scanned records: the whole rule set over a synthetic manifest of 1,000
//! images with faces, framing, pHashes and captions (the manifest is built, not scanned, so
//! this measures the linter alone). Run: `cargo bench -p zcurate_lint --bench lint`.

use divan::Bencher;
use zcurate_lint::{BaseModel, LintSettings, PlanOptions};
use zcurate_manifest::{
    AngleLabel, BorderContact, ColourKind, Face, FaceSummary, Framing, FramingClass,
    IdentityEmbedding, ImageRecord, Manifest, ScanSettings,
};

fn main() {
    divan::main();
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

const CLASSES: [FramingClass; 5] = [
    FramingClass::CloseUp,
    FramingClass::HeadShoulders,
    FramingClass::UpperBody,
    FramingClass::KneeUp,
    FramingClass::FullBody,
];
const ANGLES: [AngleLabel; 3] = [
    AngleLabel::Front,
    AngleLabel::ThreeQuarterLeft,
    AngleLabel::ProfileRight,
];
const WORDS: [&str; 8] = [
    "smiling",
    "red dress",
    "in a park",
    "soft light",
    "close-up",
    "glasses",
    "sitting",
    "white background",
];

fn record(i: u64, embeddings: bool) -> ImageRecord {
    let r = mix(i);
    let (w, h) = (768 + (r % 1024) as u32, 768 + ((r >> 10) % 1024) as u32);
    let fh = 80.0 + (r % 500) as f32;
    let bbox = [w as f32 / 3.0, h as f32 / 5.0, fh * 0.8, fh];
    let face = Face {
        bbox,
        score: 0.9,
        landmarks: [
            [bbox[0] + 10.0, bbox[1] + 20.0],
            [bbox[0] + 40.0, bbox[1] + 20.0],
            [bbox[0] + 25.0, bbox[1] + 35.0],
            [bbox[0] + 12.0, bbox[1] + 50.0],
            [bbox[0] + 38.0, bbox[1] + 50.0],
        ],
        roll_deg: Some(0.0),
        yaw: Some(0.0),
        angle: Some(ANGLES[(r % 3) as usize]),
        pitch: None,
        height_px: fh,
        sharpness: (r % 400) as f64,
        border: BorderContact::Inside,
        expression: None,
    };
    let caption = (0..(3 + r % 6))
        .map(|k| WORDS[(mix(i * 31 + k) % 8) as usize])
        .collect::<Vec<_>>()
        .join(", ");
    ImageRecord {
        path: format!("{:02}/img_{i:05}.jpg", i % 10),
        bytes: 500_000,
        sha256: Some(format!("{:016x}{:048x}", mix(i % 990), 0)),
        format: Some("jpeg".into()),
        width: Some(w),
        height: Some(h),
        colour: Some(ColourKind::Rgb),
        bits_per_channel: Some(8),
        phash: Some(format!("{:016x}", mix(1_000_000 + i % 970))),
        sharpness: Some((r % 900) as f64),
        brightness: Some(0.4),
        contrast: Some((r % 30) as f64 / 100.0),
        luma_p05: Some(0.05),
        luma_p99: Some(0.3 + (r % 70) as f64 / 100.0),
        entropy: Some(2.0 + (r % 6) as f64),
        grey: Some(r.is_multiple_of(17)),
        caption_path: Some(format!("{:02}/img_{i:05}.txt", i % 10)),
        caption: Some(format!("zq woman, {caption}")),
        identity: embeddings.then(|| IdentityEmbedding {
            model_sha256: "m".into(),
            bbox,
            embedding: (0..512)
                .map(|k| (mix(i * 512 + k) % 100) as f32 / 100.0)
                .collect(),
        }),
        faces: Some(vec![face]),
        face_summary: Some(FaceSummary {
            main: Some(0),
            others: usize::from(r.is_multiple_of(7)),
        }),
        framing: Some(Framing {
            class: CLASSES[(r % 5) as usize],
            confidence: 0.8,
            evidence: None,
        }),
        ..ImageRecord::default()
    }
}

fn manifest(n: u64, embeddings: bool) -> Manifest {
    let mut m = Manifest::new(
        ".",
        ScanSettings {
            recursive: true,
            ..zcurate_manifest::testing::scan_settings()
        },
    );
    m.images = (0..n).map(|i| record(i, embeddings)).collect();
    m
}

fn settings(identity: bool) -> LintSettings {
    let mut s = LintSettings::with_profile("face");
    s.identity = identity;
    s.plan = PlanOptions {
        base_model: Some(BaseModel::ZImageTurbo),
        steps: Some(4000),
        caption_dropout: Some(0.2),
        ..PlanOptions::default()
    };
    s
}

/// Every default rule (no identity) over 1,000 records.
#[divan::bench(sample_count = 20)]
fn lint_1000(bencher: Bencher) {
    let m = manifest(1000, false);
    let s = settings(false);
    bencher.bench(|| zcurate_lint::lint(divan::black_box(&m), &s));
}

/// The same with `--identity` over stored 512-D embeddings (all pairs for the medoid).
#[divan::bench(sample_count = 10)]
fn lint_1000_identity(bencher: Bencher) {
    let m = manifest(1000, true);
    let s = settings(true);
    bencher.bench(|| zcurate_lint::lint(divan::black_box(&m), &s));
}

/// Lint plus the human report, as the CLI does.
#[divan::bench(sample_count = 20)]
fn lint_and_render_1000(bencher: Bencher) {
    let m = manifest(1000, false);
    let s = settings(false);
    let cx = zcurate_lint::render::RenderContext {
        root: ".",
        manifest: None,
        colour: false,
        version: "0",
        show_all: false,
    };
    bencher.bench(|| {
        let report = zcurate_lint::lint(&m, &s);
        let mut out = Vec::new();
        zcurate_lint::render::render(&report, &cx, zcurate_lint::render::Format::Human, &mut out)
            .unwrap();
        out
    });
}
