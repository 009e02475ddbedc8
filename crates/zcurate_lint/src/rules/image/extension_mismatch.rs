use zcurate_image::Format;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags files whose extension names another format than their content (a PNG saved as
    /// `.jpg`).
    ///
    /// ## Why is this bad?
    /// Loaders and tools that pick a decoder by extension fail on the file, or skip it.
    ///
    /// ## How to fix
    /// Rename it with the extension of its real format (and rename its caption sidecar with
    /// it).
    ///
    /// ## Options
    /// None.
    code: "IMG010",
    name: "extension-mismatch",
    group: Image,
    severity: Warning,
    summary: "File extension does not match the image format",
    options: [],
    requires: Manifest,
}

/// IMG010
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        if !r.extension_mismatch {
            continue;
        }
        let ext = std::path::Path::new(&r.path)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = r.format.as_deref().and_then(Format::from_extension);
        let (name, proper) = format.map_or(("another format", "its real format's"), |f| {
            (f.name(), f.extension())
        });
        cx.report(
            Some(&r.path),
            format!("content is {name} but the extension is .{ext}; loaders that trust the extension fail"),
        )
        .fix(format!("rename it to .{proper} (and its caption with it)"));
    }
}
