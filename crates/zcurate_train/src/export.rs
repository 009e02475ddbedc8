//! Writing OUT: the trainer-ready dataset (hard links, copies where linking fails), the
//! captions, the trainer's files, the README and the export manifest.
//!
//! Nothing the user owns is overwritten or deleted: OUT must not overlap the dataset; a
//! non-empty OUT must carry our export manifest (or `overwrite` must be set); a file we
//! wrote before is replaced or removed only while it is as we left it.
//!
//! Interrupted is normal: before the first file is written, the export manifest is written
//! marked incomplete, listing every file about to be written with the content it will have,
//! so a run killed at any point is recognised as ours and finished by running it again.
//! Every file appears whole or not at all (a temporary file and a rename, or a hard link),
//! and temporary files of a killed run are removed by the next one.

use std::fs::Metadata;
use std::path::{Component, Path, PathBuf};

use crate::dataset::repeat_folder;
use crate::error::TrainError;
use crate::marker::{
    EXPORT_FORMAT_VERSION, EXPORT_MANIFEST, ExportManifest, ExportedFile, FileKind,
};
use crate::plan::Plan;
use crate::readme;
use crate::trainers::{self, Ctx};

/// Folder of OUT that holds the images and captions.
pub const DATASET_FOLDER: &str = "dataset";
/// The README written into OUT.
pub const README: &str = "README.md";

/// Everything an export needs.
#[derive(Debug, Clone)]
pub struct ExportJob<'a> {
    /// The dataset folder (record paths are relative to it).
    pub dataset_dir: &'a Path,
    /// sha256 of the dataset manifest the plan was computed from.
    pub manifest_sha256: String,
    pub out: &'a Path,
    pub plan: &'a Plan,
    /// The gate failed and the user exports anyway.
    pub force: bool,
    /// Write into a non-empty OUT not made by zcurate, and replace files changed since the
    /// last export.
    pub overwrite: bool,
    /// Folder of model files for trainers that read files (diffusion-pipe, musubi-tuner).
    pub models_dir: Option<&'a Path>,
}

/// What an export did.
#[derive(Debug, Clone, Default)]
pub struct ExportOutcome {
    /// OUT, absolute.
    pub out: PathBuf,
    /// The config the trainer starts with.
    pub main_config: PathBuf,
    /// Every config file written (not images, captions or the README).
    pub config_files: Vec<PathBuf>,
    pub linked: usize,
    pub copied: usize,
    /// Files already as they should be.
    pub unchanged: usize,
    /// Text files (captions, configs, README) written.
    pub written: usize,
    /// Files of a previous export no longer part of it, removed.
    pub removed: usize,
    /// Files of a previous export no longer part of it but changed since: left alone.
    pub kept: Vec<String>,
    /// True when the gate failed and the export was forced.
    pub forced: bool,
    /// How to start the trainer, when it has a script for the model.
    pub run_hint: Option<String>,
    /// What the user must still do before the run.
    pub todo: Vec<String>,
    pub images: usize,
}

enum Content {
    Link {
        /// The image itself: a symbolic link in the dataset resolved to its target.
        src: PathBuf,
        sha256: Option<String>,
        bytes: u64,
    },
    Text {
        text: String,
        executable: bool,
    },
}

struct Planned {
    rel: String,
    kind: FileKind,
    content: Content,
    source: Option<String>,
}

