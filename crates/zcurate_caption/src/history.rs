//! The captions zcurate replaced, kept in their own append-only file,
//! `.zcurate/caption-history.jsonl`: one JSON object per line.
//!
//! The history lives apart from the manifest because a scan rebuilds the manifest's records
//! and would drop anything kept in them. Nothing but `zcurate caption` writes this file, and
//! it only ever appends: each entry is written and flushed to disk before the caption it saves
//! is replaced, so a kill at any point leaves the old text either in the caption file or here.
//! A line cut short by a kill is skipped when the file is read.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zcurate_manifest::Manifest;

use crate::dataset::{caption_path, check_not_read_only, read_caption, write_caption_file};
use crate::error::CaptionError;

/// The history file's name inside the dataset's `.zcurate/` folder.
pub const HISTORY_FILE: &str = "caption-history.jsonl";

/// The `command` of entries moved from an older manifest's `caption_history`.
pub const MIGRATED: &str = "zcurate caption (moved from the manifest's caption_history)";

/// The history file of the dataset at `root`.
pub fn history_path(root: &Path) -> PathBuf {
    root.join(".zcurate").join(HISTORY_FILE)
}

/// One replaced caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The caption file, relative to the dataset root.
    pub path: String,
    /// The image it captions, relative to the dataset root.
    pub image: String,
    /// The text the file held, exactly (without a UTF-8 BOM).
    pub text: String,
    /// sha256 of `text`, to find an entry again and to check it.
    pub sha256: String,
    /// When the text was saved here (UTC, RFC 3339).
    pub time: String,
    /// The command that replaced it.
    pub command: String,
}

impl HistoryEntry {
    /// An entry saving `text`, the caption at `path` of `image`, stamped now.
    pub fn new(path: &str, image: &str, text: &str, command: &str) -> Self {
        Self {
            path: path.to_owned(),
            image: image.to_owned(),
            text: text.to_owned(),
            sha256: zcurate_fs::sha256_hex(text.as_bytes()),
            time: now_rfc3339(),
            command: command.to_owned(),
        }
    }
}

/// The entries of a history file, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
    /// Lines that are not an entry (a line cut short by a kill, or an edit): skipped.
    pub skipped: usize,
}

impl History {
    /// The newest entry for the caption file `path` whose text differs from `current`.
    pub fn latest_other(&self, path: &str, current: Option<&str>) -> Option<&HistoryEntry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.path == path && Some(e.text.as_str()) != current)
    }
}

/// Reads the history of the dataset at `root` (empty when there is none yet).
pub fn read_history(root: &Path) -> Result<History, CaptionError> {
    let path = history_path(root);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
        Err(source) => return Err(CaptionError::Read { path, source }),
    };
    let mut history = History::default();
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<HistoryEntry>(line) {
            Ok(e) => history.entries.push(e),
            Err(_) => history.skipped += 1,
        }
    }
    Ok(history)
}

/// Appends `entries` to the history of the dataset at `root` and flushes them to disk; only
/// when this returns `Ok` may the captions they save be replaced.
pub fn append_history(root: &Path, entries: &[HistoryEntry]) -> Result<(), CaptionError> {
    if entries.is_empty() {
        return Ok(());
    }
    let path = history_path(root);
    let result = (|| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)?;
        let mut buf = Vec::new();
        // A run killed mid-line left a torn last line: start on a fresh one so that this
        // entry stays whole (the torn one is skipped when read).
        if f.metadata()?.len() > 0 {
            let mut last = [0u8];
            f.seek(SeekFrom::End(-1))?;
            f.read_exact(&mut last)?;
            if last[0] != b'\n' {
                buf.push(b'\n');
            }
        }
        for e in entries {
            serde_json::to_writer(&mut buf, e)?;
            buf.push(b'\n');
        }
        // One write in append mode: entries of two processes never interleave.
        f.write_all(&buf)?;
        f.sync_data()
    })();
    result.map_err(|source| CaptionError::History { path, source })
}

