//! Resolved lint settings: the profile, the enabled rules with their severities, per-file
//! ignores, the trigger and the training plan. Built once from `zcurate.toml` tables and
//! command-line overrides (flags win).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use globset::{Glob, GlobMatcher};

use crate::error::LintError;
use crate::options::{LintOptions, PlanOptions};
use crate::profile::{self, Profile, ProfileOptions};
use crate::rules::Rule;
use crate::selector::RuleSelector;
use crate::severity::{Level, Severity};

/// The profile used when neither `--profile` nor `lint.profile` names one.
pub const DEFAULT_PROFILE: &str = "face";

/// The `zcurate.toml` tables lint reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConfigTables<'a> {
    pub lint: Option<&'a LintOptions>,
    pub profiles: Option<&'a BTreeMap<String, ProfileOptions>>,
    pub plan: Option<&'a PlanOptions>,
    /// `[caption]`: custom schemas and vocabularies the profile's `caption-schema` may name.
    pub caption: Option<&'a zcurate_caption::CaptionOptions>,
}

/// Command-line values; each wins over the config file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub profile: Option<String>,
    /// Replaces the config's `select`.
    pub select: Option<Vec<String>>,
    /// Added to the config's `extend-select`.
    pub extend_select: Vec<String>,
    /// Added to the config's `ignore`.
    pub ignore: Vec<String>,
    pub trigger: Option<String>,
    pub class_word: Option<String>,
    /// Plan keys given as flags.
    pub plan: PlanOptions,
    pub fail_on: Option<Severity>,
    /// `--identity`: run the identity rules (embeddings must be in the manifest).
    pub identity: bool,
    /// sha256 of the identity model whose embeddings count.
    pub identity_model: Option<String>,
}

/// A per-file ignore: a glob and the rules it silences.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub glob: String,
    matcher: GlobMatcher,
    pub selectors: Vec<RuleSelector>,
}

