use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a dataset whose number of usable (decoded) images is outside the profile's
    /// `min-images` to `max-images` (face 15 to 35, character 15 to 60).
    ///
    /// ## Why is this bad?
    /// Too few images and the LoRA memorises them. Too many, for a face LoRA, usually means
    /// the set teaches too many things at once (framings, outfits, places): experienced
    /// trainers suggest 15 to 25 face- and neck-dominant images plus 3 to 5 upper-body
    /// shots, and call 45 too broad for a face LoRA. Fewer, cleaner images beat many mixed
    /// ones.
    ///
    /// ## How to fix
    /// Too many: keep the best face- and neck-dominant images, or train a look LoRA with
    /// `--profile character`. Too few: add varied images of the subject (angles, lighting,
    /// expressions).
    ///
    /// ## Options
    /// - `min-images`
    /// - `max-images`
    code: "SET001",
    name: "dataset-size-out-of-range",
    group: Scope,
    severity: Warning,
    summary: "Dataset has too few or too many images for the profile",
    options: ["min-images", "max-images"],
    requires: Manifest,
}

/// SET001
pub(crate) fn check(cx: &mut Context<'_>) {
    let n = cx.facts.usable;
    let (min, max) = (cx.t.min_images, cx.t.max_images);
    let profile = cx.profile().to_owned();
    if n < min {
        cx.report(
            None,
            format!("{n} usable images, fewer than the {profile} profile's {min}; the LoRA will memorise them"),
        )
        .measured(n as f64, min as f64)
        .fix("add varied images of the subject (angles, lighting, expressions)");
    } else if n > max {
        let fix = if profile == "face" {
            "keep the best face- and neck-dominant images, or lint a look LoRA with `--profile character`"
        } else {
            "keep the best and most varied images"
        };
        cx.report(
            None,
            format!("{n} usable images, more than the {profile} profile's {max}; a set this large is usually too broad"),
        )
        .measured(n as f64, max as f64)
        .fix(fix);
    }
}
