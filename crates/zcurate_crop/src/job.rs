//! The batch: every image of a source folder, read and decoded once, its faces found (or
//! reused), its crops planned, rendered and written, with sidecars and the output manifest.
//!
//! One module per step: [`run`] here drives the workers; `prepare` checks the folders and
//! gathers what they share ([`Context`]); `source` is the per-image work; `output` renders and
//! writes one crop with its sidecars; `incremental` is the bookkeeping that lets a re-run
//! skip what is done and survive being killed (checkpoints, ownership of existing files).

mod incremental;
mod output;
mod prepare;
mod source;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use zcurate_caption::Schema;
use zcurate_image::DecodeLimits;
use zcurate_manifest::{FaceSettings, ImageRecord, Manifest};
use zcurate_scan::{FaceStep, FoundImage};

use self::incremental::Checkpoint;
use crate::error::CropError;
use crate::manifest::{
    CropManifest, SourceEntry, SourceStatus, crop_manifest_path, write_manifest,
};
use crate::names::OutputNames;
use crate::options::CropOptions;
use crate::sheet::{SheetItem, draw_sheet};

/// Longest side of a contact-sheet cell, pixels.
const SHEET_CELL: u32 = 256;

/// One crop run.
#[derive(Debug, Clone)]
pub struct CropJob<'a> {
    /// The source folder (read only; never written).
    pub src: PathBuf,
    /// The source folder as the user gave it, for the manifest.
    pub src_label: String,
    /// The output folder.
    pub dst: PathBuf,
    pub options: CropOptions,
    /// Search sub-folders of `src` (kohya `N_name` folders always are).
    pub recursive: bool,
    /// Caption sidecar extension, without the dot.
    pub caption_ext: String,
    /// Worker threads; `None`: one per core.
    pub jobs: Option<usize>,
    /// Replace existing files this tool did not write.
    pub overwrite: bool,
    /// Plan only: decode and detect, write nothing but the preview.
    pub dry_run: bool,
    /// Draw a contact sheet here.
    pub preview: Option<PathBuf>,
    pub limits: DecodeLimits,
    /// Caption schema whose framing slot is rewritten; `None` copies captions as they are.
    pub schema: Option<&'a Schema>,
    /// A scan manifest of `src` whose faces are reused for unchanged files when it was made
    /// with the same face settings. It is only read.
    pub source_manifest: Option<&'a Manifest>,
}

impl CropJob<'_> {
    /// Checks the folders before anything slow is loaded: the source is a folder, the output
    /// is not a file and not inside the source, nor is the preview.
    pub fn check(&self) -> Result<(), CropError> {
        self.paths().map(|_| ())
    }

    /// The source and output folders, absolute and resolved.
    fn paths(&self) -> Result<(PathBuf, PathBuf), CropError> {
        if !self.src.is_dir() {
            return Err(CropError::SourceNotADirectory {
                path: self.src.clone(),
            });
        }
        if self.dst.exists() && !self.dst.is_dir() {
            return Err(CropError::DestinationIsAFile {
                path: self.dst.clone(),
            });
        }
        let src_abs =
            std::fs::canonicalize(&self.src).map_err(|_| CropError::SourceNotADirectory {
                path: self.src.clone(),
            })?;
        let dst_abs = resolve(&self.dst);
        if dst_abs.starts_with(&src_abs) {
            return Err(CropError::DestinationInsideSource {
                src: self.src.clone(),
                dst: self.dst.clone(),
            });
        }
        if let Some(p) = &self.preview
            && resolve(p).starts_with(&src_abs)
        {
            return Err(CropError::PreviewInsideSource {
                src: self.src.clone(),
                path: p.clone(),
            });
        }
        Ok((src_abs, dst_abs))
    }
}

/// Progress events, from worker threads.
pub trait CropObserver: Sync {
    fn start(&self, _total: usize) {}
    /// A source is done; `up_to_date`: nothing had to be redone.
    fn source_done(&self, _entry: &SourceEntry, _up_to_date: bool) {}
}

impl CropObserver for () {}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CropStats {
    pub sources: usize,
    /// Sources with at least one crop.
    pub cropped: usize,
    pub outputs: usize,
    /// Sources whose outputs were already up to date.
    pub up_to_date: usize,
    /// Sources with no usable face.
    pub skipped: usize,
    pub errors: usize,
    /// Outputs enlarged (`--allow-upscale`).
    pub upscaled: usize,
    /// Outputs smaller than `--size` because the crop was.
    pub shortfall: usize,
    /// Outputs whose framing is not the requested one.
    pub not_reached: usize,
    /// Sources whose faces were detected in this run (the others reused earlier detections).
    pub detected: usize,
}

/// What a run did.
#[derive(Debug)]
pub struct CropOutcome {
    pub manifest: CropManifest,
    pub stats: CropStats,
    /// Where the manifest was written (`None` in a dry run).
    pub manifest_path: Option<PathBuf>,
    pub preview: Option<PathBuf>,
    /// Problems that did not stop the run.
    pub warnings: Vec<String>,
}

/// What processing one source gave.
struct Done {
    entry: SourceEntry,
    sheet: Option<SheetItem>,
    up_to_date: bool,
    detected: bool,
}

