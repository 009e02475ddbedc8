use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a dataset whose number of usable (decoded) images is outside the profile's
    /// `min-images` to `max-images` (face 15 to 30, character 15 to 60). The profile's
    /// target, `target-min-images` to `target-max-images` (face 18 to 25, character 20 to
    /// 40), is named in the message: it is what `zcurate select` aims for.
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
    /// - `target-min-images`
    /// - `target-max-images`
    code: "SET001",
    name: "dataset-size-out-of-range",
    group: Scope,
    severity: Warning,
    summary: "Dataset has too few or too many images for the profile",
    options: ["min-images", "max-images", "target-min-images", "target-max-images"],
    requires: Manifest,
}

/// SET001
pub(crate) fn check(cx: &mut Context<'_>) {
    let n = cx.facts.usable;
    let (min, max) = (cx.t.min_images, cx.t.max_images);
    let target = format!("{}–{}", cx.t.target_min_images, cx.t.target_max_images);
    let profile = cx.profile().to_owned();
    if n < min {
        cx.report(
            None,
            format!("{n} usable images, fewer than the {profile} profile's {min} (target {target}); the LoRA will memorise them"),
        )
        .measured(n as f64, min as f64)
        .fix("add varied images of the subject (angles, lighting, expressions)");
    } else if n > max {
        let fix = if profile == "face" {
            "choose the best with `zcurate select DIR --profile face --out FACE`, or lint a look LoRA with `--profile character`"
        } else {
            "keep the best and most varied images"
        };
        cx.report(
            None,
            format!("{n} usable images, more than the {profile} profile's {max} (target {target}); a set this large is usually too broad"),
        )
        .measured(n as f64, max as f64)
        .fix(fix);
    }
}