pub fn export(job: &ExportJob<'_>) -> Result<ExportOutcome, TrainError> {
    let plan = job.plan;
    let out = std::path::absolute(job.out).map_err(|source| TrainError::Write {
        path: job.out.to_owned(),
        source,
    })?;
    guard_overlap(job.dataset_dir, &out)?;
    let marker_path = out.join(EXPORT_MANIFEST);
    let previous = match ExportManifest::read(&marker_path) {
        Ok(m) => m,
        Err(TrainError::BadMarker { .. }) if job.overwrite => None,
        Err(e) => return Err(e),
    };
    if previous.is_none() && !job.overwrite && non_empty(&out) {
        return Err(TrainError::ForeignOutput { out });
    }
    let out_str = out
        .to_str()
        .ok_or_else(|| TrainError::NonUtf8Path(out.clone()))?
        .to_owned();
    let models_dir = match job.models_dir {
        Some(d) => {
            let abs = std::path::absolute(d).unwrap_or_else(|_| d.to_owned());
            Some(
                abs.to_str()
                    .ok_or_else(|| TrainError::NonUtf8Path(abs.clone()))?
                    .to_owned(),
            )
        }
        None => None,
    };
    let images_rel = if plan.target.trainer.uses_repeat_folders() {
        format!(
            "{DATASET_FOLDER}/{}",
            repeat_folder(plan.repeats, &plan.trigger)
        )
    } else {
        DATASET_FOLDER.to_owned()
    };
    let mut ctx = Ctx {
        plan,
        out: out_str,
        images_dir: String::new(),
        models_dir,
        name: run_name(&plan.trigger, plan.target.model.as_str()),
        dataset_label: job.dataset_dir.display().to_string(),
    };
    ctx.images_dir = ctx.path(&images_rel);
    let emitted = trainers::emit(&ctx);
    let forced = job.force && !plan.gate.passed;

    let mut planned = Vec::new();
    for img in &plan.images {
        // The manifest could have been edited or shared with the dataset: a record must
        // name a file inside the dataset.
        let src = zcurate_fs::confined(job.dataset_dir, &img.source, || {
            format!("the dataset manifest's record `{}`", img.source)
        })?;
        // A symbolic link is how a user includes a photo kept elsewhere: the export links
        // (or copies) the photo itself; a link to a relative target would dangle in OUT.
        let src = std::fs::canonicalize(&src).unwrap_or(src);
        planned.push(Planned {
            rel: format!("{images_rel}/{}", img.name),
            kind: FileKind::Image,
            content: Content::Link {
                src,
                sha256: img.sha256.clone(),
                bytes: img.bytes,
            },
            source: Some(img.source.clone()),
        });
        planned.push(Planned {
            rel: format!("{images_rel}/{}", img.caption_name),
            kind: FileKind::Caption,
            content: Content::Text {
                text: format!("{}\n", img.caption),
                executable: false,
            },
            source: None,
        });
    }
    for f in &emitted.files {
        planned.push(Planned {
            rel: f.rel.clone(),
            kind: FileKind::Config,
            content: Content::Text {
                text: f.text.clone(),
                executable: f.executable,
            },
            source: None,
        });
    }
    planned.push(Planned {
        rel: README.to_owned(),
        kind: FileKind::Readme,
        content: Content::Text {
            text: readme::render(&ctx, &emitted, &images_rel, forced),
            executable: false,
        },
        source: None,
    });

    // Decide before touching anything: files in the way that zcurate did not leave as
    // they are refuse the export (unless overwrite).
    let mut edited = Vec::new();
    for p in &planned {
        let path = out.join(&p.rel);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if already_right(&path, &meta, &p.content) {
            continue;
        }
        let ours = previous.as_ref().and_then(|m| m.file(&p.rel));
        let untouched = ours.is_some_and(|rec| untouched(&path, &meta, rec));
        if !untouched {
            edited.push(p.rel.clone());
        }
    }
    if !edited.is_empty() && !job.overwrite {
        return Err(TrainError::EditedOutput {
            files: edited.join(", "),
        });
    }

    let mut outcome = ExportOutcome {
        out: out.clone(),
        main_config: out.join(&emitted.main),
        config_files: emitted.files.iter().map(|f| out.join(&f.rel)).collect(),
        forced,
        run_hint: emitted.run.clone(),
        todo: emitted.todo.clone(),
        images: plan.images.len(),
        ..ExportOutcome::default()
    };
    std::fs::create_dir_all(&out).map_err(|source| TrainError::Write {
        path: out.clone(),
        source,
    })?;
    let mut folders: Vec<PathBuf> = planned
        .iter()
        .filter_map(|p| out.join(&p.rel).parent().map(Path::to_owned))
        .collect();
    folders.sort();
    folders.dedup();
    for dir in &folders {
        zcurate_fs::remove_stale_temps(dir);
    }

    let done: Vec<bool> = planned
        .iter()
        .map(|p| is_done(&out.join(&p.rel), p, previous.as_ref()))
        .collect();
    let mut manifest = ExportManifest {
        format_version: EXPORT_FORMAT_VERSION,
        tool: zcurate_manifest::Tool::current(),
        trainer: plan.target.trainer.to_string(),
        model: plan.target.model.to_string(),
        profile: plan.profile.clone(),
        dataset: job.dataset_dir.display().to_string(),
        dataset_manifest_sha256: job.manifest_sha256.clone(),
        trigger: plan.trigger.clone(),
        class_word: plan.class_word.clone(),
        main_config: emitted.main.clone(),
        gate: plan.gate.clone(),
        forced,
        recommendations: plan.recommendations.clone(),
        resolutions: plan.resolutions.clone(),
        below: plan.below.clone(),
        sample_prompts: plan.samples.clone(),
        sample_size: plan.sample_size(),
        excluded: plan.excluded.clone(),
        complete: false,
        files: pending_files(&planned, previous.as_ref()),
    };
    if done.iter().any(|d| !d) || previous.as_ref().is_none_or(|m| !m.complete) {
        write_marker(&marker_path, &manifest)?;
    }

    let mut files = Vec::new();
    for (p, done) in planned.iter().zip(done) {
        let path = out.join(&p.rel);
        if done {
            outcome.unchanged += 1;
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| TrainError::Write {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            if std::fs::symlink_metadata(&path).is_ok() {
                remove(&path)?;
            }
            let written = match &p.content {
                Content::Link { src, .. } => {
                    if std::fs::hard_link(src, &path).is_ok() {
                        outcome.linked += 1;
                        Ok(())
                    } else {
                        outcome.copied += 1;
                        copy_whole(src, &path)
                    }
                }
                Content::Text { text, executable } => {
                    outcome.written += 1;
                    let options = zcurate_fs::WriteOptions {
                        mode: executable.then_some(0o755),
                        ..zcurate_fs::WriteOptions::default()
                    };
                    zcurate_fs::write_with(&path, options, |f| {
                        std::io::Write::write_all(f, text.as_bytes())
                    })
                }
            };
            written.map_err(|source| TrainError::Write {
                path: path.clone(),
                source,
            })?;
        }
        files.push(record(&path, p)?);
    }

    if let Some(prev) = &previous {
        for old in &prev.files {
            if planned.iter().any(|p| p.rel == old.path) || !safe_rel(&old.path) {
                continue;
            }
            let path = out.join(&old.path);
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if untouched(&path, &meta, old) {
                remove(&path)?;
                remove_empty_parents(&path, &out);
                outcome.removed += 1;
            } else {
                outcome.kept.push(old.path.clone());
            }
        }
    }

    manifest.complete = true;
    manifest.files = files;
    write_marker(&marker_path, &manifest)?;
    Ok(outcome)
}

/// The file at `path` already holds what `p` asks for: the same file (a link), the same
/// text, or a copy of the same content that an earlier export (finished or not) recorded.
fn is_done(path: &Path, p: &Planned, previous: Option<&ExportManifest>) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if already_right(path, &meta, &p.content) {
        return true;
    }
    match (&p.content, previous.and_then(|m| m.file(&p.rel))) {
        (Content::Link { sha256, .. }, Some(rec)) => {
            sha256.is_some() && rec.sha256 == *sha256 && untouched(path, &meta, rec)
        }
        _ => false,
    }
}

