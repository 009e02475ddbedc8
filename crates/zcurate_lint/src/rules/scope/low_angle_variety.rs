use crate::context::Context;
use crate::registry::declare_rule;
use crate::util::pct;

declare_rule! {
    /// ## What it does
    /// Flags a dataset in which more than `max-angle-share` of the main faces have the same
    /// head angle (front, three-quarter left or right, profile left or right, read from the
    /// face landmarks). Applies from `min-faces-for-variety` faces on.
    ///
    /// ## Why is this bad?
    /// A set of frontal faces teaches one view: the LoRA renders the subject well from the
    /// front and loses the likeness when prompted for a three-quarter view or a profile.
    /// Controlled variation of angle is part of a good face set.
    ///
    /// ## How to fix
    /// Add three-quarter and profile shots of the subject, and drop some of the dominant
    /// angle.
    ///
    /// ## Options
    /// - `max-angle-share`
    /// - `min-faces-for-variety`
    code: "SET003",
    name: "low-angle-variety",
    group: Scope,
    severity: Warning,
    summary: "Most faces share one head angle",
    options: ["max-angle-share", "min-faces-for-variety"],
    requires: Faces,
}

/// SET003
pub(crate) fn check(cx: &mut Context<'_>) {
    let total: usize = cx.facts.angles.iter().map(|(_, n)| n).sum();
    if total < cx.t.min_faces_for_variety || total == 0 {
        return;
    }
    // Ties go to the first angle in display order.
    let Some(&(angle, n)) = cx.facts.angles.iter().rev().max_by_key(|(_, n)| *n) else {
        return;
    };
    let share = n as f64 / total as f64;
    let max = cx.t.max_angle_share;
    if share > max + 1e-9 {
        cx.report(
            None,
            format!(
                "{}: {n} of {total} faces ({}), above {}; the LoRA learns one view",
                angle.as_str(),
                pct(share),
                pct(max)
            ),
        )
        .measured(share, max)
        .fix("add three-quarter and profile shots of the subject");
    }
}
