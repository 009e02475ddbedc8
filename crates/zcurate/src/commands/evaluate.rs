//! `zcurate evaluate`: score a run's sample images per checkpoint for likeness to the
//! dataset's identity and for bleeding into neutral prompts, recommend the checkpoint to
//! keep, and gate on it (exit 0 a checkpoint qualifies, 1 none does, 2 nothing could be
//! scored).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use zcurate_evaluate::{Layout, render};

use crate::ExitStatus;
use crate::args::{FaceArgs, GlobalArgs};
use crate::env;
use crate::pipeline;
use crate::printer;

#[derive(Debug, Clone, ClapArgs)]
pub(crate) struct EvaluateArgs {
    /// The run: an export folder (`zcurate export` or `train` OUT) once the trainer has
    /// sampled, or a folder of sample images (with --prompts).
    pub(crate) run: PathBuf,
    /// The dataset the LoRA learns (its identity is the reference); default: the folder the
    /// export record names.
    #[arg(long, value_name = "DIR")]
    pub(crate) dataset: Option<PathBuf>,
    /// Read the dataset's manifest from here instead of DIR/.zcurate/manifest.json.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
    /// Compare faces with ArcFace `arcface-mbf` (non-commercial licence; fetched on first
    /// use). Likeness cannot be measured without it.
    #[arg(long)]
    pub(crate) identity: bool,
    /// The sample prompts in the trainer's order, instead of the export record's: a kohya
    /// prompts .txt, a JSON list, SimpleTuner's prompt library, or an export record.
    #[arg(long, value_name = "FILE")]
    pub(crate) prompts: Option<PathBuf>,
    /// The trigger word, to tell trigger prompts of --prompts from neutral ones (default:
    /// `[lint]`/`[caption]` trigger, else inferred from the dataset's captions).
    #[arg(long, value_name = "WORD")]
    pub(crate) trigger: Option<String>,
    /// Where the samples are: ai-toolkit, musubi-tuner, simpletuner, onetrainer, or folders
    /// (one folder per checkpoint, files named by prompt index). Default: the export's
    /// trainer, else the one found.
    #[arg(long, value_name = "LAYOUT", value_parser = parse_layout)]
    pub(crate) layout: Option<Layout>,
    /// Lint profile whose `min-identity-similarity` decides when a face is the subject.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Largest share of neutral-prompt faces that may pass as the subject (default 0.2).
    #[arg(long, value_name = "SHARE", help_heading = "Thresholds")]
    pub(crate) max_bleed: Option<f64>,
    /// Smallest share of trigger samples that must show the subject (default 0.5).
    #[arg(long, value_name = "SHARE", help_heading = "Thresholds")]
    pub(crate) min_activation: Option<f64>,
    /// A later checkpoint must beat an earlier one's likeness by more than this (default 0.02).
    #[arg(long, value_name = "SIMILARITY", help_heading = "Thresholds")]
    pub(crate) likeness_tolerance: Option<f64>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = EvaluateFormat::Human)]
    pub(crate) format: EvaluateFormat,
    /// Also write an HTML page: likeness and bleed by checkpoint, and every sample.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) faces: FaceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EvaluateFormat {
    Human,
    Json,
}

fn parse_layout(s: &str) -> Result<Layout, String> {
    s.parse()
}

pub(crate) fn run(args: &EvaluateArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let (evaluation, thumbs) = pipeline::evaluate::evaluate(args, global, None)?;
    let text = match args.format {
        EvaluateFormat::Human => render::human(&evaluation),
        EvaluateFormat::Json => render::json(&evaluation),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    if let Some(path) = &args.html {
        render::html::write(&evaluation, &thumbs, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        printer::status(format!("page written to {}", path.display()));
    }
    Ok(if evaluation.recommended.is_some() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
