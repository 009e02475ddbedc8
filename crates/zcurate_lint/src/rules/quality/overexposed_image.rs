use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose 5th-percentile luma is over `bright-p05-min` (0.95, cleanvision's
    /// `light` threshold 0.05 on 1 − p05): even the shadows are almost white.
    ///
    /// ## Why is this bad?
    /// Blown-out images have lost the skin texture and face shape the LoRA should learn,
    /// and teach it a washed-out look.
    ///
    /// ## How to fix
    /// Replace it; detail lost to overexposure cannot be recovered.
    ///
    /// ## Options
    /// - `bright-p05-min`
    code: "QLT003",
    name: "overexposed-image",
    group: Quality,
    severity: Warning,
    summary: "Image is too bright",
    options: ["bright-p05-min"],
    requires: Manifest,
}

/// QLT003
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.bright_p05_min;
    for (_, r) in cx.images() {
        let Some(p05) = r.luma_p05 else { continue };
        if p05 > min {
            cx.report(
                Some(&r.path),
                format!("too bright: 5th-percentile brightness {p05:.2} is above {min}"),
            )
            .measured(p05, min)
            .fix("replace it; blown-out detail cannot be recovered");
        }
    }
}
