//! When faces recorded by an earlier run are what this run would record.
//!
//! # Switching engines
//!
//! A record's faces are reused when the face settings it was made with equal the current
//! ones, except for the engine, which does not count when the engines are known to agree on
//! the model: the three pinned detectors, on which ONNX Runtime and tract give the same face
//! count, framing and head angle and boxes within 1 px on every real test photo (the
//! agreement test, `zcurate_scan`'s `tests/engines_agree.rs`). So switching engines (or
//! falling back to tract for a run) analyses only new and changed files; reused records keep
//! the detections of the engine that made them, and the manifest's `faces.backend` names the
//! engine of the run that wrote it. With a custom model (`--model`), which no test covers,
//! the engine counts: a switch detects every file again.
//!
//! Identity embeddings follow the same reasoning (cosine similarity ≥ 0.999 between the
//! engines, tested alike): they are keyed by model and face box, never by engine.

use zcurate_face::DetectorKind;
use zcurate_manifest::FaceSettings;

/// Whether ONNX Runtime and tract are known to agree on the detector model with this
/// sha256: it is one of the pinned detectors.
pub fn engines_agree_on(model_sha256: &str) -> bool {
    DetectorKind::ALL.iter().any(|k| {
        zcurate_models::registry()
            .model(k.name())
            .is_ok_and(|m| m.sha256 == model_sha256)
    })
}

/// The face settings that decide recorded results: `settings` without the engine when the
/// engines agree on its model (see the module docs).
pub fn results_key(settings: &FaceSettings) -> FaceSettings {
    let mut key = settings.clone();
    if engines_agree_on(&settings.model_sha256) {
        key.backend.clear();
    }
    key
}

/// Whether faces recorded under `previous` are what a run under `current` would record.
pub fn same_face_results(previous: &FaceSettings, current: &FaceSettings) -> bool {
    previous == current || results_key(previous) == results_key(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(model_sha256: &str, backend: &str) -> FaceSettings {
        let mut s = zcurate_manifest::testing::scan_settings().faces.unwrap();
        s.model_sha256 = model_sha256.to_owned();
        s.backend = backend.to_owned();
        s
    }

    #[test]
    fn the_engine_does_not_count_for_a_pinned_detector() {
        for kind in DetectorKind::ALL {
            let sha = &zcurate_models::registry()
                .model(kind.name())
                .unwrap()
                .sha256;
            assert!(engines_agree_on(sha), "{kind}");
            assert!(same_face_results(
                &settings(sha, "tract"),
                &settings(sha, "ort")
            ));
            // Anything else that decides results still counts.
            let mut other = settings(sha, "ort");
            other.det_size = 320;
            assert!(!same_face_results(&settings(sha, "tract"), &other));
        }
    }

    #[test]
    fn the_engine_counts_for_a_custom_model() {
        let sha = "ab".repeat(32);
        assert!(!engines_agree_on(&sha));
        assert!(same_face_results(
            &settings(&sha, "ort"),
            &settings(&sha, "ort")
        ));
        assert!(!same_face_results(
            &settings(&sha, "tract"),
            &settings(&sha, "ort")
        ));
    }
}
