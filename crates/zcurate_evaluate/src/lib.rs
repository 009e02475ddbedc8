//! `zcurate evaluate`: score a LoRA run's sample images per checkpoint for likeness to the
//! dataset's identity and for bleeding into neutral prompts, and recommend the checkpoint to
//! keep.
//!
//! ```text
//! let run = Run::open(dir, RunOptions { layout, prompts })?;     // samples paired with prompts
//! let centre = Centre::from_manifest(&manifest, &model_sha, 3)?; // the identity rule's medoid
//! let (samples, thumbs) = score_samples(&run, &models, &centre, html, &progress);
//! let eval = Evaluation::build(&run, label, dataset, centre, samples, thresholds)?;
//! print!("{}", render::human(&eval));
//! ```
//!
//! - [`layout`]: where each trainer writes its samples and how it names them (cited).
//! - [`prompts`], [`pair`]: which prompt each sample shows, and whether it carries the trigger.
//! - [`centre`]: the dataset's identity centre, the identity rule's own medoid.
//! - [`score`]: detect and embed one image (the only module that touches the models).
//! - [`metrics`]: likeness, activation and bleed per checkpoint; the recommendation.
//! - [`render`]: the table, JSON and the HTML page.

pub mod centre;
mod error;
mod evaluation;
pub mod layout;
pub mod metrics;
mod note;
pub mod pair;
pub mod prompts;
pub mod render;
mod run;
pub mod score;

pub use centre::Centre;
pub use error::EvaluateError;
pub use evaluation::{Evaluation, FaceScore, SampleScore, score_samples};
pub use layout::{Checkpoint, Layout};
pub use metrics::{
    DEFAULT_LIKENESS_TOLERANCE, DEFAULT_MAX_BLEED, DEFAULT_MIN_ACTIVATION, Thresholds,
};
pub use note::{Level, Note};
pub use prompts::PromptSet;
pub use run::{Run, RunOptions};
pub use score::FaceModels;
