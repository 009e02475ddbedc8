use super::{caption_command, caption_path};
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Measures, for each caption slot the profile does not want (the slots its
    /// `caption-schema` forbids: clothing, location, background and pose for a face LoRA),
    /// the Shannon entropy of its values across captions (a caption without the slot counts
    /// as one more value), and flags slots above `max-unwanted-slot-entropy` bits. It lists
    /// the captions that fill the slot.
    ///
    /// Captions are read as `zcurate caption --stats` reads them, with the same schema and
    /// vocabularies (`red dress` is clothing, `in a park` location); a natural-language
    /// caption is read clause by clause (`wearing a grey sweater`, `on a beach`), so it
    /// counts in every slot it describes.
    ///
    /// ## Why is this bad?
    /// Captions carrying much variable information the LoRA should not learn make it learn
    /// "when the prompt looks like my captions, force my subject" instead of a clean
    /// identity: caption dependence and bleeding. A face schema keeps clothing, location and
    /// background minimal or absent.
    ///
    /// ## How to fix
    /// Rewrite the captions to the profile's schema (`zcurate caption --schema face
    /// --write`), or remove the slot's words from the listed captions.
    ///
    /// ## Options
    /// - `caption-schema`
    /// - `max-unwanted-slot-entropy`
    code: "CAP009",
    name: "high-caption-slot-entropy",
    group: Caption,
    severity: Warning,
    summary: "Captions vary in a slot the profile does not want",
    options: ["caption-schema", "max-unwanted-slot-entropy"],
    requires: Manifest,
}

/// CAP009
pub(crate) fn check(cx: &mut Context<'_>) {
    let max = cx.t.max_unwanted_slot_entropy;
    let profile = cx.profile().to_owned();
    let fix = caption_command(cx);
    let noisy: Vec<(String, f64, usize, usize)> = cx
        .facts
        .noisy_slots(cx.t)
        .into_iter()
        .map(|s| (s.name.clone(), s.entropy_bits, s.distinct, s.filled))
        .collect();
    for (slot, entropy, distinct, filled) in noisy {
        let files: Vec<String> = cx
            .manifest
            .images
            .iter()
            .zip(&cx.facts.captions.parsed)
            .filter(|(_, p)| p.as_ref().is_some_and(|p| p.values.contains_key(&slot)))
            .map(|(r, _)| caption_path(r).to_owned())
            .collect();
        cx.report(
            None,
            format!(
                "{slot} varies across captions: {entropy:.2} bits over {distinct} distinct values in {filled} of {} captions, above {max:.1} bits for the {profile} profile",
                cx.facts.captions.captioned
            ),
        )
        .measured(entropy, max)
        .files(files)
        .fix(format!("rewrite with {fix}, or remove {slot} from these captions"));
    }
}
