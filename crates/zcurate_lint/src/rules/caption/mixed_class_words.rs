use super::caption_path;
use crate::context::Context;
use crate::registry::declare_rule;
use crate::util::plural;

declare_rule! {
    /// ## What it does
    /// Flags captions that use a different class word (`woman`, `man`, `girl`, `person`,
    /// ...: the terms of the class vocabulary of the profile's `caption-schema`) than the
    /// dataset's: `lint.class-word` when set, else the one most captions use.
    ///
    /// ## Why is this bad?
    /// One class word, used consistently, anchors the identity to a class the model knows.
    /// `woman` in some captions and `person` or `man` in others invites class drift, such as
    /// a prompt like "angry woman" turning the subject into a man.
    ///
    /// ## How to fix
    /// Use the same class word in every caption.
    ///
    /// ## Options
    /// - `caption-schema` (its class vocabulary; add words with `[caption.vocabularies.class]`
    ///   and `extend = true`)
    /// - `lint.class-word`
    code: "CAP008",
    name: "mixed-class-words",
    group: Caption,
    severity: Warning,
    summary: "Captions use more than one class word",
    options: ["caption-schema", "lint.class-word"],
    requires: Manifest,
}

/// CAP008
pub(crate) fn check(cx: &mut Context<'_>) {
    let facts = &cx.facts.captions;
    let Some(word) = facts.class_word.clone() else {
        return;
    };
    let uses = facts
        .stats
        .class_words
        .iter()
        .find(|v| v.value == word)
        .map_or(0, |v| v.count);
    for (i, r) in cx.manifest.images.iter().enumerate() {
        let Some(p) = &cx.facts.captions.parsed[i] else {
            continue;
        };
        let others: Vec<&str> = p
            .class_words
            .iter()
            .filter(|w| **w != word)
            .map(String::as_str)
            .collect();
        if others.is_empty() {
            continue;
        }
        cx.report(
            Some(caption_path(r)),
            format!(
                "uses `{}` while the dataset's class word is `{word}` ({})",
                others.join("`, `"),
                plural(uses, "caption", "captions")
            ),
        )
        .fix(format!("use `{word}` in every caption"));
    }
}
