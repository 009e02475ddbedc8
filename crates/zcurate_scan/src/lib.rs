//! Dataset discovery and the one-decode analysis pass that builds the manifest.
//!
//! Every image is read once, hashed, decoded once, and each analysis (quality measures,
//! faces, framing, identity with `--identity`) reads that one decoded image before it is
//! dropped, so memory stays at a few decoded images per worker thread whatever the dataset
//! size. The face analyses are the [`faces`] step, loaded once per run ([`FaceStep::load`]).

mod discover;
mod error;
pub mod faces;
mod file;
mod incremental;
mod scan;

pub use discover::{
    Discovery, FoundImage, IMAGE_EXTENSIONS, discover, kohya_repeats, lossy_name_reason,
};
pub use error::ScanError;
pub use faces::{FaceNotice, FaceOutcome, FaceStep, FaceStepError, FaceStepSettings};
pub use file::{stat, unreadable_reason};
pub use scan::{
    ANALYSIS_VERSION, DEFAULT_SAVE_EVERY, Observer, ScanConfig, ScanOutcome, ScanStats, scan,
};
