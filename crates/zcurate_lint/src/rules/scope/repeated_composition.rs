use std::collections::BTreeMap;

use crate::context::{Context, framing_class, main_face};
use crate::registry::declare_rule;
use crate::util::pct;

declare_rule! {
    /// ## What it does
    /// Flags a dataset in which more than `max-composition-share` of the faces share one
    /// composition: the same framing class and the same head angle (say, head-shoulders and
    /// front). Applies from `min-faces-for-variety` faces on.
    ///
    /// ## Why is this bad?
    /// The same few shots over and over make the LoRA reproduce that shot for any prompt
    /// (the framing becomes part of the trigger) instead of learning the identity.
    ///
    /// ## How to fix
    /// Replace some of the repeated shots with other framings or angles; the images of the
    /// repeated composition are listed.
    ///
    /// ## Options
    /// - `max-composition-share`
    /// - `min-faces-for-variety`
    code: "SET004",
    name: "repeated-composition",
    group: Scope,
    severity: Warning,
    summary: "Too many images share one framing and angle",
    options: ["max-composition-share", "min-faces-for-variety"],
    requires: Faces,
}

/// SET004
pub(crate) fn check(cx: &mut Context<'_>) {
    let mut groups: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for (_, r) in cx.images() {
        let (Some(class), Some(angle)) = (framing_class(r), main_face(r).and_then(|f| f.angle))
        else {
            continue;
        };
        groups
            .entry((class.as_str().to_owned(), angle.as_str()))
            .or_default()
            .push(r.path.clone());
    }
    let total: usize = groups.values().map(Vec::len).sum();
    if total < cx.t.min_faces_for_variety || total == 0 {
        return;
    }
    let Some(((class, angle), files)) = groups
        .into_iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))
    else {
        return;
    };
    let share = files.len() as f64 / total as f64;
    let max = cx.t.max_composition_share;
    if share > max + 1e-9 {
        cx.report(
            None,
            format!(
                "{class}, {angle}: {} of {total} faces ({}), above {}; the same shot repeats",
                files.len(),
                pct(share),
                pct(max)
            ),
        )
        .measured(share, max)
        .files(files)
        .fix("replace some of these with other framings or angles");
    }
}
