use zcurate_image::Format;
use zcurate_manifest::ErrorKind;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags files whose content is not an image format zcurate decodes (HEIC, AVIF, PDF,
    /// text, ...), and decoded images in a format LoRA trainers do not load (GIF, TIFF).
    ///
    /// ## Why is this bad?
    /// Trainers list image extensions (JPEG, PNG, WebP, BMP); other files are skipped
    /// without a word, so the set trains smaller than you think.
    ///
    /// ## How to fix
    /// Convert the file to PNG or JPEG.
    ///
    /// ## Options
    /// None.
    code: "IMG002",
    name: "unsupported-format",
    group: Image,
    severity: Error,
    summary: "File is not in a format trainers load",
    options: [],
    requires: Manifest,
}

/// IMG002
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        if let Some(e) = r
            .error
            .as_ref()
            .filter(|e| e.kind == ErrorKind::Unsupported)
        {
            cx.report(
                Some(&r.path),
                format!("not an image format zcurate reads: {}", e.message),
            )
            .fix("convert it to PNG or JPEG");
            continue;
        }
        let Some(format) = r.format.as_deref().and_then(Format::from_extension) else {
            continue;
        };
        if r.is_decoded() && !format.is_supported_for_training() {
            cx.report(
                Some(&r.path),
                format!(
                    "{} is not in LoRA trainers' image formats (JPEG, PNG, WebP, BMP)",
                    format.name()
                ),
            )
            .fix("convert it to PNG or JPEG");
        }
    }
}
