use crate::context::{Context, main_face};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose main face is shorter than `min-face-px` pixels at the training
    /// resolution: the face box height times the downscale a trainer applies to bring the
    /// image to `training-resolution`² pixels (never an upscale).
    ///
    /// ## Why is this bad?
    /// Identity lives in small details (eyes, mouth, skin). A face of 100 px in a 1024 px
    /// training image carries little of it, while its clothes and background fill the
    /// frame; tight face crops learn faster (domain notes). The face profile asks for 192 px
    /// (about an upper-body shot), character 96 px (a full-body shot).
    ///
    /// ## How to fix
    /// Crop closer: `zcurate crop --framing close-up` (it helps only when the file has the
    /// pixels), or replace it with a closer shot.
    ///
    /// ## Options
    /// - `min-face-px`
    /// - `training-resolution`
    code: "FACE003",
    name: "face-too-small",
    group: Face,
    severity: Warning,
    summary: "Face is small at the training resolution",
    options: ["min-face-px", "training-resolution"],
    requires: Faces,
}

/// FACE003
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.min_face_px;
    let res = f64::from(cx.t.training_resolution);
    for (_, r) in cx.images() {
        let (Some(face), Some(w), Some(h)) = (main_face(r), r.width, r.height) else {
            continue;
        };
        let area = f64::from(w) * f64::from(h);
        let scale = (res / area.sqrt()).min(1.0);
        let px = f64::from(face.height_px) * scale;
        if px < min {
            cx.report(
                Some(&r.path),
                format!(
                    "face is {px:.0} px tall at the {res} px training resolution ({:.0} px in the file), below {min} px",
                    face.height_px
                ),
            )
            .measured(px, min)
            .fix("crop closer with `zcurate crop --framing close-up`, or use a closer shot");
        }
    }
}
