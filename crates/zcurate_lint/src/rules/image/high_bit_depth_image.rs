use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images with more than 8 bits per channel (16-bit PNG or TIFF, float images).
    ///
    /// ## Why is this bad?
    /// Trainers work in 8 bits. Some loaders convert badly: PIL opens 16-bit greyscale PNGs
    /// in a mode whose conversion to RGB clips most values to white.
    ///
    /// ## How to fix
    /// Convert it to 8 bits per channel and save it again.
    ///
    /// ## Options
    /// None.
    code: "IMG008",
    name: "high-bit-depth-image",
    group: Image,
    severity: Warning,
    summary: "Image has more than 8 bits per channel",
    options: [],
    requires: Manifest,
}

/// IMG008
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        let Some(bits) = r.bits_per_channel.filter(|b| *b > 8) else {
            continue;
        };
        cx.report(
            Some(&r.path),
            format!(
                "{bits} bits per channel; some loaders clip or mangle it when converting to 8 bits"
            ),
        )
        .measured(f64::from(bits), 8.0)
        .fix("convert it to 8 bits per channel");
    }
}
