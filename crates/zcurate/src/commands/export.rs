//! `zcurate export`: from the manifest alone, write a trainer-ready dataset, the trainer's
//! config files and a README into OUT, unless the dataset fails the lint gate (exit 1;
//! `--force` exports anyway and records the override).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use zcurate_lint::{ConfigTables, LintSettings, Overrides};
use zcurate_train::{
    ExportJob, ExportOutcome, Model, Plan, PlanOptions, Target, TrainError, Trainer,
};

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::env;
use crate::printer;
use crate::settings::load_options;

#[derive(Debug, ClapArgs)]
pub(crate) struct ExportArgs {
    /// The dataset folder, already scanned (`zcurate scan DIR`); its manifest is read from
    /// DIR/.zcurate/manifest.json.
    pub(crate) dir: PathBuf,
    /// The trainer to write configs for.
    #[arg(
        long,
        value_name = "TRAINER",
        value_parser = PossibleValuesParser::new(Trainer::ALL.iter().map(|t| t.as_str()))
            .map(|s| s.parse::<Trainer>().expect("a listed trainer"))
    )]
    pub(crate) trainer: Trainer,
    /// The base model to train on (Turbo uses the training adapter where the trainer has one).
    #[arg(
        long,
        value_name = "MODEL",
        value_parser = PossibleValuesParser::new(Model::ALL.iter().map(|m| m.as_str()))
            .map(|s| s.parse::<Model>().expect("a listed model"))
    )]
    pub(crate) model: Model,
    /// Output folder: the trainer-ready dataset, the configs and a README. Must be outside
    /// DIR, and empty or made by an earlier `zcurate export`.
    #[arg(long, value_name = "OUT")]
    pub(crate) out: PathBuf,
    /// The trigger word written into every caption (default: `[lint]`/`[caption]` trigger,
    /// else inferred from the captions).
    #[arg(long, value_name = "WORD")]
    pub(crate) trigger: Option<String>,
    /// The class word for captions without one and for sample prompts (`woman`, `man`, ...;
    /// default: the captions' most common).
    #[arg(long, value_name = "WORD")]
    pub(crate) class_word: Option<String>,
    /// Lint profile of the gate and the step heuristics: `face` (default), `character`, or
    /// a `[profile.NAME]`.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Export even when the dataset fails lint; the override is recorded in OUT's README and
    /// export manifest.
    #[arg(long)]
    pub(crate) force: bool,
    /// Gate also on identity (ID001, another person among the images) from the ArcFace
    /// embeddings that `zcurate scan --identity` stored in the manifest (`arcface-mbf`,
    /// non-commercial licence). With `zcurate train`, also scores the run's samples at the end.
    #[arg(long)]
    pub(crate) identity: bool,
    /// Write into a non-empty OUT that `zcurate export` did not make, and replace files
    /// changed since the last export (nothing else is touched).
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Train at this resolution (a multiple of 64, 256–2048) instead of the one chosen from
    /// the images (native 1024 when most images reach it).
    #[arg(long, value_name = "PX")]
    pub(crate) resolution: Option<u32>,
    /// Folder of model files for trainers that read files rather than hub ids
    /// (diffusion-pipe, musubi-tuner); default: placeholders to fill in.
    #[arg(long, value_name = "DIR")]
    pub(crate) models_dir: Option<PathBuf>,
    /// Read this manifest instead of DIR/.zcurate/manifest.json.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
}

/// A finished export: what was written and from what.
pub(crate) struct Exported {
    pub(crate) outcome: ExportOutcome,
    pub(crate) plan: Plan,
    pub(crate) manifest_sha256: String,
}

pub(crate) fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    match export_checked(args, global)? {
        Ok(done) => {
            writeln!(
                std::io::stdout().lock(),
                "{}",
                done.outcome.main_config.display()
            )?;
            Ok(ExitStatus::Success)
        }
        Err(status) => Ok(status),
    }
}

/// Lint settings for the gate: the profile, trigger and class word as `zcurate lint`
/// resolves them (flags over `[lint]`, `[caption]` and `[profile.*]`); the plan is the
/// export's own.
fn lint_settings(args: &ExportArgs, global: &GlobalArgs) -> Result<LintSettings> {
    let (options, config_file) = load_options(global, &args.dir)?;
    if let Some(f) = &config_file {
        printer::verbose(format!("using config {}", f.display()));
    }
    let caption = options.caption.as_ref();
    let lint = options.lint.as_ref();
    let overrides = Overrides {
        profile: args.profile.clone(),
        trigger: args.trigger.clone().or_else(|| {
            lint.and_then(|l| l.trigger.clone())
                .or_else(|| caption.and_then(|c| c.trigger.clone()))
        }),
        class_word: args.class_word.clone().or_else(|| {
            lint.and_then(|l| l.class_word.clone())
                .or_else(|| caption.and_then(|c| c.class.clone()))
        }),
        identity: args.identity,
        identity_model: args
            .identity
            .then(super::lint::identity_model)
            .transpose()?,
        ..Overrides::default()
    };
    let tables = ConfigTables {
        lint,
        profiles: options.profile.as_ref(),
        plan: None,
        caption,
    };
    LintSettings::resolve(tables, &overrides).context("invalid lint settings")
}

