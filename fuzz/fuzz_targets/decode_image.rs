//! The image decode front end: any bytes, as `zcurate scan` reads a file, with the default
//! limits. Must hold: no panic, and a decoded image is non-empty and within the limits (after
//! orientation a side may swap, so each side is checked against the larger limit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zcurate_image::{DecodeLimits, decode_bytes};

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits::default();
    let Ok(decoded) = decode_bytes(data, &limits) else {
        return;
    };
    let (w, h) = (decoded.width(), decoded.height());
    let side = limits.max_width.max(limits.max_height);
    assert!(w > 0 && h > 0, "decoded an empty {w}×{h} image");
    assert!(w <= side && h <= side, "{w}×{h} is over the limits");
    if let Some(o) = decoded.exif_orientation {
        assert!((1..=8).contains(&o), "EXIF orientation {o}");
    }
});
