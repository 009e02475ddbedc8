use super::caption_path;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes a caption slot that has the same value in every caption (`short hair` in all
    /// 21), for the slots the profile's `caption-schema` marks `only-when-changes`: hair and
    /// accessories in the built-in schemas.
    ///
    /// ## Why is this bad?
    /// The advice for a face LoRA is to caption hair and accessories only where they change.
    /// A value every image shares tells the model nothing to tell the images apart by; it
    /// binds the trait to the trigger instead, so `ohwx man, long hair` later fights the
    /// captions, and the words take room in every caption. Left out, the trait is learned as
    /// part of the subject, which is what a constant trait is. Slots that vary, or that only
    /// some captions name, are fine.
    ///
    /// ## How to fix
    /// Remove the value from the captions: `zcurate caption --schema face --write --overwrite
    /// --drop hair` rewrites them without the slot (the old text is kept in the manifest).
    ///
    /// ## Options
    /// - `caption-schema` (its slots' `only-when-changes`)
    code: "CAP012",
    name: "constant-caption-slot",
    group: Caption,
    severity: Info,
    summary: "A change-only caption slot has the same value in every caption",
    options: ["caption-schema"],
    requires: Manifest,
}

/// Fewest captions before a slot counts as constant: with fewer, sameness is no pattern.
const MIN_CAPTIONS: usize = 3;

/// CAP012
pub(crate) fn check(cx: &mut Context<'_>) {
    let captioned = cx.facts.captions.captioned;
    if captioned < MIN_CAPTIONS {
        return;
    }
    let schema = cx.settings.schema.name.clone();
    let constant: Vec<(String, String)> = cx
        .settings
        .schema
        .slots
        .iter()
        .filter(|s| s.only_when_changes)
        .filter_map(|s| {
            let stats = cx
                .facts
                .captions
                .stats
                .slots
                .iter()
                .find(|x| x.name == s.name)?;
            let [value] = &stats.values[..] else {
                return None;
            };
            (value.count == captioned).then(|| (s.name.clone(), value.value.clone()))
        })
        .collect();
    for (slot, value) in constant {
        let files: Vec<String> = cx
            .manifest
            .images
            .iter()
            .zip(&cx.facts.captions.parsed)
            .filter(|(_, p)| p.is_some())
            .map(|(r, _)| caption_path(r).to_owned())
            .collect();
        cx.report(
            None,
            format!(
                "{slot} is `{value}` in all {captioned} captions; caption it only where it changes"
            ),
        )
        .files(files)
        .fix(format!(
            "drop it: `zcurate caption --schema {schema} --write --overwrite --drop {slot}`"
        ));
    }
}
