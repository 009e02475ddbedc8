use super::{caption_command, caption_path};
use zcurate_caption::TriggerUse;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags captions that do not contain the trigger word. The trigger is `lint.trigger`
    /// (or `--trigger`); without one, zcurate infers it as the first word of at least 60 %
    /// of the captions. When no trigger is set and none can be inferred, one dataset-level
    /// finding says so.
    ///
    /// ## Why is this bad?
    /// Images captioned without the trigger teach the subject to the words they do use
    /// (`woman`, the outfit), so the subject bleeds into prompts without the trigger. Lost
    /// triggers are a common result of automatic recaptioning.
    ///
    /// ## How to fix
    /// Put the trigger first in every caption: `zcurate caption --schema face --write`
    /// writes it, or add it by hand.
    ///
    /// ## Options
    /// - `lint.trigger`
    code: "CAP005",
    name: "missing-trigger",
    group: Caption,
    severity: Error,
    summary: "Caption lacks the trigger word",
    options: ["lint.trigger"],
    requires: Manifest,
}

/// CAP005
pub(crate) fn check(cx: &mut Context<'_>) {
    let captions = &cx.facts.captions;
    let Some(trigger) = captions.trigger.clone() else {
        if captions.captioned > 0 {
            cx.report(
                None,
                "no trigger: none is set and no common first word looks like one",
            )
            .fix("set `trigger` in [lint] (or pass --trigger) and put it first in every caption");
        }
        return;
    };
    let how = if trigger.inferred { " (inferred)" } else { "" };
    let fix = format!(
        "add `{}` at the start, or rewrite with {}",
        trigger.text,
        caption_command(cx)
    );
    for (i, r) in cx.manifest.images.iter().enumerate() {
        let Some(p) = &cx.facts.captions.parsed[i] else {
            continue;
        };
        if p.trigger_use == Some(TriggerUse::Missing) {
            cx.report(
                Some(caption_path(r)),
                format!("no trigger `{}`{how} in the caption", trigger.text),
            )
            .fix(fix.clone());
        }
    }
}
