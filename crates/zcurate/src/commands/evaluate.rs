//! `zcurate evaluate`: score a run's sample images per checkpoint for likeness to the
//! dataset's identity and for bleeding into neutral prompts, recommend the checkpoint to
//! keep, and gate on it (exit 0 a checkpoint qualifies, 1 none does, 2 nothing could be
//! scored).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use zcurate_evaluate::{
    Centre, Evaluation, FaceModels, Layout, Level, PromptSet, Run, RunOptions, Thresholds, render,
    score_samples,
};
use zcurate_lint::Overrides;
use zcurate_train::{EXPORT_MANIFEST, ExportManifest};

use crate::ExitStatus;
use crate::args::{FaceArgs, GlobalArgs, ScanArgs};
use crate::env;
use crate::printer;
use crate::progress;
use crate::settings::{ScanSettings, load_options};

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
    let (evaluation, thumbs) = evaluate(args, global)?;
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

/// At the end of `zcurate train`: when the run left samples, print their table (with
/// `--identity`) or say how to score them. Never changes train's exit status.
pub(crate) fn after_train(out: &Path, dataset: &Path, identity: bool, global: &GlobalArgs) {
    let Ok(run) = Run::open(out, RunOptions::default()) else {
        return;
    };
    if !identity {
        printer::status(format!(
            "{} {} sample images in {}: score them with `zcurate evaluate {} --dataset {} --identity`",
            printer::bold("Samples:"),
            run.found,
            out.display(),
            out.display(),
            dataset.display()
        ));
        return;
    }
    let args = EvaluateArgs {
        run: out.to_owned(),
        dataset: Some(dataset.to_owned()),
        manifest: None,
        identity,
        prompts: None,
        trigger: None,
        layout: None,
        profile: None,
        max_bleed: None,
        min_activation: None,
        likeness_tolerance: None,
        format: EvaluateFormat::Human,
        html: None,
        faces: FaceArgs::default(),
    };
    match evaluate(&args, global) {
        Ok((evaluation, _)) => {
            let _ = std::io::stdout()
                .lock()
                .write_all(render::human(&evaluation).as_bytes());
        }
        Err(e) => printer::warning(format!("cannot evaluate the run's samples: {e:#}")),
    }
}

