use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a plan with no LoRA dropout (unset or 0) while the dataset shows bleed risks:
    /// a framing target missed, more images than the profile's `max-images`, or an unwanted
    /// caption slot over `max-unwanted-slot-entropy`.
    ///
    /// ## Why is this bad?
    /// A broad set and variable captions make a LoRA bleed: other people start to look like
    /// the subject. A small LoRA (module) dropout is the better lever against that than
    /// more caption dropout.
    ///
    /// Trainer keys: ai-toolkit `network.dropout`; kohya `--network_dropout` (and
    /// `rank_dropout`/`module_dropout`); OneTrainer `dropout_probability`; SimpleTuner
    /// `lora_dropout`; diffusion-pipe `[adapter] dropout`.
    ///
    /// ## How to fix
    /// Set a small LoRA dropout (about 0.05 to 0.1), and fix the listed risks.
    ///
    /// ## Options
    /// - `plan.lora-dropout`
    /// - `framing-targets`
    /// - `max-images`
    /// - `max-unwanted-slot-entropy`
    code: "PLAN004",
    name: "missing-lora-dropout",
    group: Plan,
    severity: Warning,
    summary: "No LoRA dropout although the dataset risks bleeding",
    options: ["plan.lora-dropout", "framing-targets", "max-images", "max-unwanted-slot-entropy"],
    requires: Plan,
}

/// PLAN004
pub(crate) fn check(cx: &mut Context<'_>) {
    if cx.settings.plan.lora_dropout.is_some_and(|d| d > 0.0) {
        return;
    }
    let mut risks = Vec::new();
    if cx.facts.faces_detected && cx.facts.with_face > 0 {
        // Too few shots of a class counted in images (the face profile's 3-5 upper-body)
        // is not breadth: it does not make the LoRA bleed.
        let broad =
            |v: &&crate::target::TargetVerdict| !v.ok() && (!v.target.by_count() || v.over());
        for r in cx.facts.targets.iter().filter(broad) {
            risks.push(format!(
                "{} at {} (target {})",
                r.target.label(),
                r.value_label(),
                r.target.range_label()
            ));
        }
    }
    if cx.facts.usable > cx.t.max_images {
        risks.push(format!(
            "{} images (more than {})",
            cx.facts.usable, cx.t.max_images
        ));
    }
    for s in cx.facts.noisy_slots(cx.t) {
        risks.push(format!(
            "{} captions vary ({:.2} bits)",
            s.name, s.entropy_bits
        ));
    }
    if risks.is_empty() {
        return;
    }
    cx.report(
        None,
        format!("no LoRA dropout while the dataset risks bleeding: {}", risks.join("; ")),
    )
    .fix("set a small LoRA dropout (0.05–0.1; ai-toolkit `network.dropout`, kohya `--network_dropout`)");
}
