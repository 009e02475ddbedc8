//! The export's own manifest, `OUT/zcurate-export.json`: what was exported, from what, with
//! which plan and gate verdict (and whether the gate was forced), and every file written.
//! It marks OUT as made by zcurate, so a re-export may replace (and only replace) the
//! files it lists, and only while they are as zcurate left them.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zcurate_manifest::Tool;

use crate::dataset::Exclusion;
use crate::error::TrainError;
use crate::gate::Gate;
use crate::plan::{Recommendation, SamplePrompt};
use crate::resolution::Shortfall;

/// File name of the export manifest inside OUT.
pub const EXPORT_MANIFEST: &str = "zcurate-export.json";
/// Format version of the export manifest; bumped when a field changes meaning.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// What a file of the export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Image,
    Caption,
    Config,
    Readme,
}

/// One file zcurate wrote into OUT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedFile {
    /// Relative to OUT, `/` separators.
    pub path: String,
    pub kind: FileKind,
    pub sha256: Option<String>,
    pub bytes: u64,
    /// Modification time after writing (images only: text files are checked by hash). Absent
    /// in an incomplete export's list of files it is about to write; those are checked by
    /// hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime_ns: Option<i64>,
    /// The dataset image it was linked or copied from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `OUT/zcurate-export.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportManifest {
    pub format_version: u32,
    pub tool: Tool,
    pub trainer: String,
    pub model: String,
    pub profile: String,
    /// The dataset folder as given.
    pub dataset: String,
    /// sha256 of the dataset manifest the export was made from.
    pub dataset_manifest_sha256: String,
    pub trigger: String,
    pub class_word: Option<String>,
    /// The config the trainer starts with, relative to OUT.
    pub main_config: String,
    pub gate: Gate,
    /// True when the gate failed and `--force` exported anyway.
    pub forced: bool,
    pub recommendations: Vec<Recommendation>,
    /// The sizes the run trains at (the last is its resolution).
    #[serde(default)]
    pub resolutions: Vec<u32>,
    /// Images that train below the resolution, and what the trainer does with them.
    #[serde(default)]
    pub below: Vec<Shortfall>,
    /// Each sample prompt, and whether it carries the trigger.
    pub sample_prompts: Vec<SamplePrompt>,
    /// Side of the square sample images (Z-Image's native size).
    #[serde(default)]
    pub sample_size: u32,
    pub excluded: Vec<Exclusion>,
    /// False while an export is being written: it lists the files the export is about to
    /// write (with the content they will have) and the previous export's, so a run that was
    /// killed half-way is recognised and finished by running it again.
    #[serde(default = "complete_default", skip_serializing_if = "is_true")]
    pub complete: bool,
    pub files: Vec<ExportedFile>,
}

/// Manifests written before the field existed were always complete.
fn complete_default() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if signature
fn is_true(b: &bool) -> bool {
    *b
}

impl ExportManifest {
    pub fn read(path: &Path) -> Result<Option<Self>, TrainError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(TrainError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| TrainError::BadMarker {
                path: path.to_owned(),
                source,
            })
    }

    pub fn file(&self, path: &str) -> Option<&ExportedFile> {
        self.files.iter().find(|f| f.path == path)
    }
}
