use crate::context::Context;
use crate::options::BaseModel;
use crate::registry::Group;
use crate::registry::declare_rule;
use crate::severity::Severity;
use crate::util::plural;

declare_rule! {
    /// ## What it does
    /// When the plan trains on Z-Image Turbo and the dataset fails lint (error findings, or
    /// scope findings such as a missed framing mix), recommends Z-Image Base or De-Turbo.
    ///
    /// ## Why is this bad?
    /// Turbo leaves no room for a difficult dataset: the runs must stay short, so a broad
    /// or noisy set never converges before the distillation breaks. Base (non-distilled,
    /// full CFG, the official fine-tuning target) and De-Turbo (CFG 2 to 3, 20 to 30 steps
    /// at inference) tolerate the longer runs such a set needs, though fixing the set is
    /// better still.
    ///
    /// ## How to fix
    /// Fix the dataset findings, or set `base-model = "z-image"` (or `"z-image-deturbo"`).
    ///
    /// ## Options
    /// - `plan.base-model`
    code: "PLAN005",
    name: "failing-dataset-on-turbo",
    group: Plan,
    severity: Info,
    summary: "A failing dataset is planned for Z-Image Turbo",
    options: ["plan.base-model"],
    requires: Plan,
}

/// PLAN005 (runs after the dataset rules, whose findings it reads)
pub(crate) fn check(cx: &mut Context<'_>) {
    if cx.settings.plan.base_model != Some(BaseModel::ZImageTurbo) {
        return;
    }
    let errors = cx
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.rule.meta().group != Group::Plan)
        .count();
    let scope = cx
        .findings
        .iter()
        .filter(|f| f.rule.meta().group == Group::Scope)
        .count();
    if errors == 0 && scope == 0 {
        return;
    }
    cx.report(
        None,
        format!(
            "the {} set has {} and {} and is planned for z-image-turbo, which leaves no room for a difficult set",
            cx.profile(),
            plural(errors, "error finding", "error findings"),
            plural(scope, "scope finding", "scope findings")
        ),
    )
    .fix("fix the dataset, or train on `z-image` (Base) or `z-image-deturbo`");
}