/// Moves the `caption_history` that manifests of earlier versions kept in their records into
/// the history file, then empties it in `manifest` (the caller saves the manifest). An entry
/// already moved by a run killed before it saved the manifest is not moved twice. Returns
/// how many entries were moved.
pub fn migrate_manifest_history(
    root: &Path,
    manifest: &mut Manifest,
) -> Result<usize, CaptionError> {
    if manifest.images.iter().all(|r| r.caption_history.is_empty()) {
        return Ok(0);
    }
    let known = read_history(root)?;
    let mut moved = Vec::new();
    for r in &manifest.images {
        for old in &r.caption_history {
            let e = HistoryEntry::new(&old.caption_path, &r.path, &old.text, MIGRATED);
            let done = known
                .entries
                .iter()
                .chain(&moved)
                .any(|k| k.command == MIGRATED && k.path == e.path && k.sha256 == e.sha256);
            if !done {
                moved.push(e);
            }
        }
    }
    append_history(root, &moved)?;
    for r in &mut manifest.images {
        r.caption_history.clear();
    }
    Ok(moved.len())
}

/// What `--restore` did for one caption file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    /// The caption file, relative to the root.
    pub path: String,
    /// The image it captions.
    pub image: String,
    #[serde(flatten)]
    pub outcome: RestoreOutcome,
}

/// The result of restoring one caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum RestoreOutcome {
    /// The caption now holds `text`, saved at `time` by `command`; the text it held before
    /// (none when the file was missing) is in the history.
    Restored {
        previous: Option<String>,
        text: String,
        time: String,
        command: String,
    },
    /// The history holds no other text for this file.
    NothingToRestore,
    /// The file could not be read or written, or its recorded path is unsafe: left alone.
    Failed { reason: String },
}

/// Restores, for each of `names` (image or caption paths relative to the root; every caption
/// in the history when empty), the newest earlier text from the history. The current text of
/// each is appended to the history first, so a restore is undone by restoring again.
pub fn restore(
    root: &Path,
    manifest: Option<&Manifest>,
    names: &[String],
    command: &str,
) -> Result<Vec<Restored>, CaptionError> {
    let history = read_history(root)?;
    let targets = restore_targets(root, manifest, &history, names);
    for (path, _) in &targets {
        if let Some(dir) = root.join(path).parent() {
            zcurate_fs::remove_stale_temps(dir);
        }
    }
    // Read every target and pick its text before anything is written.
    let mut planned = Vec::new();
    let mut results = Vec::new();
    for (path, image) in targets {
        let outcome = match plan_restore(root, &history, &path) {
            Ok(Some((abs, current, entry))) => {
                planned.push((results.len(), abs, current, entry));
                RestoreOutcome::NothingToRestore
            }
            Ok(None) => RestoreOutcome::NothingToRestore,
            Err(reason) => RestoreOutcome::Failed { reason },
        };
        results.push(Restored {
            path,
            image,
            outcome,
        });
    }
    let saved: Vec<HistoryEntry> = planned
        .iter()
        .filter_map(|(i, _, current, _)| {
            let r = &results[*i];
            current
                .as_deref()
                .map(|t| HistoryEntry::new(&r.path, &r.image, t, command))
        })
        .collect();
    append_history(root, &saved)?;
    for (i, abs, current, entry) in planned {
        results[i].outcome = match write_caption_file(&abs, &results[i].path, &entry.text) {
            Ok(()) => RestoreOutcome::Restored {
                previous: current,
                text: entry.text.clone(),
                time: entry.time.clone(),
                command: entry.command.clone(),
            },
            Err(reason) => RestoreOutcome::Failed { reason },
        };
    }
    Ok(results)
}

