//! The plan of a 500-image folder from its manifest: what `zcurate select` does before it
//! writes anything (bar: under 0.5 s; `docs/benchmarks.md`).

use std::collections::BTreeMap;

use zcurate_manifest::{FacePhash, FramingClass, Manifest};
use zcurate_select::{SelectSettings, plan};

fn main() {
    divan::main();
}

/// 500 records: varied hashes, framings and angles, as a scanned folder of mixed photos.
fn manifest() -> Manifest {
    let mut m = Manifest::new("bench", zcurate_manifest::testing::scan_settings());
    let classes = [
        FramingClass::CloseUp,
        FramingClass::HeadShoulders,
        FramingClass::UpperBody,
        FramingClass::KneeUp,
    ];
    for i in 0..500u64 {
        let mut r = zcurate_manifest::testing::record(
            &format!("img_{i:03}.jpg"),
            classes[i as usize % 4],
            zcurate_manifest::testing::ANGLES[i as usize % 3],
        );
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        r.phash = Some(format!("{h:016x}"));
        r.phash_mirror = Some(format!("{:016x}", h.rotate_left(17)));
        r.face_phash = Some(FacePhash {
            phash: format!("{:016x}", h.rotate_left(29)),
            mirror: format!("{:016x}", h.rotate_left(41)),
        });
        m.images.push(r);
    }
    m
}

#[divan::bench(sample_count = 10)]
fn plan_500(bencher: divan::Bencher) {
    let m = manifest();
    let profile = zcurate_lint::builtin("face").expect("built-in");
    let settings = SelectSettings::new(
        "face",
        profile.thresholds,
        zcurate_framing::FramingThresholds::default(),
    );
    let expressions = vec![None; m.images.len()];
    bencher.bench(|| plan(&m, &settings, &expressions, None::<&BTreeMap<usize, f32>>));
}
