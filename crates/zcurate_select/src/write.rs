//! Makes the output folder of a plan: originals hard-linked (copied where a link cannot be
//! made), crops rendered by `zcurate_crop` from one decode of each source, captions and
//! attribute files carried over with the framing term updated, and `select.json`.
//!
//! The rules of `zcurate crop`: never inside the source folder, never over a file zcurate
//! did not write, and a re-run changes only what changed. A caption a person edited in the
//! output folder is kept. Before the first file is written the record lists every file the
//! run is about to write, so a run killed at any point can simply be run again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zcurate_caption::Schema;
use zcurate_fs::sha256_hex;
use zcurate_image::DecodeLimits;
use zcurate_manifest::Manifest;

use crate::candidates::Kind;
use crate::error::SelectError;
use crate::plan::SelectPlan;
use crate::record::{OutputEntry, SelectRecord, read_outputs, write_record};
use crate::settings::SelectSettings;

/// Where and how to write.
#[derive(Debug, Clone)]
pub struct WriteOptions<'a> {
    /// The source folder (only read).
    pub src: PathBuf,
    /// The source folder as the user gave it, for the record.
    pub src_label: String,
    pub dst: PathBuf,
    /// Caption sidecar extension, without the dot.
    pub caption_ext: String,
    /// The caption schema whose framing slot is rewritten; `None` copies captions as they are.
    pub schema: Option<&'a Schema>,
    pub limits: DecodeLimits,
}

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Originals hard-linked, and copied where linking failed (another file system).
    pub linked: usize,
    pub copied: usize,
    /// Crops rendered.
    pub rendered: usize,
    /// Sidecars written.
    pub sidecars: usize,
    /// Files already as the plan wants them.
    pub unchanged: usize,
    /// Files of an earlier run no longer in the set, removed.
    pub removed: usize,
    /// Problems that did not stop the run (a caption a person edited and that was kept).
    pub warnings: Vec<String>,
    /// Where the record was written.
    pub record: PathBuf,
}

/// Checks the output folder before anything is read or written: not a file, not inside the
/// source folder, and holding no file that an earlier `zcurate select` did not write.
pub fn check_output(src: &Path, dst: &Path) -> Result<(), SelectError> {
    if !src.is_dir() {
        return Err(SelectError::SourceNotADirectory {
            src: src.to_owned(),
        });
    }
    if dst.exists() && !dst.is_dir() {
        return Err(SelectError::OutputIsAFile {
            dst: dst.to_owned(),
        });
    }
    let src_abs = zcurate_crop::resolve(src);
    let dst_abs = zcurate_crop::resolve(dst);
    if dst_abs.starts_with(&src_abs) {
        return Err(SelectError::OutputInsideSource {
            src: src.to_owned(),
            dst: dst.to_owned(),
        });
    }
    let ours: BTreeSet<String> = read_outputs(dst)?
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.path)
        .collect();
    let foreign: Vec<String> = files_in(dst)
        .into_iter()
        .filter(|f| !ours.contains(f))
        .collect();
    if !foreign.is_empty() {
        let mut files = foreign
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if foreign.len() > 3 {
            let _ = write!(files, " and {} more", foreign.len() - 3);
        }
        return Err(SelectError::ForeignFiles {
            dst: dst.to_owned(),
            files,
        });
    }
    Ok(())
}

/// Files under `dir` (relative, `/`-separated), leaving out zcurate's own `.zcurate/`.
fn files_in(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(rel) = path.strip_prefix(base) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel == ".zcurate" {
                continue;
            }
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn rel_path(rel: &str) -> PathBuf {
    rel.split('/').collect()
}

fn file_sha256(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| sha256_hex(&b))
}

/// One file to make.
#[derive(Debug, Clone)]
struct Job {
    entry: OutputEntry,
    /// Candidate index, for images.
    candidate: usize,
    /// The file's bytes, for sidecars (computed up front: small).
    bytes: Option<Vec<u8>>,
}

