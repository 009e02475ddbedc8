//! Identity embeddings: ArcFace on the face aligned by its five landmarks.
//!
//! The only face embedder available, ArcFace `arcface-mbf` (InsightFace weights), is licensed
//! for non-commercial research only, so callers must load it only when the user asks
//! (`--identity`) and say its licence; this module just runs it.
//!
//! Align (a similarity transform of the landmarks onto the 112 × 112 ArcFace template, see
//! [`align`]), normalise `(x − 127.5) / 127.5`, run, L2-normalise; compare by cosine.

pub mod align;

use std::path::Path;

use image::DynamicImage;
use zcurate_infer::{Backend, Model, ModelIo};

use crate::error::FaceError;
use align::{ALIGNED_SIZE, ARCFACE_TEMPLATE, similarity_transform, warp};

/// A loaded ArcFace model. Shared by all threads.
#[derive(Debug)]
pub struct Embedder {
    model: Model,
    sha256: String,
}

impl Embedder {
    /// Loads the ONNX model at `path`, whose file hashes to `sha256` (recorded with each
    /// embedding, so another model's embeddings are recomputed), on `backend`. For
    /// [`Backend::Ort`] the runtime must be loaded already (`zcurate_infer::load_onnx_runtime`).
    pub fn load(path: &Path, sha256: &str, backend: Backend) -> Result<Self, FaceError> {
        Ok(Self {
            model: Model::load(path, backend, &ModelIo::ANY)?,
            sha256: sha256.to_owned(),
        })
    }

    /// sha256 of the model file.
    pub fn model_sha256(&self) -> &str {
        &self.sha256
    }

    /// The engine the model runs on.
    pub fn backend(&self) -> Backend {
        self.model.backend()
    }

    /// The L2-normalised embedding of the face with these five landmarks (canonical order,
    /// in `img`'s pixels).
    pub fn embed(
        &self,
        img: &DynamicImage,
        landmarks: &[[f32; 2]; 5],
    ) -> Result<Vec<f32>, FaceError> {
        let m = similarity_transform(landmarks, &ARCFACE_TEMPLATE)
            .ok_or_else(|| FaceError::Image("the face landmarks coincide".to_owned()))?;
        let aligned = warp(img, &m, ALIGNED_SIZE);
        let side = ALIGNED_SIZE as usize;
        let plane = side * side;
        let mut input = vec![0f32; 3 * plane];
        for (i, p) in aligned.pixels().enumerate() {
            for c in 0..3 {
                input[c * plane + i] = (f32::from(p[c]) - 127.5) / 127.5;
            }
        }
        let out = self.model.run(&[1, 3, side, side], input)?;
        let values = out
            .into_iter()
            .next()
            .map(|o| o.data)
            .ok_or_else(|| FaceError::Inference("the model returned nothing".to_owned()))?;
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return Err(FaceError::Inference(
                "the model returned a zero embedding".to_owned(),
            ));
        }
        Ok(values.into_iter().map(|v| v / norm).collect())
    }
}
