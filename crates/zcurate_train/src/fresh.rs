//! Is the manifest still a true account of the files? Export trusts only the manifest, so
//! it first checks that the files it describes are the files on disk, the way a re-scan
//! decides to reuse a record: same size and modification time, or, when only the time
//! changed, the same sha256. Captions are compared by content (the scan always re-reads
//! them). Nothing is decoded.

use std::collections::BTreeSet;
use std::path::Path;

use zcurate_manifest::Manifest;

use crate::error::TrainError;

/// How many paths of each kind a staleness message names before "and N more".
const NAMED_PATHS: usize = 3;

/// What differs between the manifest and the disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Images whose content changed since the scan.
    pub changed: Vec<String>,
    /// Images in the manifest that are gone.
    pub missing: Vec<String>,
    /// Images on disk the manifest does not know.
    pub new: Vec<String>,
    /// Images whose caption sidecar changed, appeared or disappeared.
    pub captions: Vec<String>,
}

impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.new.is_empty()
            && self.captions.is_empty()
    }

    fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (what, list) in [
            ("changed", &self.changed),
            ("missing", &self.missing),
            ("new", &self.new),
            ("caption changed", &self.captions),
        ] {
            if list.is_empty() {
                continue;
            }
            let mut named: Vec<&str> = list.iter().take(NAMED_PATHS).map(String::as_str).collect();
            let more = list.len().saturating_sub(NAMED_PATHS);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            named.sort_unstable();
            parts.push(format!("{what}: {}{more}", named.join(", ")));
        }
        parts.join("; ")
    }
}

/// Compares `manifest` with the files under `root`.
pub fn staleness(manifest: &Manifest, root: &Path) -> Staleness {
    let mut out = Staleness::default();
    let found = zcurate_scan::discover(
        root,
        manifest.settings.recursive,
        &manifest.settings.caption_ext,
    );
    let known: BTreeSet<&str> = manifest.images.iter().map(|r| r.path.as_str()).collect();
    for f in &found.images {
        if !known.contains(f.rel.as_str()) {
            out.new.push(f.rel.clone());
        }
    }
    for rec in &manifest.images {
        // A name that is not UTF-8 is recorded with replacement characters and names no
        // file; the scan refused the image, and export leaves it out with that reason.
        if rec
            .error
            .as_ref()
            .is_some_and(|e| e.kind == zcurate_manifest::ErrorKind::Name)
        {
            continue;
        }
        let abs = root.join(&rec.path);
        let Ok((bytes, mtime)) = zcurate_scan::stat(&abs) else {
            out.missing.push(rec.path.clone());
            continue;
        };
        let same_stat = bytes == rec.bytes && mtime.is_some() && mtime == rec.mtime_ns;
        if !same_stat {
            let same_hash = bytes == rec.bytes
                && rec.sha256.is_some()
                && std::fs::read(&abs)
                    .is_ok_and(|b| Some(zcurate_fs::sha256_hex(&b)) == rec.sha256);
            if !same_hash {
                out.changed.push(rec.path.clone());
                continue;
            }
        }
        let sidecar = found
            .images
            .iter()
            .find(|f| f.rel == rec.path)
            .and_then(|f| f.caption.as_ref());
        let on_disk = sidecar.map(|(rel, abs)| (rel.clone(), read_caption(abs)));
        let recorded = rec
            .caption_path
            .as_ref()
            .map(|rel| (rel.clone(), rec.caption.clone()));
        if on_disk != recorded {
            out.captions.push(rec.path.clone());
        }
    }
    out
}

/// The caption text as the scan records it: BOM stripped, `None` when not UTF-8.
fn read_caption(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// Refuses a manifest that no longer describes the files, naming `zcurate scan DIR`.
pub fn check_fresh(manifest: &Manifest, root: &Path) -> Result<(), TrainError> {
    let s = staleness(manifest, root);
    if s.is_fresh() {
        Ok(())
    } else {
        Err(TrainError::Stale {
            dir: root.display().to_string(),
            summary: s.summary(),
        })
    }
}
