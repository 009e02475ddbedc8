use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose 99th-percentile luma is under `dark-p99-max` (0.32, cleanvision's
    /// `dark` default): even the brightest parts are dim.
    ///
    /// ## Why is this bad?
    /// Underexposed images hide the features the LoRA should learn and teach it a dark,
    /// noisy look.
    ///
    /// ## How to fix
    /// Brighten it (levels or curves, not just gamma) or replace it.
    ///
    /// ## Options
    /// - `dark-p99-max`
    code: "QLT002",
    name: "dark-image",
    group: Quality,
    severity: Warning,
    summary: "Image is too dark",
    options: ["dark-p99-max"],
    requires: Manifest,
}

/// QLT002
pub(crate) fn check(cx: &mut Context<'_>) {
    let max = cx.t.dark_p99_max;
    for (_, r) in cx.images() {
        let Some(p99) = r.luma_p99 else { continue };
        if p99 < max {
            cx.report(
                Some(&r.path),
                format!("too dark: 99th-percentile brightness {p99:.2} is below {max}"),
            )
            .measured(p99, max)
            .fix("brighten it (levels or curves) or replace it");
        }
    }
}
