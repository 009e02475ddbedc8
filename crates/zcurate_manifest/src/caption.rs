//! What `zcurate caption` records: the captions it replaced, and the statistics of a caption
//! set that the linter reads. Definitions of every figure: `docs/captions.md`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A caption that `zcurate caption --overwrite` replaced, kept so no text is ever lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaptionRevision {
    /// The replaced caption, exactly as it was on disk (without a UTF-8 BOM).
    pub text: String,
    /// The sidecar it was read from, relative to the dataset root.
    pub caption_path: String,
    /// The caption schema of the text that replaced it.
    pub replaced_by_schema: String,
}

/// Statistics of a dataset's captions, parsed into the slots of one caption schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaptionStats {
    /// The schema the captions were parsed with.
    pub schema: String,
    /// Decoded images considered.
    pub images: usize,
    /// Images with a non-blank caption.
    pub captioned: usize,
    /// One entry per schema slot, in schema order.
    pub slots: Vec<SlotStats>,
    /// Token counts over all captions.
    pub tokens: TokenStats,
    /// Class words found, with the number of captions using each, most used first.
    pub class_words: Vec<ValueCount>,
    /// The trigger and how consistently it is used; null when none was given or inferred.
    pub trigger: Option<TriggerStats>,
    /// Groups of images whose captions are identical (ignoring case and spacing).
    pub duplicates: Vec<Vec<String>>,
    /// Caption segments that fit no slot of the schema, over all captions.
    pub misfits: usize,
    /// One entry per captioned image, sorted by path.
    pub captions: Vec<CaptionFacts>,
}

/// How one slot is filled across the caption set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SlotStats {
    pub name: String,
    /// `required`, `optional` or `forbidden`.
    pub presence: String,
    /// True for the trigger and class-word slots.
    pub identity: bool,
    /// Images whose caption fills the slot.
    pub filled: usize,
    /// `filled` over all considered images (0 to 1).
    pub fill_share: f64,
    /// Number of distinct values.
    pub distinct: usize,
    /// Shannon entropy of the values over the filled images, in bits.
    pub entropy_bits: f64,
    /// Each value with its number of images, most used first.
    pub values: Vec<ValueCount>,
}

/// A value and how many images have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValueCount {
    pub value: String,
    pub count: usize,
}

/// Token counts. A token is a word: a run of characters between spaces and punctuation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TokenStats {
    /// Tokens over all captions.
    pub total: usize,
    /// Tokens in the identity slots (trigger and class word).
    pub identity: usize,
    /// Tokens outside the identity slots, including segments that fit no slot.
    pub outside_identity: usize,
    /// `outside_identity` over `total` (0 when there are no tokens).
    pub outside_identity_share: f64,
    /// Fewest tokens in one caption (0 without captions).
    pub min: usize,
    /// Most tokens in one caption.
    pub max: usize,
    pub mean: f64,
    pub median: f64,
}

/// How the trigger is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TriggerStats {
    /// The trigger as given (or inferred).
    pub text: String,
    /// True when no trigger was given and it was inferred from the captions' first words.
    pub inferred: bool,
    /// Captions containing the trigger spelled exactly so.
    pub present: usize,
    /// Captions that start with the trigger spelled exactly so.
    pub first: usize,
    /// Every spelling found (case, `_` or `-` variants), with its number of captions.
    pub spellings: Vec<ValueCount>,
    /// True when at most one spelling is in use.
    pub one_spelling: bool,
}

/// Per-caption figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaptionFacts {
    /// Image path, relative to the dataset root.
    pub path: String,
    pub tokens: usize,
    /// Tokens in the identity slots.
    pub identity_tokens: usize,
    /// True when the caption starts with the trigger spelled exactly.
    pub trigger_first: bool,
    /// Segments that fit no slot.
    pub misfits: usize,
    /// Required slots the caption does not fill.
    pub missing: Vec<String>,
}
