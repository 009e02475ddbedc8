//! Score a run's sample images against the dataset's identity: `zcurate evaluate`, and the
//! end of `zcurate train`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zcurate_evaluate::{
    Centre, Evaluation, FaceModels, Level, PromptSet, Run, RunOptions, render, score_samples,
};
use zcurate_train::{EXPORT_MANIFEST, ExportManifest};

use crate::args::{FaceArgs, GlobalArgs};
use crate::commands::evaluate::{EvaluateArgs, EvaluateFormat};
use crate::commands::scan::ScanArgs;
use crate::printer;
use crate::progress;
use crate::settings::{Config, LintFlags, ScanSettings, evaluate_thresholds, lint_settings};

/// At the end of `zcurate train`: when the run left samples, print their table (with
/// `--identity`) or say how to score them, judged by train's own `--profile` (`profile`).
/// Never changes train's exit status. `config` is the dataset's, which train has read
/// already.
pub(crate) fn after_train(
    out: &Path,
    dataset: &Path,
    identity: bool,
    profile: Option<String>,
    global: &GlobalArgs,
    config: &Config,
) {
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
        profile,
        max_bleed: None,
        min_activation: None,
        likeness_tolerance: None,
        format: EvaluateFormat::Human,
        html: None,
        faces: FaceArgs::default(),
    };
    match evaluate(&args, global, Some(config)) {
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
/// is loaded. `loaded` is the dataset's config when the caller has read it already.
pub(crate) fn evaluate(
    args: &EvaluateArgs,
    global: &GlobalArgs,
    loaded: Option<&Config>,
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
    let read;
    let config = if let Some(c) = loaded {
        c
    } else {
        read = Config::load(global, &dataset)?;
        &read
    };
    let settings = lint_settings(
        config,
        LintFlags::judging(args.profile.clone(), args.trigger.clone(), None, false)?,
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

    let thresholds = evaluate_thresholds(args, config, &settings)?;
    if !args.identity {
        anyhow::bail!(
            "likeness is measured with the ArcFace identity model `arcface-mbf`, whose weights are licensed for non-commercial research only; pass --identity to fetch and use it"
        );
    }
    if let Some(r) = &record
        && zcurate_fs::sha256_hex(&manifest_bytes) != r.dataset_manifest_sha256
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
        config,
    )?;
    let faces = scan
        .faces
        .as_ref()
        .context("evaluate needs face detection: drop --no-faces")?;
    let step = super::load_face_step(faces)?;
    let manifest = super::scan_dataset_with(&scan, Some(&step))?.0;
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

/// `1 checkpoint`, `3 checkpoints`.
fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
