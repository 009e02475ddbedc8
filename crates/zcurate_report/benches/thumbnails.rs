//! Thumbnail making for the report. Run with `cargo bench -p zcurate_report`.
//!
//! - `one_thumbnail`: decode + resize + encode of a synthetic 1600 × 1200 JPEG (1.9 MP),
//!   the per-image cost of a first report.
//! - `bench_set_1000_cold_then_warm`: a cold (no cache) then a warm (all cached) pass over
//!   the 1,000 JPEGs of `target/bench-set-1000` (`zcurate_dev bench-set
//!   target/bench-set-1000 --count 1000`); it does nothing when the folder is missing.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use image::{Rgb, RgbImage};
use zcurate_image::DecodeLimits;
use zcurate_manifest::ImageRecord;
use zcurate_report::{ThumbOptions, make_thumbnails, thumbs::make_thumb};

fn main() {
    divan::main();
}

static JPEG_PATH: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    let img = RgbImage::from_fn(1600, 1200, |x, y| {
        Rgb([
            (x / 7 % 256) as u8,
            (y / 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let path = dir.path().join("photo.jpg");
    img.save(&path).expect("write JPEG");
    (dir, path)
});

#[divan::bench]
fn one_thumbnail(bencher: Bencher) {
    let limits = DecodeLimits::default();
    bencher.bench(|| make_thumb(black_box(&JPEG_PATH.1), &limits).expect("thumbnail"));
}

/// The 1,000-image set, as manifest records (sha256 stand-ins: the file index).
fn bench_set() -> Option<(PathBuf, Vec<ImageRecord>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-set-1000");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.to_ascii_lowercase().ends_with(".jpg"))
        .collect();
    names.sort();
    let records = names
        .into_iter()
        .enumerate()
        .map(|(i, path)| ImageRecord {
            path,
            sha256: Some(format!("{i:064x}")),
            width: Some(1),
            height: Some(1),
            ..ImageRecord::default()
        })
        .collect();
    Some((root, records))
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn bench_set_1000_cold_then_warm() {
    let Some((root, records)) = bench_set() else {
        return;
    };
    let cache = tempfile::tempdir().expect("temp dir");
    let options = ThumbOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..ThumbOptions::default()
    };
    let cold = make_thumbnails(&root, &records, &options).expect("thumbnails");
    let warm = make_thumbnails(&root, &records, &options).expect("thumbnails");
    assert_eq!(warm.stats.cached, cold.stats.made);
}