/// The caption files to restore, with their images: those named (as an image or a caption
/// path), else every file the history knows, in the order first seen.
fn restore_targets(
    root: &Path,
    manifest: Option<&Manifest>,
    history: &History,
    names: &[String],
) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = Vec::new();
    let mut add = |path: &str, image: &str| {
        if !targets.iter().any(|(p, _)| p == path) {
            targets.push((path.to_owned(), image.to_owned()));
        }
    };
    if names.is_empty() {
        for e in &history.entries {
            add(&e.path, &e.image);
        }
        return targets;
    }
    let ext = manifest.map_or("txt", |m| m.settings.caption_ext.as_str());
    for name in names {
        let name = name.replace('\\', "/");
        let name = name.trim_start_matches("./");
        // A name given as a path under the current folder, when the dataset is elsewhere.
        let name = Path::new(name)
            .strip_prefix(root)
            .ok()
            .and_then(Path::to_str)
            .unwrap_or(name);
        let from_history = history
            .entries
            .iter()
            .rev()
            .find(|e| e.path == name || e.image == name);
        let from_manifest = manifest
            .and_then(|m| m.images.iter().find(|r| r.path == name))
            .map(|r| (caption_path(r, ext), r.path.clone()));
        match (from_history, from_manifest) {
            (Some(e), _) => add(&e.path, &e.image),
            (None, Some((path, image))) => add(&path, &image),
            (None, None) => add(name, name),
        }
    }
    targets
}

type Plan = (PathBuf, Option<String>, HistoryEntry);

/// The file, its current text and the entry to restore; `None` when there is nothing to do.
fn plan_restore(root: &Path, history: &History, path: &str) -> Result<Option<Plan>, String> {
    // A name the history does not know: nothing is read, so an image named by mistake is
    // never taken for its caption.
    if !history.entries.iter().any(|e| e.path == path) {
        return Ok(None);
    }
    let abs = zcurate_fs::confined(root, path, || {
        format!("the caption history entry for `{path}`")
    })
    .map_err(|e| e.to_string())?;
    check_not_read_only(&abs, path)?;
    let current = read_caption(&abs).map_err(|e| match std::error::Error::source(&e) {
        Some(cause) => format!("{e}: {cause}; left alone"),
        None => format!("{e}"),
    })?;
    Ok(history
        .latest_other(path, current.as_deref())
        .map(|e| (abs, current, e.clone())))
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ`.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since the Unix epoch as an RFC 3339 UTC time (the civil-from-days algorithm of
/// Howard Hinnant's `chrono`-compatible date library).
fn rfc3339(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_796_622_245), "2026-12-07T05:44:05Z");
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_next_entry_stays_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let a = HistoryEntry::new("a.txt", "a.jpg", "my own caption", "test");
        append_history(root, std::slice::from_ref(&a)).unwrap();
        // A kill in the middle of the next append.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(history_path(root))
            .unwrap();
        f.write_all(br#"{"path":"b.txt","ima"#).unwrap();
        drop(f);
        let h = read_history(root).unwrap();
        assert_eq!((h.entries.len(), h.skipped), (1, 1));
        let b = HistoryEntry::new("b.txt", "b.jpg", "line one\nline two", "test");
        append_history(root, std::slice::from_ref(&b)).unwrap();
        let h = read_history(root).unwrap();
        assert_eq!(h.entries, [a.clone(), b]);
        assert_eq!(h.skipped, 1);
        assert_eq!(h.latest_other("a.txt", Some("other")), Some(&a));
        assert_eq!(h.latest_other("a.txt", Some("my own caption")), None);
    }

    #[test]
    fn manifest_history_moves_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut m = Manifest::new(".", zcurate_manifest::testing::scan_settings());
        let mut r = zcurate_manifest::ImageRecord {
            path: "a.jpg".into(),
            ..Default::default()
        };
        r.caption_history.push(zcurate_manifest::CaptionRevision {
            text: "my own caption".into(),
            caption_path: "a.txt".into(),
            replaced_by_schema: "face".into(),
        });
        m.images.push(r);
        let before = m.clone();
        assert_eq!(migrate_manifest_history(root, &mut m).unwrap(), 1);
        assert!(m.images[0].caption_history.is_empty());
        // Killed before the manifest was saved: the next run finds the entry already moved.
        let mut again = before;
        assert_eq!(migrate_manifest_history(root, &mut again).unwrap(), 0);
        let h = read_history(root).unwrap();
        assert_eq!(h.entries.len(), 1);
        assert_eq!(h.entries[0].text, "my own caption");
        assert_eq!(h.entries[0].image, "a.jpg");
        assert_eq!(h.entries[0].command, MIGRATED);
    }
}
