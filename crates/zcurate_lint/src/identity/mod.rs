//! Identity: is every image the same person? Opt-in (`zcurate lint --identity`), because the
//! only face embedder available, ArcFace `arcface-mbf` (InsightFace weights), is licensed for
//! non-commercial research only.
//!
//! The scan computes the embeddings when asked (`--identity`; `zcurate_face::identity` runs
//! the model) and stores them in the manifest per image; this module only reads them: the
//! dataset's medoid face, and each face's similarity to it, for the `identity-outlier` rule.

use std::collections::BTreeMap;

use zcurate_manifest::{ImageRecord, Manifest, cosine_similarity};

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
    r.current_identity(model_sha256)
}

/// Medoid and similarities. The medoid, not the mean, stands for the identity: with one
/// other person among twenty images the mean moves towards them, the medoid does not.
pub fn facts(manifest: &Manifest, model_sha256: Option<&str>) -> IdentityFacts {
    let mut embedded: Vec<(usize, &[f32])> = Vec::new();
    let mut missing = 0;
    for (i, r) in manifest.images.iter().enumerate() {
        if !r.is_decoded() || r.main_face().is_none() {
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
            let s = cosine_similarity(embedded[a].1, embedded[b].1);
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
