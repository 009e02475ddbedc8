use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::env;

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
    Scan(ScanArgs),
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
    Manifest(ManifestCommand),
    /// List and fetch the pinned models.
    #[command(subcommand)]
    Models(ModelsCommand),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ScanArgs {
    /// The dataset folder.
    pub(crate) dir: PathBuf,
    /// Where to write the manifest (`-` for stdout). Default: DIR/.zcurate/manifest.json.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
    /// Worker threads. Default: one per core.
    #[arg(long, short, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Search sub-folders too (kohya `N_name` folders directly under DIR always are).
    #[arg(long, short)]
    pub(crate) recursive: bool,
    /// Caption sidecar extension.
    #[arg(long, value_name = "EXT")]
    pub(crate) caption_ext: Option<String>,
    /// Exit 1 when any file could not be scanned.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Analyse every file again, ignoring the previous manifest.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Save the records finished so far every SECS seconds during the scan, so a scan that is
    /// killed keeps its work (0: after every analysed file). Default: 10.
    #[arg(long, value_name = "SECS")]
    pub(crate) save_every: Option<u64>,
    /// Also embed each main face with the ArcFace identity model `arcface-mbf`, kept in the
    /// manifest for the same-person check (non-commercial licence; fetched on first use).
    #[arg(long, conflicts_with = "no_faces", help_heading = "Identity")]
    pub(crate) identity: bool,
    #[command(flatten)]
    pub(crate) faces: FaceArgs,
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
    #[arg(long, value_name = "NAME")]
    pub(crate) detector: Option<String>,
    /// A custom ONNX model of the detector's family instead of the pinned one.
    #[arg(long, value_name = "FILE")]
    pub(crate) model: Option<PathBuf>,
    /// Longest side images are resized to for detection (padded to a multiple of 32).
    #[arg(long, value_name = "PX")]
    pub(crate) det_size: Option<u32>,
    /// Minimum detector score for a face.
    #[arg(long, value_name = "SCORE")]
    pub(crate) score_threshold: Option<f32>,
    /// Inference backend: ort (ONNX Runtime, the default, fetched on first use; tract when it
    /// cannot be had) or tract (pure Rust). A backend named here is used or the run fails.
    #[arg(long, value_name = "NAME")]
    pub(crate) backend: Option<String>,

    /// Never fetch models; fail if one is not cached.
    #[arg(long, env = env::ZCURATE_OFFLINE, value_parser = clap::builder::FalseyValueParser::new())]
    pub(crate) offline: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ManifestCommand {
    /// Write the per-image table of a dataset's manifest to stdout or a file.
    Export(ManifestExportArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ManifestExportArgs {
    /// The dataset folder (its manifest is read from DIR/.zcurate/manifest.json).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Read this manifest instead.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub(crate) format: ExportFormat,
    /// Write here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ModelsCommand {
    /// Show every pinned model and photo, whether it is cached, and its licence.
    List,
    /// Fetch models by name (default: the default detector) into the cache and verify them.
    Fetch(ModelsFetchArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ModelsFetchArgs {
    /// Model names, as in `zcurate models list`.
    pub(crate) names: Vec<String>,
    /// Fetch every model that needs no licence acceptance.
    #[arg(long)]
    pub(crate) all: bool,
    /// Accept the non-commercial licence of the identity model (ArcFace, InsightFace weights).
    #[arg(long)]
    pub(crate) accept_non_commercial: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Args::command().debug_assert();
    }
}
