//! ONNX Runtime and tract give the same faces (cargo feature `ort`).
//!
//! The ONNX Runtime library comes from `ORT_DYLIB_PATH`, or when that is unset from the
//! `onnxruntime` entry of `zcurate_models`, passed in the detector config.

#![cfg(feature = "ort")]

mod common;

use common::{GROUP, PARTIAL, SINGLE_PORTRAITS, config, photo};
use zcurate_face::{Backend, Detection, DetectorKind, iou, load};

/// Largest allowed gap between the backends, in pixels or as a share of the face height.
fn close(a: f32, b: f32, face_h: f32) -> bool {
    (a - b).abs() <= 2.0_f32.max(0.02 * face_h)
}

fn assert_same(name: &str, kind: DetectorKind, tract: &[Detection], ort: &[Detection]) {
    assert_eq!(
        tract.len(),
        ort.len(),
        "{name} / {kind}: tract {tract:?}\nort {ort:?}"
    );
    for t in tract {
        // Same order is likely but not guaranteed for equal-sized faces: match by overlap.
        let corners = |d: &Detection| [d.x, d.y, d.x + d.w, d.y + d.h];
        let o = ort
            .iter()
            .max_by(|a, b| iou(corners(a), corners(t)).total_cmp(&iou(corners(b), corners(t))))
            .unwrap();
        let what = format!("{name} / {kind}: tract {t:?}\nort {o:?}");
        for (a, b) in [(t.x, o.x), (t.y, o.y), (t.w, o.w), (t.h, o.h)] {
            assert!(close(a, b, t.h), "{what}");
        }
        for (a, b) in t.landmarks.iter().zip(&o.landmarks) {
            assert!(close(a[0], b[0], t.h) && close(a[1], b[1], t.h), "{what}");
        }
        assert!((t.score - o.score).abs() < 0.02, "{what}");
    }
}

#[test]
fn onnx_runtime_and_tract_find_the_same_faces() {
    let library = zcurate_face::ort_library_from_env()
        .unwrap_or_else(|| zcurate_models::test_model("onnxruntime"));
    for kind in DetectorKind::ALL {
        let tract = load(&config(kind)).unwrap_or_else(|e| panic!("{kind} on tract: {e}"));
        let mut c = config(kind);
        c.backend = Backend::Ort;
        c.ort_library = Some(library.clone());
        let ort = load(&c).unwrap_or_else(|e| panic!("{kind} on ONNX Runtime: {e}"));
        for name in SINGLE_PORTRAITS.iter().chain(&PARTIAL).chain(&[GROUP]) {
            let img = photo(name);
            let a = tract
                .detect(&img)
                .unwrap_or_else(|e| panic!("{name} / {kind} on tract: {e}"));
            let b = ort
                .detect(&img)
                .unwrap_or_else(|e| panic!("{name} / {kind} on ONNX Runtime: {e}"));
            assert_same(name, kind, &a, &b);
        }
    }
}