/// The files of an export about to be written, with the content they will have, and the
/// previous export's files it no longer needs (still ours to remove).
fn pending_files(planned: &[Planned], previous: Option<&ExportManifest>) -> Vec<ExportedFile> {
    let mut files: Vec<ExportedFile> = planned
        .iter()
        .map(|p| {
            let (sha256, bytes) = match &p.content {
                Content::Link { sha256, bytes, .. } => (sha256.clone(), *bytes),
                Content::Text { text, .. } => (
                    Some(zcurate_fs::sha256_hex(text.as_bytes())),
                    text.len() as u64,
                ),
            };
            ExportedFile {
                path: p.rel.clone(),
                kind: p.kind,
                sha256,
                bytes,
                mtime_ns: None,
                source: p.source.clone(),
            }
        })
        .collect();
    if let Some(prev) = previous {
        files.extend(
            prev.files
                .iter()
                .filter(|f| !planned.iter().any(|p| p.rel == f.path))
                .cloned(),
        );
    }
    files
}

/// Writes the export manifest, unless it already says exactly this.
fn write_marker(path: &Path, manifest: &ExportManifest) -> Result<(), TrainError> {
    let mut text = serde_json::to_string_pretty(manifest).expect("the export manifest serialises");
    text.push('\n');
    if std::fs::read(path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(());
    }
    zcurate_fs::write_atomic(path, text.as_bytes()).map_err(|source| TrainError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Copies `src` to `dest` whole or not at all (where a hard link cannot be made: another
/// file system).
fn copy_whole(src: &Path, dest: &Path) -> std::io::Result<()> {
    let mut from = std::fs::File::open(src)?;
    zcurate_fs::write_with(dest, zcurate_fs::WriteOptions::default(), |f| {
        std::io::copy(&mut from, f).map(|_| ())
    })
}

/// A run name safe in file names: the trigger's letters and digits, then the model.
fn run_name(trigger: &str, model: &str) -> String {
    let safe: String = trigger
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}_{model}_lora")
}

/// OUT and the dataset must not contain each other: writing into the dataset would mix
/// the export into the data (and a re-scan would find it); a dataset inside OUT could have
/// its own files replaced.
fn guard_overlap(dataset: &Path, out: &Path) -> Result<(), TrainError> {
    let dir = resolve(dataset);
    let out_r = resolve(out);
    if out_r.starts_with(&dir) || dir.starts_with(&out_r) {
        return Err(TrainError::OutInsideDataset {
            out: out.to_owned(),
            dir: dataset.to_owned(),
        });
    }
    Ok(())
}

/// `path` made absolute with symlinks resolved as far as it exists.
fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// OUT holds something other than temporary files of a killed zcurate run.
fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| {
        d.any(|e| e.is_ok_and(|e| zcurate_fs::is_temp_name(&e.file_name()).is_none()))
    })
}

