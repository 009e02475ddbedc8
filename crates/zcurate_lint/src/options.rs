//! The `[lint]` and `[plan]` tables of `zcurate.toml` (`[profile.NAME]` is
//! [`ProfileOptions`](crate::ProfileOptions)). Strict: an unknown key is an error naming it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::profile::ProfileOptions;
use crate::severity::{Level, Severity};

/// `[lint]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintOptions {
    /// Profile to lint against: `face` (default), `character` or a `[profile.NAME]`.
    pub profile: Option<String>,
    /// Rules to run, replacing the default set: codes (`FACE002`), prefixes (`FACE`, `CAP0`),
    /// names (`multiple-faces`) or `ALL`.
    pub select: Option<Vec<String>>,
    /// Rules to run in addition to `select` (or the default set).
    pub extend_select: Option<Vec<String>>,
    /// Rules never to run. A more specific selector wins; on a tie `ignore` wins.
    pub ignore: Option<Vec<String>>,
    /// Severity per rule code, prefix or name: `ignore`, `info`, `warning` or `error`.
    pub severity: Option<BTreeMap<String, Level>>,
    /// Rules to ignore per file glob, relative to the dataset folder
    /// (`"reg/**" = ["CAP004"]`).
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Threshold overrides applied over the chosen profile (any profile key).
    pub thresholds: Option<ProfileOptions>,
    /// The trigger word or phrase captions must start with. Default: inferred from the
    /// captions.
    pub trigger: Option<String>,
    /// The one class word captions should use (`woman`, `man`, `person`, ...). Default: the
    /// most common one.
    pub class_word: Option<String>,
    /// Lowest severity that fails the run: `error` (default), `warning` or `info`.
    pub fail_on: Option<Severity>,
}

/// The base model a LoRA is trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseModel {
    /// Z-Image Turbo: step-distilled; needs the training adapter and short runs.
    ZImageTurbo,
    /// Z-Image Base: non-distilled, full CFG, the official fine-tuning target.
    ZImage,
    /// Z-Image De-Turbo: distillation removed; CFG 2-3, 20-30 steps at inference.
    ZImageDeturbo,
    /// Anything else (Flux, SDXL, ...): only model-independent plan checks run.
    Other,
}

impl BaseModel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZImageTurbo => "z-image-turbo",
            Self::ZImage => "z-image",
            Self::ZImageDeturbo => "z-image-deturbo",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for BaseModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for BaseModel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "z-image-turbo" => Ok(Self::ZImageTurbo),
            "z-image" | "z-image-base" => Ok(Self::ZImage),
            "z-image-deturbo" => Ok(Self::ZImageDeturbo),
            "other" => Ok(Self::Other),
            _ => Err(format!(
                "unknown base model `{s}` (expected z-image-turbo, z-image, z-image-deturbo or other)"
            )),
        }
    }
}

/// `[plan]` table: the training run the dataset is for. Flags of the same names override it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlanOptions {
    pub base_model: Option<BaseModel>,
    /// Optimiser steps of the whole run.
    pub steps: Option<u32>,
    pub batch_size: Option<u32>,
    /// Times each image is repeated per epoch (kohya `num_repeats`; 1 = once).
    pub repeats: Option<u32>,
    /// Share of steps trained with the caption dropped (0 to 1).
    pub caption_dropout: Option<f64>,
    /// LoRA (network/module) dropout (0 to 1).
    pub lora_dropout: Option<f64>,
    /// Whether the Z-Image Turbo training adapter is used.
    pub training_adapter: Option<bool>,
}

impl PlanOptions {
    /// Sets every key `other` sets.
    pub fn overlay(&mut self, other: &PlanOptions) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            base_model,
            steps,
            batch_size,
            repeats,
            caption_dropout,
            lora_dropout,
            training_adapter
        );
    }

    /// True when nothing is set: no plan to check.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
