use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose whole-image sharpness is under `min-sharpness`. Sharpness is the
    /// variance of the Laplacian on a 256 × 256 grey resample (the manifest's `sharpness`),
    /// so it does not depend on the file's resolution.
    ///
    /// ## Why is this bad?
    /// A LoRA learns blur as part of the subject: soft images make soft outputs. cleanvision
    /// has the same check (`blurry`, score 0.29 on its own edge measure); zcurate's threshold
    /// is calibrated on its own measure (real portraits 108 to 1090, the same blurred by 3 px
    /// at the 512 px analysis scale under 42; `tests/calibration.rs`).
    /// A sharp face on a blurred background is fine for a face LoRA, so also see
    /// `blurry-face` (FACE005).
    ///
    /// ## How to fix
    /// Replace it with a sharper shot; sharpening filters add artefacts the LoRA learns too.
    ///
    /// ## Options
    /// - `min-sharpness`
    code: "QLT001",
    name: "blurry-image",
    group: Quality,
    severity: Warning,
    summary: "Image is blurry",
    options: ["min-sharpness"],
    requires: Manifest,
}

/// QLT001
pub(crate) fn check(cx: &mut Context<'_>) {
    let min = cx.t.min_sharpness;
    for (_, r) in cx.images() {
        let Some(s) = r.sharpness else { continue };
        if s < min {
            cx.report(
                Some(&r.path),
                format!("sharpness {s:.1} is below {min} (Laplacian variance at 256²)"),
            )
            .measured(s, min)
            .fix("replace it with a sharper shot");
        }
    }
}
