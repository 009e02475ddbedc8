use crate::context::Context;
use crate::registry::declare_rule;
use crate::rules::Rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose short side is under the profile's `min-short-side` (1024 px for
    /// Z-Image in both built-in profiles). Images far smaller, under half the training
    /// resolution, are IMG011's when that rule runs.
    ///
    /// ## Why is this bad?
    /// An image under the training resolution either trains at its own, smaller size
    /// (ai-toolkit; musubi-tuner and sd-scripts with `bucket_no_upscale`) or is upscaled to
    /// the run's buckets (diffusion-pipe, OneTrainer): either way the LoRA learns soft,
    /// low-detail output from it.
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
    // One finding per image: IMG011 reports the far smaller ones, as an error in a face set.
    let far = if cx.settings.rules.contains_key(&Rule::ImageFarTooSmall) {
        super::image_far_too_small::limit(cx)
    } else {
        0.0
    };
    for (_, r) in cx.images() {
        let (Some(w), Some(h)) = (r.width, r.height) else {
            continue;
        };
        let short = w.min(h);
        if short < min && f64::from(short) >= far {
            cx.report(
                Some(&r.path),
                format!(
                    "short side {short} px ({w}×{h}) is below {min} px: it trains at its own, smaller size or upscaled"
                ),
            )
            .measured(f64::from(short), f64::from(min))
            .fix("replace it with a larger original, or lower `min-short-side` if you train smaller");
        }
    }
}