/// Writes `plan` into `opts.dst`. Call [`check_output`] first (it runs again here).
pub fn write(
    plan: &SelectPlan,
    manifest: &Manifest,
    settings: &SelectSettings,
    opts: &WriteOptions<'_>,
) -> Result<WriteOutcome, SelectError> {
    check_output(&opts.src, &opts.dst)?;
    let previous: Vec<OutputEntry> = read_outputs(&opts.dst)?.unwrap_or_default();
    let prev: HashMap<&str, &OutputEntry> = previous.iter().map(|o| (o.path.as_str(), o)).collect();
    let jobs = jobs(plan, manifest, settings, opts)?;
    let mut outcome = WriteOutcome {
        record: crate::record::select_record_path(&opts.dst),
        ..WriteOutcome::default()
    };
    std::fs::create_dir_all(&opts.dst).map_err(|source| SelectError::Write {
        path: opts.dst.clone(),
        source,
    })?;

    // What a person changed since the last run is theirs: an image or a caption whose bytes
    // differ from what the record says was written is left alone.
    let changed_by_user = |o: &OutputEntry| -> bool {
        let path = opts.dst.join(rel_path(&o.path));
        match prev.get(o.path.as_str()).and_then(|p| p.sha256.as_ref()) {
            Some(sha) => path.exists() && file_sha256(&path).as_ref() != Some(sha),
            None => false,
        }
    };
    let up_to_date = |o: &OutputEntry| -> bool {
        prev.get(o.path.as_str()).is_some_and(|p| {
            p.recipe == o.recipe
                && p.sha256.is_some()
                && file_sha256(&opts.dst.join(rel_path(&o.path))) == p.sha256
        })
    };

    // The record lists every file about to be written before the first one is.
    let mut pending: Vec<OutputEntry> = previous.clone();
    for j in &jobs {
        if !prev.contains_key(j.entry.path.as_str()) {
            pending.push(OutputEntry {
                sha256: None,
                ..j.entry.clone()
            });
        }
    }
    write_record(
        &opts.dst,
        &SelectRecord::new(plan, settings, &opts.src_label, pending),
    )?;

    let mut kept_edits = BTreeSet::new();
    let mut todo: Vec<&Job> = Vec::new();
    let mut done: BTreeMap<String, OutputEntry> = BTreeMap::new();
    for j in &jobs {
        if up_to_date(&j.entry) {
            outcome.unchanged += 1;
            done.insert(j.entry.path.clone(), prev[j.entry.path.as_str()].clone());
        } else if changed_by_user(&j.entry) {
            kept_edits.insert(j.entry.path.clone());
            let mut e = j.entry.clone();
            e.sha256.clone_from(&prev[j.entry.path.as_str()].sha256);
            e.recipe.clone_from(&prev[j.entry.path.as_str()].recipe);
            done.insert(e.path.clone(), e);
        } else {
            todo.push(j);
        }
    }

    // Images grouped by source, so each source is decoded once for all its crops.
    let mut by_source: BTreeMap<usize, Vec<&Job>> = BTreeMap::new();
    for j in &todo {
        if j.bytes.is_none() {
            by_source
                .entry(plan.candidates[j.candidate].record)
                .or_default()
                .push(j);
        }
    }
    let results: Vec<Result<Vec<(OutputEntry, Made)>, SelectError>> = by_source
        .par_iter()
        .map(|(&record, group)| {
            make_images(record, group, plan, manifest, opts, settings.crop.quality)
        })
        .collect();
    for r in results {
        for (entry, made) in r? {
            match made {
                Made::Linked => outcome.linked += 1,
                Made::Copied => outcome.copied += 1,
                Made::Rendered => outcome.rendered += 1,
            }
            done.insert(entry.path.clone(), entry);
        }
    }
    for j in todo.iter().filter(|j| j.bytes.is_some()) {
        let bytes = j.bytes.as_deref().unwrap_or_default();
        let path = opts.dst.join(rel_path(&j.entry.path));
        write_bytes(&path, bytes)?;
        outcome.sidecars += 1;
        let mut e = j.entry.clone();
        e.sha256 = Some(sha256_hex(bytes));
        done.insert(e.path.clone(), e);
    }

    // Files of an earlier run no longer in the set: removed when unchanged, else kept.
    for o in &previous {
        if done.contains_key(&o.path) {
            continue;
        }
        let path = opts.dst.join(rel_path(&o.path));
        if !path.exists() {
            continue;
        }
        let ours = o.sha256.is_none() || file_sha256(&path) == o.sha256;
        if ours {
            std::fs::remove_file(&path).map_err(|source| SelectError::Write {
                path: path.clone(),
                source,
            })?;
            outcome.removed += 1;
        } else {
            outcome.warnings.push(format!(
                "{}: no longer in the set, but changed since zcurate wrote it; left in place",
                o.path
            ));
            done.insert(o.path.clone(), o.clone());
        }
    }
    for p in kept_edits {
        outcome.warnings.push(format!(
            "{p}: changed since zcurate wrote it; your version is kept"
        ));
    }
    write_record(
        &opts.dst,
        &SelectRecord::new(
            plan,
            settings,
            &opts.src_label,
            done.into_values().collect(),
        ),
    )?;
    Ok(outcome)
}

