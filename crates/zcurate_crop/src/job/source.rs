//! The work on one source: read, hash, decode once, find (or reuse) its faces, plan its crops
//! and hand each to the output step.

use zcurate_fs::sha256_hex;
use zcurate_manifest::Face;
use zcurate_scan::{FaceStep, stat};

use super::{Context, Done, SHEET_CELL};
use crate::error::CropError;
use crate::manifest::{SourceEntry, SourceStatus};
use crate::plan::{CropPlan, plan_image};
use crate::sheet::SheetItem;

impl Context<'_> {
    /// Reads, decodes, detects, plans, renders and writes one source. `Err` only for
    /// problems that must stop the run (an output that cannot be written).
    pub(super) fn process(&self, i: usize, stage: &FaceStep) -> Result<Done, CropError> {
        let found = &self.found[i];
        let mut entry = SourceEntry {
            path: found.rel.clone(),
            bytes: 0,
            mtime_ns: None,
            sha256: None,
            width: None,
            height: None,
            exif_orientation: None,
            faces: None,
            main_face: None,
            status: SourceStatus::Error,
            reasons: Vec::new(),
            settings_key: self.key.clone(),
            outputs: Vec::new(),
        };
        let failed = |mut entry: SourceEntry, why: String| {
            entry.status = SourceStatus::Error;
            entry.reasons = vec![why];
            Ok(Done {
                entry,
                sheet: None,
                up_to_date: false,
                detected: false,
            })
        };
        if found.lossy_name {
            // Its outputs would be named with replacement characters: refused, with why.
            return failed(entry, zcurate_scan::lossy_name_reason(&found.rel));
        }
        let (bytes_len, mtime) = match stat(&found.abs) {
            Ok(s) => s,
            Err(e) => return failed(entry, zcurate_scan::unreadable_reason(&found.abs, &e)),
        };
        entry.bytes = bytes_len;
        entry.mtime_ns = mtime;
        let prev = self.previous_entry(&found.rel);
        let reuse = |p: &SourceEntry, sha: Option<String>| {
            let mut e = p.clone();
            e.bytes = bytes_len;
            e.mtime_ns = mtime;
            if sha.is_some() {
                e.sha256 = sha;
            }
            Ok(Done {
                entry: e,
                sheet: None,
                up_to_date: true,
                detected: false,
            })
        };
        if let Some(p) = prev
            && mtime.is_some()
            && p.bytes == bytes_len
            && p.mtime_ns == mtime
            && p.sha256.is_some()
            && self.up_to_date(p, found)
        {
            return reuse(p, None);
        }
        let bytes = match std::fs::read(&found.abs) {
            Ok(b) => b,
            Err(e) => return failed(entry, format!("cannot read file: {e}")),
        };
        let sha = sha256_hex(&bytes);
        if let Some(p) = prev
            && p.sha256.as_deref() == Some(sha.as_str())
            && self.up_to_date(p, found)
        {
            return reuse(p, Some(sha));
        }
        entry.sha256 = Some(sha.clone());
        let decoded = match zcurate_image::decode_bytes(&bytes, &self.job.limits) {
            Ok(d) => d,
            Err(e) => return failed(entry, format!("cannot decode: {e}")),
        };
        drop(bytes);
        let (w, h) = (decoded.width(), decoded.height());
        entry.width = Some(w);
        entry.height = Some(h);
        entry.exif_orientation = decoded.exif_orientation;

        let mut detected = false;
        let same = |s: Option<&str>| s == Some(sha.as_str());
        let from_previous = prev
            .filter(|p| self.previous_faces_valid() && same(p.sha256.as_deref()))
            .and_then(|p| Some((p.faces.clone()?, p.main_face)));
        let from_scan = || {
            let r = self.scanned.get(found.rel.as_str())?;
            if !same(r.sha256.as_deref()) {
                return None;
            }
            Some((r.faces.clone()?, r.face_summary?.main))
        };
        let reused_faces: Option<(Vec<Face>, Option<usize>)> = from_previous.or_else(from_scan);
        let (faces, main) = if let Some(f) = reused_faces {
            f
        } else {
            detected = true;
            match stage.analyse(&decoded.image, None) {
                Ok(out) => (out.faces, out.summary.main),
                Err(e) => return failed(entry, format!("face detection failed: {e}")),
            }
        };
        let planned = plan_image(w, h, &faces, main, &self.job.options);
        entry.faces = Some(faces.clone());
        entry.main_face = main;
        entry.reasons = planned
            .skipped
            .iter()
            .map(|(face, why)| match face {
                Some(k) if self.job.options.all_faces => format!("face {}: {why}", k + 1),
                _ => why.to_string(),
            })
            .collect();

        let mut blocked = false;
        for plan in &planned.plans {
            match self.output(i, found, &decoded.image, plan)? {
                Ok(out) => entry.outputs.push(out),
                Err(why) => {
                    entry.reasons.push(why);
                    blocked = true;
                    break;
                }
            }
        }
        entry.status = if blocked {
            SourceStatus::Error
        } else if entry.outputs.is_empty() {
            SourceStatus::Skipped
        } else {
            SourceStatus::Cropped
        };
        let sheet = self.job.preview.as_ref().map(|_| {
            sheet_item(
                &decoded.image,
                &faces,
                &planned.plans,
                entry.outputs.is_empty(),
            )
        });
        Ok(Done {
            entry,
            sheet,
            up_to_date: false,
            detected,
        })
    }
}

fn sheet_item(
    image: &image::DynamicImage,
    faces: &[Face],
    plans: &[CropPlan],
    skipped: bool,
) -> SheetItem {
    let thumb =
        zcurate_image::resize::resize_to_fit(image, SHEET_CELL, zcurate_image::resize::Filter::Box)
            .to_rgb8();
    let scale = f64::from(thumb.width()) / f64::from(image.width().max(1));
    SheetItem {
        thumb,
        scale,
        crops: plans
            .iter()
            .map(|p| (p.crop.corners(), p.framing.reached))
            .collect(),
        faces: faces
            .iter()
            .enumerate()
            .map(|(k, f)| (f.bbox, plans.iter().any(|p| p.face == k)))
            .collect(),
        skipped,
    }
}
