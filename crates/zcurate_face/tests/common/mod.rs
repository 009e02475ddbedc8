//! Shared helpers: real photos and models come from `zcurate_models`, which fetches them on
//! first use and panics with a clear message when it cannot.

#![allow(dead_code, unreachable_pub)]

use std::path::Path;
use std::sync::OnceLock;

use image::{DynamicImage, ImageDecoder, ImageReader};
use zcurate_face::{DetectorConfig, DetectorKind, FaceDetector, load};

/// The photos with exactly one person (32bit is obama2 as an RGBA PNG).
pub const SINGLE_PORTRAITS: [&str; 10] = [
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

/// Portraits looking straight at the camera.
pub const FRONTAL: [&str; 5] = ["obama", "obama3", "grace_hopper", "astronaut", "biden"];

/// One person whose face is cut by the left or right edge.
pub const PARTIAL: [&str; 2] = ["obama_partial_face", "obama_partial_face2"];

pub const GROUP: &str = "solvay_conference_1927";

/// Decodes a file and applies its EXIF orientation, as the scan does.
pub fn decode(path: &Path) -> DynamicImage {
    let fail = |e: &dyn std::fmt::Display| -> ! { panic!("cannot decode {}: {e}", path.display()) };
    let mut decoder = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .unwrap_or_else(|e| fail(&e))
        .into_decoder()
        .unwrap_or_else(|e| fail(&e));
    let orientation = decoder.orientation().unwrap_or_else(|e| fail(&e));
    let mut img = DynamicImage::from_decoder(decoder).unwrap_or_else(|e| fail(&e));
    img.apply_orientation(orientation);
    img
}

/// A test photo by registry name, decoded.
pub fn photo(name: &str) -> DynamicImage {
    decode(&zcurate_models::test_photo(name))
}

/// The documented default configuration of `kind` on its pinned model.
pub fn config(kind: DetectorKind) -> DetectorConfig {
    DetectorConfig::new(kind, zcurate_models::test_model(kind.name()))
}

/// One shared default detector per kind, so plans built by one test serve the others.
pub fn detector(kind: DetectorKind) -> &'static dyn FaceDetector {
    static DETECTORS: [OnceLock<Box<dyn FaceDetector>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = DetectorKind::ALL.iter().position(|&k| k == kind).unwrap();
    DETECTORS[i]
        .get_or_init(|| load(&config(kind)).unwrap_or_else(|e| panic!("loading {kind}: {e}")))
        .as_ref()
}
