use std::io::Write;

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use serde::Serialize;
use zcurate_manifest::ImageRecord;

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::commands::scan::ScanArgs;
use crate::pipeline;
use crate::settings::{Config, ScanSettings};

#[derive(Debug, ClapArgs)]
pub(crate) struct FacesArgs {
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FacesFormat::Table)]
    pub(crate) format: FacesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FacesFormat {
    Table,
    Json,
}

/// One row of `zcurate faces`.
#[derive(Debug, Serialize)]
struct Row<'a> {
    file: &'a str,
    faces: Option<usize>,
    main_box: Option<[f32; 4]>,
    angle: Option<String>,
    framing: Option<&'static str>,
    confidence: Option<f32>,
    error: Option<&'a str>,
}

fn row(r: &ImageRecord) -> Row<'_> {
    let main = r.main_face();
    Row {
        file: &r.path,
        faces: r.faces.as_ref().map(Vec::len),
        main_box: main.map(|f| f.bbox),
        angle: main.and_then(|f| f.angle).map(|a| {
            serde_json::to_value(a)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        framing: r.framing.as_ref().map(|f| f.class.as_str()),
        confidence: r.framing.as_ref().map(|f| f.confidence),
        error: r.error.as_ref().map(|e| e.message.as_str()),
    }
}

pub(crate) fn run(args: &FacesArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    if args.scan.faces.no_faces {
        anyhow::bail!("`zcurate faces` detects faces; drop --no-faces");
    }
    let config = Config::load(global, &args.scan.dir)?;
    let settings = ScanSettings::resolve(&args.scan, &config)?;
    let (manifest, stats) = pipeline::scan_dataset(&settings)?;
    let rows: Vec<Row> = manifest.images.iter().map(row).collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        FacesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        FacesFormat::Table => {
            let width = rows.iter().map(|r| r.file.len()).max().unwrap_or(4).max(4);
            writeln!(
                out,
                "{:<width$}  {:>5}  {:<22}  {:<19}  {:<14}  conf",
                "file", "faces", "main box (x y w h)", "angle", "framing"
            )?;
            for r in &rows {
                if let Some(e) = r.error.filter(|_| r.faces.is_none()) {
                    writeln!(out, "{:<width$}  error: {e}", r.file)?;
                    continue;
                }
                let bbox = r.main_box.map_or_else(
                    || "-".to_owned(),
                    |[x, y, w, h]| format!("{x:.0} {y:.0} {w:.0} {h:.0}"),
                );
                writeln!(
                    out,
                    "{:<width$}  {:>5}  {:<22}  {:<19}  {:<14}  {}",
                    r.file,
                    r.faces.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                    bbox,
                    r.angle.as_deref().unwrap_or("-"),
                    r.framing.unwrap_or("-"),
                    r.confidence
                        .map_or_else(|| "-".to_owned(), |c| format!("{c:.2}")),
                )?;
            }
        }
    }
    Ok(if stats.images == 0 || stats.errors == stats.images {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}
