use crate::context::Context;
use crate::options::BaseModel;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a Z-Image Turbo plan whose steps times batch size exceed `turbo-max-steps`
    /// (3,000), and says how many epochs that is for the dataset.
    ///
    /// ## Why is this bad?
    /// Long runs break Turbo's step distillation even with the training adapter, and a
    /// small face set overfits. No primary source gives a limit; community reports cluster
    /// at 2,000 to 3,000 steps for 6 to 30 images (guidance, hence configurable). The
    /// failure this lint was built from ran 4,500 steps on 45 images.
    ///
    /// ## How to fix
    /// Shorten the run (save checkpoints and pick the best early one), or train on Z-Image
    /// Base or De-Turbo, which tolerate longer runs.
    ///
    /// ## Options
    /// - `turbo-max-steps`
    /// - `plan.steps`
    /// - `plan.batch-size`
    /// - `plan.repeats`
    code: "PLAN002",
    name: "turbo-run-too-long",
    group: Plan,
    severity: Warning,
    summary: "Z-Image Turbo run is long for its dataset",
    options: ["turbo-max-steps", "plan.steps", "plan.batch-size", "plan.repeats"],
    requires: Plan,
}

/// PLAN002
pub(crate) fn check(cx: &mut Context<'_>) {
    let plan = cx.settings.plan.clone();
    if plan.base_model != Some(BaseModel::ZImageTurbo) {
        return;
    }
    let Some(steps) = plan.steps else { return };
    let batch = plan.batch_size.unwrap_or(1);
    let samples = u64::from(steps) * u64::from(batch);
    let max = cx.t.turbo_max_steps;
    if samples <= u64::from(max) {
        return;
    }
    let images = cx.facts.usable;
    let per_epoch = images as u64 * u64::from(plan.repeats.unwrap_or(1));
    let epochs = if per_epoch == 0 {
        String::new()
    } else {
        format!(
            ", about {:.0} epochs of {images} images",
            samples as f64 / per_epoch as f64
        )
    };
    let batch_note = if batch > 1 {
        format!(" × batch {batch} = {samples}")
    } else {
        String::new()
    };
    cx.report(
        None,
        format!("{steps} steps{batch_note} on z-image-turbo{epochs}, above {max}; long runs break the step distillation"),
    )
    .measured(samples as f64, f64::from(max))
    .fix(format!("keep it at or under {max} steps, or train on `z-image` (Base) or `z-image-deturbo`"));
}