/// Everything up to the verdict: the run's samples, the dataset's identity centre, the
/// scores. Cheap checks first, so a run that cannot be evaluated fails before any model
/// is loaded.
fn evaluate(
    args: &EvaluateArgs,
    global: &GlobalArgs,
) -> Result<(Evaluation, Vec<Option<Vec<u8>>>)> {
    let record_path = args.run.join(EXPORT_MANIFEST);
    let record = ExportManifest::read(&record_path)
        .with_context(|| format!("cannot read {}", record_path.display()))?;
    let dataset = match (&args.dataset, &record) {
        (Some(d), _) => d.clone(),
        (None, Some(r)) if Path::new(&r.dataset).is_dir() => PathBuf::from(&r.dataset),
        (None, Some(r)) => anyhow::bail!(
            "the export record names the dataset {}, which is not a folder here: pass --dataset DIR",
            r.dataset
        ),
        (None, None) => anyhow::bail!(
            "which dataset did the run learn? pass --dataset DIR (its identity is what the samples are compared with)"
        ),
    };
    let (options, _) = load_options(global, &dataset)?;
    let settings = super::lint::resolve_settings(
        &dataset,
        global,
        Overrides {
            profile: args.profile.clone(),
            trigger: args.trigger.clone(),
            ..Overrides::default()
        },
    )?;
    let manifest_path = args
        .manifest
        .clone()
        .unwrap_or_else(|| zcurate_manifest::default_manifest_path(&dataset));
    if !manifest_path.is_file() {
        anyhow::bail!(
            "no manifest at {}; create it with `zcurate scan {}`",
            manifest_path.display(),
            dataset.display()
        );
    }
    let manifest_bytes = std::fs::read(&manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let manifest = zcurate_manifest::read(&manifest_path)?;

    let prompts = match &args.prompts {
        Some(path) => {
            let trigger = settings.trigger.clone().or_else(|| {
                zcurate_lint::lint(&manifest, &settings)
                    .summary
                    .trigger
                    .map(|t| t.text)
            });
            Some(PromptSet::read(path, trigger.as_deref())?)
        }
        None => None,
    };
    let run = Run::open(
        &args.run,
        RunOptions {
            layout: args.layout,
            prompts,
        },
    )?;
    let mut checkpoints: Vec<_> = run.samples.iter().map(|s| s.file.checkpoint).collect();
    checkpoints.dedup();
    printer::status(format!(
        "{} {} in {} ({} paired with a prompt, {})",
        printer::bold("Found"),
        plural(run.found, &format!("{} sample image", run.layout)),
        args.run.display(),
        run.samples.len(),
        plural(checkpoints.len(), "checkpoint"),
    ));

    let thresholds = thresholds(args, &options, &settings)?;
    if !args.identity {
        anyhow::bail!(
            "likeness is measured with the ArcFace identity model `arcface-mbf`, whose weights are licensed for non-commercial research only; pass --identity to fetch and use it"
        );
    }
    if let Some(r) = &record
        && zcurate_scan::sha256_hex(&manifest_bytes) != r.dataset_manifest_sha256
    {
        printer::verbose(format!(
            "the manifest of {} changed since the export (a re-scan, or embeddings added): the identity centre is the dataset's as it is now",
            dataset.display()
        ));
    }
    // The dataset's faces are embedded by its (incremental) scan, searching the folders and
    // captions its manifest was made with; the same loaded models then score the samples.
    let scan = ScanSettings::resolve(
        &ScanArgs {
            dir: dataset.clone(),
            manifest: Some(manifest_path.clone()),
            jobs: None,
            recursive: manifest.settings.recursive,
            caption_ext: Some(manifest.settings.caption_ext.clone()),
            strict: false,
            no_cache: false,
            save_every: None,
            identity: true,
            faces: args.faces.clone(),
        },
        global,
    )?;
    let faces = scan
        .faces
        .as_ref()
        .context("evaluate needs face detection: drop --no-faces")?;
    let step = super::scan::load_face_step(faces)?;
    let manifest = super::scan::scan_dataset_with(&scan, Some(&step))?.0;
    let (Some(model_sha), Some(embedder)) = (step.identity_model(), step.embedder()) else {
        anyhow::bail!("the identity model did not load");
    };
    let t = &settings.profile.thresholds;
    let centre = Centre::from_manifest(&manifest, model_sha, t.min_identity_faces)?;

    let models = FaceModels {
        detector: step.detector(),
        embedder,
        min_score: step.config().score_threshold,
    };
    let bar = progress::bar("samples");
    bar.set_length(run.samples.len() as u64);
    let started = std::time::Instant::now();
    let (samples, thumbs) = score_samples(&run, &models, &centre, args.html.is_some(), &|| {
        bar.inc(1);
    });
    bar.finish_and_clear();
    printer::status(format!(
        "{} {} in {:.2}s",
        printer::bold("Scored"),
        plural(samples.len(), "sample image"),
        started.elapsed().as_secs_f64()
    ));
    let evaluation = Evaluation::build(
        &run,
        &args.run.display().to_string(),
        &dataset.display().to_string(),
        centre,
        samples,
        thresholds,
    )?;
    for n in &evaluation.notes {
        match n.level {
            Level::Warning => printer::warning(&n.message),
            Level::Info => printer::status(&n.message),
        }
    }
    Ok((evaluation, thumbs))
}

/// Flags over `[evaluate]` over the defaults; the identity threshold is the lint profile's.
fn thresholds(
    args: &EvaluateArgs,
    options: &zcurate_config::Options,
    settings: &zcurate_lint::LintSettings,
) -> Result<Thresholds> {
    let file = options.evaluate.clone().unwrap_or_default();
    let mut t = Thresholds::with_similarity(settings.profile.thresholds.min_identity_similarity);
    if let Some(v) = args.max_bleed.or(file.max_bleed) {
        t.max_bleed = v;
    }
    if let Some(v) = args.min_activation.or(file.min_activation) {
        t.min_activation = v;
    }
    if let Some(v) = args.likeness_tolerance.or(file.likeness_tolerance) {
        t.likeness_tolerance = v;
    }
    t.validate()
        .map_err(|e| anyhow::anyhow!("invalid evaluate thresholds: {e}"))?;
    Ok(t)
}

/// `1 checkpoint`, `3 checkpoints`.
fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
