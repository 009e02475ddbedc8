use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::caption::{CaptionRevision, CaptionStats};
use crate::face::{Face, FaceSummary, Framing};
use crate::identity::IdentityEmbedding;

/// A dataset manifest: what `zcurate scan` found and measured in one dataset folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Manifest {
    /// Format version of this file ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The zcurate build that wrote it.
    pub tool: Tool,
    /// The dataset root as given on the command line (records' paths are relative to it).
    pub root: String,
    /// The settings the analysis ran with. Records are reused on a re-scan only when these
    /// match.
    pub settings: ScanSettings,
    /// One record per image file found, sorted by path.
    pub images: Vec<ImageRecord>,
    /// Caption files with no image of the same stem (relative paths).
    #[serde(default)]
    pub orphan_captions: Vec<String>,
    /// Directories that could not be read.
    #[serde(default)]
    pub dir_errors: Vec<DirError>,
    /// Statistics of the captions, written by `zcurate caption` (absent until it runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption_stats: Option<CaptionStats>,
}

impl Manifest {
    /// An empty manifest for `root` scanned with `settings`.
    pub fn new(root: impl Into<String>, settings: ScanSettings) -> Self {
        Self {
            schema_version: crate::SCHEMA_VERSION,
            tool: Tool::current(),
            root: root.into(),
            settings,
            images: Vec::new(),
            orphan_captions: Vec::new(),
            dir_errors: Vec::new(),
            caption_stats: None,
        }
    }

    /// Images that decoded and were analysed.
    pub fn ok_images(&self) -> impl Iterator<Item = &ImageRecord> {
        self.images.iter().filter(|r| r.is_decoded())
    }
}

/// The program that wrote a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn current() -> Self {
        Self {
            name: "zcurate".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Settings that change what a scan records. A re-scan reuses a record only when the
/// manifest's settings equal the current ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScanSettings {
    /// Whether sub-folders were searched (kohya `N_name` repeat folders always are).
    pub recursive: bool,
    /// Extension of caption sidecars, without the dot.
    pub caption_ext: String,
    /// Version of the image analysis code; bumped when a measure changes definition.
    pub analysis_version: u32,
    /// Analysis thresholds that feed recorded flags.
    pub analysis: AnalysisSettings,
    /// Face detection settings, or null when faces were not detected (`--no-faces`).
    pub faces: Option<FaceSettings>,
}

/// Thresholds of the image analysis that decide recorded flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnalysisSettings {
    /// Luma (0 to 1) at or below which a pixel counts as clipped dark.
    pub clip_dark_max: f64,
    /// Luma (0 to 1) at or above which a pixel counts as clipped bright.
    pub clip_bright_min: f64,
    /// Channel spread (0 to 1) above which a pixel counts as chromatic.
    pub grey_chroma_tolerance: f64,
    /// Largest share of chromatic pixels for which an image is still grey.
    pub grey_max_chromatic_share: f64,
}

/// Face detection settings a scan ran with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FaceSettings {
    /// Detector family (`yunet`, `centerface`, `retinaface`).
    pub detector: String,
    /// sha256 of the model file, so a different model invalidates cached faces.
    pub model_sha256: String,
    /// Backend (`tract` or `ort`).
    pub backend: String,
    /// Longest side the image is resized to for detection.
    pub det_size: u32,
    pub score_threshold: f32,
    pub nms_iou: f32,
    /// Whether a small first pass ran before the full-size one.
    pub adaptive: bool,
    /// Longest side of that first pass (0 in manifests written before it was recorded).
    #[serde(default)]
    pub first_pass: u32,
    /// Largest-face share of the longest side below which the full-size pass ran too.
    #[serde(default)]
    pub retry_below_face_ratio: f32,
    /// Digest of the framing thresholds used.
    pub framing_key: String,
}

