//! Captions of a scanned dataset on disk: reading them, planning what to write, and writing
//! without ever losing text.
//!
//! Captions are always read from disk, never from the manifest, which may predate an edit.
//! An existing caption is replaced only with `overwrite`, and only after its text has been
//! appended to the dataset's caption history (`.zcurate/caption-history.jsonl`, see
//! [`crate::history`]) and flushed to disk; each sidecar is written to a temporary file and
//! renamed over the old one, so a crash leaves either the old or the new caption.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use zcurate_manifest::{ImageRecord, Manifest};

use crate::error::CaptionError;
use crate::fill::{FillContext, Proposal, propose, round_trip_problems};
use crate::history::{HistoryEntry, append_history};
use crate::parse::{ParseContext, parse};
use crate::schema::Schema;

/// An image's caption as found on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "text", rename_all = "kebab-case")]
pub enum Current {
    /// No sidecar.
    Absent,
    /// The sidecar's text, without a UTF-8 BOM.
    Text(String),
    /// The sidecar exists but cannot be read as UTF-8 text (the reason).
    Unreadable(String),
}

impl Current {
    /// The text when there is a non-blank caption.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(t) if !t.trim().is_empty() => Some(t),
            _ => None,
        }
    }
}

/// One image's caption sidecar and its current content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptionFile {
    /// Index of the image in `manifest.images`.
    #[serde(skip)]
    pub record: usize,
    /// Image path, relative to the root.
    pub path: String,
    /// Sidecar path, relative to the root.
    pub caption_path: String,
    pub current: Current,
}

/// The sidecar path of an image: the manifest's, or the image's stem with `caption_ext`.
pub fn caption_path(record: &ImageRecord, caption_ext: &str) -> String {
    if let Some(p) = &record.caption_path {
        return p.clone();
    }
    let path = &record.path;
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    let stem_end = path[name_start..]
        .rfind('.')
        .filter(|&i| i > 0)
        .map_or(path.len(), |i| name_start + i);
    format!(
        "{}.{}",
        &path[..stem_end],
        caption_ext.trim_start_matches('.')
    )
}

/// Reads a caption sidecar; `None` when it does not exist.
pub fn read_caption(path: &Path) -> Result<Option<String>, CaptionError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CaptionError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    // A UTF-8 BOM is common from Windows editors and is not part of the caption.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec())
        .map(Some)
        .map_err(|_| CaptionError::NotUtf8 {
            path: path.to_owned(),
        })
}

/// Writes a caption through a temporary file in the same folder and a rename (a short
/// temporary name, so a caption named with 250 bytes is written too).
pub fn write_caption_atomic(path: &Path, text: &str) -> Result<(), CaptionError> {
    zcurate_fs::write_atomic(path, text.as_bytes()).map_err(|source| CaptionError::Write {
        path: path.to_owned(),
        source,
    })
}

/// The captions of every decoded image of the manifest, read from disk under `root`.
pub fn caption_files(root: &Path, manifest: &Manifest) -> Vec<CaptionFile> {
    let ext = &manifest.settings.caption_ext;
    manifest
        .images
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_decoded())
        .map(|(i, r)| {
            let caption_path = caption_path(r, ext);
            let current = match read_caption(&root.join(&caption_path)) {
                Ok(None) => Current::Absent,
                Ok(Some(t)) => Current::Text(t),
                Err(e) => Current::Unreadable(e.to_string()),
            };
            CaptionFile {
                record: i,
                path: r.path.clone(),
                caption_path,
                current,
            }
        })
        .collect()
}

/// What happens to an image's caption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// No caption yet: the proposal is written.
    New,
    /// A different caption exists and `overwrite` is on: it is saved, then replaced.
    Replace,
    /// A different caption exists and `overwrite` is off: it stays.
    Keep,
    /// The caption already reads exactly as proposed.
    Unchanged,
    /// A required slot has no value: nothing is written.
    Incomplete,
    /// The current sidecar cannot be read: it is left alone.
    Unreadable,
    /// Another image uses the same sidecar (same folder and stem): neither is written.
    Conflict,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Replace => "replace",
            Self::Keep => "keep",
            Self::Unchanged => "unchanged",
            Self::Incomplete => "incomplete",
            Self::Unreadable => "unreadable",
            Self::Conflict => "conflict",
        }
    }

    /// The caption file is (re)written.
    pub fn writes(self) -> bool {
        matches!(self, Self::New | Self::Replace)
    }
}

