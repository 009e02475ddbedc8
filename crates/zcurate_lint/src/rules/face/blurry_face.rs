use crate::context::{Context, main_face};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose main face is blurry: the variance of the Laplacian inside the face
    /// box, resampled to 112 × 112 (so faces of any size compare), is under
    /// `min-face-sharpness`.
    ///
    /// ## Why is this bad?
    /// The whole-image check (`blurry-image`) misses a soft face on a sharp background, and
    /// the face is what a face LoRA learns from. Motion blur and missed focus on the face
    /// teach a soft identity.
    ///
    /// ## How to fix
    /// Replace it with a shot where the face is in focus.
    ///
    /// ## Options
    /// - `min-face-sharpness`
    code: "FACE005",
    name: "blurry-face",
    group: Face,
    severity: Warning,
    summary: "Face is blurry",
    options: ["min-face-sharpness"],
    requires: Faces,
}

/// FACE005
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.min_face_sharpness;
    for (_, r) in cx.images() {
        let Some(face) = main_face(r) else { continue };
        if face.sharpness < min {
            cx.report(
                Some(&r.path),
                format!(
                    "face sharpness {:.1} is below {min} (Laplacian variance in the face box at 112²)",
                    face.sharpness
                ),
            )
            .measured(face.sharpness, min)
            .fix("replace it with a shot where the face is in focus");
        }
    }
}
