//! The dataset linter behind `zcurate lint`: rules, profiles, settings and report formats.
//!
//! ```text
//! let settings = LintSettings::resolve(tables, &overrides)?;
//! let report = zcurate_lint::lint(&manifest, &settings);
//! render::render(&report, &context, Format::Human, &mut out)?;
//! ```
//!
//! Linting reads only the manifest (what `zcurate scan` measured), so it is fast: every rule
//! is a pass over records or over dataset facts computed once ([`context::Facts`]), including
//! the identity rules: their embeddings are computed by the scan (`--identity`) and read from
//! the manifest.

mod captions;
mod context;
mod diagnostic;
pub mod docs;
mod error;
pub mod identity;
mod options;
mod profile;
mod registry;
pub mod render;
mod report;
mod rules;
mod selector;
mod settings;
mod severity;
mod target;
mod util;

pub use captions::Trigger;
pub use diagnostic::Finding;
pub use error::LintError;
pub use options::{BaseModel, LintOptions, PlanOptions};
pub use profile::{
    BUILTIN_PROFILES, Profile, ProfileOptions, THRESHOLD_KEYS, ThresholdKey, Thresholds, builtin,
    builtin_options, resolve_profile,
};
pub use registry::{Group, Requires, RuleMeta};
pub use report::{IdentitySummary, Report, Skipped, Summary};
pub use rules::Rule;
pub use selector::RuleSelector;
pub use settings::{ConfigTables, DEFAULT_PROFILE, LintSettings, Overrides, PerFileIgnore};
pub use severity::{Level, Severity};
pub use target::{FramingTarget, TargetState, TargetVerdict};

use std::collections::BTreeMap;

use zcurate_manifest::Manifest;

use crate::context::{Context, Facts};

/// Lints `manifest` with `settings`.
pub fn lint(manifest: &Manifest, settings: &LintSettings) -> Report {
    let facts = Facts::compute(manifest, settings);
    let mut cx = Context::new(manifest, settings, &facts);
    let mut skipped: BTreeMap<&'static str, Vec<Rule>> = BTreeMap::new();
    for (&rule, &severity) in &settings.rules {
        match missing_requirement(rule, settings, &facts) {
            Some(reason) => skipped.entry(reason).or_default().push(rule),
            None => cx.run(rule, severity),
        }
    }
    let suppressed = cx.suppressed;
    let mut findings = cx.findings;
    // Rule order, then dataset-level findings first, then by path: stable output.
    findings.sort_by(|a, b| (a.rule, &a.path).cmp(&(b.rule, &b.path)));
    let skipped = skipped
        .into_iter()
        .map(|(reason, rules)| Skipped {
            rules,
            reason: reason.to_owned(),
        })
        .collect();
    report::build(manifest, settings, &facts, findings, skipped, suppressed)
}

/// Why `rule` cannot run, or `None` when it can.
fn missing_requirement(rule: Rule, settings: &LintSettings, facts: &Facts) -> Option<&'static str> {
    match rule.meta().requires {
        Requires::Manifest => None,
        Requires::Faces => (!facts.faces_detected)
            .then_some("the manifest has no face detection (scan without --no-faces)"),
        Requires::Plan => settings
            .plan
            .is_empty()
            .then_some("no training plan ([plan] table or --base-model, --steps, ... flags)"),
        Requires::Identity => (!settings.identity).then_some("opt-in: pass --identity"),
    }
}
