//! `zcurate export`: from the manifest alone, write a trainer-ready dataset, the trainer's
//! config files and a README into OUT, unless the dataset fails the lint gate (exit 1;
//! `--force` exports anyway and records the override).

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use zcurate_train::{Model, Trainer};

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::env;
use crate::pipeline;
use crate::settings::Config;

#[derive(Debug, ClapArgs)]
pub(crate) struct ExportArgs {
    /// The dataset folder, already scanned (`zcurate scan DIR`); its manifest is read from
    /// DIR/.zcurate/manifest.json.
    pub(crate) dir: PathBuf,
    /// The trainer to write configs for.
    #[arg(
        long,
        value_name = "TRAINER",
        value_parser = PossibleValuesParser::new(Trainer::ALL.iter().map(|t| t.as_str()))
            .map(|s| s.parse::<Trainer>().expect("a listed trainer"))
    )]
    pub(crate) trainer: Trainer,
    /// The base model to train on (Turbo uses the training adapter where the trainer has one).
    #[arg(
        long,
        value_name = "MODEL",
        value_parser = PossibleValuesParser::new(Model::ALL.iter().map(|m| m.as_str()))
            .map(|s| s.parse::<Model>().expect("a listed model"))
    )]
    pub(crate) model: Model,
    /// Output folder: the trainer-ready dataset, the configs and a README. Must be outside
    /// DIR, and empty or made by an earlier `zcurate export`.
    #[arg(long, value_name = "OUT")]
    pub(crate) out: PathBuf,
    /// The trigger word written into every caption (default: `[lint]`/`[caption]` trigger,
    /// else inferred from the captions).
    #[arg(long, value_name = "WORD")]
    pub(crate) trigger: Option<String>,
    /// The class word for captions without one and for sample prompts (`woman`, `man`, ...;
    /// default: the captions' most common).
    #[arg(long, value_name = "WORD")]
    pub(crate) class_word: Option<String>,
    /// Lint profile of the gate and the step heuristics: `face` (default), `character`, or
    /// a `[profile.NAME]`.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Export even when the dataset fails lint; the override is recorded in OUT's README and
    /// export manifest.
    #[arg(long)]
    pub(crate) force: bool,
    /// Gate also on identity (ID001, another person among the images) from the ArcFace
    /// embeddings that `zcurate scan --identity` stored in the manifest (`arcface-mbf`,
    /// non-commercial licence). With `zcurate train`, also scores the run's samples at the end.
    #[arg(long)]
    pub(crate) identity: bool,
    /// Write into a non-empty OUT that `zcurate export` did not make, and replace files
    /// changed since the last export (nothing else is touched).
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Train at this resolution (a multiple of 64, 256–2048) instead of the one chosen from
    /// the images (native 1024 when most images reach it).
    #[arg(long, value_name = "PX")]
    pub(crate) resolution: Option<u32>,
    /// Folder of model files for trainers that read files rather than hub ids
    /// (diffusion-pipe, musubi-tuner); default: placeholders to fill in.
    #[arg(long, value_name = "DIR")]
    pub(crate) models_dir: Option<PathBuf>,
    /// Read this manifest instead of DIR/.zcurate/manifest.json.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
}

pub(crate) fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let config = Config::load(global, &args.dir)?;
    match pipeline::export::export(args, &config)? {
        Ok(done) => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                done.outcome.main_config.display()
            )?;
            Ok(ExitStatus::Success)
        }
        Err(status) => Ok(status),
    }
}
