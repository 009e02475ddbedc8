//! `zcurate lint`: bring the manifest up to date, lint it against a profile, report, and
//! gate on the result (exit 0 clean, 1 findings at or above the failing severity, 2 zcurate
//! failed).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use zcurate_lint::render::{self, RenderContext};
use zcurate_lint::{BaseModel, LintSettings, PlanOptions, Severity};

use crate::ExitStatus;
use crate::args::{GlobalArgs, parse_deny};
use crate::commands::scan::ScanArgs;
use crate::env;
use crate::pipeline;
use crate::printer;
use crate::settings::{Config, LintFlags, ScanSettings, lint_settings};

#[derive(Debug, ClapArgs)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
    /// Profile to lint against: `face` (default), `character`, or a `[profile.NAME]`.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human, env = env::ZCURATE_OUTPUT_FORMAT)]
    pub(crate) format: LintFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Print the resolved lint settings (profile, rules, thresholds, plan) and exit.
    #[arg(long)]
    pub(crate) show_settings: bool,
    /// List every file of every rule (human output shows the first ten per rule).
    #[arg(long)]
    pub(crate) show_all: bool,
    /// Lint the manifest as it is, without scanning for changed files first.
    #[arg(long)]
    pub(crate) no_scan: bool,

    /// Run only these rules: codes, prefixes or names, comma-separated (`FACE,CAP001`, `ALL`).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULE",
        help_heading = "Rule selection"
    )]
    pub(crate) select: Option<Vec<String>>,
    /// Run these rules as well.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULE",
        help_heading = "Rule selection"
    )]
    pub(crate) extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "RULE",
        help_heading = "Rule selection"
    )]
    pub(crate) ignore: Vec<String>,

    /// Also fail on `warnings` (or on `info` and above).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_deny, help_heading = "Exit status")]
    pub(crate) deny: Option<Severity>,
    /// Exit 0 even when findings fail the run (zcurate's own failures still exit 2).
    #[arg(long, help_heading = "Exit status")]
    pub(crate) exit_zero: bool,

    /// The trigger word captions must start with (default: `[lint]`/`[caption]` trigger,
    /// else inferred from the captions).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) trigger: Option<String>,
    /// The one class word captions should use (`woman`, `man`, `person`, ...).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) class_word: Option<String>,

    /// Base model: z-image-turbo, z-image, z-image-deturbo or other.
    #[arg(long, value_name = "MODEL", value_parser = parse_base_model, help_heading = "Training plan")]
    pub(crate) base_model: Option<BaseModel>,
    /// Training steps.
    #[arg(long, value_name = "N", help_heading = "Training plan")]
    pub(crate) steps: Option<u32>,
    /// Batch size.
    #[arg(long, value_name = "N", help_heading = "Training plan")]
    pub(crate) batch_size: Option<u32>,
    /// Repeats per image per epoch (1 = once).
    #[arg(long, value_name = "N", help_heading = "Training plan")]
    pub(crate) repeats: Option<u32>,
    /// Caption dropout rate, 0 to 1.
    #[arg(long, value_name = "RATE", help_heading = "Training plan")]
    pub(crate) caption_dropout: Option<f64>,
    /// LoRA (network/module) dropout, 0 to 1.
    #[arg(long, value_name = "RATE", help_heading = "Training plan")]
    pub(crate) lora_dropout: Option<f64>,
    /// Whether the Z-Image Turbo training adapter is used.
    #[arg(long, value_name = "BOOL", help_heading = "Training plan")]
    pub(crate) training_adapter: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

fn parse_base_model(s: &str) -> Result<BaseModel, String> {
    s.parse()
}

impl LintFormat {
    fn render(self) -> render::Format {
        match self {
            Self::Human => render::Format::Human,
            Self::Json => render::Format::Json,
            Self::Sarif => render::Format::Sarif,
            Self::Github => render::Format::Github,
            Self::Junit => render::Format::Junit,
        }
    }
}

/// Lint settings: flags over `[lint]`/`[profile.*]`/`[plan]` (and the `[caption]` trigger
/// and class word) over the profile's defaults.
fn resolve(args: &LintArgs, config: &Config) -> Result<LintSettings> {
    let mut flags = LintFlags::judging(
        args.profile.clone(),
        args.trigger.clone(),
        args.class_word.clone(),
        args.scan.identity,
    )?;
    let o = &mut flags.overrides;
    o.select.clone_from(&args.select);
    o.extend_select.clone_from(&args.extend_select);
    o.ignore.clone_from(&args.ignore);
    o.fail_on = args.deny;
    o.plan = PlanOptions {
        base_model: args.base_model,
        steps: args.steps,
        batch_size: args.batch_size,
        repeats: args.repeats,
        caption_dropout: args.caption_dropout,
        lora_dropout: args.lora_dropout,
        training_adapter: args.training_adapter,
    };
    lint_settings(config, flags)
}

pub(crate) fn run(args: &LintArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let config = Config::load(global, &args.scan.dir)?;
    let settings = resolve(args, &config)?;
    if args.show_settings {
        std::io::stdout()
            .lock()
            .write_all(settings.show().as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    let scan = ScanSettings::resolve(&args.scan, &config)?;
    let manifest_path = scan.manifest_file("lint")?;
    let manifest = pipeline::manifest(&scan, args.no_scan, "lint")?;

    let report = zcurate_lint::lint(&manifest, &settings);
    let root = args.scan.dir.to_string_lossy().into_owned();
    let manifest_label = manifest_path.to_string_lossy().into_owned();
    let format = args.format.render();
    let mut buf = Vec::new();
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let cx = RenderContext {
        root: &root,
        manifest: Some(&manifest_label),
        // anstream strips colour again when stdout is not a terminal or NO_COLOR is set.
        colour: args.output.is_none(),
        version: env!("CARGO_PKG_VERSION"),
        show_all: args.show_all,
    };
    render::render(&report, &cx, format, &mut buf)?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf)
                .with_context(|| format!("cannot write {}", path.display()))?;
            printer::status(format!("report written to {}", path.display()));
        }
        None => anstream::stdout().lock().write_all(&buf)?,
    }
    if format != render::Format::Human || !to_terminal && args.output.is_some() {
        let s = &report.summary;
        printer::status(format!(
            "{} {} errors, {} warnings, {} infos on {} images: {}",
            printer::bold("Linted:"),
            s.errors,
            s.warnings,
            s.infos,
            s.images,
            if report.failed() { "fails" } else { "passes" }
        ));
    }
    Ok(if report.failed() && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
