use super::{caption_command, caption_path};
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags captions more than `max-caption-length-ratio` times the dataset's median word
    /// count, and at least `min-caption-length-excess` words over it.
    ///
    /// ## Why is this bad?
    /// An outlier caption carries detail the others do not (clothes, places, props): the
    /// LoRA ties that detail to the subject, and the image trains differently from the
    /// rest. Over-detailed captions cause caption dependence.
    ///
    /// ## How to fix
    /// Shorten it to the schema's slots: `zcurate caption --schema face --write`, or edit
    /// it by hand.
    ///
    /// ## Options
    /// - `max-caption-length-ratio`
    /// - `min-caption-length-excess`
    code: "CAP010",
    name: "caption-too-long",
    group: Caption,
    severity: Warning,
    summary: "Caption is far longer than the dataset median",
    options: ["max-caption-length-ratio", "min-caption-length-excess"],
    requires: Manifest,
}

/// CAP010
pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(median) = cx.facts.captions.median_words else {
        return;
    };
    let ratio = cx.t.max_caption_length_ratio;
    let excess = cx.t.min_caption_length_excess as f64;
    let limit = (median * ratio).max(median + excess);
    let fix = caption_command(cx);
    for (i, r) in cx.manifest.images.iter().enumerate() {
        let Some(p) = &cx.facts.captions.parsed[i] else {
            continue;
        };
        let words = p.tokens as f64;
        if words > limit {
            cx.report(
                Some(caption_path(r)),
                format!(
                    "{} words, {:.1}× the dataset median of {median} (limit {ratio}×)",
                    p.tokens,
                    words / median.max(1.0)
                ),
            )
            .measured(words, limit)
            .fix(format!("shorten it to the schema's slots: {fix}"));
        }
    }
}
