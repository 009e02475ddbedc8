//! Thumbnails: decoded with `zcurate_image` (EXIF orientation, decode limits), shrunk with
//! `fast_image_resize` (through `zcurate_image::resize`), encoded as JPEG, in parallel, and
//! cached by content hash so a second report of the same dataset decodes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use zcurate_image::DecodeLimits;
use zcurate_image::resize::{Filter, fit_size, to_rgb8_resized};
use zcurate_manifest::ImageRecord;

use crate::error::ReportError;

/// Longest side of a thumbnail, in pixels. The contact sheet shows them at half this size
/// in CSS pixels (sharp on a high-density screen) and the detail view at full size; 320 px
/// JPEGs are about 15–25 kB, so 1,000 of them embedded make a page of about 25 MB.
pub const THUMB_MAX_SIDE: u32 = 320;

/// JPEG quality of thumbnails: no visible blocking at this size, a third of quality 95.
pub const THUMB_QUALITY: u8 = 80;

/// Bumped whenever thumbnails are made differently, so older cached files are not reused.
const THUMB_VERSION: u32 = 1;

/// The cache sub-folder for the current thumbnail version and size, so a change of either
/// never serves a stale file.
fn cache_subdir() -> String {
    format!("v{THUMB_VERSION}-{THUMB_MAX_SIDE}px")
}

/// Where thumbnails come from and how many threads make them.
#[derive(Debug, Clone, Default)]
pub struct ThumbOptions {
    /// Cache folder (zcurate uses `DIR/.zcurate/thumbs`); `None` makes every thumbnail anew.
    pub cache_dir: Option<PathBuf>,
    /// Worker threads; `None` uses rayon's global pool (one per core).
    pub jobs: Option<usize>,
    /// Decode limits, the same as the scan's.
    pub limits: DecodeLimits,
}

/// What happened, for the status line and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThumbStats {
    /// Thumbnails decoded and encoded in this run.
    pub made: usize,
    /// Thumbnails read from the cache.
    pub cached: usize,
    /// Images that could not be turned into a thumbnail (the page says why).
    pub failed: usize,
    /// Thumbnails that could not be saved to the cache (the report is still complete).
    pub cache_write_errors: usize,
}

/// One image's thumbnail, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Thumb {
    /// JPEG bytes, longest side at most [`THUMB_MAX_SIDE`].
    Jpeg(Vec<u8>),
    /// The scan could not decode the image: the page shows its error instead.
    NotDecoded,
    /// Making the thumbnail failed now (the file changed or vanished since the scan).
    Failed(String),
}

/// Thumbnails of a manifest's images, in manifest order.
#[derive(Debug, Clone, Default)]
pub struct Thumbnails {
    pub(crate) thumbs: Vec<Thumb>,
    pub stats: ThumbStats,
}

impl Thumbnails {
    /// Thumbnails given directly (tests, callers with their own images).
    pub fn from_thumbs(thumbs: Vec<Thumb>) -> Self {
        Self {
            thumbs,
            stats: ThumbStats::default(),
        }
    }

    pub(crate) fn get(&self, index: usize) -> &Thumb {
        self.thumbs.get(index).unwrap_or(&Thumb::NotDecoded)
    }
}

/// Makes (or reads from the cache) a thumbnail for every decoded image of `images`, files
/// read from `root`. Identical files (same sha256) are made once.
pub fn make_thumbnails(
    root: &Path,
    images: &[ImageRecord],
    options: &ThumbOptions,
) -> Result<Thumbnails, ReportError> {
    // One job per distinct content; records without a usable hash get a job of their own.
    let mut jobs: Vec<(usize, Option<&str>)> = Vec::new();
    let mut by_sha: HashMap<&str, usize> = HashMap::new();
    let mut job_of = vec![None; images.len()];
    for (i, record) in images.iter().enumerate() {
        // A caption or face error leaves the pixels usable; only undecodable images go without.
        if !record.is_decoded() {
            continue;
        }
        let sha = record.sha256.as_deref().filter(|s| is_sha256(s));
        let job = if let Some(sha) = sha {
            *by_sha.entry(sha).or_insert_with(|| {
                jobs.push((i, Some(sha)));
                jobs.len() - 1
            })
        } else {
            jobs.push((i, None));
            jobs.len() - 1
        };
        job_of[i] = Some(job);
    }

    let cache = options.cache_dir.as_ref().map(|d| d.join(cache_subdir()));
    if let Some(dir) = &cache {
        // A cache that cannot be created only costs speed; each write reports it below.
        let _ = std::fs::create_dir_all(dir);
        // Half-written thumbnails of a killed run go; finished ones are the cache.
        zcurate_fs::remove_stale_temps(dir);
    }
    let counters = Counters::default();
    let run = || -> Vec<Thumb> {
        jobs.par_iter()
            .map(|&(i, sha)| {
                let cached = cache
                    .as_ref()
                    .zip(sha)
                    .map(|(d, s)| d.join(format!("{s}.jpg")));
                thumb_for(
                    &root.join(&images[i].path),
                    cached.as_deref(),
                    options,
                    &counters,
                )
            })
            .collect()
    };
    let made = match options.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|source| ReportError::Threads { jobs: n, source })?
            .install(run),
        None => run(),
    };
    let thumbs = job_of
        .iter()
        .map(|job| job.map_or(Thumb::NotDecoded, |j| made[j].clone()))
        .collect();
    let stats = ThumbStats {
        made: counters.made.load(Ordering::Relaxed),
        cached: counters.cached.load(Ordering::Relaxed),
        failed: counters.failed.load(Ordering::Relaxed),
        cache_write_errors: counters.write_errors.load(Ordering::Relaxed),
    };
    Ok(Thumbnails { thumbs, stats })
}

