use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images with pixels that are not fully opaque (an alpha channel in use).
    ///
    /// ## Why is this bad?
    /// Trainers convert to RGB and drop alpha: transparent areas train as whatever colour is
    /// stored beneath them, usually black or garbage, around a cut-out subject.
    ///
    /// ## How to fix
    /// Flatten the image onto a background that suits the set, and save it as JPEG or an
    /// opaque PNG.
    ///
    /// ## Options
    /// None.
    code: "IMG006",
    name: "transparent-image",
    group: Image,
    severity: Warning,
    summary: "Image has transparent pixels",
    options: [],
    requires: Manifest,
}

/// IMG006
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        if r.alpha_used {
            cx.report(
                Some(&r.path),
                "has transparent pixels; trainers drop alpha, so those areas train as the colour stored beneath (often black)",
            )
            .fix("flatten it onto a background and save it opaque");
        }
    }
}