/// Everything recorded about one image file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ImageRecord {
    /// Path relative to the dataset root, with `/` separators.
    pub path: String,
    /// File size in bytes.
    pub bytes: u64,
    /// Modification time in nanoseconds since the Unix epoch, when the platform gives one.
    pub mtime_ns: Option<i64>,
    /// sha256 of the file's bytes (hex), when it could be read.
    pub sha256: Option<String>,
    /// Repeat count of the kohya `N_name` folder the image sits in, if any.
    pub repeats: Option<u32>,
    /// Format sniffed from the content (`jpeg`, `png`, `webp`, `bmp`, `gif`, `tiff`).
    pub format: Option<String>,
    /// True when the extension names a different format than the content.
    #[serde(default)]
    pub extension_mismatch: bool,
    /// Width after EXIF orientation.
    pub width: Option<u32>,
    /// Height after EXIF orientation.
    pub height: Option<u32>,
    /// EXIF orientation tag as found (1 = upright), null without EXIF.
    pub exif_orientation: Option<u8>,
    /// Colour type of the stored pixels.
    pub colour: Option<ColourKind>,
    /// Bits per channel of the stored pixels (8 or 16, 32 for float).
    pub bits_per_channel: Option<u8>,
    /// True when the file has more than one frame.
    #[serde(default)]
    pub animated: bool,
    /// True when the pixel format has an alpha channel.
    #[serde(default)]
    pub alpha_present: bool,
    /// True when some pixel is not fully opaque.
    #[serde(default)]
    pub alpha_used: bool,
    /// 64-bit DCT perceptual hash, 16 hex digits.
    pub phash: Option<String>,
    /// The pHash of the image mirrored left to right: another image whose `phash` is near it
    /// is a mirrored copy of this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phash_mirror: Option<String>,
    /// pHash of the main face's box, and of its mirror: crops of one photo share the face's
    /// pixels, so their face hashes agree where the hashes of the whole frames do not. Null
    /// without a main face.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_phash: Option<FacePhash>,
    /// Variance of the Laplacian on a fixed-size grey downscale (higher is sharper).
    pub sharpness: Option<f64>,
    /// Mean luma, 0 to 1.
    pub brightness: Option<f64>,
    /// Standard deviation of luma, 0 to 1.
    pub contrast: Option<f64>,
    /// Share of pixels at or near black.
    pub clipped_dark: Option<f64>,
    /// Share of pixels at or near white.
    pub clipped_bright: Option<f64>,
    /// 5th percentile of luma: near 1 means even the shadows are bright.
    pub luma_p05: Option<f64>,
    /// 99th percentile of luma: near 0 means even the highlights are dark.
    pub luma_p99: Option<f64>,
    /// Shannon entropy of the luma histogram in bits (0 to 8); low means little content.
    pub entropy: Option<f64>,
    /// Hasler-Suesstrunk colourfulness on 0..1 channels (0 for grey).
    pub colourfulness: Option<f64>,
    /// Share of pixels whose channels differ by more than the grey tolerance.
    pub chromatic_share: Option<f64>,
    /// True when the image is grey or nearly so.
    pub grey: Option<bool>,
    /// Caption sidecar path relative to the root, when one exists.
    pub caption_path: Option<String>,
    /// The caption sidecar's text, or null when there is none or it is unreadable.
    pub caption: Option<String>,
    /// Captions `zcurate caption --overwrite` replaced, as earlier versions kept them (absent
    /// when none). Read only to move them: the next `zcurate caption` run appends them to
    /// `.zcurate/caption-history.jsonl`, which scans never rewrite, and empties this.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption_history: Vec<CaptionRevision>,
    /// Faces found, largest first; null when detection did not run.
    pub faces: Option<Vec<Face>>,
    /// The main subject and how many other faces there are; null when detection did not run.
    pub face_summary: Option<FaceSummary>,
    /// Framing class of the main subject; null when detection did not run.
    pub framing: Option<Framing>,
    /// What went wrong with this file, or null.
    pub error: Option<RecordError>,
    /// Identity embedding of the main face, computed by a scan with `--identity` (absent
    /// until then; kept by later scans while the file and its main face are unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityEmbedding>,
}

impl ImageRecord {
    /// True when the image decoded and its measures are present.
    pub fn is_decoded(&self) -> bool {
        self.width.is_some()
    }

    /// The main subject's face, when detection ran and found one.
    pub fn main_face(&self) -> Option<&Face> {
        self.faces.as_ref()?.get(self.face_summary?.main?)
    }

    /// The stored embedding of the main face, if it is current: made from the same face box
    /// and, when given, by the model hashing to `model_sha256`.
    pub fn current_identity(&self, model_sha256: Option<&str>) -> Option<&[f32]> {
        let face = self.main_face()?;
        let id = self.identity.as_ref()?;
        id.is_current(face.bbox, model_sha256)
            .then_some(&id.embedding[..])
    }
}

/// The pHash of a face box and of its mirror image, 16 hex digits each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FacePhash {
    pub phash: String,
    pub mirror: String,
}

/// Colour type of the pixels as stored in the file.
// `zcurate_image` reads it from the file's header. The variants' notes are plain comments: doc
// comments would change the generated JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ColourKind {
    // One luma channel.
    Grey,
    // Luma and alpha.
    GreyAlpha,
    // Red, green, blue (JPEG's YCbCr counts as RGB; so do palette images).
    Rgb,
    // RGB with alpha.
    Rgba,
    // Print colour: CMYK or YCCK. Decoded to RGB without colour management, so the colours
    // seen by a trainer may be off.
    Cmyk,
}

/// A problem with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordError {
    pub kind: ErrorKind,
    pub message: String,
}

/// The kind of a per-file problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The file could not be read from disk.
    Io,
    /// The file is empty.
    Empty,
    /// The content is not an image format zcurate decodes.
    Unsupported,
    /// The image data is corrupt or truncated.
    Corrupt,
    /// The image exceeds the decode limits (a decompression bomb, or simply too large).
    Limits,
    /// The caption sidecar is not valid UTF-8 or could not be read.
    Caption,
    /// Face detection failed on this image.
    Faces,
    /// The file's name (or a folder's on its path) is not valid UTF-8: the record's `path`
    /// shows it with replacement characters and names no file, so every command skips it.
    Name,
}

/// A directory that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DirError {
    pub path: String,
    pub message: String,
}
