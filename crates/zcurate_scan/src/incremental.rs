//! Reusing records of unchanged files from a previous manifest.

use std::collections::HashMap;

use zcurate_manifest::{ErrorKind, ImageRecord, Manifest, ScanSettings};

/// Previous records that may be reused under the current settings.
pub(crate) struct Previous {
    by_path: HashMap<String, ImageRecord>,
    /// The current scan has no face stage: reused records drop their faces.
    strip_faces: bool,
}

impl Previous {
    /// Keeps the previous records only when they were made with settings whose results the
    /// current scan would reproduce.
    pub(crate) fn new(previous: Option<Manifest>, current: &ScanSettings) -> Self {
        let empty = Self {
            by_path: HashMap::new(),
            strip_faces: false,
        };
        let Some(prev) = previous else {
            return empty;
        };
        let s = &prev.settings;
        let same_analysis =
            s.analysis_version == current.analysis_version && s.analysis == current.analysis;
        let faces_ok = match (&s.faces, &current.faces) {
            (_, None) => true,
            (Some(prev), Some(cur)) => crate::faces::same_face_results(prev, cur),
            (None, Some(_)) => false,
        };
        if !same_analysis || !faces_ok {
            return empty;
        }
        Self {
            by_path: prev
                .images
                .into_iter()
                .filter(|r| !r.error.as_ref().is_some_and(|e| transient(e.kind)))
                .map(|r| (r.path.clone(), r))
                .collect(),
            strip_faces: current.faces.is_none(),
        }
    }

    /// The previous record for `path` if its size and mtime still match.
    pub(crate) fn by_stat(
        &self,
        path: &str,
        bytes: u64,
        mtime: Option<i64>,
    ) -> Option<ImageRecord> {
        let r = self.by_path.get(path)?;
        (r.bytes == bytes && r.mtime_ns == mtime && mtime.is_some() && r.sha256.is_some())
            .then(|| self.prepare(r))
    }

    /// The previous record for `path` if the content hash still matches (a touched file).
    pub(crate) fn by_hash(&self, path: &str, sha256: &str) -> Option<ImageRecord> {
        let r = self.by_path.get(path)?;
        (r.sha256.as_deref() == Some(sha256)).then(|| self.prepare(r))
    }

    /// The previous record for `path` whatever the file is now: a progress save keeps it for
    /// a file not reached yet, and the next run checks it as it checks any.
    pub(crate) fn any(&self, path: &str) -> Option<ImageRecord> {
        self.by_path.get(path).map(|r| self.prepare(r))
    }

    fn prepare(&self, r: &ImageRecord) -> ImageRecord {
        let mut r = r.clone();
        if self.strip_faces {
            r.faces = None;
            r.face_summary = None;
            r.framing = None;
            r.face_phash = None;
            if r.error.as_ref().is_some_and(|e| e.kind == ErrorKind::Faces) {
                r.error = None;
            }
        }
        r
    }
}

/// Problems that may go away on their own, so their records are never reused. A caption that
/// cannot be read is not one of them: its image was analysed, and a reused record reads its
/// caption again anyway.
fn transient(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::Io | ErrorKind::Faces)
}
