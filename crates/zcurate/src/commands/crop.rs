//! `zcurate crop`: batch crops to a framing class around the main face, into a new folder,
//! with the output folder's own manifest. The source folder is never written.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use indicatif::ProgressBar;
use zcurate_caption::{CaptionOptions, Catalog};
use zcurate_crop::{
    Aspect, CropJob, CropManifest, CropObserver, CropOptions, OutputFormat, Pad, SourceEntry,
    SourceStatus,
};
use zcurate_manifest::FramingClass;

use crate::ExitStatus;
use crate::args::{FaceArgs, GlobalArgs};
use crate::printer;
use crate::progress;
use crate::settings::{load_options, resolve_faces};

#[derive(Debug, ClapArgs)]
pub(crate) struct CropArgs {
    /// The folder of source photos. It is only read.
    pub(crate) src: PathBuf,
    /// The output folder (created when missing; not inside SRC).
    #[arg(long, short, value_name = "DST")]
    pub(crate) out: PathBuf,
    /// Framing class to crop to. Default: `[crop] framing`, else close-up.
    #[arg(long, value_enum)]
    pub(crate) framing: Option<FramingClass>,
    /// Output aspect ratio W:H (1:1, 4:5, 3:4, 2:3, 9:16, ...). Default: `[crop] aspect`,
    /// else 1:1.
    #[arg(long, value_name = "W:H", value_parser = parse_aspect)]
    pub(crate) aspect: Option<Aspect>,
    /// Long side of the output, pixels. Default: `[crop] size`, else 1024.
    #[arg(long, value_name = "PX")]
    pub(crate) size: Option<u32>,
    /// Both output sides are multiples of this (16 for Z-Image buckets; 64 is safe
    /// everywhere). Default: `[crop] multiple`, else 64.
    #[arg(long, value_name = "PX")]
    pub(crate) multiple: Option<u32>,
    /// Output format (png and webp are lossless). Default: `[crop] format`, else jpg.
    #[arg(long, value_enum)]
    pub(crate) format: Option<CropFormat>,
    /// JPEG quality, 1 to 100. Default: `[crop] quality`, else 95.
    #[arg(long, value_name = "Q")]
    pub(crate) quality: Option<u8>,
    /// One crop per face (numbered outputs) instead of the main subject only.
    #[arg(long)]
    pub(crate) all_faces: bool,
    /// Skip faces whose box is shorter than PX source pixels. Default: `[crop] min-face`,
    /// else 0.
    #[arg(long, value_name = "PX")]
    pub(crate) min_face: Option<f32>,
    /// Enlarge crops smaller than --size (otherwise they keep their size, rounded down to the
    /// multiple, and the shortfall is reported).
    #[arg(long)]
    pub(crate) allow_upscale: bool,
    /// Rotate each crop so that the eye line is level.
    #[arg(long)]
    pub(crate) level_eyes: bool,
    /// Fill what lies outside the photo instead of moving or shrinking the crop.
    #[arg(long, value_enum, value_name = "MODE")]
    pub(crate) pad: Option<PadMode>,
    /// Colour for `--pad colour`, as RRGGBB. Default: `[crop] pad-colour`, else 808080.
    #[arg(long, value_name = "RRGGBB", value_parser = parse_colour)]
    pub(crate) pad_colour: Option<[u8; 3]>,
    /// Replace files in DST that zcurate crop did not write (its own outputs are always
    /// updated).
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Print the plan (stdout) and write nothing but the --preview.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Draw a contact sheet of the sources with their crop and face boxes into FILE (.jpg,
    /// .png or .webp; replaced if it exists).
    #[arg(long, value_name = "FILE")]
    pub(crate) preview: Option<PathBuf>,
    /// Worker threads. Default: `[scan] jobs`, else one per core.
    #[arg(long, short, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Search sub-folders of SRC too (kohya `N_name` folders always are).
    #[arg(long, short)]
    pub(crate) recursive: bool,
    /// Caption sidecar extension.
    #[arg(long, value_name = "EXT")]
    pub(crate) caption_ext: Option<String>,
    /// Caption schema whose framing slot is rewritten in copied captions. Default:
    /// `caption.schema`, else `face`.
    #[arg(long, value_name = "NAME")]
    pub(crate) schema: Option<String>,
    #[command(flatten)]
    pub(crate) faces: FaceArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum CropFormat {
    #[value(alias = "jpeg")]
    Jpg,
    Png,
    Webp,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PadMode {
    Reflect,
    Blur,
    #[value(alias = "color")]
    Colour,
}

/// The crop options from flags, then the `[crop]` table, then the built-in defaults.
fn resolve_crop_options(
    args: &CropArgs,
    file: &zcurate_config::CropDefaults,
    thresholds: zcurate_framing::FramingThresholds,
) -> Result<CropOptions> {
    fn from_file<T: ValueEnum>(key: &str, value: Option<&String>) -> Result<Option<T>> {
        value
            .map(|v| {
                T::from_str(v, true).map_err(|_| {
                    let known: Vec<String> = T::value_variants()
                        .iter()
                        .filter_map(|x| x.to_possible_value().map(|p| p.get_name().to_owned()))
                        .collect();
                    anyhow::anyhow!(
                        "invalid `[crop] {key}` {v:?}; expected one of {}",
                        known.join(", ")
                    )
                })
            })
            .transpose()
    }
    let defaults = CropOptions::default();
    let framing = args
        .framing
        .or(from_file::<FramingClass>("framing", file.framing.as_ref())?)
        .unwrap_or(defaults.framing);
    let aspect = match (args.aspect, &file.aspect) {
        (Some(a), _) => a,
        (None, Some(s)) => {
            parse_aspect(s).map_err(|e| anyhow::anyhow!("invalid `[crop] aspect`: {e}"))?
        }
        (None, None) => defaults.aspect,
    };
    let format = match args
        .format
        .or(from_file::<CropFormat>("format", file.format.as_ref())?)
    {
        None => defaults.format,
        Some(CropFormat::Jpg) => OutputFormat::Jpeg,
        Some(CropFormat::Png) => OutputFormat::Png,
        Some(CropFormat::Webp) => OutputFormat::Webp,
    };
    let pad_colour = match (args.pad_colour, &file.pad_colour) {
        (Some(c), _) => c,
        (None, Some(s)) => {
            parse_colour(s).map_err(|e| anyhow::anyhow!("invalid `[crop] pad-colour`: {e}"))?
        }
        (None, None) => [0x80, 0x80, 0x80],
    };
    let pad = args
        .pad
        .or(from_file::<PadMode>("pad", file.pad.as_ref())?)
        .map(|p| match p {
            PadMode::Reflect => Pad::Reflect,
            PadMode::Blur => Pad::Blur,
            PadMode::Colour => Pad::Colour(pad_colour),
        });
    Ok(CropOptions {
        framing,
        aspect,
        size: args.size.or(file.size).unwrap_or(defaults.size),
        multiple: args.multiple.or(file.multiple).unwrap_or(defaults.multiple),
        format,
        quality: args.quality.or(file.quality).unwrap_or(defaults.quality),
        all_faces: args.all_faces,
        min_face_px: args
            .min_face
            .or(file.min_face)
            .unwrap_or(defaults.min_face_px),
        allow_upscale: args.allow_upscale || file.allow_upscale.unwrap_or(false),
        level_eyes: args.level_eyes || file.level_eyes.unwrap_or(false),
        pad,
        composition: file.composition.unwrap_or(defaults.composition),
        thresholds,
    })
}

fn parse_aspect(s: &str) -> Result<Aspect, String> {
    s.parse()
        .map_err(|e: zcurate_crop::OptionsError| e.to_string())
}

fn parse_colour(s: &str) -> Result<[u8; 3], String> {
    let hex = s.trim_start_matches('#');
    let bad = || format!("`{s}` is not a colour as RRGGBB");
    if hex.len() != 6 || !hex.is_ascii() {
        return Err(bad());
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok([byte(0)?, byte(2)?, byte(4)?])
}

/// Progress and per-source messages while the workers run.
struct Reporter {
    bar: ProgressBar,
}

impl CropObserver for Reporter {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn source_done(&self, entry: &SourceEntry, up_to_date: bool) {
        self.bar.inc(1);
        progress::suspend(&self.bar, || match entry.status {
            SourceStatus::Error => {
                printer::error(format!("{}: {}", entry.path, entry.reasons.join("; ")));
            }
            SourceStatus::Skipped => {
                printer::status(format!(
                    "skipped {}: {}",
                    entry.path,
                    entry.reasons.join("; ")
                ));
            }
            SourceStatus::Cropped if up_to_date => {
                printer::verbose(format!("up to date: {}", entry.path));
            }
            SourceStatus::Cropped => {
                for o in &entry.outputs {
                    if !o.framing.reached {
                        printer::warning(format!(
                            "{}: the photo gives {} rather than {} ({:.2} head heights below the chin, fit {})",
                            o.path,
                            o.framing.expected,
                            o.framing.requested,
                            o.framing.below_chin_heads,
                            fit_name(o.fit),
                        ));
                    }
                }
                if !entry.reasons.is_empty() {
                    printer::verbose(format!("{}: {}", entry.path, entry.reasons.join("; ")));
                }
            }
        });
    }
}

fn fit_name(fit: zcurate_crop::Fit) -> &'static str {
    match fit {
        zcurate_crop::Fit::Ideal => "ideal",
        zcurate_crop::Fit::Shifted => "shifted",
        zcurate_crop::Fit::Shrunk => "shrunk",
        zcurate_crop::Fit::Padded => "padded",
    }
}

pub(crate) fn run(args: &CropArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    if args.faces.no_faces {
        bail!("`zcurate crop` crops around faces; drop --no-faces");
    }
    let (options, config_file) = load_options(global, &args.src)?;
    if let Some(f) = &config_file {
        printer::verbose(format!("using config {}", f.display()));
    }
    let faces =
        resolve_faces(&args.faces, &options)?.context("face detection is needed to crop")?;
    let scan = options.scan.clone().unwrap_or_default();
    let caption_options: CaptionOptions = options.caption.clone().unwrap_or_default();
    let catalog = Catalog::new(&caption_options).context("invalid `[caption]` configuration")?;
    let schema_name = args
        .schema
        .clone()
        .or(caption_options.schema.clone())
        .unwrap_or_else(|| "face".to_owned());
    let schema = catalog.get(&schema_name)?;
    let jobs = args.jobs.or(scan.jobs);
    if jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }

    // The frame is built from the thresholds the face stage classifies with, so that a
    // re-scan of the crops agrees with the plan.
    let crop_options = resolve_crop_options(
        args,
        &options.crop.clone().unwrap_or_default(),
        faces.framing,
    )?;
    crop_options.validate()?;
    let (framing, size) = (crop_options.framing, crop_options.size);

    // Faces of an up-to-date scan of SRC are reused; the scan manifest is only read.
    let scan_path = zcurate_manifest::default_manifest_path(&args.src);
    let source_manifest = if scan_path.is_file() {
        match zcurate_manifest::read(&scan_path) {
            Ok(m) => Some(m),
            Err(e) => {
                printer::verbose(format!("not reusing faces: {e}"));
                None
            }
        }
    } else {
        None
    };

    let job = CropJob {
        src: args.src.clone(),
        src_label: args.src.to_string_lossy().into_owned(),
        dst: args.out.clone(),
        options: crop_options,
        recursive: args.recursive || scan.recursive.unwrap_or(false),
        caption_ext: args
            .caption_ext
            .clone()
            .or(scan.caption_ext)
            .unwrap_or_else(|| "txt".to_owned())
            .trim_start_matches('.')
            .to_owned(),
        jobs,
        overwrite: args.overwrite,
        dry_run: args.dry_run,
        preview: args.preview.clone(),
        limits: zcurate_image::DecodeLimits::default(),
        schema: Some(schema),
        source_manifest: source_manifest.as_ref(),
    };
    // Bad folders fail before the detector model is loaded (or fetched).
    job.check().with_context(|| {
        format!(
            "cannot crop {} into {}",
            args.src.display(),
            args.out.display()
        )
    })?;
    let stage = super::scan::load_face_step(&faces)?;
    let reporter = Reporter {
        bar: progress::bar("cropping"),
    };
    let started = Instant::now();
    let outcome = zcurate_crop::run(&job, &stage, &reporter);
    reporter.bar.finish_and_clear();
    let outcome = outcome.with_context(|| {
        format!(
            "cannot crop {} into {}",
            args.src.display(),
            args.out.display()
        )
    })?;
    for w in &outcome.warnings {
        printer::warning(w);
    }
    let s = outcome.stats;
    if s.sources == 0 {
        printer::error(format!("no images found in {}", args.src.display()));
        return Ok(ExitStatus::Error);
    }
    if args.dry_run {
        let mut out = std::io::stdout().lock();
        out.write_all(plan_table(&outcome.manifest).as_bytes())?;
    }

    let mut notes = Vec::new();
    if s.skipped > 0 {
        notes.push(format!("{} skipped", s.skipped));
    }
    if s.errors > 0 {
        notes.push(format!("{} with errors", s.errors));
    }
    if s.up_to_date > 0 {
        notes.push(format!("{} up to date", s.up_to_date));
    }
    if s.shortfall > 0 {
        notes.push(format!(
            "{} smaller than {} px (not enlarged)",
            s.shortfall, size
        ));
    }
    if s.upscaled > 0 {
        notes.push(format!("{} enlarged", s.upscaled));
    }
    if s.not_reached > 0 {
        notes.push(format!("{} not {}", s.not_reached, framing));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    let target = outcome.manifest_path.as_ref().map_or_else(
        || " (dry run: nothing written)".to_owned(),
        |p| format!(" -> {}", p.display()),
    );
    printer::status(format!(
        "{} {} of {} images into {} {} crops{notes} in {:.2}s{target}",
        printer::bold(if args.dry_run { "Planned" } else { "Cropped" }),
        s.cropped,
        s.sources,
        s.outputs,
        framing,
        started.elapsed().as_secs_f64(),
    ));
    if let Some(p) = &outcome.preview {
        printer::status(format!("Contact sheet -> {}", p.display()));
    }
    Ok(if s.errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The plan of a dry run: one row per crop, or per source without one.
fn plan_table(m: &CropManifest) -> String {
    let width = m
        .sources
        .iter()
        .map(|s| s.path.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:<24}  {:<30}  {:<9}  {:<8}  framing",
        "source", "output", "crop (x y w h [angle])", "size", "fit"
    );
    for s in &m.sources {
        if s.outputs.is_empty() {
            let what = match s.status {
                SourceStatus::Error => "error",
                _ => "skipped",
            };
            let _ = writeln!(
                out,
                "{:<width$}  -  {what}: {}",
                s.path,
                s.reasons.join("; ")
            );
            continue;
        }
        for o in &s.outputs {
            let c = &o.crop;
            let mut crop = format!(
                "{:.0} {:.0} {:.0} {:.0}",
                c.origin[0], c.origin[1], c.width, c.height
            );
            if c.angle_deg != 0.0 {
                let _ = write!(crop, " {:+.1}°", c.angle_deg);
            }
            let framing = if o.framing.reached {
                o.framing.expected.to_string()
            } else {
                format!("{} (asked {})", o.framing.expected, o.framing.requested)
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:<24}  {:<30}  {:<9}  {:<8}  {framing}",
                s.path,
                o.path,
                crop,
                format!("{}x{}", o.width, o.height),
                fit_name(o.fit),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_as_hex() {
        assert_eq!(parse_colour("ff8000").unwrap(), [255, 128, 0]);
        assert_eq!(parse_colour("#000000").unwrap(), [0, 0, 0]);
        assert!(parse_colour("fff").is_err());
        assert!(parse_colour("zz0000").is_err());
    }
}
