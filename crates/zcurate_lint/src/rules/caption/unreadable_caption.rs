use zcurate_manifest::ErrorKind;

use super::caption_path;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags caption sidecars that could not be read, usually because they are not UTF-8
    /// (a legacy encoding such as Windows-1252).
    ///
    /// ## Why is this bad?
    /// Trainers read captions as UTF-8: they crash, skip the caption, or train on mangled
    /// characters.
    ///
    /// ## How to fix
    /// Re-save the caption as UTF-8.
    ///
    /// ## Options
    /// None.
    code: "CAP003",
    name: "unreadable-caption",
    group: Caption,
    severity: Error,
    summary: "Caption sidecar cannot be read as UTF-8",
    options: [],
    requires: Manifest,
}

/// CAP003
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        if let Some(e) = r.error.as_ref().filter(|e| e.kind == ErrorKind::Caption) {
            cx.report(
                Some(caption_path(r)),
                format!("caption cannot be read: {}", e.message),
            )
            .fix("re-save it as UTF-8");
        }
    }
}