impl PerFileIgnore {
    pub fn new(glob: &str, selectors: &[String]) -> Result<Self, LintError> {
        let matcher = Glob::new(glob)
            .map_err(|source| LintError::Glob {
                glob: glob.to_owned(),
                source,
            })?
            .compile_matcher();
        let context = format!("[lint.per-file-ignores] \"{glob}\"");
        Ok(Self {
            glob: glob.to_owned(),
            matcher,
            selectors: selectors
                .iter()
                .map(|s| RuleSelector::parse(s, &context))
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn ignores(&self, rule: Rule, path: &str) -> bool {
        self.selectors.iter().any(|s| s.matches(rule)) && self.matcher.is_match(path)
    }
}

/// Everything a lint run needs besides the manifest.
#[derive(Debug, Clone)]
pub struct LintSettings {
    pub profile: Profile,
    /// The profile's caption schema, resolved with `[caption]`'s custom schemas.
    pub schema: zcurate_caption::Schema,
    /// Enabled rules and their severities.
    pub rules: BTreeMap<Rule, Severity>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// The trigger captions must start with; inferred from captions when `None`.
    pub trigger: Option<String>,
    /// The class word captions should use; the most common one when `None`.
    pub class_word: Option<String>,
    pub plan: PlanOptions,
    pub identity: bool,
    pub identity_model: Option<String>,
    /// Lowest severity that fails the run.
    pub fail_on: Severity,
}

impl LintSettings {
    /// Resolves settings from config tables and command-line overrides.
    pub fn resolve(config: ConfigTables<'_>, cli: &Overrides) -> Result<Self, LintError> {
        let empty_lint = LintOptions::default();
        let lint = config.lint.unwrap_or(&empty_lint);
        let empty_profiles = BTreeMap::new();
        let profiles = config.profiles.unwrap_or(&empty_profiles);
        let name = cli
            .profile
            .clone()
            .or_else(|| lint.profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let profile = profile::resolve_profile(&name, profiles, lint.thresholds.as_ref())?;
        let catalog = match config.caption {
            Some(c) => zcurate_caption::Catalog::new(c)
                .map_err(|e| LintError::Config(format!("invalid `[caption]`: {e}")))?,
            None => zcurate_caption::Catalog::builtin(),
        };
        let schema = catalog
            .get(&profile.thresholds.caption_schema)
            .map_err(|e| LintError::Config(format!("profile `{name}`: `caption-schema`: {e}")))?
            .clone();

        let parse_all = |list: &[String], context: &str| -> Result<Vec<RuleSelector>, LintError> {
            list.iter()
                .map(|s| RuleSelector::parse(s, context))
                .collect()
        };
        let select = match (&cli.select, &lint.select) {
            (Some(s), _) => Some(parse_all(s, "--select")?),
            (None, Some(s)) => Some(parse_all(s, "lint.select")?),
            (None, None) => None,
        };
        let mut extend = parse_all(
            lint.extend_select.as_deref().unwrap_or(&[]),
            "lint.extend-select",
        )?;
        extend.extend(parse_all(&cli.extend_select, "--extend-select")?);
        let mut ignore = parse_all(lint.ignore.as_deref().unwrap_or(&[]), "lint.ignore")?;
        ignore.extend(parse_all(&cli.ignore, "--ignore")?);

        let profile_levels = levels(&profile.severity, &format!("[profile.{name}.severity]"))?;
        let lint_levels = levels(
            lint.severity.as_ref().unwrap_or(&BTreeMap::new()),
            "[lint.severity]",
        )?;

        let mut rules = BTreeMap::new();
        for &rule in Rule::ALL {
            let best = |sels: &[RuleSelector]| {
                sels.iter()
                    .filter(|s| s.matches(rule))
                    .map(RuleSelector::specificity)
                    .max()
            };
            let selected = match &select {
                Some(s) => best(s),
                None => Some(0),
            }
            .max(best(&extend));
            let ignored = best(&ignore);
            let enabled = match (selected, ignored) {
                (Some(s), Some(i)) => s > i,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !enabled {
                continue;
            }
            let mut level = Some(rule.meta().severity);
            for table in [&profile_levels, &lint_levels] {
                if let Some(l) = most_specific(table, rule) {
                    level = l.severity();
                }
            }
            if let Some(sev) = level {
                rules.insert(rule, sev);
            }
        }

        let per_file_ignores = lint
            .per_file_ignores
            .iter()
            .flatten()
            .map(|(glob, sels)| PerFileIgnore::new(glob, sels))
            .collect::<Result<_, _>>()?;

        let mut plan = config.plan.cloned().unwrap_or_default();
        plan.overlay(&cli.plan);
        validate_plan(&plan)?;

        Ok(Self {
            profile,
            schema,
            rules,
            per_file_ignores,
            trigger: cli.trigger.clone().or_else(|| lint.trigger.clone()),
            class_word: cli.class_word.clone().or_else(|| lint.class_word.clone()),
            plan,
            identity: cli.identity,
            identity_model: cli.identity_model.clone(),
            fail_on: cli.fail_on.or(lint.fail_on).unwrap_or(Severity::Error),
        })
    }

    /// Settings running only `rules` (at their default severity) with a built-in profile:
    /// for tests and benchmarks.
    pub fn for_rules(rules: &[Rule], profile: &str) -> Self {
        let profile = profile::builtin(profile).expect("a built-in profile");
        let schema = zcurate_caption::Catalog::builtin()
            .get(&profile.thresholds.caption_schema)
            .expect("built-in profiles name built-in schemas")
            .clone();
        Self {
            profile,
            schema,
            rules: rules.iter().map(|r| (*r, r.meta().severity)).collect(),
            per_file_ignores: Vec::new(),
            trigger: None,
            class_word: None,
            plan: PlanOptions::default(),
            identity: false,
            identity_model: None,
            fail_on: Severity::Error,
        }
    }

    /// Default settings with a built-in profile.
    pub fn with_profile(profile: &str) -> Self {
        Self::resolve(
            ConfigTables::default(),
            &Overrides {
                profile: Some(profile.to_owned()),
                ..Overrides::default()
            },
        )
        .expect("built-in profiles resolve")
    }

    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.rules.get(&rule).copied()
    }

    /// The caption slots the schema forbids: variable information the profile does not want.
    pub fn unwanted_slots(&self) -> Vec<&str> {
        self.schema
            .slots
            .iter()
            .filter(|s| s.presence == zcurate_caption::Presence::Forbidden)
            .map(|s| s.name.as_str())
            .collect()
    }

    pub(crate) fn is_ignored(&self, rule: Rule, path: &str) -> bool {
        self.per_file_ignores.iter().any(|p| p.ignores(rule, path))
    }

    /// The resolved settings as TOML, for `zcurate lint --show-settings`.
    pub fn show(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Resolved lint settings");
        let _ = writeln!(out, "fail-on = \"{}\"", self.fail_on);
        for (key, value) in [("trigger", &self.trigger), ("class-word", &self.class_word)] {
            let _ = match value {
                Some(v) => writeln!(out, "{key} = {v:?}"),
                None => writeln!(out, "# {key}: not set, taken from the captions"),
            };
        }
        let _ = writeln!(out, "identity = {}", self.identity);
        let _ = writeln!(out, "\n[rules]  # enabled rules and their severity");
        for (rule, sev) in &self.rules {
            let _ = writeln!(out, "{} = \"{sev}\"  # {}", rule.code(), rule.name());
        }
        let off: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| !self.rules.contains_key(r))
            .map(|r| r.code())
            .collect();
        if !off.is_empty() {
            let _ = writeln!(out, "# off: {}", off.join(", "));
        }
        let _ = writeln!(out, "\n[per-file-ignores]");
        for p in &self.per_file_ignores {
            let sels: Vec<String> = p.selectors.iter().map(|s| format!("\"{s}\"")).collect();
            let _ = writeln!(out, "{:?} = [{}]", p.glob, sels.join(", "));
        }
        let _ = writeln!(out, "\n[plan]");
        let plan = toml::to_string(&self.plan).unwrap_or_default();
        out.push_str(&plan);
        if self.plan.is_empty() {
            let _ = writeln!(out, "# not set: training-plan rules do not run");
        }
        let _ = writeln!(out, "\n[profile]");
        out.push_str(&toml::to_string(&self.profile).unwrap_or_else(|e| format!("# {e}\n")));
        out
    }
}

/// Severity tables parsed into selectors.
fn levels(
    table: &BTreeMap<String, Level>,
    context: &str,
) -> Result<Vec<(RuleSelector, Level)>, LintError> {
    table
        .iter()
        .map(|(k, v)| Ok((RuleSelector::parse(k, context)?, *v)))
        .collect()
}

/// The level of the most specific selector matching `rule`.
fn most_specific(table: &[(RuleSelector, Level)], rule: Rule) -> Option<Level> {
    table
        .iter()
        .filter(|(s, _)| s.matches(rule))
        .max_by_key(|(s, _)| s.specificity())
        .map(|(_, l)| *l)
}

fn validate_plan(plan: &PlanOptions) -> Result<(), LintError> {
    for (key, v) in [
        ("caption-dropout", plan.caption_dropout),
        ("lora-dropout", plan.lora_dropout),
    ] {
        if let Some(v) = v
            && !(0.0..=1.0).contains(&v)
        {
            return Err(LintError::Config(format!(
                "plan `{key}` must be between 0 and 1, not {v}"
            )));
        }
    }
    if plan.batch_size == Some(0) {
        return Err(LintError::Config(
            "plan `batch-size` must be at least 1".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(lint_toml: &str, cli: &Overrides) -> Result<LintSettings, LintError> {
        let lint: LintOptions = toml::from_str(lint_toml).unwrap();
        LintSettings::resolve(
            ConfigTables {
                lint: Some(&lint),
                ..ConfigTables::default()
            },
            cli,
        )
    }

    #[test]
    fn defaults_enable_every_rule_at_its_severity() {
        let s = resolve("", &Overrides::default()).unwrap();
        assert_eq!(s.profile.name, "face");
        assert_eq!(s.rules.len(), Rule::ALL.len());
        // The face profile makes no-face an error.
        assert_eq!(s.severity(Rule::NoFace), Some(Severity::Error));
        let s = LintSettings::with_profile("character");
        assert_eq!(s.severity(Rule::NoFace), Some(Severity::Warning));
    }

    #[test]
    fn select_ignore_specificity() {
        let s = resolve(
            r#"
            select = ["FACE", "CAP001"]
            ignore = ["FACE00", "CAP"]
            extend-select = ["FACE002"]
            "#,
            &Overrides::default(),
        )
        .unwrap();
        let on: Vec<&str> = s.rules.keys().map(|r| r.code()).collect();
        // FACE00 (5 chars) beats FACE (4); FACE002 (exact) beats FACE00; CAP001 beats CAP.
        assert_eq!(on, ["FACE002", "CAP001"]);
    }

    #[test]
    fn cli_select_replaces_config_select() {
        let cli = Overrides {
            select: Some(vec!["DUP".into()]),
            ignore: vec!["near-duplicate".into()],
            ..Overrides::default()
        };
        let s = resolve("select = [\"FACE\"]", &cli).unwrap();
        let on: Vec<&str> = s.rules.keys().map(|r| r.code()).collect();
        assert_eq!(on, ["DUP001"]);
    }

    #[test]
    fn severity_overrides_by_specificity() {
        let s = resolve(
            r#"
            [severity]
            QLT = "error"
            blurry-image = "info"
            DUP = "ignore"
            "#,
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(s.severity(Rule::BlurryImage), Some(Severity::Info));
        assert_eq!(s.severity(Rule::DarkImage), Some(Severity::Error));
        assert_eq!(s.severity(Rule::ExactDuplicate), None);
    }

    #[test]
    fn per_file_ignores_match_globs() {
        let s = resolve(
            r#"
            [per-file-ignores]
            "reg/**" = ["CAP"]
            "*.gif" = ["animated-image"]
            "#,
            &Overrides::default(),
        )
        .unwrap();
        assert!(s.is_ignored(Rule::MissingTrigger, "reg/a.jpg"));
        assert!(!s.is_ignored(Rule::MissingTrigger, "a.jpg"));
        assert!(!s.is_ignored(Rule::BlurryImage, "reg/a.jpg"));
        assert!(s.is_ignored(Rule::AnimatedImage, "sub/x.gif"));
    }

    #[test]
    fn bad_selectors_and_globs_are_named() {
        let e = resolve("select = [\"FACE999\"]", &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("FACE999"), "{e}");
        let e = resolve(
            "[per-file-ignores]\n\"a[\" = [\"CAP\"]",
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("a["), "{e}");
        let e = resolve("[severity]\nnope = \"error\"", &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("[lint.severity]"), "{e}");
    }

    #[test]
    fn unknown_lint_key_is_named() {
        let e = toml::from_str::<LintOptions>("selec = []").unwrap_err();
        assert!(e.to_string().contains("selec"), "{e}");
    }

    #[test]
    fn show_settings_is_toml() {
        let s = resolve("trigger = \"zq\"", &Overrides::default()).unwrap();
        let text = s.show();
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["trigger"].as_str(), Some("zq"));
        assert_eq!(parsed["profile"]["name"].as_str(), Some("face"));
        assert_eq!(parsed["profile"]["min-short-side"].as_integer(), Some(1024));
        assert_eq!(parsed["rules"]["IMG001"].as_str(), Some("error"));
    }
}
