use crate::context::Context;
use crate::options::BaseModel;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a plan that trains on Z-Image Turbo without the Turbo training adapter
    /// (`training-adapter = false`), or does not say whether it uses it.
    ///
    /// ## Why is this bad?
    /// Turbo is step-distilled. Training it directly breaks the distillation: outputs turn
    /// blurry or noisy at Turbo's few inference steps. The training adapter exists to
    /// prevent exactly that.
    ///
    /// ## How to fix
    /// Enable the Turbo training adapter in the trainer (and set `training-adapter = true`
    /// in `[plan]`), or train on Z-Image Base (`base-model = "z-image"`), the official
    /// fine-tuning target, or on De-Turbo.
    ///
    /// ## Options
    /// - `plan.base-model`
    /// - `plan.training-adapter`
    code: "PLAN001",
    name: "turbo-without-adapter",
    group: Plan,
    severity: Error,
    summary: "Z-Image Turbo is trained without the training adapter",
    options: ["plan.base-model", "plan.training-adapter"],
    requires: Plan,
}

/// PLAN001
pub(crate) fn check(cx: &mut Context<'_>) {
    let plan = &cx.settings.plan;
    if plan.base_model != Some(BaseModel::ZImageTurbo) {
        return;
    }
    let msg = match plan.training_adapter {
        Some(true) => return,
        Some(false) => {
            "trains z-image-turbo without the Turbo training adapter; that breaks its step distillation"
        }
        None => {
            "trains z-image-turbo but does not say whether the Turbo training adapter is used (`training-adapter`)"
        }
    };
    cx.report(None, msg)
        .fix("enable the training adapter (`training-adapter = true`), or train on `z-image` (Base) or `z-image-deturbo`");
}
