//! `zcurate caption`: flags over `[caption]` over defaults.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use zcurate_caption::{
    CaptionOptions, Catalog, ExpressionThresholds, FactSettings, LightingThresholds,
};

use super::Config;
use crate::commands::caption::{CaptionArgs, CaptionFormat};
use crate::printer;

/// What a run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Show current and proposed captions.
    Preview,
    Write,
    Audit,
    /// Only statistics.
    Stats,
    /// Put back captions from the history.
    Restore,
}

impl Mode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Preview => "preview",
            Self::Write => "write",
            Self::Audit => "audit",
            Self::Stats => "stats",
            Self::Restore => "restore",
        }
    }
}

/// Settings of one run: flags over `[caption]` in zcurate.toml over defaults.
pub(crate) struct CaptionSettings {
    pub(crate) root: PathBuf,
    pub(crate) manifest_path: PathBuf,
    pub(crate) catalog: Catalog,
    pub(crate) schema: String,
    pub(crate) trigger: Option<String>,
    pub(crate) class: Option<String>,
    pub(crate) attributes: Option<PathBuf>,
    pub(crate) json_sidecars: bool,
    pub(crate) facts: FactSettings,
    pub(crate) mode: Mode,
    pub(crate) overwrite: bool,
    pub(crate) fresh: bool,
    pub(crate) drop: Vec<String>,
    pub(crate) stats: bool,
    pub(crate) format: CaptionFormat,
}

impl CaptionSettings {
    pub(crate) fn resolve(args: &CaptionArgs, config: &Config) -> Result<Self> {
        let file: CaptionOptions = config.options.caption.clone().unwrap_or_default();
        let catalog = Catalog::new(&file).context("invalid `[caption]` configuration")?;
        let nonblank = |what: &str, v: Option<String>| -> Result<Option<String>> {
            match v {
                Some(s) if s.trim().is_empty() => bail!("the {what} must not be empty"),
                other => Ok(other.map(|s| s.trim().to_owned())),
            }
        };
        let min_framing_confidence = config
            .layers()
            .file_or(
                file.min_framing_confidence,
                "[caption] min-framing-confidence",
                FactSettings::default().min_framing_confidence,
            )
            .check(|&c| super::share(c))?;
        let mode = if args.restore.is_some() {
            Mode::Restore
        } else if args.audit {
            Mode::Audit
        } else if args.write {
            Mode::Write
        } else if args.stats {
            Mode::Stats
        } else {
            Mode::Preview
        };
        Ok(Self {
            root: args.dir.clone(),
            manifest_path: args
                .manifest
                .clone()
                .unwrap_or_else(|| zcurate_manifest::default_manifest_path(&args.dir)),
            schema: args
                .schema
                .clone()
                .or(file.schema)
                .unwrap_or_else(|| "face".to_owned()),
            catalog,
            trigger: nonblank("trigger", args.trigger.clone().or(file.trigger))?,
            class: nonblank("class word", class_word(args).or(file.class_word))?,
            attributes: args.attributes.clone(),
            json_sidecars: args.json_sidecars || file.json_sidecars.unwrap_or(false),
            facts: FactSettings {
                min_framing_confidence,
                lighting: LightingThresholds::from_options(file.lighting.as_ref()),
                expression: ExpressionThresholds::from_options(file.expression.as_ref()),
            },
            mode,
            overwrite: args.overwrite,
            fresh: args.fresh,
            drop: args.drop.clone(),
            stats: args.stats,
            format: args.format,
        })
    }
}

/// `--class-word`, or its old spelling `--class` (with a warning naming the new one).
fn class_word(args: &CaptionArgs) -> Option<String> {
    if args.class_deprecated.is_some() {
        printer::warning("`--class` is deprecated; write `--class-word`");
    }
    args.class_word.clone().or(args.class_deprecated.clone())
}
