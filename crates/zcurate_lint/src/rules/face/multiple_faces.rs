use crate::context::Context;
use crate::registry::declare_rule;
use crate::util::plural;

declare_rule! {
    /// ## What it does
    /// Flags images where the detector found other confident faces besides the main (largest)
    /// one.
    ///
    /// ## Why is this bad?
    /// The subject is ambiguous: the LoRA learns a blend of the faces, and the trigger
    /// starts to pull in other people's features. Trainers that crop to a face take the
    /// largest one, which is not always the subject.
    ///
    /// ## How to fix
    /// Crop to the subject: `zcurate crop --framing head-shoulders`, or remove the image.
    ///
    /// ## Options
    /// None (the detector's score threshold is the scan's).
    code: "FACE002",
    name: "multiple-faces",
    group: Face,
    severity: Warning,
    summary: "More than one face in the image",
    options: [],
    requires: Faces,
}

/// FACE002
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        let Some(summary) = r.face_summary else {
            continue;
        };
        if summary.main.is_some() && summary.others > 0 {
            cx.report(
                Some(&r.path),
                format!(
                    "{} besides the main one; the subject is ambiguous",
                    plural(summary.others, "other face", "other faces")
                ),
            )
            .measured(summary.others as f64 + 1.0, 1.0)
            .fix("crop to the subject with `zcurate crop --framing head-shoulders`, or remove it");
        }
    }
}
