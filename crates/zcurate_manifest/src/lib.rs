//! The versioned dataset manifest: the one record every zcurate command reads and writes.
//!
//! `zcurate scan` writes it; lint, crop, caption and the trainer export read it. It is plain
//! data with no image or model code, so every crate can depend on it cheaply. The JSON Schema
//! in `docs/manifest.schema.json` is generated from these types ([`json_schema`]).

mod caption;
mod csv_export;
mod error;
mod face;
mod identity;
mod io;
mod record;
#[cfg(feature = "testing")]
pub mod testing;

pub use caption::{
    CaptionFacts, CaptionRevision, CaptionStats, SlotStats, TokenStats, TriggerStats, ValueCount,
};
pub use csv_export::{CSV_COLUMNS, write_csv};
pub use error::ManifestError;
pub use face::{
    AngleLabel, BorderContact, Face, FaceExpression, FaceSummary, Framing, FramingClass,
    FramingEvidence, Pitch,
};
pub use identity::{IdentityEmbedding, cosine_similarity};
pub use io::{default_manifest_path, read, write_atomic};
pub use record::{
    AnalysisSettings, ColourKind, DirError, ErrorKind, FacePhash, FaceSettings, ImageRecord,
    Manifest, RecordError, ScanSettings, Tool,
};

/// The manifest format version. Bump it when a field changes meaning or is removed; adding
/// an optional field does not need a bump (readers ignore unknown fields and default missing
/// ones).
pub const SCHEMA_VERSION: u32 = 1;

/// A measurement as the manifest records it: two decimals keep manifests readable and diffs
/// stable.
pub fn round_hundredths(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The JSON Schema of [`Manifest`], pretty-printed with a trailing newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Manifest);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}
