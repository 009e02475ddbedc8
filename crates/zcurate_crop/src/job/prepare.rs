//! Before the workers start: the folders checked and locked, the output folder's manifest of
//! an earlier run read, the sources found, and the scan records whose faces may be reused.

use std::collections::HashMap;

use zcurate_manifest::Tool;
use zcurate_scan::FaceStep;
use zcurate_scan::faces::same_face_results;

use super::{Context, CropJob};
use crate::error::CropError;
use crate::manifest::{
    CROP_SCHEMA_VERSION, CropManifest, SourceEntry, crop_manifest_path, read_manifest, settings_key,
};
use crate::names::OutputNames;

impl<'a> Context<'a> {
    pub(super) fn prepare(job: &'a CropJob<'a>, faces: &FaceStep) -> Result<Self, CropError> {
        let (src_abs, dst_abs) = job.paths()?;
        if !job.dry_run {
            std::fs::create_dir_all(&job.dst).map_err(|source| CropError::CreateDestination {
                path: job.dst.clone(),
                source,
            })?;
            // Find out now, not after the first minute of decoding, that nothing can be
            // written here (a read-only mount, a full disk). The probe has a temporary file's
            // name, so a run killed right here leaves nothing the next run keeps.
            let probe = zcurate_fs::temp_path(&job.dst);
            std::fs::File::create_new(&probe)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, b"zcurate")?;
                    f.sync_all()
                })
                .map_err(|source| CropError::DestinationNotWritable {
                    path: job.dst.clone(),
                    source,
                })?;
            let _ = std::fs::remove_file(&probe);
        }
        // One writer of the output folder at a time; then the temporary files of killed runs
        // are surely no one's.
        let lock = if job.dry_run {
            None
        } else {
            let lock = zcurate_fs::DatasetLock::acquire(&job.dst.join(".zcurate"), "zcurate crop")?;
            crate::write::remove_stale_temps(&job.dst);
            Some(lock)
        };

        let mut warnings = Vec::new();
        let previous = match read_manifest(&crop_manifest_path(&job.dst)) {
            Ok(m) => m,
            Err(e) => {
                warnings.push(format!(
                    "{e}; treating every existing file in the output folder as not ours"
                ));
                None
            }
        };
        let discovery = zcurate_scan::discover(&job.src, job.recursive, &job.caption_ext);
        for d in &discovery.dir_errors {
            warnings.push(format!("{}: cannot read folder: {}", d.path, d.message));
        }
        let mut found = discovery.images;
        found.sort_by(|a, b| a.rel.cmp(&b.rel));
        let rels: Vec<&str> = found.iter().map(|f| f.rel.as_str()).collect();
        let names = OutputNames::new(&rels);
        let face_settings = faces.settings();
        let mut owned = HashMap::new();
        let mut prev_index = HashMap::new();
        if let Some(m) = &previous {
            for (k, s) in m.sources.iter().enumerate() {
                prev_index.insert(s.path.clone(), k);
                for o in &s.outputs {
                    let sidecars = [&o.caption, &o.attributes];
                    if let Some(sha) = &o.sha256 {
                        owned.insert(o.path.clone(), sha.clone());
                    }
                    for sc in sidecars.into_iter().flatten() {
                        if let Some(sha) = &sc.sha256 {
                            owned.insert(sc.path.clone(), sha.clone());
                        }
                    }
                }
            }
        }
        let scanned = job
            .source_manifest
            .filter(|m| {
                m.settings
                    .faces
                    .as_ref()
                    .is_some_and(|f| same_face_results(f, &face_settings))
            })
            .map(|m| {
                m.images
                    .iter()
                    .filter(|r| r.faces.is_some() && r.sha256.is_some())
                    .map(|r| (r.path.as_str(), r))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            job,
            found,
            names,
            key: settings_key(
                &job.options,
                &face_settings,
                job.schema.map(|s| s.name.as_str()),
            ),
            face_settings,
            previous,
            prev_index,
            owned,
            scanned,
            dst_abs,
            src_abs,
            warnings,
            _lock: lock,
        })
    }

    pub(super) fn manifest(&self, sources: Vec<SourceEntry>) -> CropManifest {
        CropManifest {
            schema_version: CROP_SCHEMA_VERSION,
            tool: Tool::current(),
            source_root: self.job.src_label.clone(),
            settings: self.job.options.clone(),
            settings_key: self.key.clone(),
            faces: Some(self.face_settings.clone()),
            sources,
        }
    }
}
