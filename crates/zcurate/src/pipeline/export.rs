//! Gate a dataset on lint and export it for a trainer: `zcurate export`, and the first step
//! of `zcurate train`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zcurate_train::{ExportJob, ExportOutcome, Plan, PlanOptions, Target, TrainError};

use crate::ExitStatus;
use crate::commands::export::ExportArgs;
use crate::printer;
use crate::settings::{Config, LintFlags, lint_settings};

/// A finished export: what was written and from what.
pub(crate) struct Exported {
    pub(crate) outcome: ExportOutcome,
    pub(crate) plan: Plan,
    pub(crate) manifest_sha256: String,
}

/// Reads and checks the manifest, plans, gates and exports. `Ok(Err(status))` is a refusal
/// by the gate (already reported).
pub(crate) fn export(
    args: &ExportArgs,
    config: &Config,
) -> Result<std::result::Result<Exported, ExitStatus>> {
    // The gate judges as `zcurate lint` does (profile, trigger, class word); the plan is the
    // export's own, so `[plan]` does not apply.
    let mut flags = LintFlags::judging(
        args.profile.clone(),
        args.trigger.clone(),
        args.class_word.clone(),
        args.identity,
    )?;
    flags.plan_table = false;
    let settings = lint_settings(config, flags)?;
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
    let manifest_sha256 = zcurate_fs::sha256_hex(&bytes);
    let manifest = zcurate_manifest::read(&manifest_path)?;
    zcurate_train::check_fresh(&manifest, &args.dir)?;
    if let Some(sha) = &settings.identity_model {
        super::say_identity_licence()?;
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
