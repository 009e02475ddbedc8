use zcurate_manifest::BorderContact;

use crate::context::{Context, main_face};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose main face extends past the frame edge (the detector's box is cut
    /// by the border).
    ///
    /// ## Why is this bad?
    /// The LoRA learns a partial face, and generations come out cropped the same way.
    /// A box that only touches the edge is not flagged.
    ///
    /// ## How to fix
    /// Use an uncropped original (then `zcurate crop --framing close-up` if you want it
    /// tight), or remove the image.
    ///
    /// ## Options
    /// None.
    code: "FACE004",
    name: "face-cut-off",
    group: Face,
    severity: Warning,
    summary: "Face is cut by the frame edge",
    options: [],
    requires: Faces,
}

/// FACE004
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        if main_face(r).is_some_and(|f| f.border == BorderContact::Cut) {
            cx.report(Some(&r.path), "the main face is cut by the frame edge")
                .fix("use an uncropped original (then `zcurate crop --framing close-up`), or remove it");
        }
    }
}
