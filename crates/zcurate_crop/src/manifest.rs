//! The output folder's own manifest, `DST/.zcurate/crop.json`: per source, what was cut from
//! it, where, at which scale, and what the classifier expects of each crop. A re-run reads it
//! to skip what is up to date and to know which existing files it wrote itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zcurate_manifest::FramingClass;
use zcurate_manifest::{Face, FaceSettings, Tool};

use crate::geometry::CropBox;
use crate::options::CropOptions;
use crate::plan::Fit;

/// The crop manifest format version. Bump when a field changes meaning or is removed.
pub const CROP_SCHEMA_VERSION: u32 = 1;

/// File name of the crop manifest inside `DST/.zcurate/`.
pub const CROP_MANIFEST_FILE: &str = "crop.json";

/// `DST/.zcurate/crop.json`: beside where `zcurate scan DST` puts its own manifest, never the
/// same file.
pub fn crop_manifest_path(dst: &Path) -> PathBuf {
    dst.join(".zcurate").join(CROP_MANIFEST_FILE)
}

/// What one crop run wrote into its output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CropManifest {
    pub schema_version: u32,
    pub tool: Tool,
    /// The source folder as given on the command line.
    pub source_root: String,
    /// The options of the latest run.
    pub settings: CropOptions,
    /// Digest of `settings`, `faces` and the caption schema; each source entry carries the
    /// digest it was made with.
    pub settings_key: String,
    /// Face detection settings the recorded faces were found with.
    pub faces: Option<FaceSettings>,
    /// One entry per source image, sorted by path.
    pub sources: Vec<SourceEntry>,
}

/// What became of one source image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourceEntry {
    /// Path relative to the source root, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub mtime_ns: Option<i64>,
    pub sha256: Option<String>,
    /// Size after EXIF orientation.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// EXIF orientation tag of the source (the crops have it baked in).
    pub exif_orientation: Option<u8>,
    /// Faces found (largest first), in EXIF-oriented source pixels.
    pub faces: Option<Vec<Face>>,
    /// Index of the main subject in `faces`.
    pub main_face: Option<usize>,
    pub status: SourceStatus,
    /// Why nothing (or not every face) was cropped, or what went wrong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The `settings-key` this entry was made with.
    pub settings_key: String,
    pub outputs: Vec<OutputEntry>,
}

/// The outcome for one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceStatus {
    /// At least one crop was written (or planned, in a dry run).
    Cropped,
    /// No usable face, or no face could be cropped: see `reasons`.
    Skipped,
    /// The file could not be read or decoded, or an output could not be written.
    Error,
}

/// One output image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OutputEntry {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// sha256 of the written file (null in a dry run).
    pub sha256: Option<String>,
    pub width: u32,
    pub height: u32,
    /// Index into the source's `faces`.
    pub face: usize,
    /// The face box `[x, y, w, h]` in source pixels.
    pub face_box: [f32; 4],
    /// The face box in output pixels.
    pub face_box_out: [f32; 4],
    /// The crop in source pixels.
    pub crop: CropBox,
    /// Output pixels per source pixel (above 1: enlarged).
    pub scale: f64,
    pub upscaled: bool,
    /// The `--size` target `[w, h]` when the crop was too small to reach it without
    /// enlarging (the output keeps the crop's size, rounded down to the multiple).
    pub shortfall: Option<[u32; 2]>,
    pub fit: Fit,
    pub framing: FramingOutcome,
    /// The caption sidecar written beside the output.
    pub caption: Option<SidecarEntry>,
    /// The attribute sidecar (`<stem>.json`) written beside the output.
    pub attributes: Option<SidecarEntry>,
}

/// A sidecar that travelled with its image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SidecarEntry {
    /// Path relative to the output folder.
    pub path: String,
    /// The source sidecar, relative to the source folder.
    pub from: String,
    /// sha256 of the source sidecar when it was copied: a changed caption is copied again.
    pub from_sha256: String,
    /// sha256 of the written sidecar (null in a dry run).
    pub sha256: Option<String>,
    /// The framing slot (caption) or `framing` key (attributes) was changed.
    pub framing_updated: bool,
}

/// What the framing classifier says about a crop, computed from the planned geometry (the
/// same face, mapped into the output).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FramingOutcome {
    pub requested: FramingClass,
    /// The class of the planned crop.
    pub expected: FramingClass,
    pub confidence: f32,
    /// Frame bottom below the chin, head heights.
    pub below_chin_heads: f32,
    /// Space above the head, head heights.
    pub headroom_heads: f32,
    /// `expected == requested`: false when the photo does not reach far enough (or is too
    /// narrow) for the requested framing.
    pub reached: bool,
}

/// Reads a crop manifest; `Ok(None)` when there is none.
pub fn read_manifest(path: &Path) -> Result<Option<CropManifest>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "kebab-case")]
    struct Head {
        schema_version: u32,
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let head: Head = serde_json::from_slice(&bytes)
        .map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    if head.schema_version != CROP_SCHEMA_VERSION {
        return Err(format!(
            "{} has crop manifest version {}, this zcurate reads {CROP_SCHEMA_VERSION}",
            path.display(),
            head.schema_version
        ));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("cannot parse {}: {e}", path.display()))
}

/// Writes the manifest through a temporary file and a rename.
pub(crate) fn write_manifest(path: &Path, manifest: &CropManifest) -> std::io::Result<()> {
    let mut text = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    text.push(b'\n');
    zcurate_fs::write_atomic_creating_dirs(path, &text)
}

/// A short stable digest of everything that shapes an output: the options, the face
/// detection settings and the caption schema. A change re-crops.
pub(crate) fn settings_key(
    options: &CropOptions,
    faces: &FaceSettings,
    schema: Option<&str>,
) -> String {
    // The engine is left out where it does not change the faces (zcurate_scan::faces::reuse).
    let faces = zcurate_scan::faces::results_key(faces);
    let json = serde_json::to_vec(&(options, &faces, schema)).expect("settings always serialise");
    zcurate_fs::sha256_hex(&json)[..16].to_owned()
}
