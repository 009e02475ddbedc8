use super::caption_path;
use zcurate_caption::TriggerUse;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags captions that contain the trigger but do not start with it.
    ///
    /// ## Why is this bad?
    /// Trainers that shuffle caption tags keep only the first tokens in place
    /// (`keep_tokens`), and ai-toolkit and the caption schemas put the trigger first: a
    /// trigger elsewhere moves around, weakening its binding to the subject.
    ///
    /// ## How to fix
    /// Move the trigger to the start of the caption.
    ///
    /// ## Options
    /// - `lint.trigger`
    code: "CAP007",
    name: "trigger-not-first",
    group: Caption,
    severity: Warning,
    summary: "Trigger is not the first word of the caption",
    options: ["lint.trigger"],
    requires: Manifest,
}

/// CAP007
pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(trigger) = cx.facts.captions.trigger.clone() else {
        return;
    };
    for (i, r) in cx.manifest.images.iter().enumerate() {
        let Some(p) = &cx.facts.captions.parsed[i] else {
            continue;
        };
        if let Some(TriggerUse::Later(pos)) = p.trigger_use {
            cx.report(
                Some(caption_path(r)),
                format!(
                    "trigger `{}` is word {} of the caption, not the first",
                    trigger.text,
                    pos + 1
                ),
            )
            .fix(format!("move `{}` to the start", trigger.text));
        }
    }
}
