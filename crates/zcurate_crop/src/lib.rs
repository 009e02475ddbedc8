//! `zcurate crop`: batch crops to a framing class around the main face, resized for training.
//!
//! The crop geometry comes from the same head-height model as the framing classifier
//! (`zcurate_framing::measure`): a crop for `head-shoulders` ends a set number of head heights
//! below the chin, so that classifying the crop gives the class that was asked for. Method,
//! composition rules and the output manifest: `docs/crop.md`.
//!
//! - [`plan_face`] / [`plan_image`]: geometry only (no pixels): where to cut, at which size,
//!   and what the classifier will say about the result.
//! - [`render`]: the pixels (Lanczos3 via `fast_image_resize`; rotation and padding on request).
//! - [`run`]: the batch over a folder, with its output manifest, sidecars and re-run skipping.

mod error;
mod geometry;
mod job;
mod manifest;
mod names;
mod options;
mod plan;
mod render;
mod sheet;
mod sidecar;
mod write;

pub use error::CropError;
pub use geometry::CropBox;
pub use job::{CropJob, CropObserver, CropOutcome, CropStats, resolve, run};
pub use manifest::{
    CROP_MANIFEST_FILE, CROP_SCHEMA_VERSION, CropManifest, FramingOutcome, OutputEntry,
    SidecarEntry, SourceEntry, SourceStatus, crop_manifest_path, read_manifest,
};
pub use names::OutputNames;
pub use options::{
    Aspect, Composition, CropOptions, FrameRule, MAX_SIZE, OptionsError, OutputFormat, Pad,
    PadMode, Rgb,
};
pub use plan::{CropPlan, Fit, ImagePlan, Skip, plan_face, plan_image};
pub use render::{encode, render};
pub use sheet::{SheetItem, draw_sheet};
pub use sidecar::{retarget_attributes, retarget_caption};