/// The plan for one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    #[serde(flatten)]
    pub file: CaptionFile,
    pub proposal: Proposal,
    pub action: Action,
    /// Why, for `conflict` and `unreadable`.
    pub note: Option<String>,
    /// Why the proposal would not read back cleanly with `--audit` (empty when it does).
    pub round_trip: Vec<String>,
    /// Why the planned write failed, set by [`apply`] (the caption was left as it was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Proposes a caption for every decoded image and decides what to do with it. With
/// `keep_current`, the values of each current caption (read with `parse_ctx`) fill the slots
/// the schema keeps before detected facts do.
pub fn plan(
    root: &Path,
    manifest: &Manifest,
    schema: &Schema,
    fill: &FillContext<'_>,
    parse_ctx: &ParseContext<'_>,
    overwrite: bool,
    keep_current: bool,
) -> Vec<Planned> {
    // Sidecars claimed by several images (a.jpg and a.png share a.txt).
    let ext = &manifest.settings.caption_ext;
    let mut users: HashMap<String, Vec<&str>> = HashMap::new();
    for r in &manifest.images {
        users.entry(caption_path(r, ext)).or_default().push(&r.path);
    }
    caption_files(root, manifest)
        .into_iter()
        .map(|file| {
            let current = file
                .current
                .text()
                .filter(|_| keep_current)
                .map(|t| parse(schema, parse_ctx, t));
            let proposal = propose(
                schema,
                fill,
                &manifest.images[file.record],
                current.as_ref(),
            );
            let round_trip = if proposal.is_complete() {
                round_trip_problems(schema, parse_ctx, &proposal)
            } else {
                Vec::new()
            };
            let sharing: Vec<&str> = users[&file.caption_path]
                .iter()
                .copied()
                .filter(|p| *p != file.path)
                .collect();
            let (action, note) = if !sharing.is_empty() {
                (
                    Action::Conflict,
                    Some(format!(
                        "{} is also the caption of {}",
                        file.caption_path,
                        sharing.join(", ")
                    )),
                )
            } else if let Current::Unreadable(why) = &file.current {
                (Action::Unreadable, Some(why.clone()))
            } else if !proposal.is_complete() {
                (Action::Incomplete, None)
            } else {
                match file.current.text() {
                    None => (Action::New, None),
                    Some(t) if t.trim() == proposal.text => (Action::Unchanged, None),
                    Some(_) if overwrite => (Action::Replace, None),
                    Some(_) => (Action::Keep, None),
                }
            };
            Planned {
                file,
                proposal,
                action,
                note,
                round_trip,
                error: None,
            }
        })
        .collect()
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub new: usize,
    pub replaced: usize,
    /// Image path and why its caption was not written (also in its plan's `error`).
    pub failures: Vec<(String, String)>,
}

/// Writes the planned captions. The text of every caption about to be replaced is first
/// appended to the dataset's caption history and flushed to disk; only then are sidecars
/// touched. `command` is recorded with each saved text. A caption that changed on disk since
/// it was planned, appeared meanwhile, is read-only, or cannot be written is left as it is,
/// with the reason in its plan's `error`. Written records get their new `caption`; the caller
/// saves the manifest.
pub fn apply(
    root: &Path,
    manifest: &mut Manifest,
    plans: &mut [Planned],
    command: &str,
) -> Result<Applied, CaptionError> {
    // Temporary files of a killed run, in the folders about to be written.
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    for p in plans.iter().filter(|p| p.action.writes()) {
        if let Some(dir) = root.join(&p.file.caption_path).parent()
            && !dirs.iter().any(|d| d == dir)
        {
            dirs.push(dir.to_owned());
        }
    }
    for dir in &dirs {
        zcurate_fs::remove_stale_temps(dir);
    }
    for p in plans.iter_mut().filter(|p| p.action.writes()) {
        p.error = check_writable(root, p).err();
    }
    let saved: Vec<HistoryEntry> = plans
        .iter()
        .filter(|p| p.action == Action::Replace && p.error.is_none())
        .filter_map(|p| {
            let old = p.file.current.text()?;
            Some(HistoryEntry::new(
                &p.file.caption_path,
                &p.file.path,
                old,
                command,
            ))
        })
        .collect();
    append_history(root, &saved)?;
    let mut applied = Applied::default();
    for p in plans.iter_mut().filter(|p| p.action.writes()) {
        if p.error.is_none() {
            let abs = root.join(&p.file.caption_path);
            p.error = write_planned(&abs, p).err();
        }
        if let Some(why) = &p.error {
            applied.failures.push((p.file.path.clone(), why.clone()));
            continue;
        }
        let r = &mut manifest.images[p.file.record];
        r.caption = Some(p.proposal.text.clone());
        r.caption_path = Some(p.file.caption_path.clone());
        if p.action == Action::Replace {
            applied.replaced += 1;
        } else {
            applied.new += 1;
        }
    }
    Ok(applied)
}