/// A recorded path that stays inside OUT (an edited export manifest cannot make us
/// delete elsewhere).
fn safe_rel(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

fn mtime_ns(meta: &Metadata) -> Option<i64> {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
}

/// The file already holds exactly what the export would write.
fn already_right(path: &Path, meta: &Metadata, content: &Content) -> bool {
    if !meta.is_file() {
        return false;
    }
    match content {
        Content::Link { src, .. } => same_file(src, meta),
        Content::Text { text, .. } => {
            meta.len() == text.len() as u64
                && std::fs::read(path).is_ok_and(|b| b == text.as_bytes())
        }
    }
}

#[cfg(unix)]
fn same_file(src: &Path, meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(src).is_ok_and(|s| s.dev() == meta.dev() && s.ino() == meta.ino())
}

#[cfg(not(unix))]
fn same_file(_src: &Path, _meta: &Metadata) -> bool {
    false
}

/// The file is as a previous export left it: images by size and time, text (and images an
/// interrupted export was about to write, whose time is not known) by hash.
fn untouched(path: &Path, meta: &Metadata, rec: &ExportedFile) -> bool {
    if !meta.is_file() || meta.len() != rec.bytes {
        return false;
    }
    match (rec.kind, rec.mtime_ns) {
        (FileKind::Image, Some(t)) => mtime_ns(meta) == Some(t),
        _ => rec.sha256.is_some() && zcurate_fs::sha256_file(path).ok() == rec.sha256,
    }
}

fn record(path: &Path, p: &Planned) -> Result<ExportedFile, TrainError> {
    let meta = std::fs::metadata(path).map_err(|source| TrainError::Read {
        path: path.to_owned(),
        source,
    })?;
    let (sha256, mtime) = match &p.content {
        Content::Link { sha256, .. } => (sha256.clone(), mtime_ns(&meta)),
        Content::Text { text, .. } => (Some(zcurate_fs::sha256_hex(text.as_bytes())), None),
    };
    Ok(ExportedFile {
        path: p.rel.clone(),
        kind: p.kind,
        sha256,
        bytes: meta.len(),
        mtime_ns: mtime,
        source: p.source.clone(),
    })
}

fn remove(path: &Path) -> Result<(), TrainError> {
    std::fs::remove_file(path).map_err(|source| TrainError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Removes folders left empty under `root` (an old kohya repeat folder).
fn remove_empty_parents(path: &Path, root: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
