use super::caption_path;
use zcurate_caption::TriggerUse;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags captions that contain a different spelling of the trigger instead of the
    /// trigger itself: another case (`OHWX`), or a word a typo away (`owhx`; one edit for
    /// triggers of 4 to 6 characters, two beyond, none for 3 or fewer).
    ///
    /// ## Why is this bad?
    /// The text encoder sees a different token sequence, so the subject is split between two
    /// triggers and neither learns it fully.
    ///
    /// ## How to fix
    /// Spell the trigger the same way, in the same case, everywhere.
    ///
    /// ## Options
    /// - `lint.trigger`
    code: "CAP006",
    name: "misspelled-trigger",
    group: Caption,
    severity: Error,
    summary: "Caption spells the trigger differently",
    options: ["lint.trigger"],
    requires: Manifest,
}

/// CAP006
pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(trigger) = cx.facts.captions.trigger.clone() else {
        return;
    };
    for (i, r) in cx.manifest.images.iter().enumerate() {
        let Some(p) = &cx.facts.captions.parsed[i] else {
            continue;
        };
        if let Some(TriggerUse::Variant(v)) = &p.trigger_use {
            cx.report(
                Some(caption_path(r)),
                format!(
                    "`{v}` looks like the trigger `{}` spelled differently",
                    trigger.text
                ),
            )
            .fix(format!("spell it `{}`", trigger.text));
        }
    }
}
