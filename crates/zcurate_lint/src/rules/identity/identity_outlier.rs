use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// With `--identity`, the scan embeds every main face with ArcFace (`arcface-mbf`: faces
    /// aligned on the five landmarks, 112 × 112) and keeps the embeddings in the manifest;
    /// this rule finds the dataset's medoid face (the one most similar to all others, which
    /// stands for the majority identity) and flags faces whose cosine similarity to it is
    /// under `min-identity-similarity` (0.4). Needs at least `min-identity-faces` embedded
    /// faces.
    ///
    /// The model measured 0.65 to 0.89 between photos of one person and 0.13 or less between
    /// different people, so 0.4 leaves room for pose, age and lighting.
    ///
    /// The model's weights are licensed for non-commercial research only: zcurate fetches
    /// them only with `--identity`, and says so when it does.
    ///
    /// ## Why is this bad?
    /// One image of another person (a sibling, a lookalike, a wrongly sorted photo) teaches
    /// the LoRA a blend: the identity drifts and other people bleed in.
    ///
    /// ## How to fix
    /// Remove the image if it shows someone else. A true match with a low score (heavy
    /// occlusion, extreme angle, a drawing) can be kept: ignore it with
    /// `[lint.per-file-ignores]`.
    ///
    /// ## Options
    /// - `min-identity-similarity`
    /// - `min-identity-faces`
    code: "ID001",
    name: "identity-outlier",
    group: Identity,
    severity: Error,
    summary: "Face does not match the dataset's main identity",
    options: ["min-identity-similarity", "min-identity-faces"],
    requires: Identity,
}

/// ID001
pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(id) = &cx.facts.identity else { return };
    let Some(medoid) = id.medoid else { return };
    if id.embedded < cx.t.min_identity_faces {
        return;
    }
    let min = cx.t.min_identity_similarity;
    let manifest = cx.manifest;
    let medoid_path = &manifest.images[medoid].path;
    for (&i, &sim) in &id.similarity {
        let sim = f64::from(sim);
        if sim < min {
            cx.report(
                Some(&manifest.images[i].path),
                format!(
                    "face similarity {sim:.2} to the dataset's main identity (medoid {medoid_path}) is below {min}: probably another person"
                ),
            )
            .measured(sim, min)
            .fix("remove it if it shows someone else");
        }
    }
}
