use zcurate_manifest::ErrorKind;

use super::caption_path;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags caption sidecars that could not be read: not UTF-8 (a legacy encoding such as
    /// Windows-1252), or not readable at all (permissions, a dangling link).
    ///
    /// ## Why is this bad?
    /// Trainers read captions as UTF-8: they crash, skip the caption, or train on mangled
    /// characters.
    ///
    /// ## How to fix
    /// Re-save the caption as UTF-8, or make it readable.
    ///
    /// ## Options
    /// None.
    code: "CAP003",
    name: "unreadable-caption",
    group: Caption,
    severity: Error,
    summary: "Caption sidecar cannot be read (as UTF-8)",
    options: [],
    requires: Manifest,
}

/// CAP003
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        if let Some(e) = r.error.as_ref().filter(|e| e.kind == ErrorKind::Caption) {
            // The scan's message says which: text that is not UTF-8, or a file that could
            // not be read at all (where re-saving as UTF-8 would not help).
            let fix = if e.message.contains("not valid UTF-8") {
                "re-save it as UTF-8"
            } else {
                "make it readable (check its permissions and that it is a file), or remove it"
            };
            cx.report(Some(caption_path(r)), e.message.clone()).fix(fix);
        }
    }
}
