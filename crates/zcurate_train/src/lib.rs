//! Trainer export: from a dataset's manifest (and the lint report computed from it) alone,
//! produce exactly what a LoRA trainer needs, refuse when the dataset fails the gate, and
//! launch the run.
//!
//! ```text
//! let plan = Plan::compute(&manifest, &lint_settings, Target { trainer, model }, &options)?;
//! if !plan.gate.passed && !force { refuse }
//! let outcome = export(&ExportJob { .. })?;         // OUT: dataset, configs, README
//! let record = run::launch(&command, &outcome)?;    // zcurate train
//! ```
//!
//! Nothing here decodes an image: the numbers come from the manifest, and staleness is
//! decided by file size and modification time, as a re-scan would decide it.

mod dataset;
mod doc;
mod error;
mod export;
mod fresh;
mod gate;
mod marker;
pub mod plan;
mod readme;
pub mod resolution;
pub mod run;
mod trainer;
mod trainers;

pub use dataset::{Exclusion, ExportImage};
pub use error::TrainError;
pub use export::{DATASET_FOLDER, ExportJob, ExportOutcome, README, export};
pub use fresh::{Staleness, check_fresh, staleness};
pub use gate::{Gate, GateFinding};
pub use marker::{EXPORT_FORMAT_VERSION, EXPORT_MANIFEST, ExportManifest, ExportedFile, FileKind};
pub use plan::{Plan, PlanOptions, Recommendation, SamplePrompt};
pub use resolution::{Fate, Shortfall};
pub use trainer::{Model, Target, Trainer};
