//! `zcurate scan`: analyse every image of a dataset folder once and write its manifest.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;

use crate::ExitStatus;
use crate::args::{FaceArgs, GlobalArgs};
use crate::pipeline;
use crate::printer;
use crate::settings::{Config, ScanSettings};

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

pub(crate) fn run(args: &ScanArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let config = Config::load(global, &args.dir)?;
    let settings = ScanSettings::resolve(args, &config)?;
    let (manifest, s) = pipeline::scan_dataset(&settings)?;
    if s.images == 0 {
        printer::error(format!("no images found in {}", settings.root.display()));
        return Ok(ExitStatus::Error);
    }
    if s.errors == s.images {
        printer::error("no image could be scanned");
        return Ok(ExitStatus::Error);
    }
    if settings.strict && (s.errors > 0 || !manifest.dir_errors.is_empty()) {
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
