//! `zcurate crop`: batch crops to a framing class around the main face, into a new folder,
//! with the output folder's own manifest. The source folder is never written.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use indicatif::ProgressBar;
use zcurate_caption::{CaptionOptions, Catalog};
use zcurate_crop::{
    Aspect, CropJob, CropManifest, CropObserver, OutputFormat, PadMode, Rgb, SourceEntry,
    SourceStatus,
};
use zcurate_manifest::FramingClass;

use crate::ExitStatus;
use crate::args::{FaceArgs, GlobalArgs};
use crate::pipeline;
use crate::printer;
use crate::progress;
use crate::settings::{Config, crop_options, resolve_faces};

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
    #[arg(long, value_parser = names_of::<OutputFormat>([
        PossibleValue::new("jpg").alias("jpeg"),
        PossibleValue::new("png"),
        PossibleValue::new("webp"),
    ]))]
    pub(crate) format: Option<OutputFormat>,
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
    #[arg(long, value_name = "MODE", value_parser = names_of::<PadMode>([
        PossibleValue::new("reflect"),
        PossibleValue::new("blur"),
        PossibleValue::new("colour").alias("color"),
    ]))]
    pub(crate) pad: Option<PadMode>,
    /// Colour for `--pad colour`, as RRGGBB. Default: `[crop] pad-colour`, else 808080.
    #[arg(long, value_name = "RRGGBB", value_parser = clap::value_parser!(Rgb))]
    pub(crate) pad_colour: Option<Rgb>,
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

/// A flag whose values are the names of a type parsed by its `FromStr` (one definition of
/// the names: the type's), listed in `--help` as clap lists a value enum's.
fn names_of<T>(names: impl IntoIterator<Item = PossibleValue>) -> impl TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Display,
{
    PossibleValuesParser::new(names).map(|s| {
        s.parse::<T>()
            .unwrap_or_else(|e| unreachable!("`{s}` is listed: {e}"))
    })
}

fn parse_aspect(s: &str) -> Result<Aspect, String> {
    s.parse()
        .map_err(|e: zcurate_crop::OptionsError| e.to_string())
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
    let config = Config::load(global, &args.src)?;
    let options = &config.options;
    let faces = resolve_faces(&args.faces, &config)?.context("face detection is needed to crop")?;
    let scan = options.scan.clone().unwrap_or_default();
    let caption_options: CaptionOptions = options.caption.clone().unwrap_or_default();
    let catalog = Catalog::new(&caption_options).context("invalid `[caption]` configuration")?;
    let schema_name = args
        .schema
        .clone()
        .or(caption_options.schema.clone())
        .unwrap_or_else(|| "face".to_owned());
    let schema = catalog.get(&schema_name)?;
    let jobs = crate::settings::jobs(args.jobs, &config)?;

    // The frame is built from the thresholds the face stage classifies with, so that a
    // re-scan of the crops agrees with the plan.
    let crop_options = crop_options(args, &config, faces.framing)?;
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
        caption_ext: crate::settings::caption_ext(
            args.caption_ext.as_deref(),
            scan.caption_ext.as_deref(),
        ),
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
    let stage = pipeline::load_face_step(&faces)?;
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
