//! The batch: every image of a source folder, read and decoded once, its faces found (or
//! reused), its crops planned, rendered and written, with sidecars and the output manifest.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use zcurate_caption::Schema;
use zcurate_image::DecodeLimits;
use zcurate_manifest::{Face, FaceSettings, ImageRecord, Manifest, Tool};
use zcurate_scan::faces::same_face_results;
pub(crate) use zcurate_scan::sha256_hex;
use zcurate_scan::{FaceStep, FoundImage, stat};

use crate::error::CropError;
use crate::manifest::{
    CROP_SCHEMA_VERSION, CropManifest, OutputEntry, SidecarEntry, SourceEntry, SourceStatus,
    crop_manifest_path, read_manifest, settings_key, write_manifest,
};
use crate::names::OutputNames;
use crate::options::CropOptions;
use crate::plan::{CropPlan, plan_image};
use crate::sheet::{SheetItem, draw_sheet};
use crate::write::write_file;

/// Longest side of a contact-sheet cell, pixels.
const SHEET_CELL: u32 = 256;

/// How often the manifest is saved during a run, so that an interrupted run still knows which
/// outputs it wrote.
const CHECKPOINT_SECS: u64 = 5;

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
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| CropError::Write {
                    path: path.clone(),
                    source,
                })?;
            }
            write_file(path, &bytes, true).map_err(|source| CropError::Write {
                path: path.clone(),
                source,
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

/// A sidecar on its way from the source folder to the output folder.
struct Sidecar {
    /// Source path, relative to the source folder.
    from: String,
    from_sha256: String,
    /// Output path, relative to the output folder.
    to: String,
    bytes: Vec<u8>,
    /// The framing was rewritten.
    updated: bool,
}

struct Checkpoint {
    entries: Vec<Option<SourceEntry>>,
    last: Instant,
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

impl<'a> Context<'a> {
    fn prepare(job: &'a CropJob<'a>, faces: &FaceStep) -> Result<Self, CropError> {
        let (src_abs, dst_abs) = job.paths()?;
        if !job.dry_run {
            std::fs::create_dir_all(&job.dst).map_err(|source| CropError::CreateDestination {
                path: job.dst.clone(),
                source,
            })?;
            // Find out now, not after the first minute of decoding, that nothing can be
            // written here (a read-only mount, a full disk). The probe has a temporary file's
            // name, so a run killed right here leaves nothing the next run keeps.
            let probe = zcurate_fs::temp_path(&job.dst);
            std::fs::File::create_new(&probe)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, b"zcurate")?;
                    f.sync_all()
                })
                .map_err(|source| CropError::DestinationNotWritable {
                    path: job.dst.clone(),
                    source,
                })?;
            let _ = std::fs::remove_file(&probe);
        }
        // One writer of the output folder at a time; then the temporary files of killed runs
        // are surely no one's.
        let lock = if job.dry_run {
            None
        } else {
            let lock = zcurate_fs::DatasetLock::acquire(&job.dst.join(".zcurate"), "zcurate crop")?;
            crate::write::remove_stale_temps(&job.dst);
            Some(lock)
        };

        let mut warnings = Vec::new();
        let previous = match read_manifest(&crop_manifest_path(&job.dst)) {
            Ok(m) => m,
            Err(e) => {
                warnings.push(format!(
                    "{e}; treating every existing file in the output folder as not ours"
                ));
                None
            }
        };
        let discovery = zcurate_scan::discover(&job.src, job.recursive, &job.caption_ext);
        for d in &discovery.dir_errors {
            warnings.push(format!("{}: cannot read folder: {}", d.path, d.message));
        }
        let mut found = discovery.images;
        found.sort_by(|a, b| a.rel.cmp(&b.rel));
        let rels: Vec<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        let names = OutputNames::new(&rels);
        let face_settings = faces.settings();
        let mut owned = HashMap::new();
        let mut prev_index = HashMap::new();
        if let Some(m) = &previous {
            for (k, s) in m.sources.iter().enumerate() {
                prev_index.insert(s.path.clone(), k);
                for o in &s.outputs {
                    let sidecars = [&o.caption, &o.attributes];
                    if let Some(sha) = &o.sha256 {
                        owned.insert(o.path.clone(), sha.clone());
                    }
                    for sc in sidecars.into_iter().flatten() {
                        if let Some(sha) = &sc.sha256 {
                            owned.insert(sc.path.clone(), sha.clone());
                        }
                    }
                }
            }
        }
        let scanned = job
            .source_manifest
            .filter(|m| {
                m.settings
                    .faces
                    .as_ref()
                    .is_some_and(|f| same_face_results(f, &face_settings))
            })
            .map(|m| {
                m.images
                    .iter()
                    .filter(|r| r.faces.is_some() && r.sha256.is_some())
                    .map(|r| (r.path.as_str(), r))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            job,
            found,
            names,
            key: settings_key(
                &job.options,
                &face_settings,
                job.schema.map(|s| s.name.as_str()),
            ),
            face_settings,
            previous,
            prev_index,
            owned,
            scanned,
            dst_abs,
            src_abs,
            warnings,
            _lock: lock,
        })
    }

    fn previous_entry(&self, rel: &str) -> Option<&SourceEntry> {
        let m = self.previous.as_ref()?;
        m.sources.get(*self.prev_index.get(rel)?)
    }

    /// Earlier detections may be reused when they were made with today's face settings.
    fn previous_faces_valid(&self) -> bool {
        self.previous
            .as_ref()
            .and_then(|m| m.faces.as_ref())
            .is_some_and(|f| same_face_results(f, &self.face_settings))
    }

    fn manifest(&self, sources: Vec<SourceEntry>) -> CropManifest {
        CropManifest {
            schema_version: CROP_SCHEMA_VERSION,
            tool: Tool::current(),
            source_root: self.job.src_label.clone(),
            settings: self.job.options.clone(),
            settings_key: self.key.clone(),
            faces: Some(self.face_settings.clone()),
            sources,
        }
    }

    /// Saves the manifest of what is done so far, at most every few seconds.
    fn checkpoint(&self, state: &Mutex<Checkpoint>, i: usize, entry: &SourceEntry) {
        if self.job.dry_run {
            return;
        }
        let mut cp = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cp.entries[i] = Some(entry.clone());
        if cp.last.elapsed().as_secs() < CHECKPOINT_SECS {
            return;
        }
        cp.last = Instant::now();
        let mut sources: Vec<SourceEntry> = cp
            .entries
            .iter()
            .enumerate()
            .filter_map(|(k, e)| {
                e.clone()
                    .or_else(|| self.previous_entry(&self.found[k].rel).cloned())
            })
            .collect();
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        // A failure here shows again, and is reported, when the final manifest is written.
        let _ = write_manifest(&crop_manifest_path(&self.job.dst), &self.manifest(sources));
    }

    /// Files an earlier run wrote that this run no longer produces (a changed format, a
    /// source that went away). They are left in place, and named.
    fn stale_outputs(&self, now: &CropManifest) -> Vec<String> {
        let Some(prev) = &self.previous else {
            return Vec::new();
        };
        let current: std::collections::HashSet<&str> = now
            .sources
            .iter()
            .flat_map(|s| &s.outputs)
            .flat_map(|o| {
                std::iter::once(o.path.as_str()).chain(
                    [&o.caption, &o.attributes]
                        .into_iter()
                        .flatten()
                        .map(|s| s.path.as_str()),
                )
            })
            .collect();
        let stale: Vec<&str> = prev
            .sources
            .iter()
            .flat_map(|s| &s.outputs)
            .map(|o| o.path.as_str())
            .filter(|p| !current.contains(p) && self.job.dst.join(p).exists())
            .collect();
        if stale.is_empty() {
            return Vec::new();
        }
        let shown: Vec<&str> = stale.iter().take(5).copied().collect();
        vec![format!(
            "{} crop{} of an earlier run {} no longer produced and {} left in place: {}{}",
            stale.len(),
            if stale.len() == 1 { "" } else { "s" },
            if stale.len() == 1 { "is" } else { "are" },
            if stale.len() == 1 { "was" } else { "were" },
            shown.join(", "),
            if stale.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        )]
    }

    /// Whether an earlier entry still describes what this run would write, with its files
    /// untouched: then nothing is decoded.
    fn up_to_date(&self, prev: &SourceEntry, found: &FoundImage) -> bool {
        if prev.settings_key != self.key
            || prev.status == SourceStatus::Error
            || self.job.dry_run
            || self.job.preview.is_some()
        {
            return false;
        }
        let outputs_intact = prev.outputs.iter().all(|o| {
            let mine = |rel: &str, sha: Option<&String>| {
                sha.is_some_and(|s| file_sha256(&self.job.dst.join(rel)).as_ref() == Some(s))
            };
            mine(&o.path, o.sha256.as_ref())
                && [&o.caption, &o.attributes]
                    .into_iter()
                    .flatten()
                    .all(|sc| mine(&sc.path, sc.sha256.as_ref()))
        });
        // The sidecars of the source: the same ones, with the same content.
        let caption_now = found.caption.as_ref().and_then(|(_, abs)| file_sha256(abs));
        let attributes_now = self
            .attributes_of(found)
            .and_then(|(_, abs)| file_sha256(&abs));
        let sidecars_same = prev.outputs.iter().all(|o| {
            o.caption.as_ref().map(|s| &s.from_sha256) == caption_now.as_ref()
                && o.attributes.as_ref().map(|s| &s.from_sha256) == attributes_now.as_ref()
        });
        outputs_intact && sidecars_same
    }

    /// The attribute sidecar (`<stem>.json`) of a source, when there is one.
    fn attributes_of(&self, found: &FoundImage) -> Option<(String, PathBuf)> {
        if self.job.caption_ext.eq_ignore_ascii_case("json") {
            return None;
        }
        let rel = zcurate_caption::sidecar_path(&found.rel);
        let abs = self.job.src.join(rel_path(&rel));
        abs.is_file().then_some((rel, abs))
    }

    /// Reads, decodes, detects, plans, renders and writes one source. `Err` only for
    /// problems that must stop the run (an output that cannot be written).
    fn process(&self, i: usize, stage: &FaceStep) -> Result<Done, CropError> {
        let found = &self.found[i];
        let mut entry = SourceEntry {
            path: found.rel.clone(),
            bytes: 0,
            mtime_ns: None,
            sha256: None,
            width: None,
            height: None,
            exif_orientation: None,
            faces: None,
            main_face: None,
            status: SourceStatus::Error,
            reasons: Vec::new(),
            settings_key: self.key.clone(),
            outputs: Vec::new(),
        };
        let failed = |mut entry: SourceEntry, why: String| {
            entry.status = SourceStatus::Error;
            entry.reasons = vec![why];
            Ok(Done {
                entry,
                sheet: None,
                up_to_date: false,
                detected: false,
            })
        };
        if found.lossy_name {
            // Its outputs would be named with replacement characters: refused, with why.
            return failed(entry, zcurate_scan::lossy_name_reason(&found.rel));
        }
        let (bytes_len, mtime) = match stat(&found.abs) {
            Ok(s) => s,
            Err(e) => return failed(entry, zcurate_scan::unreadable_reason(&found.abs, &e)),
        };
        entry.bytes = bytes_len;
        entry.mtime_ns = mtime;
        let prev = self.previous_entry(&found.rel);
        let reuse = |p: &SourceEntry, sha: Option<String>| {
            let mut e = p.clone();
            e.bytes = bytes_len;
            e.mtime_ns = mtime;
            if sha.is_some() {
                e.sha256 = sha;
            }
            Ok(Done {
                entry: e,
                sheet: None,
                up_to_date: true,
                detected: false,
            })
        };
        if let Some(p) = prev
            && mtime.is_some()
            && p.bytes == bytes_len
            && p.mtime_ns == mtime
            && p.sha256.is_some()
            && self.up_to_date(p, found)
        {
            return reuse(p, None);
        }
        let bytes = match std::fs::read(&found.abs) {
            Ok(b) => b,
            Err(e) => return failed(entry, format!("cannot read file: {e}")),
        };
        let sha = sha256_hex(&bytes);
        if let Some(p) = prev
            && p.sha256.as_deref() == Some(sha.as_str())
            && self.up_to_date(p, found)
        {
            return reuse(p, Some(sha));
        }
        entry.sha256 = Some(sha.clone());
        let decoded = match zcurate_image::decode_bytes(&bytes, &self.job.limits) {
            Ok(d) => d,
            Err(e) => return failed(entry, format!("cannot decode: {e}")),
        };
        drop(bytes);
        let (w, h) = (decoded.width(), decoded.height());
        entry.width = Some(w);
        entry.height = Some(h);
        entry.exif_orientation = decoded.exif_orientation;

        let mut detected = false;
        let same = |s: Option<&str>| s == Some(sha.as_str());
        let from_previous = prev
            .filter(|p| self.previous_faces_valid() && same(p.sha256.as_deref()))
            .and_then(|p| Some((p.faces.clone()?, p.main_face)));
        let from_scan = || {
            let r = self.scanned.get(found.rel.as_str())?;
            if !same(r.sha256.as_deref()) {
                return None;
            }
            Some((r.faces.clone()?, r.face_summary?.main))
        };
        let reused_faces: Option<(Vec<Face>, Option<usize>)> = from_previous.or_else(from_scan);
        let (faces, main) = if let Some(f) = reused_faces {
            f
        } else {
            detected = true;
            match stage.analyse(&decoded.image, None) {
                Ok(out) => (out.faces, out.summary.main),
                Err(e) => return failed(entry, format!("face detection failed: {e}")),
            }
        };
        let planned = plan_image(w, h, &faces, main, &self.job.options);
        entry.faces = Some(faces.clone());
        entry.main_face = main;
        entry.reasons = planned
            .skipped
            .iter()
            .map(|(face, why)| match face {
                Some(k) if self.job.options.all_faces => format!("face {}: {why}", k + 1),
                _ => why.to_string(),
            })
            .collect();

        let mut blocked = false;
        for plan in &planned.plans {
            match self.output(i, found, &decoded.image, plan)? {
                Ok(out) => entry.outputs.push(out),
                Err(why) => {
                    entry.reasons.push(why);
                    blocked = true;
                    break;
                }
            }
        }
        entry.status = if blocked {
            SourceStatus::Error
        } else if entry.outputs.is_empty() {
            SourceStatus::Skipped
        } else {
            SourceStatus::Cropped
        };
        let sheet = self.job.preview.as_ref().map(|_| {
            sheet_item(
                &decoded.image,
                &faces,
                &planned.plans,
                entry.outputs.is_empty(),
            )
        });
        Ok(Done {
            entry,
            sheet,
            up_to_date: false,
            detected,
        })
    }

    /// Renders and writes one crop and its sidecars. The outer `Err` stops the run (the
    /// output folder cannot be written); the inner one is this source's problem (an existing
    /// file in the way).
    fn output(
        &self,
        i: usize,
        found: &FoundImage,
        image: &image::DynamicImage,
        plan: &CropPlan,
    ) -> Result<Result<OutputEntry, String>, CropError> {
        let o = &self.job.options;
        let rel = self
            .names
            .output(i, o.all_faces.then_some(plan.face), o.format.extension());
        let stem = rel
            .rsplit_once('.')
            .map_or(rel.as_str(), |(s, _)| s)
            .to_owned();
        let caption_rel = found
            .caption
            .as_ref()
            .map(|c| (c, format!("{stem}.{}", self.job.caption_ext)));
        let attributes_rel = self
            .attributes_of(found)
            .map(|a| (a, format!("{stem}.json")));
        for r in std::iter::once(&rel)
            .chain(caption_rel.as_ref().map(|c| &c.1))
            .chain(attributes_rel.as_ref().map(|a| &a.1))
        {
            if self.dst_abs.join(rel_path(r)).starts_with(&self.src_abs) {
                return Ok(Err(format!(
                    "output {r} would land inside the source folder"
                )));
            }
        }

        let mut entry = OutputEntry {
            path: rel.clone(),
            sha256: None,
            width: plan.width,
            height: plan.height,
            face: plan.face,
            face_box: plan.face_box,
            face_box_out: plan.face_box_out,
            crop: plan.crop,
            scale: plan.scale,
            upscaled: plan.upscaled,
            shortfall: plan.shortfall,
            fit: plan.fit,
            framing: plan.framing,
            caption: None,
            attributes: None,
        };
        // The caption says what the crop shows, which is the requested framing unless the
        // photo could not give it.
        let framing = plan.framing.expected;

        // Sidecar texts first: a problem with them must not leave an image without its
        // caption.
        let caption = match &caption_rel {
            Some(((from, abs), to)) => {
                let Ok(bytes) = std::fs::read(abs) else {
                    return Ok(Err(format!("cannot read caption {from}")));
                };
                let from_sha256 = sha256_hex(&bytes);
                let (bytes, updated) = match (std::str::from_utf8(&bytes), self.job.schema) {
                    (Ok(t), Some(schema)) => {
                        let (t, changed) = crate::sidecar::retarget_caption(t, schema, framing);
                        (t.into_bytes(), changed)
                    }
                    _ => (bytes, false),
                };
                Some(Sidecar {
                    from: from.clone(),
                    from_sha256,
                    to: to.clone(),
                    bytes,
                    updated,
                })
            }
            None => None,
        };
        let attributes = match &attributes_rel {
            Some(((from, abs), to)) => {
                let Ok(bytes) = std::fs::read(abs) else {
                    return Ok(Err(format!("cannot read attributes {from}")));
                };
                let from_sha256 = sha256_hex(&bytes);
                let changed = match (std::str::from_utf8(&bytes), self.job.schema) {
                    (Ok(t), Some(schema)) => {
                        crate::sidecar::retarget_attributes(t, schema, framing)
                    }
                    _ => None,
                };
                Some(Sidecar {
                    from: from.clone(),
                    from_sha256,
                    to: to.clone(),
                    updated: changed.is_some(),
                    bytes: changed.map_or(bytes, String::into_bytes),
                })
            }
            None => None,
        };

        if self.job.dry_run {
            let record = |s: &Sidecar| SidecarEntry {
                path: s.to.clone(),
                from: s.from.clone(),
                from_sha256: s.from_sha256.clone(),
                sha256: None,
                framing_updated: s.updated,
            };
            entry.caption = caption.as_ref().map(record);
            entry.attributes = attributes.as_ref().map(record);
            return Ok(Ok(entry));
        }

        // Nothing is written for this source unless every file it needs may be written.
        let pixels = match crate::render::render(image, plan, o.pad) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let path = self.job.dst.join(rel_path(&rel));
        let bytes = crate::render::encode(&pixels, o.format, o.quality).map_err(|message| {
            CropError::Encode {
                path: path.clone(),
                message,
            }
        })?;
        drop(pixels);
        for (r, content) in std::iter::once((&rel, &bytes))
            .chain(caption.as_ref().map(|c| (&c.to, &c.bytes)))
            .chain(attributes.as_ref().map(|a| (&a.to, &a.bytes)))
        {
            if !self.may_write(r, content) {
                return Ok(Err(format!(
                    "{r} exists in the output folder and was not written by zcurate crop (use --overwrite to replace it)"
                )));
            }
        }
        write_output(&path, &bytes)?;
        entry.sha256 = Some(sha256_hex(&bytes));
        let mut write_sidecar = |s: Sidecar| -> Result<SidecarEntry, CropError> {
            let path = self.job.dst.join(rel_path(&s.to));
            write_output(&path, &s.bytes)?;
            Ok(SidecarEntry {
                path: s.to,
                from: s.from,
                from_sha256: s.from_sha256,
                sha256: Some(sha256_hex(&s.bytes)),
                framing_updated: s.updated,
            })
        };
        entry.caption = caption.map(&mut write_sidecar).transpose()?;
        entry.attributes = attributes.map(&mut write_sidecar).transpose()?;
        Ok(Ok(entry))
    }

    /// A file may be written when it does not exist, when `--overwrite` says so, when an
    /// earlier run wrote it and it has not been changed since, or when it holds exactly
    /// `content` already: the output of a run killed before it could record it (replacing
    /// it loses nothing).
    fn may_write(&self, rel: &str, content: &[u8]) -> bool {
        let path = self.job.dst.join(rel_path(rel));
        if self.job.overwrite || !path.exists() {
            return true;
        }
        let now = file_sha256(&path);
        now.is_some() && (self.owned.get(rel) == now.as_ref() || now == Some(sha256_hex(content)))
    }
}

/// Writes one output file (and its folder), through a temporary file.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), CropError> {
    let err = |source| CropError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    write_file(path, bytes, true).map_err(err)
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

fn file_sha256(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| sha256_hex(&b))
}

fn sheet_item(
    image: &image::DynamicImage,
    faces: &[Face],
    plans: &[CropPlan],
    skipped: bool,
) -> SheetItem {
    let thumb =
        zcurate_image::resize::resize_to_fit(image, SHEET_CELL, zcurate_image::resize::Filter::Box)
            .to_rgb8();
    let scale = f64::from(thumb.width()) / f64::from(image.width().max(1));
    SheetItem {
        thumb,
        scale,
        crops: plans
            .iter()
            .map(|p| (p.crop.corners(), p.framing.reached))
            .collect(),
        faces: faces
            .iter()
            .enumerate()
            .map(|(k, f)| (f.bbox, plans.iter().any(|p| p.face == k)))
            .collect(),
        skipped,
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
