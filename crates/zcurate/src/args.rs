//! The top-level parser and the argument groups several subcommands share. Each
//! subcommand's own arguments live in its module (`commands::lint::LintArgs`, ...).

use std::path::PathBuf;

use clap::{Args as ClapArgs, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::env;
use crate::settings::source::FromEnv;

/// Curate and caption image datasets for LoRA training of diffusion models.
///
/// Point it at a folder of photos of one person or character: it tells you whether it is a
/// good face-LoRA or character-LoRA dataset, and what exactly is wrong.
#[derive(Debug, Parser)]
#[command(
    name = "zcurate",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Command,
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct GlobalArgs {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print more detail, such as every reused record.
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Use this config file instead of discovering `zcurate.toml`.
    #[arg(long, global = true, env = env::ZCURATE_CONFIG, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every config file.
    #[arg(long, global = true, conflicts_with = "config")]
    pub(crate) isolated: bool,
    /// Which flags clap filled from the environment, so that an error names the variable.
    #[arg(skip)]
    pub(crate) from_env: FromEnv,
}

/// Parses the command line (exiting on a usage error, as clap does), noting which values
/// came from the environment.
pub(crate) fn parse() -> Args {
    let matches = Args::command().get_matches();
    let mut args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    args.global.from_env = FromEnv::of(&matches);
    args
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Analyse every image of a dataset folder once and write its manifest.
    Scan(crate::commands::scan::ScanArgs),
    /// Propose, write, audit and measure schema captions (face or character LoRA).
    Caption(crate::commands::caption::CaptionArgs),
    /// Detect faces and classify framing; print a per-image table (scans incrementally first).
    Faces(crate::commands::faces::FacesArgs),
    /// Crop a folder of photos to a framing class around the main face, into a new folder.
    Crop(Box<crate::commands::crop::CropArgs>),
    /// Choose a face set (or a character set) from a messy folder: duplicates, blur and
    /// intruders out, wide shots cropped, the profile's framing mix met; into a new folder.
    Select(Box<crate::commands::select::SelectArgs>),
    /// Lint a dataset against a profile (face or character LoRA) and gate training on it.
    Lint(Box<crate::commands::lint::LintArgs>),
    /// Write an HTML report: verdict, charts, findings and a contact sheet with face boxes.
    Report(Box<crate::commands::report::ReportArgs>),
    /// Write a trainer-ready dataset, the trainer's configs and a README; refuses a dataset
    /// that fails lint unless --force.
    Export(Box<crate::commands::export::ExportArgs>),
    /// Export, then run the trainer command given after `--` and record the run.
    Train(Box<crate::commands::train::TrainArgs>),
    /// Score a run's sample images per checkpoint (likeness, bleeding) and recommend the
    /// checkpoint to keep; exit 1 when none qualifies.
    Evaluate(Box<crate::commands::evaluate::EvaluateArgs>),
    /// Show a lint rule's documentation (`zcurate rule FACE002`), or list them (`--all`).
    Rule(crate::commands::rule::RuleArgs),
    /// Work with a manifest: export its per-image table.
    #[command(subcommand)]
    Manifest(crate::commands::manifest::ManifestCommand),
    /// List and fetch the pinned models.
    #[command(subcommand)]
    Models(crate::commands::models::ModelsCommand),
}

/// Face detection options shared by every command that scans.
#[derive(Debug, Clone, Default, ClapArgs)]
#[command(next_help_heading = "Face detection")]
pub(crate) struct FaceArgs {
    /// Skip face detection and framing (image checks only).
    #[arg(long)]
    pub(crate) no_faces: bool,
    /// Skip the expression model on the main face (`[faces] expression = false`).
    #[arg(long)]
    pub(crate) no_expression: bool,
    /// Detector family: yunet (default), centerface, retinaface.
    #[arg(long, value_name = "NAME", value_parser = parsed::<zcurate_face::DetectorKind>)]
    pub(crate) detector: Option<zcurate_face::DetectorKind>,
    /// A custom ONNX model of the detector's family instead of the pinned one.
    #[arg(long, value_name = "FILE")]
    pub(crate) model: Option<PathBuf>,
    /// Longest side images are resized to for detection (padded to a multiple of 32).
    #[arg(long, value_name = "PX", env = env::ZCURATE_DET_SIZE)]
    pub(crate) det_size: Option<u32>,
    /// Minimum detector score for a face.
    #[arg(long, value_name = "SCORE")]
    pub(crate) score_threshold: Option<f32>,
    /// Inference backend: ort (ONNX Runtime, the default, fetched on first use; tract when it
    /// cannot be had) or tract (pure Rust). A backend named here is used or the run fails.
    #[arg(long, value_name = "NAME", value_parser = parsed::<zcurate_face::Backend>)]
    pub(crate) backend: Option<zcurate_face::Backend>,

    /// Never fetch models; fail if one is not cached.
    #[arg(long, env = env::ZCURATE_OFFLINE, value_parser = clap::builder::FalseyValueParser::new())]
    pub(crate) offline: bool,
}

/// A value parsed by its type's `FromStr`, whose error says what is accepted.
fn parsed<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| e.to_string())
}

/// `--deny SEVERITY` of lint and report.
pub(crate) fn parse_deny(s: &str) -> Result<zcurate_lint::Severity, String> {
    s.parse()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Args::command().debug_assert();
    }
}
