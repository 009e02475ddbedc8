use std::io::Write;

use anyhow::{Context, Result};

use crate::ExitStatus;
use crate::args::{ExportFormat, ManifestCommand, ManifestExportArgs};

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
    if !path.exists() {
        anyhow::bail!(
            "no manifest at {}; create it with `zcurate scan {}`",
            path.display(),
            args.dir.display()
        );
    }
    let manifest = zcurate_manifest::read(&path)?;
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
