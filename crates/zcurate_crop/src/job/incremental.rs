//! What lets a re-run skip finished work and survive being killed: the earlier run's entries,
//! checkpoints of the output manifest, the up-to-date test, and which existing files this tool
//! may replace.

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use zcurate_fs::sha256_hex;
use zcurate_scan::FoundImage;
use zcurate_scan::faces::same_face_results;

use super::{Context, rel_path};
use crate::manifest::{
    CropManifest, SourceEntry, SourceStatus, crop_manifest_path, write_manifest,
};

/// How often the manifest is saved during a run, so that an interrupted run still knows which
/// outputs it wrote.
const CHECKPOINT_SECS: u64 = 5;

pub(super) struct Checkpoint {
    pub(super) entries: Vec<Option<SourceEntry>>,
    pub(super) last: Instant,
}

impl Context<'_> {
    pub(super) fn previous_entry(&self, rel: &str) -> Option<&SourceEntry> {
        let m = self.previous.as_ref()?;
        m.sources.get(*self.prev_index.get(rel)?)
    }

    /// Earlier detections may be reused when they were made with today's face settings.
    pub(super) fn previous_faces_valid(&self) -> bool {
        self.previous
            .as_ref()
            .and_then(|m| m.faces.as_ref())
            .is_some_and(|f| same_face_results(f, &self.face_settings))
    }

    /// Saves the manifest of what is done so far, at most every few seconds.
    pub(super) fn checkpoint(&self, state: &Mutex<Checkpoint>, i: usize, entry: &SourceEntry) {
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
    pub(super) fn stale_outputs(&self, now: &CropManifest) -> Vec<String> {
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
    pub(super) fn up_to_date(&self, prev: &SourceEntry, found: &FoundImage) -> bool {
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

    /// A file may be written when it does not exist, when `--overwrite` says so, when an
    /// earlier run wrote it and it has not been changed since, or when it holds exactly
    /// `content` already: the output of a run killed before it could record it (replacing
    /// it loses nothing).
    pub(super) fn may_write(&self, rel: &str, content: &[u8]) -> bool {
        let path = self.job.dst.join(rel_path(rel));
        if self.job.overwrite || !path.exists() {
            return true;
        }
        let now = file_sha256(&path);
        now.is_some() && (self.owned.get(rel) == now.as_ref() || now == Some(sha256_hex(content)))
    }
}

pub(super) fn file_sha256(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| sha256_hex(&b))
}
