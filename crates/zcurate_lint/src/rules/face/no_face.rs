use zcurate_manifest::ErrorKind;

use crate::context::{Context, main_face};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images in which face detection found no usable face of the subject, and
    /// images where face detection failed.
    ///
    /// ## Why is this bad?
    /// A face LoRA learns identity from faces: an image without one trains clothing, pose
    /// and background under the trigger, which is what makes a LoRA bleed. The `face`
    /// profile makes this an error; `character` keeps it a warning, since back views and
    /// outfit details can belong in a look set.
    ///
    /// ## How to fix
    /// Remove the image from a face set. If the face is there but small or turned away,
    /// `zcurate crop --framing close-up` on a larger original may help the detector.
    ///
    /// ## Options
    /// None (the face detector's settings are the scan's).
    code: "FACE001",
    name: "no-face",
    group: Face,
    severity: Warning,
    summary: "No face found in the image",
    options: [],
    requires: Faces,
}

/// FACE001
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        if let Some(e) = r.error.as_ref().filter(|e| e.kind == ErrorKind::Faces) {
            cx.report(
                Some(&r.path),
                format!("face detection failed: {}", e.message),
            )
            .fix("run `zcurate scan` again; if it persists, remove the image");
            continue;
        }
        if r.is_decoded() && r.faces.is_some() && main_face(r).is_none() {
            let fix = if cx.profile() == "face" {
                "remove it from the face set"
            } else {
                "keep it only if it shows the subject (a back view, an outfit)"
            };
            cx.report(
                Some(&r.path),
                "no face found: the subject's identity is not in this image",
            )
            .fix(fix);
        }
    }
}
