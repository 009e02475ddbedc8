//! `zcurate evaluate`: flags over `[evaluate]` over the defaults.

use anyhow::Result;
use zcurate_evaluate::Thresholds;

use super::Config;
use crate::commands::evaluate::EvaluateArgs;

/// Flags over `[evaluate]` over the defaults; the identity threshold is the lint profile's.
pub(crate) fn evaluate_thresholds(
    args: &EvaluateArgs,
    config: &Config,
    settings: &zcurate_lint::LintSettings,
) -> Result<Thresholds> {
    let file = config.options.evaluate.clone().unwrap_or_default();
    let mut t = Thresholds::with_similarity(settings.profile.thresholds.min_identity_similarity);
    if let Some(v) = args.max_bleed.or(file.max_bleed) {
        t.max_bleed = v;
    }
    if let Some(v) = args.min_activation.or(file.min_activation) {
        t.min_activation = v;
    }
    if let Some(v) = args.likeness_tolerance.or(file.likeness_tolerance) {
        t.likeness_tolerance = v;
    }
    t.validate()
        .map_err(|e| anyhow::anyhow!("invalid evaluate thresholds: {e}"))?;
    Ok(t)
}
