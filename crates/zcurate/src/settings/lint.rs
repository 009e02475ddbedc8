//! Lint settings, shared by every command that judges a dataset by a profile (lint, report,
//! select, export, evaluate): flags over `[lint]`, `[profile.*]`, `[plan]` and the
//! `[caption]` trigger and class word over the profile's defaults.

use anyhow::{Context, Result};
use zcurate_lint::{BUILTIN_PROFILES, ConfigTables, DEFAULT_PROFILE, LintSettings, Overrides};

use super::Config;
use super::source::Flag;
use crate::env;

const PROFILE: Flag = Flag::new("profile", "--profile").with_env(env::ZCURATE_PROFILE);

/// What a command passes besides the config: its flags, and whether the `[plan]` table
/// applies (`zcurate export` makes its own plan).
#[derive(Debug, Default)]
pub(crate) struct LintFlags {
    pub(crate) overrides: Overrides,
    pub(crate) plan_table: bool,
}

impl LintFlags {
    /// The flags every command that judges a dataset shares: the profile, the trigger and
    /// class word captions are read with, and `--identity` (with the model whose embeddings
    /// count). The `[plan]` table applies.
    pub(crate) fn judging(
        profile: Option<String>,
        trigger: Option<String>,
        class_word: Option<String>,
        identity: bool,
    ) -> Result<Self> {
        Ok(Self {
            overrides: Overrides {
                profile,
                trigger,
                class_word,
                identity,
                identity_model: identity.then(identity_model).transpose()?,
                ..Overrides::default()
            },
            plan_table: true,
        })
    }
}

/// sha256 of the pinned identity model: only its embeddings count (the scan computes them
/// with `--identity`; with `--no-scan` they must be in the manifest already).
pub(crate) fn identity_model() -> Result<String> {
    Ok(zcurate_models::registry()
        .model(zcurate_scan::faces::IDENTITY_MODEL)?
        .sha256
        .clone())
}

/// Lint settings for the dataset whose config is `config`. A trigger or class word not given
/// falls back to `[lint]`, then `[caption]`; the profile's name is reported with its source
/// when no profile has it.
pub(crate) fn lint_settings(config: &Config, flags: LintFlags) -> Result<LintSettings> {
    let LintFlags {
        mut overrides,
        plan_table,
    } = flags;
    let options = &config.options;
    let caption = options.caption.as_ref();
    let lint = options.lint.as_ref();
    overrides.trigger = overrides.trigger.or_else(|| {
        lint.and_then(|l| l.trigger.clone())
            .or_else(|| caption.and_then(|c| c.trigger.clone()))
    });
    overrides.class_word = overrides.class_word.or_else(|| {
        lint.and_then(|l| l.class_word.clone())
            .or_else(|| caption.and_then(|c| c.class_word.clone()))
    });
    let profile = config.layers().pick(
        (overrides.profile.clone(), PROFILE),
        (lint.and_then(|l| l.profile.clone()), "[lint] profile"),
        DEFAULT_PROFILE.to_owned(),
    );
    let known = BUILTIN_PROFILES.contains(&profile.value.as_str())
        || options
            .profile
            .as_ref()
            .is_some_and(|p| p.contains_key(&profile.value));
    overrides.profile = Some(profile.value.clone());
    let tables = ConfigTables {
        lint,
        profiles: options.profile.as_ref(),
        plan: if plan_table {
            options.plan.as_ref()
        } else {
            None
        },
        caption,
    };
    let what = config.path.as_ref().map_or_else(
        || "invalid lint settings".to_owned(),
        |f| format!("invalid lint settings (config {})", f.display()),
    );
    LintSettings::resolve(tables, &overrides)
        .map_err(|e| {
            if known {
                anyhow::Error::new(e)
            } else {
                profile.invalid(e)
            }
        })
        .context(what)
}
