//! The output step: one crop rendered and written with its caption and attribute sidecars
//! (their framing rewritten for the crop), or nothing at all when a file is in the way.

use std::path::{Path, PathBuf};

use zcurate_fs::sha256_hex;
use zcurate_scan::FoundImage;

use super::{Context, rel_path};
use crate::error::CropError;
use crate::manifest::{OutputEntry, SidecarEntry};
use crate::plan::CropPlan;

/// A sidecar on its way from the source folder to the output folder.
struct Sidecar {
    /// Source path, relative to the source folder.
    from: String,
    from_sha256: String,
    /// Output path, relative to the output folder.
    to: String,
    bytes: Vec<u8>,
    /// The framing was rewritten.
    updated: bool,
}

impl Context<'_> {
    /// The attribute sidecar (`<stem>.json`) of a source, when there is one.
    pub(super) fn attributes_of(&self, found: &FoundImage) -> Option<(String, PathBuf)> {
        if self.job.caption_ext.eq_ignore_ascii_case("json") {
            return None;
        }
        let rel = zcurate_caption::sidecar_path(&found.rel);
        let abs = self.job.src.join(rel_path(&rel));
        abs.is_file().then_some((rel, abs))
    }

    /// Renders and writes one crop and its sidecars. The outer `Err` stops the run (the
    /// output folder cannot be written); the inner one is this source's problem (an existing
    /// file in the way).
    pub(super) fn output(
        &self,
        i: usize,
        found: &FoundImage,
        image: &image::DynamicImage,
        plan: &CropPlan,
    ) -> Result<Result<OutputEntry, String>, CropError> {
        let o = &self.job.options;
        let rel = self
            .names
            .output(i, o.all_faces.then_some(plan.face), o.format.extension());
        let stem = rel
            .rsplit_once('.')
            .map_or(rel.as_str(), |(s, _)| s)
            .to_owned();
        let caption_rel = found
            .caption
            .as_ref()
            .map(|c| (c, format!("{stem}.{}", self.job.caption_ext)));
        let attributes_rel = self
            .attributes_of(found)
            .map(|a| (a, format!("{stem}.json")));
        for r in std::iter::once(&rel)
            .chain(caption_rel.as_ref().map(|c| &c.1))
            .chain(attributes_rel.as_ref().map(|a| &a.1))
        {
            if self.dst_abs.join(rel_path(r)).starts_with(&self.src_abs) {
                return Ok(Err(format!(
                    "output {r} would land inside the source folder"
                )));
            }
        }

        let mut entry = OutputEntry {
            path: rel.clone(),
            sha256: None,
            width: plan.width,
            height: plan.height,
            face: plan.face,
            face_box: plan.face_box,
            face_box_out: plan.face_box_out,
            crop: plan.crop,
            scale: plan.scale,
            upscaled: plan.upscaled,
            shortfall: plan.shortfall,
            fit: plan.fit,
            framing: plan.framing,
            caption: None,
            attributes: None,
        };
        // The caption says what the crop shows, which is the requested framing unless the
        // photo could not give it.
        let framing = plan.framing.expected;

        // Sidecar texts first: a problem with them must not leave an image without its
        // caption.
        let caption = match &caption_rel {
            Some(((from, abs), to)) => {
                let Ok(bytes) = std::fs::read(abs) else {
                    return Ok(Err(format!("cannot read caption {from}")));
                };
                let from_sha256 = sha256_hex(&bytes);
                let (bytes, updated) = match (std::str::from_utf8(&bytes), self.job.schema) {
                    (Ok(t), Some(schema)) => {
                        let (t, changed) = crate::sidecar::retarget_caption(t, schema, framing);
                        (t.into_bytes(), changed)
                    }
                    _ => (bytes, false),
                };
                Some(Sidecar {
                    from: from.clone(),
                    from_sha256,
                    to: to.clone(),
                    bytes,
                    updated,
                })
            }
            None => None,
        };
        let attributes = match &attributes_rel {
            Some(((from, abs), to)) => {
                let Ok(bytes) = std::fs::read(abs) else {
                    return Ok(Err(format!("cannot read attributes {from}")));
                };
                let from_sha256 = sha256_hex(&bytes);
                let changed = match (std::str::from_utf8(&bytes), self.job.schema) {
                    (Ok(t), Some(schema)) => {
                        crate::sidecar::retarget_attributes(t, schema, framing)
                    }
                    _ => None,
                };
                Some(Sidecar {
                    from: from.clone(),
                    from_sha256,
                    to: to.clone(),
                    updated: changed.is_some(),
                    bytes: changed.map_or(bytes, String::into_bytes),
                })
            }
            None => None,
        };

        if self.job.dry_run {
            let record = |s: &Sidecar| SidecarEntry {
                path: s.to.clone(),
                from: s.from.clone(),
                from_sha256: s.from_sha256.clone(),
                sha256: None,
                framing_updated: s.updated,
            };
            entry.caption = caption.as_ref().map(record);
            entry.attributes = attributes.as_ref().map(record);
            return Ok(Ok(entry));
        }

        // Nothing is written for this source unless every file it needs may be written.
        let pixels = match crate::render::render(image, plan, o.pad) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let path = self.job.dst.join(rel_path(&rel));
        let bytes = crate::render::encode(&pixels, o.format, o.quality).map_err(|message| {
            CropError::Encode {
                path: path.clone(),
                message,
            }
        })?;
        drop(pixels);
        for (r, content) in std::iter::once((&rel, &bytes))
            .chain(caption.as_ref().map(|c| (&c.to, &c.bytes)))
            .chain(attributes.as_ref().map(|a| (&a.to, &a.bytes)))
        {
            if !self.may_write(r, content) {
                return Ok(Err(format!(
                    "{r} exists in the output folder and was not written by zcurate crop (use --overwrite to replace it)"
                )));
            }
        }
        write_output(&path, &bytes)?;
        entry.sha256 = Some(sha256_hex(&bytes));
        let mut write_sidecar = |s: Sidecar| -> Result<SidecarEntry, CropError> {
            let path = self.job.dst.join(rel_path(&s.to));
            write_output(&path, &s.bytes)?;
            Ok(SidecarEntry {
                path: s.to,
                from: s.from,
                from_sha256: s.from_sha256,
                sha256: Some(sha256_hex(&s.bytes)),
                framing_updated: s.updated,
            })
        };
        entry.caption = caption.map(&mut write_sidecar).transpose()?;
        entry.attributes = attributes.map(&mut write_sidecar).transpose()?;
        Ok(Ok(entry))
    }
}

/// Writes one output file (and its folder), through a temporary file.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), CropError> {
    zcurate_fs::write_atomic_creating_dirs(path, bytes).map_err(|source| CropError::Write {
        path: path.to_owned(),
        source,
    })
}
