use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use zcurate_image::{AnalysisSettings as ImageAnalysisSettings, DecodeLimits};
use zcurate_manifest::{
    AnalysisSettings, ErrorKind, ImageRecord, Manifest, RecordError, ScanSettings,
};

use crate::ScanError;
use crate::discover::{FoundImage, discover};
use crate::faces::FaceStep;
use crate::file::{analyse_bytes, embed_reused, read_caption, stat, unreadable};
use crate::incremental::Previous;

/// Version of the image measures. Bump when a measure changes definition so that cached
/// records are recomputed. 2: the mirrored pHash and the main face's pHash (`zcurate
/// select` finds mirrored copies and crops of one photo with them).
pub const ANALYSIS_VERSION: u32 = 2;

/// How often a scan hands the records it has finished to [`Observer::save_progress`] (the
/// binary writes them as the manifest), so a scan killed half-way keeps its work: the next
/// run reuses every record saved. Ten seconds loses little when a run is killed, and saving
/// a manifest of 10 000 records (a few MB of JSON) that often costs a few percent of a scan
/// at most. `zcurate scan --save-every SECS` changes it; 0 saves after every analysed file.
pub const DEFAULT_SAVE_EVERY: Duration = Duration::from_secs(10);

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
    /// How often finished records are saved during the scan ([`DEFAULT_SAVE_EVERY`]).
    pub save_every: Duration,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            recursive: false,
            caption_ext: "txt".to_owned(),
            jobs: None,
            limits: DecodeLimits::default(),
            analysis: ImageAnalysisSettings::default(),
            save_every: DEFAULT_SAVE_EVERY,
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
    /// Called every [`ScanConfig::save_every`] while files are analysed, from a worker thread
    /// (others wait meanwhile), with a manifest of the records finished so far and the
    /// previous records of the files not reached yet. Saving it lets a run that is killed
    /// keep what it did.
    fn save_progress(&self, _progress: &Manifest) {}
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

    let progress = Mutex::new(Progress {
        done: vec![None; found.images.len()],
        last: Instant::now(),
        unsaved: 0,
    });
    let work = || -> Vec<Done> {
        found
            .images
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let done = scan_one(f, config, faces, &previous);
                observer.file_done(&done.rec, done.reused);
                let save = Save {
                    root_label,
                    settings: &settings,
                    found: &found.images,
                    previous: &previous,
                    every: config.save_every,
                };
                save.record(&progress, i, &done, observer);
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

/// The records finished so far, for the periodic saves.
struct Progress {
    done: Vec<Option<ImageRecord>>,
    last: Instant,
    /// Records analysed (not reused) since the last save: nothing new, nothing to save.
    unsaved: usize,
}

/// What a periodic save needs besides the progress.
struct Save<'a> {
    root_label: &'a str,
    settings: &'a ScanSettings,
    found: &'a [FoundImage],
    previous: &'a Previous,
    every: Duration,
}

impl Save<'_> {
    /// Notes one finished file and, when the time has come, hands the progress to `observer`.
    fn record(&self, progress: &Mutex<Progress>, i: usize, done: &Done, observer: &dyn Observer) {
        let mut p = progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        p.done[i] = Some(done.rec.clone());
        p.unsaved += usize::from(!done.reused || done.embedded);
        if p.unsaved == 0 || p.last.elapsed() < self.every {
            return;
        }
        let mut manifest = Manifest::new(self.root_label, self.settings.clone());
        manifest.images = p
            .done
            .iter()
            .zip(self.found)
            .filter_map(|(rec, f)| rec.clone().or_else(|| self.previous.any(&f.rel)))
            .collect();
        observer.save_progress(&manifest);
        p.last = Instant::now();
        p.unsaved = 0;
    }
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
    if found.lossy_name {
        let rec = ImageRecord {
            path: found.rel.clone(),
            repeats: found.repeats,
            error: Some(RecordError {
                kind: ErrorKind::Name,
                message: crate::discover::lossy_name_reason(&found.rel),
            }),
            ..ImageRecord::default()
        };
        return done(rec, false, false);
    }
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
    let sha256 = zcurate_fs::sha256_hex(&bytes);
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
