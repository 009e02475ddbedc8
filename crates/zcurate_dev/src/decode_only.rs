use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

/// The floor a scan is measured against: read each file and decode it through the same
/// decoder and limits the scan uses, with EXIF orientation, and nothing more.
pub(crate) fn run(dir: &Path, jobs: usize) -> Result<()> {
    let files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| zcurate_image::Format::from_extension(x).is_some())
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("thread pool")?;
    let limits = zcurate_image::DecodeLimits::default();
    let pixels: u64 = pool.install(|| {
        files
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(p).unwrap_or_default();
                zcurate_image::decode_bytes(&bytes, &limits).map_or(0, |d| {
                    u64::from(d.image.width()) * u64::from(d.image.height())
                })
            })
            .sum()
    });
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "decoded {} files, {:.1} MP",
            files.len(),
            pixels as f64 / 1e6
        );
    }
    Ok(())
}
