//! Schema captions for LoRA datasets, and the statistics of a caption set.
//!
//! A *schema* is data (`builtin.toml`, or `[caption.schemas.NAME]` in zcurate.toml): slots in
//! caption order, each required, optional or forbidden, each with a vocabulary that maps
//! synonyms to canonical values. [`propose`] fills the slots of one image from the user's
//! attributes, the trigger and class word, manifest facts and defaults; [`parse`] reads a
//! caption back into slots; [`caption_stats`] measures a whole set (per-slot entropy, tokens
//! outside the identity slots, class words, trigger use, duplicates). [`plan`] and [`apply`]
//! write sidecars without ever losing an existing caption. Reference: `docs/captions.md`.

mod attributes;
mod dataset;
mod error;
mod facts;
mod fill;
mod history;
mod options;
mod parse;
mod schema;
mod stats;
mod text;
mod trigger;

pub use attributes::{
    Attributes, Given, Loaded, parse_csv, read_csv, read_json_sidecars, sidecar_path,
};
pub use dataset::{
    Action, Applied, CaptionFile, Current, Planned, apply, caption_files, caption_path, plan,
    read_caption, write_caption_atomic,
};
pub use error::{CaptionError, Problem};
pub use facts::{ExpressionThresholds, FactSettings, LightingThresholds, fact_label};
pub use fill::{FillContext, FilledSlot, Proposal, Source, propose, round_trip_problems};
pub use history::{
    HISTORY_FILE, History, HistoryEntry, MIGRATED, RestoreOutcome, Restored, append_history,
    history_path, migrate_manifest_history, read_history, restore,
};
pub use options::{
    CaptionOptions, ExpressionOptions, Fact, LightingOptions, Presence, Role, SchemaOptions,
    SlotOptions, TermOptions, TermTable, VocabularyOptions,
};
pub use parse::{Misfit, MisfitKind, ParseContext, ParsedCaption, parse};
pub use schema::{BUILTIN_TOML, Catalog, Schema, Slot, Template, Term, Vocabulary};
pub use stats::{CaptionInput, caption_stats, entropy_bits, infer_trigger};
pub use text::{count_tokens, normalize, token_spans};
pub use trigger::{TriggerUse, edit_distance, trigger_use};
