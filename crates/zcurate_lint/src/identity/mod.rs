//! Identity: is every image the same person? Opt-in (`zcurate lint --identity`), because the
//! only face embedder available, ArcFace `arcface-mbf` (InsightFace weights), is licensed for
//! non-commercial research only.
//!
//! The binary fetches the model, [`Embedder`] embeds each main face that has no current
//! embedding (aligned by [`align`]), the embeddings are stored in the manifest per image,
//! and the `identity-outlier` rule compares each face with the dataset's medoid face.

pub mod align;
#[cfg(feature = "identity")]
mod embed;

use std::collections::BTreeMap;

use zcurate_manifest::{ImageRecord, Manifest};

#[cfg(feature = "identity")]
pub use embed::{EmbedOutcome, Embedder, update_embeddings};

use crate::context::main_face;

/// Identity facts of a dataset, from the embeddings stored in its manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityFacts {
    /// Images with a current embedding of their main face.
    pub embedded: usize,
    /// Images with a main face but no current embedding.
    pub missing: usize,
    /// Manifest index of the medoid face: the one most similar, in sum, to all others.
    pub medoid: Option<usize>,
    /// Cosine similarity of each embedded image's face to the medoid, by manifest index.
    pub similarity: BTreeMap<usize, f32>,
}

/// The stored embedding of `r`'s main face, if it is current: made from the same face box
/// (and, when given, the same model).
pub fn current_embedding<'a>(r: &'a ImageRecord, model_sha256: Option<&str>) -> Option<&'a [f32]> {
    let face = main_face(r)?;
    let id = r.identity.as_ref()?;
    let same_model = model_sha256.is_none_or(|m| m == id.model_sha256);
    (same_model && id.bbox == face.bbox && !id.embedding.is_empty()).then_some(&id.embedding[..])
}

/// Cosine similarity of two embeddings (shared with `zcurate evaluate`, which compares
/// generated faces with the medoid).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    // Stored embeddings are L2-normalised; dividing again keeps hand-written ones honest.
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// Medoid and similarities. The medoid, not the mean, stands for the identity: with one
/// other person among twenty images the mean moves towards them, the medoid does not.
/// Public so `zcurate evaluate` measures generated faces against the same identity centre.
pub fn facts(manifest: &Manifest, model_sha256: Option<&str>) -> IdentityFacts {
    let mut embedded: Vec<(usize, &[f32])> = Vec::new();
    let mut missing = 0;
    for (i, r) in manifest.images.iter().enumerate() {
        if !r.is_decoded() || main_face(r).is_none() {
            continue;
        }
        match current_embedding(r, model_sha256) {
            Some(e) => embedded.push((i, e)),
            None => missing += 1,
        }
    }
    let n = embedded.len();
    let mut sims = vec![vec![0f32; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let s = cosine(embedded[a].1, embedded[b].1);
            sims[a][b] = s;
            sims[b][a] = s;
        }
    }
    let medoid = (0..n).max_by(|&a, &b| {
        let sa: f32 = sims[a].iter().sum();
        let sb: f32 = sims[b].iter().sum();
        sa.total_cmp(&sb).then(b.cmp(&a))
    });
    let similarity = medoid
        .map(|m| {
            embedded
                .iter()
                .enumerate()
                .map(|(k, (i, _))| (*i, if k == m { 1.0 } else { sims[m][k] }))
                .collect()
        })
        .unwrap_or_default();
    IdentityFacts {
        embedded: n,
        missing,
        medoid: medoid.map(|m| embedded[m].0),
        similarity,
    }
}
