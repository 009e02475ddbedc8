//! Calibration of the image-quality thresholds on the pinned real photos (fetched once per
//! machine by `zcurate_models`): the built-in profiles must accept every real portrait and
//! flag the same portraits blurred, darkened or washed out.

use std::fmt::Write as _;

use image::DynamicImage;
use zcurate_image::{AnalysisSettings, DecodeLimits, analyse_image, decode_bytes};
use zcurate_lint::builtin;

/// Real photos of people (paintings included), at their own resolutions.
const PORTRAITS: [&str; 10] = [
    "obama",
    "obama2",
    "obama3",
    "grace_hopper",
    "astronaut",
    "camera",
    "biden",
    "gauss",
    "newton",
    "32bit",
];

fn photo(name: &str) -> DynamicImage {
    let bytes = std::fs::read(zcurate_models::test_photo(name)).unwrap();
    decode_bytes(&bytes, &DecodeLimits::default())
        .unwrap()
        .image
}

/// A Gaussian blur of `sigma` pixels at the 512 px analysis scale, whatever the file's size.
fn blur(img: &DynamicImage, sigma: f32) -> DynamicImage {
    let scale = img.width().max(img.height()) as f32 / 512.0;
    img.blur(sigma * scale.max(1.0))
}

#[test]
fn quality_thresholds_accept_real_portraits_and_flag_spoilt_ones() {
    let t = builtin("face").unwrap().thresholds;
    let settings = AnalysisSettings::default();
    let mut report = String::new();
    for name in PORTRAITS {
        let img = photo(name);
        let a = analyse_image(&img, &settings);
        let b3 = analyse_image(&blur(&img, 3.0), &settings).sharpness;
        let dark = analyse_image(&img.brighten(-200), &settings);
        let flat = analyse_image(&img.adjust_contrast(-80.0), &settings);
        let _ = writeln!(
            report,
            "{name:<14} sharp {:7.1} blur3 {b3:5.1} contrast {:.3} flat {:.3} p99 {:.2} dark-p99 {:.2} entropy {:.2}",
            a.sharpness, a.contrast, flat.contrast, a.luma_p99, dark.luma_p99, a.entropy
        );
        assert!(a.sharpness >= t.min_sharpness, "{name} is sharp:\n{report}");
        assert!(
            b3 < t.min_sharpness,
            "{name} blurred by 3 px is blurry:\n{report}"
        );
        assert!(
            a.luma_p99 >= t.dark_p99_max,
            "{name} is not dark:\n{report}"
        );
        assert!(
            a.luma_p05 <= t.bright_p05_min,
            "{name} is not overexposed:\n{report}"
        );
        assert!(
            a.contrast >= t.min_contrast,
            "{name} has contrast:\n{report}"
        );
        assert!(
            a.entropy >= t.min_entropy,
            "{name} has information:\n{report}"
        );
        assert!(
            dark.luma_p99 < t.dark_p99_max,
            "{name} darkened is dark:\n{report}"
        );
        assert!(
            flat.contrast < t.min_contrast,
            "{name} flattened is low-contrast:\n{report}"
        );
    }
    println!("{report}");
}
