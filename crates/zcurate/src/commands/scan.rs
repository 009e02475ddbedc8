use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use zcurate_manifest::{ImageRecord, Manifest};
use zcurate_scan::{Observer, ScanStats};

use crate::ExitStatus;
use crate::args::{GlobalArgs, ScanArgs};
use crate::printer;
use crate::progress;
use crate::settings::{ManifestTarget, ScanSettings};

struct Reporter {
    bar: ProgressBar,
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
}

pub(crate) fn run(args: &ScanArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let settings = ScanSettings::resolve(args, global)?;
    let (manifest, s) = scan_dataset(&settings)?;
    if s.images == 0 {
        printer::error(format!("no images found in {}", settings.root.display()));
        return Ok(ExitStatus::Error);
    }
    if s.errors == s.images {
        printer::error("no image could be scanned");
        return Ok(ExitStatus::Error);
    }
    if settings.strict && (s.errors > 0 || !manifest.dir_errors.is_empty()) {
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}

/// Brings a dataset's manifest up to date: reuses records of unchanged files, analyses the
/// rest, writes the manifest, and reports per-file problems on stderr. Every command that
/// needs a manifest (scan, faces, lint) goes through here.
pub(crate) fn scan_dataset(settings: &ScanSettings) -> Result<(Manifest, ScanStats)> {
    if let Some(f) = &settings.config_file {
        printer::verbose(format!("using config {}", f.display()));
    }
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
    let stage = settings
        .faces
        .as_ref()
        .map(crate::face_stage::build)
        .transpose()?;
    let reporter = Reporter {
        bar: progress::bar("scanning"),
    };
    let started = Instant::now();
    let root_label = settings.root.to_string_lossy().into_owned();
    let outcome = zcurate_scan::scan(
        &settings.root,
        &root_label,
        &settings.config,
        stage.as_ref().map(|s| s as &dyn zcurate_scan::FaceStage),
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
    Ok((manifest, s))
}
