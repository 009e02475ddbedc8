//! Decode vs analyse on a synthetic 1600 × 1200 (1.9 MP) JPEG, the size of a typical
//! dataset photo. The target: a full scan (sha256 + decode + analyse) within 1.3× of
//! decode alone. Run with `cargo bench -p zcurate_image`.

use std::sync::LazyLock;

use divan::{Bencher, black_box};
use image::{Rgb, RgbImage};
use sha2::{Digest, Sha256};
use zcurate_image::resize::Filter;
use zcurate_image::{AnalysisSettings, DecodeLimits, analyse, decode_bytes};

/// The allocator the `zcurate` binary uses, so figures here match a scan.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Gradients, hard-edged shapes and sensor-like noise, encoded at quality 90, so the file
/// size and decode cost resemble a camera photo (about 0.5–1 MB).
static JPEG: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 17) as f64 - 8.0
    };
    let img = RgbImage::from_fn(1600, 1200, |x, y| {
        let (u, v) = (f64::from(x) / 1600.0, f64::from(y) / 1200.0);
        let mut c = [60.0 + 150.0 * u, 80.0 + 120.0 * v, 180.0 - 100.0 * u * v];
        let (dx, dy) = (u - 0.5, v - 0.45);
        if dx * dx + dy * dy < 0.04 {
            c = [210.0, 160.0, 130.0];
        }
        if ((x / 40) + (y / 40)) % 7 == 0 {
            c = [30.0, 30.0, 40.0];
        }
        Rgb(c.map(|k| (k + noise()).clamp(0.0, 255.0) as u8))
    });
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    img.write_with_encoder(encoder)
        .expect("encoding to memory cannot fail");
    out
});

#[divan::bench]
fn decode(bencher: Bencher) {
    let limits = DecodeLimits::default();
    bencher.bench(|| decode_bytes(black_box(&JPEG), &limits).expect("valid JPEG"));
}

/// The `image` crate alone, without sniffing, limits, metadata or orientation: the floor
/// for `decode`.
#[divan::bench]
fn decode_image_crate_only(bencher: Bencher) {
    bencher.bench(|| {
        image::ImageReader::with_format(
            std::io::Cursor::new(black_box(&JPEG[..])),
            image::ImageFormat::Jpeg,
        )
        .decode()
        .expect("valid JPEG")
    });
}

#[divan::bench]
fn analyse_only(bencher: Bencher) {
    let decoded = decode_bytes(&JPEG, &DecodeLimits::default()).expect("valid JPEG");
    let settings = AnalysisSettings::default();
    bencher.bench(|| analyse(black_box(&decoded), &settings));
}

#[divan::bench]
fn sha256_only(bencher: Bencher) {
    bencher.bench(|| Sha256::digest(black_box(&JPEG[..])));
}

/// What a scan does per file once the bytes are read.
#[divan::bench]
fn full_scan(bencher: Bencher) {
    let limits = DecodeLimits::default();
    let settings = AnalysisSettings::default();
    bencher.bench(|| {
        let bytes = black_box(&JPEG[..]);
        let hash = Sha256::digest(bytes);
        let decoded = decode_bytes(bytes, &limits).expect("valid JPEG");
        (hash, analyse(&decoded, &settings))
    });
}

/// The one full-resolution pass of the analysis.
#[divan::bench]
fn working_downscale(bencher: Bencher) {
    let decoded = decode_bytes(&JPEG, &DecodeLimits::default()).expect("valid JPEG");
    bencher.bench(|| {
        zcurate_image::resize::to_rgb8_resized(black_box(&decoded.image), 512, 384, Filter::Box)
    });
}

#[divan::bench]
fn analyse_working_size(bencher: Bencher) {
    let decoded = decode_bytes(&JPEG, &DecodeLimits::default()).expect("valid JPEG");
    let small = image::DynamicImage::ImageRgb8(zcurate_image::resize::to_rgb8_resized(
        &decoded.image,
        512,
        384,
        Filter::Box,
    ));
    let settings = AnalysisSettings::default();
    bencher.bench(|| zcurate_image::analyse_image(black_box(&small), &settings));
}

/// Reading every decoded byte once: the memory floor of any full-resolution pass.
#[divan::bench]
fn read_every_byte(bencher: Bencher) {
    let decoded = decode_bytes(&JPEG, &DecodeLimits::default()).expect("valid JPEG");
    let rgb = decoded.image.to_rgb8();
    bencher.bench(|| {
        black_box(&rgb)
            .as_raw()
            .chunks(4096)
            .map(|c| c.iter().map(|&b| u32::from(b)).sum::<u32>())
            .map(u64::from)
            .sum::<u64>()
    });
}
