//! `zcurate select`: from one messy folder to a face set or a character set.
//!
//! Reads only the scan manifest (no image is decoded before writing), so a plan of 500
//! images takes well under a second:
//!
//! - [`candidates`]: every usable source image, and the crops the profile wants that can be
//!   cut from it (planned by `zcurate_crop`, the one crop geometry), with their facts.
//! - [`exclude`]: what cannot go into the set, each with a reason a person can read:
//!   scan errors, no face, several faces, a cut face, blur, too small, bad exposure, grey in a
//!   colour set, another person (`--identity`), exact, near and mirrored duplicates, and
//!   several crops of one photo competing for one framing.
//! - [`choose`]: the deterministic choice: the profile's targets first, then variety of
//!   photo, angle, expression and lighting, then quality.
//! - [`plan()`]: all of it, with the targets and what is missing; [`write`] makes the output
//!   folder (hard links for originals, crops rendered by `zcurate_crop`, captions carried over)
//!   and its record `OUT/.zcurate/select.json` ([`record`]).
//!
//! Method and reasons: `docs/select.md`.

pub mod candidates;
pub mod choose;
mod error;
pub mod exclude;
mod names;
mod plan;
pub mod record;
mod settings;
pub mod write;

pub use candidates::{Candidate, Kind};
pub use error::SelectError;
pub use exclude::Exclusion;
pub use plan::{Decision, SelectPlan, TargetOutcome, plan, preview};
pub use record::{SELECT_RECORD_FILE, SELECT_SCHEMA_VERSION, SelectRecord, select_record_path};
pub use settings::{
    CropSettings, DEFAULT_MIN_SIDE_SHARE, DEFAULT_SAME_SHOT_MAX_DISTANCE, SelectSettings,
};
pub use write::{WriteOptions, WriteOutcome, check_output, write};

#[cfg(test)]
mod tests;
