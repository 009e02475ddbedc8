//! `zcurate manifest`: work with a dataset's manifest.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};

use crate::ExitStatus;

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

pub(crate) fn run(cmd: ManifestCommand) -> Result<ExitStatus> {
    match cmd {
        ManifestCommand::Export(a) => export(&a),
    }
}

fn export(args: &ManifestExportArgs) -> Result<ExitStatus> {
    let path = args
        .manifest
        .clone()
        .unwrap_or_else(|| zcurate_manifest::default_manifest_path(&args.dir));
    let manifest = crate::pipeline::read_manifest(&path, &args.dir, "")?;
    let mut buf = Vec::new();
    match args.format {
        ExportFormat::Csv => zcurate_manifest::write_csv(&manifest, &mut buf)?,
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut buf, &manifest)?;
            buf.push(b'\n');
        }
    }
    match &args.output {
        Some(p) => {
            std::fs::write(p, &buf).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => std::io::stdout().lock().write_all(&buf)?,
    }
    Ok(ExitStatus::Success)
}
