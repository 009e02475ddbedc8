use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A face embedding for the identity check of `zcurate lint --identity`.
///
/// Kept in the image's record, so a re-scan that reuses the record (same content) keeps it
/// and a changed file drops it; lint also reuses it for any image with the same sha256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdentityEmbedding {
    /// sha256 of the embedding model's weights; another model makes the embedding stale.
    pub model_sha256: String,
    /// The face box that was embedded, `[x, y, w, h]`; a different main face makes it stale.
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    /// The L2-normalised embedding (512 values for `arcface-mbf`).
    pub embedding: Vec<f32>,
}