#[derive(Default)]
struct Counters {
    made: AtomicUsize,
    cached: AtomicUsize,
    failed: AtomicUsize,
    write_errors: AtomicUsize,
}

/// The cached thumbnail when there is one, else a new one (saved to the cache).
fn thumb_for(
    source: &Path,
    cached: Option<&Path>,
    options: &ThumbOptions,
    counters: &Counters,
) -> Thumb {
    if let Some(bytes) = cached.and_then(|p| std::fs::read(p).ok()) {
        counters.cached.fetch_add(1, Ordering::Relaxed);
        return Thumb::Jpeg(bytes);
    }
    match make_thumb(source, &options.limits) {
        Ok(bytes) => {
            counters.made.fetch_add(1, Ordering::Relaxed);
            if let Some(path) = cached
                && zcurate_fs::write_atomic(path, &bytes).is_err()
            {
                counters.write_errors.fetch_add(1, Ordering::Relaxed);
            }
            Thumb::Jpeg(bytes)
        }
        Err(why) => {
            counters.failed.fetch_add(1, Ordering::Relaxed);
            Thumb::Failed(why)
        }
    }
}

/// Decodes `path` upright under `limits` and encodes a JPEG thumbnail of it.
pub fn make_thumb(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let decoded = zcurate_image::decode_bytes(&bytes, limits).map_err(|e| e.to_string())?;
    thumb_of(&decoded.image)
}

/// A JPEG thumbnail of an image the caller has decoded already (`zcurate evaluate` makes
/// one from the decode it scores, so no sample is decoded twice).
pub fn thumb_of(image: &image::DynamicImage) -> Result<Vec<u8>, String> {
    let (w, h) = fit_size(image.width(), image.height(), THUMB_MAX_SIDE);
    let rgb = to_rgb8_resized(image, w, h, Filter::CatmullRom);
    encode_jpeg(&rgb)
}

fn encode_jpeg(rgb: &image::RgbImage) -> Result<Vec<u8>, String> {
    let (w, h) = rgb.dimensions();
    // Thumbnails are at most THUMB_MAX_SIDE a side, far below the encoder's u16 limit.
    let (w, h) = (
        u16::try_from(w).map_err(|_| "thumbnail too wide")?,
        u16::try_from(h).map_err(|_| "thumbnail too tall")?,
    );
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, THUMB_QUALITY)
        .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("cannot encode the thumbnail: {e}"))?;
    Ok(out)
}

/// Only a real sha256 becomes a file name: a hand-edited manifest must not steer writes
/// outside the cache.
fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn record(path: &str, sha: &str) -> ImageRecord {
        ImageRecord {
            path: path.to_owned(),
            sha256: Some(sha.to_owned()),
            width: Some(640),
            height: Some(480),
            ..ImageRecord::default()
        }
    }

    #[test]
    fn thumbnails_are_made_once_then_cached() {
        let dir = tempfile::tempdir().unwrap();
        let img = RgbImage::from_fn(640, 480, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        img.save(dir.path().join("a.png")).unwrap();
        img.save(dir.path().join("b.png")).unwrap();
        let sha = "ab".repeat(32);
        let images = [
            record("a.png", &sha),
            record("b.png", &sha),
            ImageRecord {
                path: "broken.jpg".into(),
                ..ImageRecord::default()
            },
            record("gone.png", &"cd".repeat(32)),
        ];
        let options = ThumbOptions {
            cache_dir: Some(dir.path().join("cache")),
            jobs: Some(2),
            ..ThumbOptions::default()
        };
        let first = make_thumbnails(dir.path(), &images, &options).unwrap();
        // a and b share one sha256: one thumbnail made for both.
        assert_eq!(
            first.stats,
            ThumbStats {
                made: 1,
                failed: 1,
                ..ThumbStats::default()
            }
        );
        let Thumb::Jpeg(bytes) = first.get(0) else {
            panic!("{:?}", first.get(0))
        };
        assert_eq!(first.get(1), first.get(0));
        assert_eq!(first.get(2), &Thumb::NotDecoded);
        assert!(matches!(first.get(3), Thumb::Failed(why) if why.contains("cannot read")));
        let small = zcurate_image::decode_bytes(bytes, &DecodeLimits::default()).unwrap();
        assert_eq!((small.width(), small.height()), (THUMB_MAX_SIDE, 240));

        let second = make_thumbnails(dir.path(), &images, &options).unwrap();
        assert_eq!((second.stats.made, second.stats.cached), (0, 1));
        assert_eq!(second.get(0), first.get(0));
    }

    #[test]
    fn only_real_hashes_name_cache_files() {
        assert!(is_sha256(&"0f".repeat(32)));
        assert!(!is_sha256("../../etc/passwd"));
        assert!(!is_sha256(&"g".repeat(64)));
    }
}
