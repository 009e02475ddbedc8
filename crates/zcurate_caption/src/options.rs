//! The `[caption]` table of `zcurate.toml`, and the file format of caption schemas and
//! vocabularies. The built-in schemas (`builtin.toml`) are parsed with these same types, so a
//! custom schema is written exactly like a built-in one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `[caption]` table. Every field is optional; flags win over it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CaptionOptions {
    /// Schema used when `--schema` is not given. Default `face`.
    pub schema: Option<String>,
    /// The trigger word or phrase, as `--trigger`.
    pub trigger: Option<String>,
    /// The class word (`woman`, `man`, `person`...), as `--class-word`. `class`, its old
    /// spelling, still reads (zcurate warns about it).
    #[serde(alias = "class")]
    pub class_word: Option<String>,
    /// Read per-image attributes from `<image stem>.json` next to each image, as
    /// `--json-sidecars`. Default false.
    pub json_sidecars: Option<bool>,
    /// Framing classes with a lower confidence are not used to fill the `framing` slot.
    /// Default 0.4.
    pub min_framing_confidence: Option<f32>,
    /// Default values by slot name, used when neither the user's attributes nor the manifest
    /// give one (e.g. `lighting = "soft light"`). They override a schema's own defaults.
    pub defaults: Option<BTreeMap<String, String>>,
    /// Thresholds of the lighting labels derived from image measurements.
    pub lighting: Option<LightingOptions>,
    /// Thresholds of the expression labels read from the expression model's probabilities.
    pub expression: Option<ExpressionOptions>,
    /// Custom schemas by name (`[caption.schemas.NAME]`); a built-in name replaces the
    /// built-in schema.
    pub schemas: Option<BTreeMap<String, SchemaOptions>>,
    /// Custom vocabularies by name (`[caption.vocabularies.NAME]`); a built-in name replaces
    /// the built-in vocabulary, or extends it with `extend = true`.
    pub vocabularies: Option<BTreeMap<String, VocabularyOptions>>,
}

/// The built-in catalogue file: schemas and the vocabularies they use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct CatalogOptions {
    #[serde(default)]
    pub(crate) schemas: BTreeMap<String, SchemaOptions>,
    #[serde(default)]
    pub(crate) vocabularies: BTreeMap<String, VocabularyOptions>,
}

/// One caption schema: which slots a caption has, in which order, joined how.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SchemaOptions {
    /// What the schema is for, shown in docs and `--format json`.
    pub description: Option<String>,
    /// Text between slots. Default `", "`; it must contain a non-space character, which is
    /// what captions are split on when they are read back.
    pub separator: Option<String>,
    /// The slots, in caption order.
    #[serde(default)]
    pub slots: Vec<SlotOptions>,
}

/// One slot of a schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SlotOptions {
    /// Slot name: the CSV column and JSON key that give its value.
    pub name: String,
    /// `required`, `optional` (default) or `forbidden`.
    pub presence: Option<Presence>,
    /// `trigger` or `class` for the identity slots, whose values come from `--trigger` and
    /// `--class-word`.
    pub role: Option<Role>,
    /// Vocabulary of the slot's values. Default: the vocabulary with the slot's name, if any;
    /// a slot without a vocabulary takes free text.
    pub vocabulary: Option<String>,
    /// The manifest fact that fills the slot: `framing`, `angle`, `tilt` or `lighting`.
    /// Vocabulary terms say which fact labels produce them (`facts = [...]`).
    pub fact: Option<Fact>,
    /// How a value is written, with one `{value}` placeholder (`"{value} background"`).
    /// Default `"{value}"`.
    pub template: Option<String>,
    /// Text placed before this slot instead of the separator (`" "` writes `zxq woman`).
    pub joiner: Option<String>,
    /// The slot may hold several values, separated by the separator (`glasses, earrings`).
    pub multiple: Option<bool>,
    /// Value used when nothing else fills the slot.
    pub default: Option<String>,
    /// Caption the slot only where it changes (hair, accessories): `zcurate lint` notes a
    /// value every caption shares (CAP012). Default false.
    pub only_when_changes: Option<bool>,
}

/// Whether a schema wants a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// A caption without it is incomplete and is not written.
    Required,
    /// Filled when a value is known.
    Optional,
    /// Never written; `--audit` reports it when a caption has it.
    Forbidden,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Forbidden => "forbidden",
        }
    }
}

/// The identity slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Trigger,
    Class,
}

/// Facts the manifest provides (see `docs/captions.md` for how each is derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fact {
    /// The framing class: `close-up`, `head-shoulders`, `upper-body`, `knee-up`, `full-body`.
    Framing,
    /// The main face's angle: `front`, `three-quarter-left`, `three-quarter-right`,
    /// `profile-left`, `profile-right`.
    Angle,
    /// The main face's pitch hint: `up`, `level`, `down`.
    Tilt,
    /// A tonal label from brightness, contrast and clipping: `dim`, `low-key`, `high-key`,
    /// `high-contrast`.
    Lighting,
    /// The main face's expression from the expression model: `smiling`, `surprised`,
    /// `neutral`, or nothing when the model is unsure.
    Expression,
}

impl Fact {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Framing => "framing",
            Self::Angle => "angle",
            Self::Tilt => "tilt",
            Self::Lighting => "lighting",
            Self::Expression => "expression",
        }
    }
}

/// A vocabulary: the values a slot takes, with synonyms mapped to them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VocabularyOptions {
    pub description: Option<String>,
    /// Accept values outside the terms (free text). Default false: an unknown value is an
    /// error.
    pub open: Option<bool>,
    /// Add these terms and keywords to the built-in vocabulary of the same name instead of
    /// replacing it.
    pub extend: Option<bool>,
    /// Canonical values: a string, or `{ value, synonyms, facts }`.
    #[serde(default)]
    pub terms: Vec<TermOptions>,
    /// Words that mark free text as this vocabulary's (`hair`, `braid`), used when reading
    /// captions back.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A vocabulary term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TermOptions {
    /// Just the canonical value.
    Value(String),
    /// A value with synonyms and the fact labels that produce it.
    Full(TermTable),
}

/// A vocabulary term written as a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TermTable {
    pub value: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Manifest fact labels that produce this value.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// `[caption.expression]`: thresholds of the expression labels, on the expression model's
/// class probabilities. Defaults in [`crate::ExpressionThresholds`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExpressionOptions {
    /// Smallest `happy` probability read as `smiling`.
    pub smiling_min_happy: Option<f64>,
    /// Smallest `surprise` probability read as `surprised`.
    pub surprised_min_surprise: Option<f64>,
    /// Smallest `neutral` probability read as `neutral`, when no other label applies.
    pub neutral_min_neutral: Option<f64>,
}

/// `[caption.lighting]`: thresholds of the lighting labels, on the manifest's 0-to-1 luma
/// measures. Defaults in [`crate::LightingThresholds`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LightingOptions {
    /// Mean luma at or below which an image is dark (`dim` or `low-key`).
    pub dark_max_brightness: Option<f64>,
    /// Luma standard deviation from which a dark image is `low-key` rather than `dim`.
    pub low_key_min_contrast: Option<f64>,
    /// Mean luma at or above which an image may be `high-key`.
    pub high_key_min_brightness: Option<f64>,
    /// Largest share of near-black pixels a `high-key` image may have.
    pub high_key_max_clipped_dark: Option<f64>,
    /// Luma standard deviation from which a mid-tone image is `high-contrast`.
    pub high_contrast_min_contrast: Option<f64>,
}
