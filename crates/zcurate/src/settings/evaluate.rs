//! `zcurate evaluate`: flags over `[evaluate]` over the defaults.

use anyhow::Result;
use zcurate_evaluate::Thresholds;

use super::source::Flag;
use super::{Config, share};
use crate::commands::evaluate::EvaluateArgs;

const MAX_BLEED: Flag = Flag::new("max_bleed", "--max-bleed");
const MIN_ACTIVATION: Flag = Flag::new("min_activation", "--min-activation");
const LIKENESS_TOLERANCE: Flag = Flag::new("likeness_tolerance", "--likeness-tolerance");

/// Flags over `[evaluate]` over the defaults; the identity threshold is the lint profile's.
pub(crate) fn evaluate_thresholds(
    args: &EvaluateArgs,
    config: &Config,
    settings: &zcurate_lint::LintSettings,
) -> Result<Thresholds> {
    let file = config.options.evaluate.clone().unwrap_or_default();
    let mut t = Thresholds::with_similarity(settings.profile.thresholds.min_identity_similarity);
    let layers = config.layers();
    // Each is a share of samples or a similarity margin: 0 to 1.
    for (flag, file, slot) in [
        (
            (args.max_bleed, MAX_BLEED),
            (file.max_bleed, "[evaluate] max-bleed"),
            &mut t.max_bleed,
        ),
        (
            (args.min_activation, MIN_ACTIVATION),
            (file.min_activation, "[evaluate] min-activation"),
            &mut t.min_activation,
        ),
        (
            (args.likeness_tolerance, LIKENESS_TOLERANCE),
            (file.likeness_tolerance, "[evaluate] likeness-tolerance"),
            &mut t.likeness_tolerance,
        ),
    ] {
        if let Some(v) = layers.pick_opt(flag, file) {
            *slot = v.check(|&v| share(v))?;
        }
    }
    t.validate()
        .map_err(|e| anyhow::anyhow!("invalid evaluate thresholds: {e}"))?;
    Ok(t)
}
