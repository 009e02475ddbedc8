//! Writing OUT: the trainer-ready dataset (hard links, copies where linking fails), the
//! captions, the trainer's files, the README and the export manifest.
//!
//! Nothing the user owns is overwritten or deleted: OUT must not overlap the dataset; a
//! non-empty OUT must carry our export manifest (or `overwrite` must be set); a file we
//! wrote before is replaced or removed only while it is as we left it.

use std::fs::Metadata;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

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
        src: PathBuf,
        sha256: Option<String>,
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
        planned.push(Planned {
            rel: format!("{images_rel}/{}", img.name),
            kind: FileKind::Image,
            content: Content::Link {
                src: job.dataset_dir.join(&img.source),
                sha256: img.sha256.clone(),
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
    let mut files = Vec::new();
    for p in &planned {
        let path = out.join(&p.rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| TrainError::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        let meta = std::fs::symlink_metadata(&path).ok();
        let done = meta
            .as_ref()
            .is_some_and(|m| already_right(&path, m, &p.content))
            || match (
                &p.content,
                previous.as_ref().and_then(|m| m.file(&p.rel)),
                &meta,
            ) {
                // A copy made by an earlier export, of the same content, still as it was.
                (Content::Link { sha256, .. }, Some(rec), Some(m)) => {
                    sha256.is_some() && rec.sha256 == *sha256 && untouched(&path, m, rec)
                }
                _ => false,
            };
        if done {
            outcome.unchanged += 1;
        } else {
            match &p.content {
                Content::Link { src, .. } => {
                    if meta.is_some() {
                        remove(&path)?;
                    }
                    if std::fs::hard_link(src, &path).is_ok() {
                        outcome.linked += 1;
                    } else {
                        std::fs::copy(src, &path).map_err(|source| TrainError::Write {
                            path: path.clone(),
                            source,
                        })?;
                        outcome.copied += 1;
                    }
                }
                Content::Text { text, executable } => {
                    write_atomic(&path, text.as_bytes(), *executable)?;
                    outcome.written += 1;
                }
            }
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

    let manifest = ExportManifest {
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
        files,
    };
    let mut text = serde_json::to_string_pretty(&manifest).expect("the export manifest serialises");
    text.push('\n');
    if std::fs::read(&marker_path).ok().as_deref() != Some(text.as_bytes()) {
        write_atomic(&marker_path, text.as_bytes(), false)?;
    }
    Ok(outcome)
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

fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// A recorded path that stays inside OUT (an edited export manifest cannot make us
/// delete elsewhere).
fn safe_rel(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
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

/// The file is as a previous export left it: images by size and time, text by hash.
fn untouched(path: &Path, meta: &Metadata, rec: &ExportedFile) -> bool {
    if !meta.is_file() || meta.len() != rec.bytes {
        return false;
    }
    match rec.kind {
        FileKind::Image => rec.mtime_ns.is_some() && mtime_ns(meta) == rec.mtime_ns,
        _ => std::fs::read(path).is_ok_and(|b| Some(sha256_hex(&b)) == rec.sha256),
    }
}

fn record(path: &Path, p: &Planned) -> Result<ExportedFile, TrainError> {
    let meta = std::fs::metadata(path).map_err(|source| TrainError::Read {
        path: path.to_owned(),
        source,
    })?;
    let (sha256, mtime) = match &p.content {
        Content::Link { sha256, .. } => (sha256.clone(), mtime_ns(&meta)),
        Content::Text { text, .. } => (Some(sha256_hex(text.as_bytes())), None),
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

/// Writes through a temporary file and a rename, so a crash leaves the old file or the
/// new one, never half of one.
fn write_atomic(path: &Path, bytes: &[u8], executable: bool) -> Result<(), TrainError> {
    let err = |source| TrainError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        std::fs::write(&tmp, bytes)?;
        #[cfg(unix)]
        if executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
        }
        #[cfg(not(unix))]
        let _ = executable;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}