enum Made {
    Linked,
    Copied,
    Rendered,
}

/// The files the plan wants, images first, each with its recipe; sidecar bytes included.
fn jobs(
    plan: &SelectPlan,
    manifest: &Manifest,
    settings: &SelectSettings,
    opts: &WriteOptions<'_>,
) -> Result<Vec<Job>, SelectError> {
    let mut out = Vec::new();
    for &i in &plan.chosen {
        let c = &plan.candidates[i];
        let r = &manifest.images[c.record];
        let Some(output) = plan.decisions[i].output() else {
            continue;
        };
        let sha = r.sha256.clone().unwrap_or_default();
        let recipe = match (&c.kind, &c.crop) {
            (Kind::Crop, Some(p)) => format!(
                "{sha} crop {:.2} {:.2} {:.2} {:.2} {:.3} -> {}x{} {} q{}",
                p.crop.origin[0],
                p.crop.origin[1],
                p.crop.width,
                p.crop.height,
                p.crop.angle_deg,
                p.width,
                p.height,
                settings.crop.format.extension(),
                settings.crop.quality
            ),
            _ => format!("{sha} original"),
        };
        out.push(Job {
            entry: OutputEntry {
                path: output.to_owned(),
                candidate: c.id.clone(),
                role: "image".to_owned(),
                from: c.source.clone(),
                recipe,
                sha256: None,
            },
            candidate: i,
            bytes: None,
        });
        let stem = output.rsplit_once('.').map_or(output, |(s, _)| s);
        let framing = c.framing;
        let mut sidecar =
            |from: &str, to: String, role: &str, json: bool| -> Result<(), SelectError> {
                let abs = opts.src.join(rel_path(from));
                let bytes = std::fs::read(&abs).map_err(|source| SelectError::Read {
                    path: abs.clone(),
                    source,
                })?;
                let from_sha = sha256_hex(&bytes);
                let (bytes, updated) = match (std::str::from_utf8(&bytes), opts.schema) {
                    (Ok(text), Some(schema)) if json => {
                        match zcurate_crop::retarget_attributes(text, schema, framing) {
                            Some(t) => (t.into_bytes(), true),
                            None => (bytes, false),
                        }
                    }
                    (Ok(text), Some(schema)) => {
                        let (t, changed) = zcurate_crop::retarget_caption(text, schema, framing);
                        (t.into_bytes(), changed)
                    }
                    _ => (bytes, false),
                };
                out.push(Job {
                    entry: OutputEntry {
                        path: to,
                        candidate: c.id.clone(),
                        role: role.to_owned(),
                        from: from.to_owned(),
                        recipe: format!(
                            "{from_sha} {framing}{} {}",
                            if updated { " retargeted" } else { "" },
                            sha256_hex(&bytes)
                        ),
                        sha256: None,
                    },
                    candidate: i,
                    bytes: Some(bytes),
                });
                Ok(())
            };
        if let Some(cap) = &r.caption_path {
            sidecar(
                cap,
                format!("{stem}.{}", opts.caption_ext),
                "caption",
                false,
            )?;
        }
        if !opts.caption_ext.eq_ignore_ascii_case("json") {
            let attrs = zcurate_caption::sidecar_path(&r.path);
            if opts.src.join(rel_path(&attrs)).is_file() {
                sidecar(&attrs, format!("{stem}.json"), "attributes", true)?;
            }
        }
    }
    Ok(out)
}

