//! `zcurate select`: from one messy folder to a face set (or a character set). Scans SRC
//! (incrementally), plans the set from the manifest alone, prints what it chose and why, and
//! writes OUT: originals hard-linked, crops rendered, captions carried over, and
//! `OUT/.zcurate/select.json`. Exit 0 when the set meets the profile's targets, 1 when it
//! was written but misses one (what is missing is printed), 2 when zcurate could not do it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use zcurate_select::{Decision, SelectPlan, SelectSettings, WriteOptions};

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::commands::scan::ScanArgs;
use crate::env;
use crate::pipeline::{self, select::Basis};
use crate::printer;
use crate::settings::{Config, LintFlags, ScanSettings, lint_settings};

#[derive(Debug, ClapArgs)]
pub(crate) struct SelectArgs {
    /// The output folder: created when missing; never inside SRC; empty, or written by an
    /// earlier `zcurate select`.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub(crate) out: PathBuf,
    /// The set to build: `face` (default) or `character`, or a `[profile.NAME]`. Its
    /// targets (size, framing mix) and quality bars are lint's.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Choose exactly N images instead of the profile's target range.
    #[arg(long, value_name = "N")]
    pub(crate) count: Option<usize>,
    /// Put this source image into the set whatever the rules say (repeatable).
    #[arg(long, value_name = "FILE")]
    pub(crate) keep: Vec<PathBuf>,
    /// Never put this source image into the set (repeatable).
    #[arg(long, value_name = "FILE")]
    pub(crate) drop: Vec<PathBuf>,
    /// Print the plan as a table (stdout) and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Plan from the manifest as it is, without scanning SRC for changed files first.
    #[arg(long)]
    pub(crate) no_scan: bool,
    /// The trigger word (to read captions; default: `[lint]`/`[caption]` trigger).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) trigger: Option<String>,
    /// The class word (to read captions; default: `[lint]`/`[caption]` class).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) class_word: Option<String>,
    /// Caption schema whose framing slot is rewritten in carried-over captions. Default:
    /// `caption.schema`, else the profile's name when it is a schema, else `face`.
    #[arg(long, value_name = "NAME", help_heading = "Captions")]
    pub(crate) schema: Option<String>,
    // Last: the scan flags open their own help headings.
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

/// The source-relative path of a `--keep`/`--drop` argument, given relative to SRC or as a
/// path that starts with SRC.
fn source_relative(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let rel = match (std::fs::canonicalize(src), std::fs::canonicalize(file)) {
        (Ok(s), Ok(f)) => f
            .strip_prefix(&s)
            .map(Path::to_path_buf)
            .unwrap_or(rel.to_path_buf()),
        _ => rel.to_path_buf(),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn run(args: &SelectArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let started = Instant::now();
    let src = &args.scan.dir;
    let config = Config::load(global, src)?;
    let lint = lint_settings(
        &config,
        LintFlags::judging(
            args.profile.clone(),
            args.trigger.clone(),
            args.class_word.clone(),
            args.scan.identity,
        )?,
    )?;
    let scan = ScanSettings::resolve(&args.scan, &config)?;
    scan.manifest_file("select")?;
    // Bad folders fail before anything is read or written.
    zcurate_select::check_output(src, &args.out).with_context(|| {
        format!(
            "cannot select from {} into {}",
            src.display(),
            args.out.display()
        )
    })?;
    let found = zcurate_scan::discover(src, scan.config.recursive, &scan.config.caption_ext);
    if found.images.is_empty() {
        anyhow::bail!("no images found in {}", src.display());
    }
    let framing = scan
        .faces
        .as_ref()
        .context("`zcurate select` chooses by faces; drop --no-faces")?
        .framing;

    let manifest = pipeline::manifest(&scan, args.no_scan, "select")?;
    // The scan embedded the faces (`--identity` is a scan flag); with `--no-scan` the
    // manifest must hold the embeddings already, as for `zcurate lint --no-scan --identity`.
    let identity = if args.scan.identity {
        let sha = crate::settings::identity_model()?;
        Some(zcurate_lint::identity::facts(&manifest, Some(&sha)).similarity)
    } else {
        None
    };

    let base = Basis::resolve(
        &lint,
        &config.options,
        framing,
        args.schema.as_deref(),
        &manifest,
    )?;
    let mut settings = base.settings;
    let expressions = base.expressions;
    let schema = base.schema;
    settings.count = args.count;
    settings.keep = args.keep.iter().map(|f| source_relative(src, f)).collect();
    settings.drop = args.drop.iter().map(|f| source_relative(src, f)).collect();
    settings.identity = args.scan.identity;
    let plan = zcurate_select::plan(&manifest, &settings, &expressions, identity.as_ref())
        .with_context(|| format!("cannot select from {}", src.display()))?;
    let planned = started.elapsed();

    if args.dry_run {
        std::io::stdout()
            .lock()
            .write_all(plan_table(&plan).as_bytes())?;
    }
    print_summary(&plan, &settings, args, planned.as_secs_f64());

    if !args.dry_run {
        // One writer of OUT at a time (SRC's is the scan's); taken once there is a set to
        // write, so a run that fails before leaves no OUT behind.
        let _out_lock = pipeline::lock_folder(&args.out.join(".zcurate"), "zcurate select")?;
        let opts = WriteOptions {
            src: src.clone(),
            src_label: src.to_string_lossy().into_owned(),
            dst: args.out.clone(),
            caption_ext: scan.config.caption_ext.clone(),
            schema: Some(&schema),
            limits: scan.config.limits,
        };
        let outcome = zcurate_select::write(&plan, &manifest, &settings, &opts)
            .with_context(|| format!("cannot write the set into {}", args.out.display()))?;
        for w in &outcome.warnings {
            printer::warning(w);
        }
        printer::status(format!(
            "{} {} images into {} ({} linked, {} copied, {} cropped, {} unchanged; {} sidecars, {} removed) in {:.2}s -> {}",
            printer::bold("Wrote"),
            plan.chosen.len(),
            args.out.display(),
            outcome.linked,
            outcome.copied,
            outcome.rendered,
            outcome.unchanged,
            outcome.sidecars,
            outcome.removed,
            started.elapsed().as_secs_f64(),
            outcome.record.display(),
        ));
    }
    Ok(if plan.met() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn print_summary(plan: &SelectPlan, settings: &SelectSettings, args: &SelectArgs, secs: f64) {
    let n = plan.chosen.len();
    let count = |what: &str| plan.decisions.iter().filter(|d| d.as_str() == what).count();
    let sources = plan.by_source().len();
    printer::status(format!(
        "{} {n} images for the {} profile from {sources} source images ({} originals, {} crops; {} candidates left out, {} spare) in {secs:.2}s{}",
        printer::bold(if args.dry_run { "Planned" } else { "Selected" }),
        settings.profile,
        count("keep"),
        count("crop"),
        count("drop"),
        count("spare"),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
    ));
    let state = |met: bool| if met { "ok" } else { "missed" };
    let mut targets = vec![format!(
        "images {} (target {}) {}",
        plan.total.count,
        plan.total.range,
        state(plan.total.met)
    )];
    for (t, tg) in plan
        .framing
        .iter()
        .zip(&settings.thresholds.framing_targets)
    {
        let value = if tg.by_count() {
            format!("{}", t.count)
        } else {
            format!("{:.0}%", t.share * 100.0)
        };
        targets.push(format!(
            "{} {value} (target {}) {}",
            t.label,
            t.range,
            state(t.met)
        ));
    }
    printer::status(format!("  targets  {}", targets.join(", ")));
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &plan.decisions {
        if let Decision::Drop { reason } = d {
            *reasons.entry(reason.code()).or_default() += 1;
        }
    }
    if !reasons.is_empty() {
        let mut v: Vec<(&str, usize)> = reasons.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        printer::status(format!(
            "  left out {} (`--dry-run` lists every candidate and why)",
            v.iter()
                .map(|(code, k)| format!("{k} {code}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !settings.identity {
        printer::status(
            "  identity not checked: `--identity` leaves out other people (ArcFace, non-commercial licence)",
        );
    }
    for note in &plan.notes {
        printer::warning(note);
    }
    for m in &plan.missing {
        printer::warning(format!("missing: {m}"));
    }
}

/// The `--dry-run` table: the chosen images first (by output name), then every candidate
/// left out, with why.
fn plan_table(plan: &SelectPlan) -> String {
    let width = plan
        .candidates
        .iter()
        .map(|c| c.id.len())
        .max()
        .unwrap_or(9)
        .max(9);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10}{:<16}{:<width$}  {:<11}{:<9}{:<9}output or reason",
        "decision", "framing", "candidate", "size", "face px", "quality"
    );
    let mut order: Vec<usize> = plan.chosen.clone();
    let rest: Vec<usize> = (0..plan.candidates.len())
        .filter(|i| !plan.chosen.contains(i))
        .collect();
    order.extend(rest);
    for i in order {
        let c = &plan.candidates[i];
        let d = &plan.decisions[i];
        let what = d
            .output()
            .map(str::to_owned)
            .or_else(|| d.reason())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<10}{:<16}{:<width$}  {:<11}{:<9}{:<9}{what}",
            d.as_str(),
            c.framing.as_str(),
            c.id,
            format!("{}x{}", c.width, c.height),
            format!("{:.0}", c.face_px),
            format!("{:.2}", c.quality),
        );
    }
    out
}
