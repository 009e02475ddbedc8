use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose short side is under `min-resolution-share` of the
    /// `training-resolution` (under 512 px for a 1024 px run): far too small to train on.
    /// The `face` profile makes this an error, so the export gate refuses such an image by
    /// name; `character` keeps it a warning. Smaller shortfalls are IMG003's warnings.
    ///
    /// ## Why is this bad?
    /// A 120 px face in a 1024 px run is not training material: a trainer that never
    /// upscales trains it as a thumbnail, one that does (diffusion-pipe, OneTrainer)
    /// teaches the LoRA its blur. One such image among twenty good ones is enough to show up
    /// as soft, smeared faces.
    ///
    /// ## How to fix
    /// Remove it, or replace it with a larger original of the same shot.
    ///
    /// ## Options
    /// - `min-resolution-share`
    /// - `training-resolution`
    code: "IMG011",
    name: "image-far-too-small",
    group: Image,
    severity: Warning,
    summary: "Image is far below the training resolution",
    options: ["min-resolution-share", "training-resolution"],
    requires: Manifest,
}

/// The short side below which an image is far too small (IMG011); IMG003 leaves these to it.
pub(crate) fn limit(cx: &Context<'_>) -> f64 {
    f64::from(cx.t.training_resolution) * cx.t.min_resolution_share
}

/// IMG011
pub(crate) fn check(cx: &mut Context<'_>) {
    let limit = limit(cx);
    let res = cx.t.training_resolution;
    for (_, r) in cx.images() {
        let (Some(w), Some(h)) = (r.width, r.height) else {
            continue;
        };
        let short = w.min(h);
        if f64::from(short) < limit {
            cx.report(
                Some(&r.path),
                format!(
                    "short side {short} px ({w}×{h}) is under {limit:.0} px, {:.0}% of the {res} px training resolution: far too small to train on",
                    100.0 * f64::from(short) / f64::from(res)
                ),
            )
            .measured(f64::from(short), limit)
            .fix("remove it, or replace it with a larger original");
        }
    }
}