/// The sidecar must still hold what the plan (and the history) saw, and must not be one the
/// user made read-only.
fn check_writable(root: &Path, p: &Planned) -> Result<(), String> {
    let abs = root.join(&p.file.caption_path);
    check_not_read_only(&abs, &p.file.caption_path)?;
    let now = read_caption(&abs);
    let still = match (&now, p.file.current.text()) {
        (Ok(None), None) => true,
        (Ok(Some(t)), expected) => {
            t.trim().is_empty() && expected.is_none() || Some(t.as_str()) == expected
        }
        _ => false,
    };
    if still {
        Ok(())
    } else {
        Err(format!(
            "{} changed on disk while zcurate ran; left alone",
            p.file.caption_path
        ))
    }
}

/// A caption the user made read-only is theirs to keep: never replaced.
pub(crate) fn check_not_read_only(abs: &Path, rel: &str) -> Result<(), String> {
    if std::fs::metadata(abs).is_ok_and(|m| m.permissions().readonly()) {
        return Err(format!(
            "{rel} is read-only; left alone (make it writable to let zcurate replace it)"
        ));
    }
    Ok(())
}

fn write_planned(abs: &Path, p: &Planned) -> Result<(), String> {
    write_caption_file(abs, &p.file.caption_path, &p.proposal.text)
}

/// Writes a caption (`rel` names it in messages): a new one only if no file appeared
/// meanwhile; a replaced one keeps its permissions.
pub(crate) fn write_caption_file(abs: &Path, rel: &str, text: &str) -> Result<(), String> {
    let options = match std::fs::metadata(abs) {
        Ok(meta) => zcurate_fs::WriteOptions {
            replace: true,
            mode: mode_of(&meta),
        },
        Err(_) => zcurate_fs::WriteOptions {
            replace: false,
            mode: None,
        },
    };
    let text = text.as_bytes();
    zcurate_fs::write_with(abs, options, |f| std::io::Write::write_all(f, text)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{rel} appeared on disk while zcurate ran; left alone")
        } else {
            format!("cannot write {rel}: {e}")
        }
    })
}

/// The permission bits of a file, to give them to the file that replaces it.
fn mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = {
        let _ = meta;
        None
    };
    mode
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_paths() {
        let r = |p: &str| ImageRecord {
            path: p.to_owned(),
            ..ImageRecord::default()
        };
        assert_eq!(caption_path(&r("a.png"), "txt"), "a.txt");
        assert_eq!(
            caption_path(&r("sub/a.b.png"), ".caption"),
            "sub/a.b.caption"
        );
        assert_eq!(caption_path(&r("sub.d/noext"), "txt"), "sub.d/noext.txt");
        let mut with = r("a.png");
        with.caption_path = Some("a.TXT".into());
        assert_eq!(caption_path(&with, "txt"), "a.TXT");
    }

    #[test]
    fn atomic_write_and_bom() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        assert_eq!(read_caption(&p).unwrap(), None);
        std::fs::write(&p, b"\xEF\xBB\xBFold").unwrap();
        assert_eq!(read_caption(&p).unwrap().as_deref(), Some("old"));
        write_caption_atomic(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::write(&p, b"\xff").unwrap();
        assert!(matches!(
            read_caption(&p),
            Err(CaptionError::NotUtf8 { .. })
        ));
    }
}
