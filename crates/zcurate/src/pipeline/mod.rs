//! The steps several commands share, so that commands never call each other: bring a
//! dataset's manifest up to date (scan, with its cache) and read it, lock a folder, gate and
//! export a dataset ([`export`]), score a run's samples ([`evaluate`]), and what a selection
//! plan is made from ([`select`]).

pub(crate) mod evaluate;
pub(crate) mod export;
pub(crate) mod select;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use zcurate_fs::DatasetLock;
use zcurate_manifest::{ImageRecord, Manifest};
use zcurate_scan::{FaceNotice, FaceStep, FaceStepSettings, Observer, ScanStats};

use crate::printer;
use crate::progress;
use crate::settings::{ManifestTarget, ScanSettings};

/// The manifest a command reads: brought up to date by a scan first, or with `no_scan`
/// read as it is (it must exist). A scan that finds no image is an error.
pub(crate) fn manifest(settings: &ScanSettings, no_scan: bool, command: &str) -> Result<Manifest> {
    let path = settings.manifest_file(command)?;
    if no_scan {
        return read_manifest(&path, &settings.root, "drop --no-scan");
    }
    let (manifest, stats) = scan_dataset(settings)?;
    if stats.images == 0 {
        anyhow::bail!("no images found in {}", settings.root.display());
    }
    Ok(manifest)
}

/// Reads the manifest at `path` of the dataset `dir`; a missing one is an error saying how to
/// make it (and `hint`, another way out).
pub(crate) fn read_manifest(path: &Path, dir: &Path, hint: &str) -> Result<Manifest> {
    if !path.exists() {
        anyhow::bail!(
            "no manifest at {}; create it with `zcurate scan {}`{}",
            path.display(),
            dir.display(),
            if hint.is_empty() {
                String::new()
            } else {
                format!(" (or {hint})")
            }
        );
    }
    Ok(zcurate_manifest::read(path)?)
}

/// States the identity model's licence, for commands that use stored embeddings without
/// loading the model (the scan states it when it loads the model).
pub(crate) fn say_identity_licence() -> Result<()> {
    let name = zcurate_scan::faces::IDENTITY_MODEL;
    let licence = &zcurate_models::registry().model(name)?.licence;
    printer::warning(format!(
        "--identity uses {name}, licensed {}: {}",
        licence.spdx,
        licence.text.as_deref().unwrap_or(&licence.note).trim()
    ));
    Ok(())
}

struct Reporter {
    bar: ProgressBar,
    /// Where progress is saved during the scan (`None`: the manifest goes to stdout).
    save_to: Option<PathBuf>,
}

impl Observer for Reporter {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn file_done(&self, record: &ImageRecord, reused: bool) {
        self.bar.inc(1);
        if let Some(e) = &record.error {
            progress::suspend(&self.bar, || {
                printer::error(format!("{}: {}", record.path, e.message));
            });
        } else if reused {
            progress::suspend(&self.bar, || {
                printer::verbose(format!("unchanged: {}", record.path));
            });
        }
    }

    fn save_progress(&self, progress: &Manifest) {
        // A failure shows again, and is reported, when the whole manifest is written.
        if let Some(path) = &self.save_to {
            let _ = zcurate_manifest::write_atomic(path, progress);
        }
    }
}

/// Folders this process holds the lock of: a command holding its dataset's lock that then
/// brings the manifest up to date is not refused by its own lock.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The lock on one folder, held until dropped (or the process ends).
pub(crate) struct FolderLock {
    /// `None` when an outer holder in this process has it already.
    lock: Option<(DatasetLock, PathBuf)>,
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some((_, key)) = &self.lock {
            let mut held = HELD
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            held.retain(|k| k != key);
        }
    }
}

/// Takes the lock on `folder` (a dataset's `.zcurate/`, an output folder's `.zcurate/`) for
/// `command`, creating the folder. Another zcurate holding it is an error naming it (exit 2).
pub(crate) fn lock_folder(folder: &Path, command: &str) -> Result<FolderLock> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let key = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    let mut held = HELD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if held.contains(&key) {
        return Ok(FolderLock { lock: None });
    }
    let lock = DatasetLock::acquire(folder, command)?;
    held.push(key.clone());
    Ok(FolderLock {
        lock: Some((lock, key)),
    })
}

