use std::path::Path;

use rayon::prelude::*;
use zcurate_image::{AnalysisSettings as ImageAnalysisSettings, DecodeLimits};
use zcurate_manifest::{AnalysisSettings, ImageRecord, Manifest, ScanSettings};

use crate::ScanError;
use crate::discover::{FoundImage, discover};
use crate::faces::FaceStep;
use crate::file::{analyse_bytes, embed_reused, read_caption, stat, unreadable};
use crate::incremental::Previous;

/// Version of the image measures. Bump when a measure changes definition so that cached
/// records are recomputed. 2: the mirrored pHash and the main face's pHash (`zcurate
/// select` finds mirrored copies and crops of one photo with them).
pub const ANALYSIS_VERSION: u32 = 2;

/// Everything a scan needs besides the root.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    pub recursive: bool,
    /// Caption sidecar extension without the dot.
    pub caption_ext: String,
    /// Worker threads; `None` uses one per core.
    pub jobs: Option<usize>,
    pub limits: DecodeLimits,
    pub analysis: ImageAnalysisSettings,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            recursive: false,
            caption_ext: "txt".to_owned(),
            jobs: None,
            limits: DecodeLimits::default(),
            analysis: ImageAnalysisSettings::default(),
        }
    }
}

impl ScanConfig {
    /// The settings block recorded in the manifest.
    pub fn settings(&self, faces: Option<&FaceStep>) -> ScanSettings {
        ScanSettings {
            recursive: self.recursive,
            caption_ext: self.caption_ext.clone(),
            analysis_version: ANALYSIS_VERSION,
            analysis: AnalysisSettings {
                clip_dark_max: self.analysis.clip_dark_max,
                clip_bright_min: self.analysis.clip_bright_min,
                grey_chroma_tolerance: self.analysis.grey_chroma_tolerance,
                grey_max_chromatic_share: self.analysis.grey_max_chromatic_share,
            },
            faces: faces.map(FaceStep::settings),
        }
    }
}

/// Receives progress events from worker threads. The binary draws bars and prints
/// per-file problems; library code never writes to the terminal.
pub trait Observer: Sync {
    /// Called once, before any file is analysed.
    fn start(&self, _total: usize) {}
    /// Called after each file, from a worker thread.
    fn file_done(&self, _record: &ImageRecord, _reused: bool) {}
}

impl Observer for () {}

/// Counts of one scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Images found.
    pub images: usize,
    /// Images analysed in this run.
    pub analysed: usize,
    /// Images whose previous record was reused.
    pub reused: usize,
    /// Images whose record carries an error.
    pub errors: usize,
    /// Main faces given an identity embedding in this run (`--identity`).
    pub embedded: usize,
}

/// The manifest and what it took to make it.
#[derive(Debug)]
pub struct ScanOutcome {
    pub manifest: Manifest,
    pub stats: ScanStats,
}

/// Scans `root`, reusing records from `previous` for files that did not change.
pub fn scan(
    root: &Path,
    root_label: &str,
    config: &ScanConfig,
    faces: Option<&FaceStep>,
    previous: Option<Manifest>,
    observer: &dyn Observer,
) -> Result<ScanOutcome, ScanError> {
    if !root.is_dir() {
        return Err(ScanError::NotADirectory {
            path: root.to_owned(),
        });
    }
    let settings = config.settings(faces);
    let previous = Previous::new(previous, &settings);
    let found = discover(root, config.recursive, &config.caption_ext);
    observer.start(found.images.len());

    let work = || -> Vec<Done> {
        found
            .images
            .par_iter()
            .map(|f| {
                let done = scan_one(f, config, faces, &previous);
                observer.file_done(&done.rec, done.reused);
                done
            })
            .collect()
    };
    let results = match config.jobs {
        Some(jobs) => rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map_err(|source| ScanError::ThreadPool { jobs, source })?
            .install(work),
        None => work(),
    };

    let mut stats = ScanStats {
        images: results.len(),
        ..ScanStats::default()
    };
    let mut manifest = Manifest::new(root_label, settings);
    for Done {
        rec,
        reused,
        embedded,
    } in results
    {
        if reused {
            stats.reused += 1;
        } else {
            stats.analysed += 1;
        }
        if rec.error.is_some() {
            stats.errors += 1;
        }
        stats.embedded += usize::from(embedded);
        manifest.images.push(rec);
    }
    manifest.orphan_captions = found.orphan_captions;
    manifest.dir_errors = found.dir_errors;
    Ok(ScanOutcome { manifest, stats })
}

/// One file's record and how it was made.
struct Done {
    rec: ImageRecord,
    /// The previous record was reused (perhaps given an identity embedding).
    reused: bool,
    /// Its main face was embedded in this run.
    embedded: bool,
}

fn scan_one(
    found: &FoundImage,
    config: &ScanConfig,
    faces: Option<&FaceStep>,
    previous: &Previous,
) -> Done {
    let (bytes_len, mtime) = match stat(&found.abs) {
        Ok(s) => s,
        Err(e) => return done(unreadable(found, &e), false, false),
    };
    let finish = |mut rec: ImageRecord, reused: bool, embedded: bool| {
        rec.path.clone_from(&found.rel);
        rec.repeats = found.repeats;
        rec.bytes = bytes_len;
        rec.mtime_ns = mtime;
        read_caption(&mut rec, found);
        done(rec, reused, embedded)
    };
    // A reused record that lacks the identity embedding asked for is decoded for it alone.
    let reuse = |mut rec: ImageRecord, bytes: Option<&[u8]>| {
        let embedded = match faces.filter(|f| f.needs_identity(&rec)) {
            Some(step) => embed_reused(&mut rec, found, bytes, config, step),
            None => false,
        };
        finish(rec, true, embedded)
    };
    if let Some(rec) = previous.by_stat(&found.rel, bytes_len, mtime) {
        return reuse(rec, None);
    }
    let bytes = match std::fs::read(&found.abs) {
        Ok(b) => b,
        Err(e) => return done(unreadable(found, &e), false, false),
    };
    let sha256 = crate::file::sha256_hex(&bytes);
    if let Some(rec) = previous.by_hash(&found.rel, &sha256) {
        return reuse(rec, Some(&bytes));
    }
    let mut rec = ImageRecord {
        sha256: Some(sha256),
        ..ImageRecord::default()
    };
    let embedded = analyse_bytes(&mut rec, found, &bytes, config, faces);
    drop(bytes);
    finish(rec, false, embedded)
}

fn done(rec: ImageRecord, reused: bool, embedded: bool) -> Done {
    Done {
        rec,
        reused,
        embedded,
    }
}
