use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags files with more than one frame (animated GIF, WebP or PNG).
    ///
    /// ## Why is this bad?
    /// Image trainers load only the first frame, which may not be the one you chose the file
    /// for.
    ///
    /// ## How to fix
    /// Export the frame you want as a PNG or JPEG.
    ///
    /// ## Options
    /// None.
    code: "IMG009",
    name: "animated-image",
    group: Image,
    severity: Warning,
    summary: "File is animated; only its first frame trains",
    options: [],
    requires: Manifest,
}

/// IMG009
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        if r.animated {
            cx.report(
                Some(&r.path),
                "has several frames; trainers load only the first",
            )
            .fix("export the frame you want as PNG or JPEG");
        }
    }
}
