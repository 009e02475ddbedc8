use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An identity embedding of an image's main face, computed by a scan with `--identity`.
///
/// Kept in the image's record, so a re-scan that reuses the record (same content) keeps it
/// and a changed file drops it; the scan also reuses it for any image with the same sha256.
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

impl IdentityEmbedding {
    /// Whether this embedding is of the face box `bbox`, by the model hashing to
    /// `model_sha256` (any model when `None`).
    pub fn is_current(&self, bbox: [f32; 4], model_sha256: Option<&str>) -> bool {
        model_sha256.is_none_or(|m| m == self.model_sha256)
            && self.bbox == bbox
            && !self.embedding.is_empty()
    }
}

/// Cosine similarity of two embeddings; 0 when either is all zeros. Stored embeddings are
/// L2-normalised, but dividing by the norms again keeps hand-written ones honest.
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_of_parallel_orthogonal_and_zero_vectors() {
        assert!((cosine_similarity(&[1.0, 2.0], &[2.0, 4.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine_similarity(&[1.0, 0.0], &[0.0, 3.0]), 0.0);
        assert_eq!(cosine_similarity(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
    }

    #[test]
    fn current_only_for_the_same_box_and_model() {
        let e = IdentityEmbedding {
            model_sha256: "m".into(),
            bbox: [1.0, 2.0, 3.0, 4.0],
            embedding: vec![1.0],
        };
        assert!(e.is_current([1.0, 2.0, 3.0, 4.0], Some("m")));
        assert!(e.is_current([1.0, 2.0, 3.0, 4.0], None));
        assert!(!e.is_current([1.0, 2.0, 3.0, 4.0], Some("other")));
        assert!(!e.is_current([1.5, 2.0, 3.0, 4.0], Some("m")));
    }
}
