//! Settings resolved once, before a command runs: flags over environment over
//! `zcurate.toml` over built-in defaults. Commands see only these resolved values.
//!
//! The config file is found and read once per run ([`Config::load`]) and handed to every
//! resolver. Each value is checked once, by the rule of its domain type (the face crate's
//! input size, the crop crate's options), and an invalid one is reported with where it came
//! from ([`source`]): `[faces] det-size = 16 in ./zcurate.toml: must be at least 32`.

mod caption;
mod crop;
mod evaluate;
mod faces;
mod lint;
pub(crate) mod source;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zcurate_config::Options;

pub(crate) use caption::{CaptionSettings, Mode};
pub(crate) use crop::crop_options;
pub(crate) use evaluate::evaluate_thresholds;
pub(crate) use faces::{ManifestTarget, ScanSettings, caption_ext, jobs, resolve_faces};
pub(crate) use lint::{LintFlags, identity_model, lint_settings};
use source::{FromEnv, Layers};

use crate::args::GlobalArgs;
use crate::printer;

/// The rule for a share, a score or a confidence: 0 to 1.
pub(crate) fn share<T: Copy + Into<f64>>(v: T) -> Result<T, &'static str> {
    if (0.0..=1.0).contains(&v.into()) {
        Ok(v)
    } else {
        Err("must be between 0 and 1")
    }
}

/// The config of one run: the options of the file found for the dataset (or of `--config`),
/// read once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) options: Options,
    /// The file the options came from; `None` with `--isolated` or when there is none.
    pub(crate) path: Option<PathBuf>,
    /// Which flags clap filled from the environment.
    from_env: FromEnv,
}

impl Config {
    /// Finds and reads the config for `dataset` (nothing with `--isolated`), and warns once
    /// about every deprecated spelling in it.
    pub(crate) fn load(global: &GlobalArgs, dataset: &Path) -> Result<Self> {
        let file = if global.isolated {
            zcurate_config::ConfigFile::default()
        } else {
            zcurate_config::load_discovered(global.config.as_deref(), dataset)
                .context("cannot load configuration")?
        };
        if let Some(path) = &file.path {
            printer::verbose(format!("using config {}", path.display()));
            for d in &file.deprecated {
                printer::warning(format!(
                    "`{}` in {} is deprecated; write `{}`",
                    d.old,
                    source::shown_path(path),
                    d.new
                ));
            }
        }
        Ok(Self {
            options: file.options,
            path: file.path,
            from_env: global.from_env.clone(),
        })
    }

    /// What values are layered from: the flags' sources and this file.
    pub(crate) fn layers(&self) -> Layers<'_> {
        Layers {
            from_env: &self.from_env,
            file: self.path.as_deref(),
        }
    }
}
