use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a caption dropout rate outside `caption-dropout-min` to `caption-dropout-max`
    /// (0.05 to 0.1).
    ///
    /// ## Why is this bad?
    /// A modest dropout helps the LoRA respond without its exact captions. Pushing it higher
    /// is not the fix for bleeding (a small LoRA dropout is); it weakens the captions'
    /// control. Without dropout the LoRA depends on captions looking like its own.
    ///
    /// Trainer keys: ai-toolkit `caption_dropout_rate` (keeps the trigger), diffusion-pipe
    /// `uncond_fraction`, OneTrainer `text_encoder.dropout_probability`, SimpleTuner
    /// `caption_dropout_probability`; musubi-tuner has none.
    ///
    /// ## How to fix
    /// Set it between 0.05 and 0.1.
    ///
    /// ## Options
    /// - `caption-dropout-min`
    /// - `caption-dropout-max`
    /// - `plan.caption-dropout`
    code: "PLAN003",
    name: "caption-dropout-out-of-range",
    group: Plan,
    severity: Warning,
    summary: "Caption dropout is outside the recommended range",
    options: ["caption-dropout-min", "caption-dropout-max", "plan.caption-dropout"],
    requires: Plan,
}

/// PLAN003
pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(rate) = cx.settings.plan.caption_dropout else {
        return;
    };
    let (min, max) = (cx.t.caption_dropout_min, cx.t.caption_dropout_max);
    let (why, bound) = if rate < min - 1e-9 {
        (
            "too low: the LoRA comes to depend on its exact captions",
            min,
        )
    } else if rate > max + 1e-9 {
        (
            "too high: it weakens the captions, and it is not the fix for bleeding",
            max,
        )
    } else {
        return;
    };
    cx.report(
        None,
        format!("caption dropout {rate} is outside {min}–{max}, {why}"),
    )
    .measured(rate, bound)
    .fix(format!("set caption dropout between {min} and {max}"));
}
