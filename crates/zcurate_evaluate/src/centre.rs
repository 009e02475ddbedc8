//! The dataset's identity centre: the medoid face of the identity rule (ID001), computed by
//! its own code from the embeddings stored in the dataset's manifest.

use serde::Serialize;
use zcurate_lint::identity;
use zcurate_manifest::Manifest;

use crate::error::EvaluateError;

/// The face generated samples are compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Centre {
    /// The dataset image whose face is the medoid.
    pub medoid: String,
    /// Dataset faces with an embedding.
    pub faces: usize,
    /// sha256 of the embedding model.
    pub model_sha256: String,
    #[serde(skip)]
    pub embedding: Vec<f32>,
}

impl Centre {
    /// The medoid of the embeddings `model_sha256` made, which needs at least `min_faces`
    /// of them (the identity rule's `min-identity-faces`: the medoid of two is arbitrary).
    pub fn from_manifest(
        manifest: &Manifest,
        model_sha256: &str,
        min_faces: usize,
    ) -> Result<Self, EvaluateError> {
        let facts = identity::facts(manifest, Some(model_sha256));
        let Some(medoid) = facts.medoid.filter(|_| facts.embedded >= min_faces) else {
            return Err(EvaluateError::NoCentre(format!(
                "the dataset has {} faces with an identity embedding, fewer than the {min_faces} its identity centre needs (`min-identity-faces`); {}",
                facts.embedded,
                if facts.embedded + facts.missing == 0 {
                    "its manifest records no face: scan it with face detection (`zcurate scan DIR`)"
                } else {
                    "add photos of the subject"
                }
            )));
        };
        let record = &manifest.images[medoid];
        let embedding = identity::current_embedding(record, Some(model_sha256))
            .expect("the medoid has a current embedding")
            .to_vec();
        Ok(Self {
            medoid: record.path.clone(),
            faces: facts.embedded,
            model_sha256: model_sha256.to_owned(),
            embedding,
        })
    }

    /// Cosine similarity of a face's embedding to the centre.
    pub fn similarity(&self, embedding: &[f32]) -> f32 {
        zcurate_manifest::cosine_similarity(&self.embedding, embedding)
    }
}
