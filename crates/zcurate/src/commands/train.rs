//! `zcurate train`: export (with the same gate), then run the trainer command as a child
//! process with the emitted config, and record the run beside the export.

use anyhow::Result;
use clap::Args as ClapArgs;
use zcurate_train::run::{self, Launch};

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::commands::export::ExportArgs;
use crate::pipeline;
use crate::printer;
use crate::settings::Config;

#[derive(Debug, ClapArgs)]
pub(crate) struct TrainArgs {
    #[command(flatten)]
    pub(crate) export: ExportArgs,
    /// The trainer command and its arguments, after `--`. `{config}` in them becomes the
    /// main config's path and `{out}` the export folder; the child also gets both as
    /// ZCURATE_TRAIN_CONFIG and ZCURATE_TRAIN_OUT.
    #[arg(last = true, required = true, num_args = 1.., value_name = "CMD")]
    pub(crate) command: Vec<String>,
}

pub(crate) fn run(args: &TrainArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let config = Config::load(global, &args.export.dir)?;
    let done = match pipeline::export::export(&args.export, &config)? {
        Ok(done) => done,
        Err(status) => return Ok(status),
    };
    let (program, rest) = args.command.split_first().expect("clap requires a command");
    let o = &done.outcome;
    printer::status(format!(
        "{} {}",
        printer::bold("Running"),
        args.command.join(" ")
    ));
    let (record, path) = run::launch(&Launch {
        program,
        args: rest,
        out: &o.out,
        main_config: &o.main_config,
        config_files: &o.config_files,
        dataset: args.export.dir.display().to_string(),
        dataset_manifest_sha256: done.manifest_sha256.clone(),
        trainer: done.plan.target.trainer.to_string(),
        model: done.plan.target.model.to_string(),
        forced: o.forced,
    })?;
    let how = match (record.exit_code, record.signal) {
        (Some(c), _) => format!("exited with {c}"),
        (None, Some(s)) => format!("was ended by signal {s}"),
        (None, None) => "ended".to_owned(),
    };
    printer::status(format!(
        "{} {how} after {:.1}s; run record {}",
        printer::bold("Trainer"),
        record.duration_s,
        path.display()
    ));
    pipeline::evaluate::after_train(
        &o.out,
        &args.export.dir,
        args.export.identity,
        args.export.profile.clone(),
        global,
        &config,
    );
    Ok(ExitStatus::Child(
        u8::try_from(record.exit_status).unwrap_or(u8::MAX),
    ))
}