/// Reads and checks the manifest, plans, gates and exports. `Ok(Err(status))` is a refusal
/// by the gate (already reported).
pub(crate) fn export_checked(
    args: &ExportArgs,
    global: &GlobalArgs,
) -> Result<std::result::Result<Exported, ExitStatus>> {
    let settings = lint_settings(args, global)?;
    let manifest_path = args
        .manifest
        .clone()
        .unwrap_or_else(|| zcurate_manifest::default_manifest_path(&args.dir));
    let bytes = match std::fs::read(&manifest_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TrainError::NoManifest {
                path: manifest_path,
                dir: args.dir.display().to_string(),
            }
            .into());
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", manifest_path.display()));
        }
    };
    let manifest_sha256 = zcurate_scan::sha256_hex(&bytes);
    let manifest = zcurate_manifest::read(&manifest_path)?;
    zcurate_train::check_fresh(&manifest, &args.dir)?;
    if let Some(sha) = &settings.identity_model {
        super::lint::say_identity_licence()?;
        // Export never scans: a gate on identity needs the embeddings stored already.
        let missing = manifest
            .images
            .iter()
            .filter(|r| r.main_face().is_some() && r.current_identity(Some(sha)).is_none())
            .count();
        if missing > 0 {
            anyhow::bail!(
                "--identity: {missing} main face{} of {} ha{} no identity embedding; run `zcurate scan {} --identity` first",
                if missing == 1 { "" } else { "s" },
                args.dir.display(),
                if missing == 1 { "s" } else { "ve" },
                args.dir.display()
            );
        }
    }

    let target = Target {
        trainer: args.trainer,
        model: args.model,
    };
    let options = PlanOptions {
        resolution: args.resolution,
        ..PlanOptions::default()
    };
    let plan = Plan::compute(&manifest, &settings, target, &options)?;
    let gate = &plan.gate;
    if !gate.passed {
        if !args.force {
            printer::error(format!(
                "export refused: the dataset fails lint with {} finding{} at `{}` or above; fix {} (`zcurate lint {} --profile {}`), or pass --force to export anyway",
                gate.failing.len(),
                if gate.failing.len() == 1 { "" } else { "s" },
                gate.fail_on,
                if gate.failing.len() == 1 {
                    "it"
                } else {
                    "them"
                },
                args.dir.display(),
                plan.profile
            ));
            list_findings(&plan);
            return Ok(Err(ExitStatus::Failure));
        }
        list_findings(&plan);
        printer::warning(format!(
            "exporting a dataset that fails lint (--force); the override is recorded in {}",
            args.out.join(zcurate_train::README).display()
        ));
    }

    let outcome = zcurate_train::export(&ExportJob {
        dataset_dir: &args.dir,
        manifest_sha256: manifest_sha256.clone(),
        out: &args.out,
        plan: &plan,
        force: args.force,
        overwrite: args.overwrite,
        models_dir: args.models_dir.as_deref(),
    })?;
    report(&outcome, &plan, &args.out);
    Ok(Ok(Exported {
        outcome,
        plan,
        manifest_sha256,
    }))
}

/// The findings that fail the gate, one per line under the message (shown even with
/// --quiet: they are the reason for the exit status).
fn list_findings(plan: &Plan) {
    let mut err = anstream::stderr().lock();
    for f in &plan.gate.failing {
        let _ = writeln!(err, "  {}", f.line());
    }
}

fn report(o: &ExportOutcome, plan: &Plan, out: &Path) {
    let t = plan.target;
    printer::status(format!(
        "{} {} images for {} on {} -> {} ({} linked, {} copied, {} files written, {} unchanged, {} removed)",
        printer::bold("Exported"),
        o.images,
        t.trainer,
        t.model,
        out.display(),
        o.linked,
        o.copied,
        o.written,
        o.unchanged,
        o.removed
    ));
    printer::status(format!(
        "  plan: {} steps, repeats {}, checkpoints every {} steps (all kept); reasons in {}",
        plan.steps,
        plan.repeats,
        zcurate_train::plan::SAVE_EVERY_STEPS,
        out.join(zcurate_train::README).display()
    ));
    let top = plan.resolution();
    printer::status(format!(
        "  resolution: {} ({}; {} of {} images reach {top}×{top} px), samples at {}",
        plan.resolutions
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        if plan.resolution_overridden {
            "--resolution"
        } else if top == zcurate_train::resolution::NATIVE_RESOLUTION {
            "native"
        } else {
            "what most images reach"
        },
        plan.images.len() - plan.below.len(),
        plan.images.len(),
        plan.sample_size()
    ));
    let why = match (plan.lora_dropout, &plan.bleed_risks) {
        (None, _) => "",
        (Some(_), Some(_)) => " (bleed risks)",
        (Some(_), None) => " (Turbo face run)",
    };
    printer::status(format!(
        "  dropout: caption {}, LoRA {}{why}",
        plan.caption_dropout.map_or_else(
            || format!("none ({} has none for Z-Image)", t.trainer),
            |d| d.to_string()
        ),
        plan.lora_dropout
            .map_or_else(|| "off".to_owned(), |d| d.to_string()),
    ));
    for b in &plan.below {
        printer::warning(format!("below the resolution: {}", b.line(t.trainer)));
    }
    for e in &plan.excluded {
        printer::warning(format!("left out {}: {}", e.path, e.reason));
    }
    for k in &o.kept {
        printer::warning(format!(
            "{k}: from the previous export, changed since, left in place"
        ));
    }
    for item in &o.todo {
        printer::status(format!("  todo: {item}"));
    }
    if let Some(run) = &o.run_hint {
        printer::verbose(format!("run: {run}"));
    }
}
