//! `OUT/.zcurate/select.json`: every candidate with its decision, reason and scores, the
//! targets and how they were met, and the files written (with their sha256, so a re-run
//! knows which files are its own and whether a person changed them).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zcurate_manifest::Tool;

use crate::candidates::Kind;
use crate::error::SelectError;
use crate::plan::{SelectPlan, TargetOutcome};
use crate::settings::SelectSettings;

/// Format version of `select.json`. Bump when a field changes meaning or is removed.
pub const SELECT_SCHEMA_VERSION: u32 = 1;

/// File name of the record inside `OUT/.zcurate/`.
pub const SELECT_RECORD_FILE: &str = "select.json";

/// `OUT/.zcurate/select.json`.
pub fn select_record_path(out: &Path) -> PathBuf {
    out.join(".zcurate").join(SELECT_RECORD_FILE)
}

/// The whole record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectRecord {
    pub schema_version: u32,
    pub tool: Tool,
    /// The source folder as given on the command line.
    pub source_root: String,
    pub profile: String,
    /// The settings that shaped the choice.
    pub settings: serde_json::Value,
    pub targets: Targets,
    pub candidates: Vec<CandidateEntry>,
    /// Files written into the output folder. While a run is under way the record lists the
    /// files it is about to write with a null `sha256`.
    pub outputs: Vec<OutputEntry>,
}

/// The targets and how the set meets them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Targets {
    pub total: TargetEntry,
    pub framing: Vec<TargetEntry>,
    /// One sentence per missed target; empty when every target is met.
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One target against the set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TargetEntry {
    pub label: String,
    pub range: String,
    pub count: usize,
    pub share: f64,
    pub met: bool,
}

impl From<&TargetOutcome> for TargetEntry {
    fn from(t: &TargetOutcome) -> Self {
        Self {
            label: t.label.clone(),
            range: t.range.clone(),
            count: t.count,
            share: (t.share * 1000.0).round() / 1000.0,
            met: t.met,
        }
    }
}

/// One candidate, its facts and its fate.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CandidateEntry {
    pub id: String,
    pub source: String,
    pub kind: String,
    pub framing: String,
    /// `keep`, `crop`, `drop` or `spare`.
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A short code of the reason for a dropped candidate (`blurry-face`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The photo it shows: the first source of its group of crops and copies.
    pub photo: String,
    pub width: u32,
    pub height: u32,
    pub face_px: f64,
    pub face_sharpness: f64,
    pub sharpness: Option<f64>,
    pub brightness: Option<f64>,
    pub contrast: Option<f64>,
    pub lighting: Option<String>,
    pub angle: Option<String>,
    pub expression: Option<String>,
    pub identity: Option<f32>,
    pub grey: bool,
    pub quality: f64,
    /// The crop in source pixels: `[x, y, width, height]` and its turn in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crop: Option<[f64; 5]>,
}

/// A file of the output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OutputEntry {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    /// The candidate it shows, or for a sidecar the image it belongs to.
    pub candidate: String,
    /// `image`, `caption` or `attributes`.
    pub role: String,
    /// The source file (image or sidecar), relative to the source folder.
    pub from: String,
    /// What the file was made from: the source's sha256, and for a crop its geometry and
    /// encoding. The same recipe gives the same file, so it is not made again.
    pub recipe: String,
    /// sha256 of the written file; null while a run is under way.
    pub sha256: Option<String>,
}

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

impl SelectRecord {
    /// The record of `plan`, with `outputs` as written.
    pub fn new(
        plan: &SelectPlan,
        settings: &SelectSettings,
        source_root: &str,
        outputs: Vec<OutputEntry>,
    ) -> Self {
        let candidates = plan
            .candidates
            .iter()
            .zip(&plan.decisions)
            .map(|(c, d)| CandidateEntry {
                id: c.id.clone(),
                source: c.source.clone(),
                kind: match c.kind {
                    Kind::Original => "original",
                    Kind::Crop => "crop",
                }
                .to_owned(),
                framing: c.framing.as_str().to_owned(),
                decision: d.as_str().to_owned(),
                output: d.output().map(str::to_owned),
                reason: d.reason(),
                reason_code: c
                    .exclusion
                    .as_ref()
                    .filter(|_| d.output().is_none())
                    .map(|e| e.code().to_owned()),
                photo: c.shot.clone(),
                width: c.width,
                height: c.height,
                face_px: round(c.face_px, 1),
                face_sharpness: round(c.face_sharpness, 1),
                sharpness: c.sharpness.map(|v| round(v, 1)),
                brightness: c.brightness.map(|v| round(v, 3)),
                contrast: c.contrast.map(|v| round(v, 3)),
                lighting: c.lighting.map(str::to_owned),
                angle: c.angle.map(|a| a.as_str().to_owned()),
                expression: c.expression.clone(),
                identity: c.identity.map(|v| (v * 1000.0).round() / 1000.0),
                grey: c.grey,
                quality: round(c.quality, 3),
                crop: c.crop.as_ref().map(|p| {
                    [
                        round(p.crop.origin[0], 1),
                        round(p.crop.origin[1], 1),
                        round(p.crop.width, 1),
                        round(p.crop.height, 1),
                        round(p.crop.angle_deg, 2),
                    ]
                }),
            })
            .collect();
        let t = &settings.thresholds;
        Self {
            schema_version: SELECT_SCHEMA_VERSION,
            tool: Tool::current(),
            source_root: source_root.to_owned(),
            profile: settings.profile.clone(),
            settings: serde_json::json!({
                "count": settings.count,
                "keep": settings.keep,
                "drop": settings.drop,
                "identity": settings.identity,
                "target-images": [t.target_min_images, t.target_max_images],
                "min-side": settings.min_side(),
                "min-face-px": t.min_face_px,
                "min-face-sharpness": t.min_face_sharpness,
                "min-sharpness": t.min_sharpness,
                "near-duplicate-max-distance": t.near_duplicate_max_distance,
                "same-photo-max-distance": settings.same_shot_max_distance,
                "min-identity-similarity": t.min_identity_similarity,
                "framing-targets": t.framing_targets,
                "crop": settings.crop,
            }),
            targets: Targets {
                total: (&plan.total).into(),
                framing: plan.framing.iter().map(Into::into).collect(),
                missing: plan.missing.clone(),
                notes: plan.notes.clone(),
            },
            candidates,
            outputs,
        }
    }
}

/// The outputs an earlier run recorded, or `Ok(None)` when there is no record.
pub(crate) fn read_outputs(out: &Path) -> Result<Option<Vec<OutputEntry>>, SelectError> {
    #[derive(Deserialize)]
    struct Outputs {
        outputs: Vec<OutputEntry>,
    }
    let path = select_record_path(out);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(SelectError::Record {
                path,
                message: e.to_string(),
            });
        }
    };
    serde_json::from_str::<Outputs>(&text)
        .map(|o| Some(o.outputs))
        .map_err(|e| SelectError::Record {
            path,
            message: e.to_string(),
        })
}

/// Writes the record atomically.
pub(crate) fn write_record(out: &Path, record: &SelectRecord) -> Result<(), SelectError> {
    let path = select_record_path(out);
    let mut text = serde_json::to_string_pretty(record).expect("a record always serialises");
    text.push('\n');
    zcurate_fs::write_atomic_creating_dirs(&path, text.as_bytes())
        .map_err(|source| SelectError::Write { path, source })
}
