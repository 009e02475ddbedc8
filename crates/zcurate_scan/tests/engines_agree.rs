//! ONNX Runtime and tract agree on the real photos: for every pinned detector, the scan's
//! face step on either engine gives the same face count, framing class and head angles, face
//! boxes within 1 px, and identity embeddings of the main face with cosine similarity of at
//! least 0.999. This is what lets a scan keep its records across an engine switch
//! (`zcurate_scan::faces::reuse`).
//!
//! Photos, models and ONNX Runtime come from `zcurate_models` (fetched once per machine; the
//! identity model is opted into here, as a user does with `--identity`).

use image::DynamicImage;
use zcurate_face::{Backend, DetectorKind};
use zcurate_image::{AnalysisSettings, DecodeLimits};
use zcurate_manifest::{Face, cosine_similarity};
use zcurate_scan::{FaceOutcome, FaceStep, FaceStepSettings};

/// Largest allowed difference of a box corner between the engines, in pixels.
const MAX_BOX_DIFF_PX: f32 = 1.0;
/// Smallest allowed cosine similarity of the two engines' embeddings of one face.
const MIN_EMBEDDING_COSINE: f32 = 0.999;

fn step(kind: DetectorKind, backend: Backend) -> FaceStep {
    let mut settings = FaceStepSettings::new(kind);
    settings.backend = Some(backend);
    settings.identity = true;
    FaceStep::load(&settings, &mut |_| {})
        .unwrap_or_else(|e| panic!("{kind} on {backend}: {}", zcurate_models::error_chain(&e)))
}

/// Decoded as the scan decodes, with the scan's working copy for the first pass.
fn analyse(step: &FaceStep, img: &DynamicImage) -> FaceOutcome {
    let (_, working) = zcurate_image::analyse_keep_working(img, &AnalysisSettings::default());
    step.analyse(img, Some(&working)).unwrap()
}

fn corners(f: &Face) -> [f32; 4] {
    let [x, y, w, h] = f.bbox;
    [x, y, x + w, y + h]
}

fn max_corner_diff(a: &Face, b: &Face) -> f32 {
    corners(a)
        .iter()
        .zip(corners(b))
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f32::max)
}

#[test]
fn onnx_runtime_and_tract_agree_on_every_real_photo() {
    // Every pinned photo with a person in it: portraits, faces cut by the frame, a group.
    let images: Vec<(&str, DynamicImage)> = zcurate_models::photos()
        .iter()
        .filter(|p| p.faces > 0)
        .map(|p| {
            let bytes = std::fs::read(zcurate_models::test_photo(&p.name)).unwrap();
            let decoded = zcurate_image::decode_bytes(&bytes, &DecodeLimits::default()).unwrap();
            (p.name.as_str(), decoded.image)
        })
        .collect();
    assert!(images.len() >= 13, "{} photos", images.len());
    let mut failures = Vec::new();
    let mut worst_box = 0f32;
    let mut worst_cosine = 1f32;
    for kind in DetectorKind::ALL {
        let (ort, tract) = (step(kind, Backend::Ort), step(kind, Backend::Tract));
        assert_eq!(
            (ort.backend(), tract.backend()),
            (Backend::Ort, Backend::Tract)
        );
        for (name, img) in &images {
            let (a, b) = (analyse(&ort, img), analyse(&tract, img));
            let what = format!("{name} / {kind}");
            if a.faces.len() != b.faces.len() {
                failures.push(format!(
                    "{what}: {} faces on ONNX Runtime, {} on tract",
                    a.faces.len(),
                    b.faces.len()
                ));
                continue;
            }
            if a.framing.class != b.framing.class || a.summary != b.summary {
                failures.push(format!(
                    "{what}: framing {:?} / main {:?} on ONNX Runtime, {:?} / {:?} on tract",
                    a.framing.class, a.summary, b.framing.class, b.summary
                ));
            }
            for fa in &a.faces {
                // Faces of equal size may swap places: pair each with its nearest box.
                let fb = b
                    .faces
                    .iter()
                    .min_by(|p, q| max_corner_diff(fa, p).total_cmp(&max_corner_diff(fa, q)))
                    .unwrap();
                let diff = max_corner_diff(fa, fb);
                worst_box = worst_box.max(diff);
                if diff > MAX_BOX_DIFF_PX {
                    failures.push(format!("{what}: boxes {:?} and {:?}", fa.bbox, fb.bbox));
                }
                if fa.angle != fb.angle {
                    failures.push(format!(
                        "{what}: angle {:?} (yaw {:?}) and {:?} (yaw {:?})",
                        fa.angle, fa.yaw, fb.angle, fb.yaw
                    ));
                }
            }
            match (&a.identity, &b.identity) {
                (Some(ea), Some(eb)) => {
                    let cos = cosine_similarity(&ea.embedding, &eb.embedding);
                    worst_cosine = worst_cosine.min(cos);
                    if cos < MIN_EMBEDDING_COSINE {
                        failures.push(format!("{what}: embeddings at cosine {cos}"));
                    }
                }
                (None, None) if a.summary.main.is_none() => {}
                other => failures.push(format!("{what}: embeddings {other:?}")),
            }
        }
    }
    eprintln!("worst box corner difference {worst_box} px, worst embedding cosine {worst_cosine}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
