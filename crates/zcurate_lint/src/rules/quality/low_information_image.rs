use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose luma histogram entropy is under `min-entropy` bits: nearly blank
    /// frames, solid fills, placeholder graphics.
    ///
    /// ## Why is this bad?
    /// They teach nothing about the subject and dilute the images that do. The threshold is
    /// cleanvision's `low_information` default (0.3 with its normalising factor 0.1, so 3
    /// bits); photos measure 6 to 8 bits.
    ///
    /// ## How to fix
    /// Remove it.
    ///
    /// ## Options
    /// - `min-entropy`
    code: "QLT005",
    name: "low-information-image",
    group: Quality,
    severity: Warning,
    summary: "Image carries little information",
    options: ["min-entropy"],
    requires: Manifest,
}

/// QLT005
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.min_entropy;
    for (_, r) in cx.images() {
        let Some(e) = r.entropy else { continue };
        if e < min {
            cx.report(
                Some(&r.path),
                format!("little information: luma entropy {e:.2} bits is below {min}"),
            )
            .measured(e, min)
            .fix("remove it");
        }
    }
}