/// Brings a dataset's manifest up to date: reuses records of unchanged files, analyses the
/// rest, writes the manifest, and reports per-file problems on stderr. Every command that
/// scans goes through here.
pub(crate) fn scan_dataset(settings: &ScanSettings) -> Result<(Manifest, ScanStats)> {
    let step = settings.faces.as_ref().map(load_face_step).transpose()?;
    scan_dataset_with(settings, step.as_ref())
}

/// [`scan_dataset`] with a face step loaded by the caller (which uses it afterwards too);
/// `settings.faces` is not read.
pub(crate) fn scan_dataset_with(
    settings: &ScanSettings,
    step: Option<&FaceStep>,
) -> Result<(Manifest, ScanStats)> {
    let save_to = match &settings.manifest {
        ManifestTarget::File(p) => Some(p.clone()),
        ManifestTarget::Stdout => None,
    };
    // One writer of `.zcurate/` at a time; a manifest written elsewhere is the user's file.
    // Temporary files of killed runs go once the lock is ours.
    let folder = save_to
        .as_deref()
        .and_then(Path::parent)
        .filter(|d| d.file_name().is_some_and(|n| n == ".zcurate"))
        .filter(|_| settings.root.is_dir());
    let _lock = match folder {
        Some(d) => {
            let lock = lock_folder(d, "zcurate scan")?;
            zcurate_fs::remove_stale_temps(d);
            Some(lock)
        }
        None => None,
    };
    let previous = match (&settings.manifest, settings.no_cache) {
        (ManifestTarget::File(p), false) if p.exists() => match zcurate_manifest::read(p) {
            Ok(m) => Some(m),
            Err(e) => {
                printer::warning(format!("{e}; analysing every file again"));
                None
            }
        },
        _ => None,
    };
    if let Some(m) = &previous {
        printer::verbose(format!("previous manifest has {} records", m.images.len()));
    }
    let reporter = Reporter {
        bar: progress::bar("scanning"),
        save_to,
    };
    let started = Instant::now();
    let root_label = settings.root.to_string_lossy().into_owned();
    let outcome = zcurate_scan::scan(
        &settings.root,
        &root_label,
        &settings.config,
        step,
        previous,
        &reporter,
    )?;
    reporter.bar.finish_and_clear();
    let elapsed = started.elapsed();
    let manifest = outcome.manifest;
    for d in &manifest.dir_errors {
        printer::error(format!("{}: cannot read directory: {}", d.path, d.message));
    }

    match &settings.manifest {
        ManifestTarget::Stdout => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &manifest)?;
            writeln!(out)?;
        }
        ManifestTarget::File(p) => zcurate_manifest::write_atomic(p, &manifest)
            .with_context(|| format!("cannot save the scan of {}", settings.root.display()))?,
    }

    let s = outcome.stats;
    let written = match &settings.manifest {
        ManifestTarget::File(p) => format!(" -> {}", p.display()),
        ManifestTarget::Stdout => String::new(),
    };
    printer::status(format!(
        "{} {} images ({} analysed, {} unchanged, {} with errors) in {:.2}s{written}",
        printer::bold("Scanned"),
        s.images,
        s.analysed,
        s.reused,
        s.errors,
        elapsed.as_secs_f64(),
    ));
    if let Some(sha) = step.and_then(FaceStep::identity_model) {
        let current = manifest
            .images
            .iter()
            .filter(|r| r.current_identity(Some(sha)).is_some())
            .count();
        printer::status(format!(
            "{} {} faces ({} cached)",
            printer::bold("Embedded"),
            s.embedded,
            current.saturating_sub(s.embedded)
        ));
    }
    Ok((manifest, s))
}

/// Loads the face step, printing what it reports: fetches, a fallback to tract (one line),
/// the identity model's licence.
pub(crate) fn load_face_step(settings: &FaceStepSettings) -> Result<FaceStep> {
    let mut notify = |notice: FaceNotice| match notice {
        FaceNotice::Fetching {
            what,
            name,
            licence,
        } => printer::status(format!(
            "fetching {what} `{name}` ({licence}) on first use ..."
        )),
        FaceNotice::FellBack { reason } => printer::warning(format!(
            "faces run on tract, the slower pure-Rust engine: {reason}"
        )),
        FaceNotice::IdentityLicence { model, spdx, text } => {
            printer::warning(format!("--identity uses {model}, licensed {spdx}: {text}"));
        }
        _ => {}
    };
    let step = FaceStep::load(settings, &mut notify)?;
    printer::verbose(format!("faces run on {}", step.backend()));
    Ok(step)
}
