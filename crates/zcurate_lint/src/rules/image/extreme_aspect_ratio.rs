use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images whose long side is more than `max-aspect-ratio` times the short side
    /// (2:1 for the face profile, 2.5:1 for character).
    ///
    /// ## Why is this bad?
    /// Aspect-ratio buckets at 1024² area rarely go past 2:1, so such an image is cropped hard
    /// (often cutting the subject) or trained in a nearly empty bucket. cleanvision's
    /// `odd_aspect_ratio` flags only beyond about 2.9:1 (score 0.35); zcurate is stricter
    /// because of the buckets.
    ///
    /// ## How to fix
    /// Crop it to the subject: `zcurate crop --framing head-shoulders` (or the framing you
    /// want), or crop by hand.
    ///
    /// ## Options
    /// - `max-aspect-ratio`
    code: "IMG004",
    name: "extreme-aspect-ratio",
    group: Image,
    severity: Warning,
    summary: "Image is much wider or taller than trainer buckets",
    options: ["max-aspect-ratio"],
    requires: Manifest,
}

/// IMG004
pub(crate) fn check(cx: &mut Context<'_>) {
    let max = cx.t.max_aspect_ratio;
    for (_, r) in cx.images() {
        let (Some(w), Some(h)) = (r.width, r.height) else {
            continue;
        };
        if w == 0 || h == 0 {
            continue;
        }
        let ratio = f64::from(w.max(h)) / f64::from(w.min(h));
        if ratio > max + 1e-9 {
            cx.report(
                Some(&r.path),
                format!("aspect ratio {ratio:.2}:1 ({w}×{h}) is beyond {max}:1; trainer buckets will crop or squeeze it"),
            )
            .measured(ratio, max)
            .fix("`zcurate crop --framing head-shoulders` (or the framing you want), or crop it by hand");
        }
    }
}