/// Runs a crop job. Per-image problems are recorded in the manifest; an error is returned
/// only when the run cannot start or an output cannot be written (a full disk, a read-only
/// folder), after saving what was done.
pub fn run(
    job: &CropJob<'_>,
    faces: &FaceStep,
    observer: &dyn CropObserver,
) -> Result<CropOutcome, CropError> {
    job.options.validate()?;
    let ctx = Context::prepare(job, faces)?;
    let mut warnings = ctx.warnings.clone();
    observer.start(ctx.found.len());

    let abort = AtomicBool::new(false);
    let fatal: Mutex<Option<CropError>> = Mutex::new(None);
    let checkpoint = Mutex::new(Checkpoint {
        entries: vec![None; ctx.found.len()],
        last: Instant::now(),
    });
    let work = || -> Vec<Option<Done>> {
        (0..ctx.found.len())
            .into_par_iter()
            .map(|i| {
                if abort.load(Ordering::Relaxed) {
                    return None;
                }
                match ctx.process(i, faces) {
                    Ok(done) => {
                        observer.source_done(&done.entry, done.up_to_date);
                        ctx.checkpoint(&checkpoint, i, &done.entry);
                        Some(done)
                    }
                    Err(e) => {
                        abort.store(true, Ordering::Relaxed);
                        let mut slot = fatal
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        slot.get_or_insert(e);
                        None
                    }
                }
            })
            .collect()
    };
    let results = match job.jobs {
        Some(jobs) => rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map_err(|source| CropError::ThreadPool { jobs, source })?
            .install(work),
        None => work(),
    };

    let mut stats = CropStats {
        sources: ctx.found.len(),
        ..CropStats::default()
    };
    let mut sheet_items = Vec::new();
    let mut entries: Vec<SourceEntry> = Vec::with_capacity(results.len());
    for (i, done) in results.into_iter().enumerate() {
        let Some(done) = done else {
            // Not reached because the run stopped: keep what an earlier run recorded.
            if let Some(prev) = ctx.previous_entry(&ctx.found[i].rel) {
                entries.push(prev.clone());
            }
            continue;
        };
        stats.up_to_date += usize::from(done.up_to_date);
        stats.detected += usize::from(done.detected);
        if let Some(item) = done.sheet {
            sheet_items.push(item);
        }
        entries.push(done.entry);
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    for e in &entries {
        match e.status {
            SourceStatus::Cropped => stats.cropped += 1,
            SourceStatus::Skipped => stats.skipped += 1,
            SourceStatus::Error => stats.errors += 1,
        }
        for o in &e.outputs {
            stats.outputs += 1;
            stats.upscaled += usize::from(o.upscaled);
            stats.shortfall += usize::from(o.shortfall.is_some());
            stats.not_reached += usize::from(!o.framing.reached);
        }
    }
    let manifest = ctx.manifest(entries);
    let fatal = fatal
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    if let Some(e) = fatal {
        // Save what was done, so that a re-run knows these outputs as its own.
        let _ = write_manifest(&crop_manifest_path(&job.dst), &manifest);
        return Err(e);
    }
    let manifest_path = if job.dry_run {
        None
    } else {
        let path = crop_manifest_path(&job.dst);
        write_manifest(&path, &manifest).map_err(|source| CropError::Write {
            path: path.clone(),
            source,
        })?;
        Some(path)
    };

    let preview = match &job.preview {
        Some(path) => {
            let sheet = draw_sheet(&sheet_items, SHEET_CELL);
            let format = path
                .extension()
                .and_then(|e| e.to_str())
                .and_then(|e| e.parse().ok())
                .unwrap_or(crate::options::OutputFormat::Png);
            let bytes =
                crate::render::encode(&sheet, format, 90).map_err(|message| CropError::Encode {
                    path: path.clone(),
                    message,
                })?;
            zcurate_fs::write_atomic_creating_dirs(path, &bytes).map_err(|source| {
                CropError::Write {
                    path: path.clone(),
                    source,
                }
            })?;
            Some(path.clone())
        }
        None => None,
    };

    warnings.extend(ctx.stale_outputs(&manifest));
    Ok(CropOutcome {
        manifest,
        stats,
        manifest_path,
        preview,
        warnings,
    })
}

/// Everything the workers share.
struct Context<'a> {
    job: &'a CropJob<'a>,
    found: Vec<FoundImage>,
    names: OutputNames,
    key: String,
    face_settings: FaceSettings,
    previous: Option<CropManifest>,
    prev_index: HashMap<String, usize>,
    /// Files earlier runs wrote (output-relative path → sha256): these may be replaced.
    owned: HashMap<String, String>,
    /// Scan records of the source folder made with the same face settings.
    scanned: HashMap<&'a str, &'a ImageRecord>,
    /// The output folder, absolute, and the source folder, for the inside-source check.
    dst_abs: PathBuf,
    src_abs: PathBuf,
    warnings: Vec<String>,
    /// Held for the whole run.
    _lock: Option<zcurate_fs::DatasetLock>,
}

/// A `/`-separated relative path as a path.
fn rel_path(rel: &str) -> PathBuf {
    rel.split('/').collect()
}

/// `path` made absolute, with `..` and symlinks of its existing part resolved, so that
/// "is it inside the source folder" is answered for the folder it will really be (also for
/// `zcurate select`'s output folder).
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_owned(), |d| d.join(path))
    };
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                let p = Path::new(part);
                match p.components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = parent.to_owned();
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_handles_missing_tails_and_dot_dots() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(base.join("src")).unwrap();
        assert_eq!(
            resolve(&base.join("src/new/deeper")),
            base.join("src/new/deeper")
        );
        assert_eq!(resolve(&base.join("src/../out")), base.join("out"));
        assert!(resolve(&base.join("src/./x")).starts_with(base.join("src")));
    }

    #[test]
    fn rel_paths_split_on_slashes() {
        assert_eq!(
            rel_path("a/b/c.jpg"),
            Path::new("a").join("b").join("c.jpg")
        );
    }
}
