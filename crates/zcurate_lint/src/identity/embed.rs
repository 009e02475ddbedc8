//! ArcFace embeddings on tract: align, normalise `(x − 127.5) / 127.5`, run, L2-normalise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::DynamicImage;
use tract_onnx::prelude::*;
use zcurate_image::{DecodeLimits, decode_bytes};
use zcurate_manifest::{IdentityEmbedding, Manifest};

use super::align::{ALIGNED_SIZE, ARCFACE_TEMPLATE, similarity_transform, warp};
use super::current_embedding;
use crate::context::main_face;
use crate::error::LintError;

/// A loaded ArcFace model, optimised for one 112 × 112 face at a time.
pub struct Embedder {
    plan: Arc<TypedRunnableModel>,
    path: PathBuf,
    sha256: String,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the ONNX model at `path`, whose weights hash to `sha256` (recorded with each
    /// embedding so another model's embeddings are recomputed).
    pub fn load(path: &Path, sha256: &str) -> Result<Self, LintError> {
        let err = |e: TractError| LintError::Model {
            path: path.to_owned(),
            reason: format!("{e:#}"),
        };
        let side = ALIGNED_SIZE as usize;
        let plan = tract_onnx::onnx()
            .with_ignore_output_shapes(true)
            .with_ignore_value_info(true)
            .model_for_path(path)
            .and_then(|m| m.with_input_fact(0, f32::fact([1, 3, side, side]).into()))
            .and_then(InferenceModelExt::into_optimized)
            .and_then(IntoRunnable::into_runnable)
            .map_err(err)?;
        Ok(Self {
            plan,
            path: path.to_owned(),
            sha256: sha256.to_owned(),
        })
    }

    pub fn model_sha256(&self) -> &str {
        &self.sha256
    }

    /// The L2-normalised embedding of the face with these five landmarks.
    pub fn embed(&self, img: &DynamicImage, landmarks: &[[f32; 2]; 5]) -> Result<Vec<f32>, String> {
        let m = similarity_transform(landmarks, &ARCFACE_TEMPLATE)
            .ok_or_else(|| "the face landmarks coincide".to_owned())?;
        let aligned = warp(&img.to_rgb8(), &m, ALIGNED_SIZE);
        let side = ALIGNED_SIZE as usize;
        let mut input = vec![0f32; 3 * side * side];
        for (x, y, p) in aligned.enumerate_pixels() {
            for c in 0..3 {
                input[c * side * side + y as usize * side + x as usize] =
                    (f32::from(p[c]) - 127.5) / 127.5;
            }
        }
        let tensor = tract_ndarray::Array4::from_shape_vec((1, 3, side, side), input)
            .map_err(|e| e.to_string())?
            .into_tensor();
        let out = self
            .plan
            .run(tvec![tensor.into()])
            .map_err(|e| format!("{e:#}"))?;
        let first = out.first().ok_or("the model returned nothing")?;
        let values: Vec<f32> = first
            .try_as_plain_ram()
            .and_then(|v| v.as_slice::<f32>().map(<[f32]>::to_vec))
            .map_err(|e| format!("{e:#}"))?;
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return Err("the model returned a zero embedding".to_owned());
        }
        Ok(values.into_iter().map(|v| v / norm).collect())
    }
}

/// What [`update_embeddings`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbedOutcome {
    /// Faces embedded in this run.
    pub computed: usize,
    /// Faces whose stored embedding was current (or shared with an identical file).
    pub reused: usize,
    /// Images that could not be embedded, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Stores a current embedding of every decoded image's main face in `manifest`, reading
/// and decoding only images that lack one. An identical file (same sha256) shares its
/// embedding. `progress` is called after each image that needed work.
pub fn update_embeddings(
    manifest: &mut Manifest,
    root: &Path,
    embedder: &Embedder,
    progress: &dyn Fn(usize, usize),
) -> EmbedOutcome {
    let sha = embedder.model_sha256().to_owned();
    let mut by_hash: HashMap<String, IdentityEmbedding> = HashMap::new();
    for r in &manifest.images {
        if let (Some(h), Some(id)) = (&r.sha256, &r.identity)
            && current_embedding(r, Some(&sha)).is_some()
        {
            by_hash.insert(h.clone(), id.clone());
        }
    }
    let mut outcome = EmbedOutcome::default();
    let todo: Vec<usize> = manifest
        .images
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_decoded() && main_face(r).is_some())
        .filter(|(_, r)| current_embedding(r, Some(&sha)).is_none())
        .map(|(i, _)| i)
        .collect();
    outcome.reused = manifest
        .images
        .iter()
        .filter(|r| r.is_decoded() && current_embedding(r, Some(&sha)).is_some())
        .count();
    let total = todo.len();
    for (done, i) in todo.into_iter().enumerate() {
        let r = &manifest.images[i];
        let face = main_face(r).expect("filtered above").clone();
        let shared = r
            .sha256
            .as_ref()
            .and_then(|h| by_hash.get(h))
            .filter(|id| id.bbox == face.bbox)
            .cloned();
        if let Some(id) = shared {
            manifest.images[i].identity = Some(id);
            outcome.reused += 1;
            continue;
        }
        let path = root.join(&r.path);
        let result = std::fs::read(&path)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| {
                decode_bytes(&bytes, &DecodeLimits::default())
                    .map_err(|e| format!("cannot decode: {e}"))
            })
            .and_then(|d| embedder.embed(&d.image, &face.landmarks));
        match result {
            Ok(embedding) => {
                let id = IdentityEmbedding {
                    model_sha256: sha.clone(),
                    bbox: face.bbox,
                    embedding,
                };
                if let Some(h) = &manifest.images[i].sha256 {
                    by_hash.insert(h.clone(), id.clone());
                }
                manifest.images[i].identity = Some(id);
                outcome.computed += 1;
            }
            Err(e) => outcome.failed.push((manifest.images[i].path.clone(), e)),
        }
        progress(done + 1, total);
    }
    outcome
}
