//! The trainers and base models an export can target.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zcurate_lint::BaseModel;

/// A LoRA trainer zcurate writes configs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trainer {
    /// ostris/ai-toolkit: one YAML job config.
    AiToolkit,
    /// kohya-ss/musubi-tuner: dataset TOML plus the `zimage_train_network.py` command line.
    MusubiTuner,
    /// kohya-ss/sd-scripts: dataset TOML with subsets (no Z-Image script of its own).
    SdScripts,
    /// tdrussell/diffusion-pipe: dataset.toml plus the main config.
    DiffusionPipe,
    /// Nerogar/OneTrainer: config JSON plus concepts JSON.
    #[serde(rename = "onetrainer")]
    OneTrainer,
    /// bghira/SimpleTuner: config JSON plus the multidatabackend JSON.
    #[serde(rename = "simpletuner")]
    SimpleTuner,
}

impl Trainer {
    pub const ALL: &'static [Trainer] = &[
        Self::AiToolkit,
        Self::MusubiTuner,
        Self::SdScripts,
        Self::DiffusionPipe,
        Self::OneTrainer,
        Self::SimpleTuner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AiToolkit => "ai-toolkit",
            Self::MusubiTuner => "musubi-tuner",
            Self::SdScripts => "sd-scripts",
            Self::DiffusionPipe => "diffusion-pipe",
            Self::OneTrainer => "onetrainer",
            Self::SimpleTuner => "simpletuner",
        }
    }

    /// Whether this trainer reads kohya `N_name` repeat folders. sd-scripts honours them
    /// when run without a dataset config, so the export puts images in one; the TOML's
    /// `num_repeats` says the same.
    pub fn uses_repeat_folders(self) -> bool {
        self == Self::SdScripts
    }

    /// Whether this trainer counts run length in epochs of `images × repeats` (kohya
    /// family, diffusion-pipe, OneTrainer) rather than in optimiser steps (ai-toolkit,
    /// SimpleTuner's `max_train_steps`).
    pub fn counts_epochs(self) -> bool {
        matches!(
            self,
            Self::MusubiTuner | Self::SdScripts | Self::DiffusionPipe | Self::OneTrainer
        )
    }
}

impl fmt::Display for Trainer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Trainer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!("unknown trainer `{s}` (expected {})", names.join(", "))
            })
    }
}

/// The base model a LoRA is trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    /// Z-Image Turbo: step-distilled; trained with the training adapter where the trainer
    /// has one, and kept short.
    ZImageTurbo,
    /// Z-Image (Base): non-distilled, full CFG, the official fine-tuning target.
    ZImage,
    /// ostris Z-Image De-Turbo: Turbo with the distillation trained out; no adapter needed.
    ZImageDeturbo,
}

impl Model {
    pub const ALL: &'static [Model] = &[Self::ZImageTurbo, Self::ZImage, Self::ZImageDeturbo];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZImageTurbo => "z-image-turbo",
            Self::ZImage => "z-image",
            Self::ZImageDeturbo => "z-image-deturbo",
        }
    }

    pub fn base_model(self) -> BaseModel {
        match self {
            Self::ZImageTurbo => BaseModel::ZImageTurbo,
            Self::ZImage => BaseModel::ZImage,
            Self::ZImageDeturbo => BaseModel::ZImageDeturbo,
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Model {
    type Err = String;

    /// The lint's model names (and aliases), minus `other`: export needs a model it knows.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<BaseModel>() {
            Ok(BaseModel::ZImageTurbo) => Ok(Self::ZImageTurbo),
            Ok(BaseModel::ZImage) => Ok(Self::ZImage),
            Ok(BaseModel::ZImageDeturbo) => Ok(Self::ZImageDeturbo),
            _ => Err(format!(
                "unknown model `{s}` (expected z-image-turbo, z-image or z-image-deturbo)"
            )),
        }
    }
}

/// A trainer and a model: what an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub trainer: Trainer,
    pub model: Model,
}

impl Target {
    /// Whether the run uses the Turbo training adapter (or, for OneTrainer, which has no
    /// adapter, trains the De-Turbo transformer instead).
    pub fn training_adapter(self) -> Option<bool> {
        if self.model != Model::ZImageTurbo {
            return None;
        }
        match self.trainer {
            // ai-toolkit `assistant_lora_path`, musubi `--base_weights`, diffusion-pipe
            // `merge_adapters`, SimpleTuner's `turbo-ostris-v2` flavour.
            Trainer::AiToolkit
            | Trainer::MusubiTuner
            | Trainer::DiffusionPipe
            | Trainer::SimpleTuner => Some(true),
            // sd-scripts has neither Z-Image nor the adapter; OneTrainer trains De-Turbo.
            Trainer::SdScripts | Trainer::OneTrainer => None,
        }
    }

    /// The model the run effectively trains, as the lint's plan rules should see it.
    /// OneTrainer has no adapter: a Turbo export trains the De-Turbo transformer (its
    /// `#z-image DeTurbo` preset), so its plan is De-Turbo's.
    pub fn effective_model(self) -> Model {
        if self.trainer == Trainer::OneTrainer && self.model == Model::ZImageTurbo {
            Model::ZImageDeturbo
        } else {
            self.model
        }
    }
}
