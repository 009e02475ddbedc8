use super::{caption_command, caption_path};
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags caption sidecars that are empty or only whitespace.
    ///
    /// ## Why is this bad?
    /// The image trains with no text at all (or the trainer's fallback), so it teaches an
    /// unconditioned version of the subject that leaks into every prompt.
    ///
    /// ## How to fix
    /// `zcurate caption --schema face --write` (or `--schema character`), or write the
    /// caption by hand.
    ///
    /// ## Options
    /// None.
    code: "CAP002",
    name: "empty-caption",
    group: Caption,
    severity: Error,
    summary: "Caption sidecar is empty",
    options: [],
    requires: Manifest,
}

/// CAP002
pub(crate) fn check(cx: &mut Context<'_>) {
    let fix = caption_command(cx);
    for (_, r) in cx.images() {
        if r.caption_path.is_some() && r.caption.as_deref().is_some_and(|c| c.trim().is_empty()) {
            cx.report(
                Some(caption_path(r)),
                format!("caption of {} is empty", r.path),
            )
            .fix(fix.clone());
        }
    }
}
