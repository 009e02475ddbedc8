use zcurate_manifest::ColourKind;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images stored as CMYK (print files, mostly JPEG).
    ///
    /// ## Why is this bad?
    /// Loaders convert CMYK to RGB without the colour profile, or with inverted channels, so
    /// the subject trains with wrong skin and clothing colours.
    ///
    /// ## How to fix
    /// Convert it to RGB (sRGB) in an editor and save it again.
    ///
    /// ## Options
    /// None.
    code: "IMG007",
    name: "cmyk-image",
    group: Image,
    severity: Warning,
    summary: "Image is stored as CMYK",
    options: [],
    requires: Manifest,
}

/// IMG007
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        if r.colour == Some(ColourKind::Cmyk) {
            cx.report(
                Some(&r.path),
                "stored as CMYK; loaders often convert it with wrong colours",
            )
            .fix("convert it to RGB (sRGB) and save it again");
        }
    }
}
