use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags caption files with no image of the same name.
    ///
    /// ## Why is this bad?
    /// Trainers ignore them, so the image they were written for was probably renamed or
    /// deleted: that image now trains without its caption, or the caption is stale.
    ///
    /// ## How to fix
    /// Rename the caption to match its image, or delete it.
    ///
    /// ## Options
    /// None.
    code: "CAP004",
    name: "orphan-caption",
    group: Caption,
    severity: Warning,
    summary: "Caption file has no image",
    options: [],
    requires: Manifest,
}

/// CAP004
pub(crate) fn check(cx: &mut Context<'_>) {
    for path in &cx.manifest.orphan_captions {
        cx.report(
            Some(path),
            "no image with this name; trainers ignore this caption",
        )
        .fix("rename it to match its image, or delete it");
    }
}