/// Links, copies or renders the images of one source (decoded at most once).
fn make_images(
    record: usize,
    group: &[&Job],
    plan: &SelectPlan,
    manifest: &Manifest,
    opts: &WriteOptions<'_>,
    quality: u8,
) -> Result<Vec<(OutputEntry, Made)>, SelectError> {
    let r = &manifest.images[record];
    let src = opts.src.join(rel_path(&r.path));
    let mut decoded: Option<zcurate_image::Decoded> = None;
    let mut out = Vec::new();
    for j in group {
        let c = &plan.candidates[j.candidate];
        let path = opts.dst.join(rel_path(&j.entry.path));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| SelectError::Write {
                path: dir.to_owned(),
                source,
            })?;
        }
        let mut entry = j.entry.clone();
        let made = if let (Kind::Crop, Some(p)) = (&c.kind, &c.crop) {
            {
                if decoded.is_none() {
                    let bytes = std::fs::read(&src).map_err(|source| SelectError::Read {
                        path: src.clone(),
                        source,
                    })?;
                    decoded = Some(zcurate_image::decode_bytes(&bytes, &opts.limits).map_err(
                        |e| SelectError::Decode {
                            path: src.clone(),
                            message: e.to_string(),
                        },
                    )?);
                }
                let image = &decoded.as_ref().expect("decoded above").image;
                let pixels = zcurate_crop::render(image, p, None).map_err(|message| {
                    SelectError::Render {
                        path: path.clone(),
                        message,
                    }
                })?;
                let bytes = zcurate_crop::encode(&pixels, crop_format(&path), quality).map_err(
                    |message| SelectError::Render {
                        path: path.clone(),
                        message,
                    },
                )?;
                write_bytes(&path, &bytes)?;
                entry.sha256 = Some(sha256_hex(&bytes));
                Made::Rendered
            }
        } else {
            let made = link_or_copy(&src, &path)?;
            entry.sha256 = r.sha256.clone().or_else(|| file_sha256(&path));
            made
        };
        out.push((entry, made));
    }
    Ok(out)
}

fn crop_format(path: &Path) -> zcurate_crop::OutputFormat {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(|e| e.parse().ok())
        .unwrap_or(zcurate_crop::OutputFormat::Jpeg)
}

/// Hard-links `src` as `dst` (replacing an earlier output), copying when a link cannot be
/// made (another file system).
fn link_or_copy(src: &Path, dst: &Path) -> Result<Made, SelectError> {
    let err = |source| SelectError::Write {
        path: dst.to_owned(),
        source,
    };
    if dst.exists() {
        std::fs::remove_file(dst).map_err(err)?;
    }
    if std::fs::hard_link(src, dst).is_ok() {
        return Ok(Made::Linked);
    }
    let bytes = std::fs::read(src).map_err(|source| SelectError::Read {
        path: src.to_owned(),
        source,
    })?;
    zcurate_fs::write_atomic(dst, &bytes).map_err(err)?;
    Ok(Made::Copied)
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), SelectError> {
    zcurate_fs::write_atomic_creating_dirs(path, bytes).map_err(|source| SelectError::Write {
        path: path.to_owned(),
        source,
    })
}
