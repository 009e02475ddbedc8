use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose short side is under the profile's `min-short-side` (1024 px for
    /// Z-Image in both built-in profiles).
    ///
    /// ## Why is this bad?
    /// Trainers never upscale (ai-toolkit, musubi-tuner, diffusion-pipe): an image under the
    /// training resolution silently trains at its own, smaller size, and the LoRA learns
    /// soft, low-detail output from it.
    ///
    /// ## How to fix
    /// Replace it with a larger original. If most of the set is smaller, train at a lower
    /// resolution and set `min-short-side` to match.
    ///
    /// ## Options
    /// - `min-short-side`
    code: "IMG003",
    name: "image-too-small",
    group: Image,
    severity: Warning,
    summary: "Image is smaller than the training resolution",
    options: ["min-short-side"],
    requires: Manifest,
}

/// IMG003
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.min_short_side;
    for (_, r) in cx.images() {
        let (Some(w), Some(h)) = (r.width, r.height) else {
            continue;
        };
        let short = w.min(h);
        if short < min {
            cx.report(
                Some(&r.path),
                format!(
                    "short side {short} px ({w}×{h}) is below {min} px; trainers do not upscale, so it trains at {short} px"
                ),
            )
            .measured(f64::from(short), f64::from(min))
            .fix("replace it with a larger original, or lower `min-short-side` if you train smaller");
        }
    }
}
