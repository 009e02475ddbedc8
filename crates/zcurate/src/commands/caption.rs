//! `zcurate caption`: schema captions from attributes and manifest facts, the audit of
//! existing captions, and caption statistics.
//!
//! Every mode that saves something (`--write`, `--restore`, `--audit`, `--stats`) holds the
//! dataset's lock; `--write` and `--restore` save every caption they replace in the
//! dataset's caption history (`.zcurate/caption-history.jsonl`) before replacing it.
//!
//! Exit status: 0 when everything is fine; 1 when a required slot has no value, an audit
//! finds misfits or missing slots, a caption cannot be handled (unreadable, shared by two
//! images), or a file named to `--restore` has no earlier caption; 2 when zcurate itself
//! fails (bad arguments, config or attributes file, no manifest, another zcurate holding the
//! dataset, a write error).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use serde_json::json;
use zcurate_caption::{
    Action, Attributes, CaptionFile, CaptionInput, FillContext, ParseContext, ParsedCaption,
    Planned, RestoreOutcome, Restored, Schema,
};
use zcurate_manifest::{CaptionStats, Manifest};

use crate::ExitStatus;
use crate::args::GlobalArgs;
use crate::pipeline;
use crate::printer;
use crate::settings::{CaptionSettings, Config, Mode};

#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:
  zcurate caption data --trigger zxq --class-word woman            show proposed captions
  zcurate caption data --attributes attrs.csv --write              write them
  zcurate caption data --audit --stats                             check existing captions
  zcurate caption data --restore a.jpg                             bring back a replaced caption")]
pub(crate) struct CaptionArgs {
    /// The dataset folder (scan it first with `zcurate scan`).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Caption schema: `face`, `character`, or one defined in zcurate.toml. Default:
    /// `caption.schema`, else `face`.
    #[arg(long, value_name = "NAME")]
    pub(crate) schema: Option<String>,
    /// Per-image slot values: a CSV file with a `file` column and one column per slot.
    #[arg(long, value_name = "CSV")]
    pub(crate) attributes: Option<PathBuf>,
    /// Also read per-image slot values from `<image stem>.json` next to each image.
    #[arg(long)]
    pub(crate) json_sidecars: bool,
    /// The trigger word or phrase. Default: `caption.trigger`.
    #[arg(long, value_name = "TRIGGER")]
    pub(crate) trigger: Option<String>,
    /// The class word (`woman`, `man`, `person`, ...). Default: `caption.class-word`.
    #[arg(long, value_name = "WORD")]
    pub(crate) class_word: Option<String>,
    /// The old spelling of --class-word: still read, with a warning.
    #[arg(
        long = "class",
        value_name = "WORD",
        hide = true,
        conflicts_with = "class_word"
    )]
    pub(crate) class_deprecated: Option<String>,
    /// Write the proposed captions. Existing captions are kept unless --overwrite.
    #[arg(long)]
    pub(crate) write: bool,
    /// With --write, replace existing captions; their text is saved first in the dataset's
    /// caption history (`.zcurate/caption-history.jsonl`), from which --restore brings it back.
    #[arg(long, requires = "write")]
    pub(crate) overwrite: bool,
    /// Put back, for each FILE (an image or its caption; every caption in the history when
    /// none is named), the most recent earlier caption from the history. The current text is
    /// saved in the history first, so restoring again undoes a restore.
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..,
        conflicts_with_all = ["write", "audit", "stats", "attributes", "json_sidecars", "fresh", "drop", "schema", "trigger", "class_word", "class_deprecated"]
    )]
    pub(crate) restore: Option<Vec<String>>,
    /// Ignore what the existing captions say: fill slots only from the attributes, detected
    /// facts and defaults. By default a value read from an image's caption (for a slot the
    /// schema keeps) comes before detected facts.
    #[arg(long)]
    pub(crate) fresh: bool,
    /// Leave this slot out of the proposed captions, whatever fills it (e.g. `--drop hair`
    /// when every caption says the same). Repeatable; not for required slots.
    #[arg(long, value_name = "SLOT")]
    pub(crate) drop: Vec<String>,
    /// Read the existing captions into the schema's slots and report what does not fit.
    #[arg(long, conflicts_with_all = ["write", "attributes", "json_sidecars", "fresh"])]
    pub(crate) audit: bool,
    /// Print the statistics of the captions on disk (after writing, with --write).
    #[arg(long)]
    pub(crate) stats: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CaptionFormat::Text)]
    pub(crate) format: CaptionFormat,
    /// Read and update this manifest instead of DIR/.zcurate/manifest.json.
    #[arg(long, value_name = "PATH")]
    pub(crate) manifest: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CaptionFormat {
    Text,
    Json,
}

pub(crate) fn run(args: &CaptionArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let config = Config::load(global, &args.dir)?;
    let s = CaptionSettings::resolve(args, &config)?;
    if let Some(names) = &args.restore {
        return restore(&s, names);
    }
    let schema = s.catalog.get(&s.schema)?;
    for name in &s.drop {
        match schema.slot(name) {
            None => bail!("--drop {name}: schema {} has no slot `{name}`", schema.name),
            Some(slot) if slot.presence == zcurate_caption::Presence::Required => {
                bail!(
                    "--drop {name}: the slot is required by schema {}",
                    schema.name
                )
            }
            Some(_) => {}
        }
    }
    // One writer per dataset, held until the run ends and taken before the manifest is read:
    // every mode but a bare preview saves the manifest (captions, statistics).
    let mut held = match (s.mode, s.stats) {
        (Mode::Preview, false) => None,
        (Mode::Write, _) => Some(lock(&s, "zcurate caption --write")?),
        (Mode::Audit, _) => Some(lock(&s, "zcurate caption --audit")?),
        _ => Some(lock(&s, "zcurate caption --stats")?),
    };
    let mut manifest = pipeline::read_manifest(&s.manifest_path, &s.root, "")?;
    let had_history = manifest
        .images
        .iter()
        .any(|r| !r.caption_history.is_empty());
    if held.is_none() && had_history {
        // An old manifest's caption history is about to move to the history file: lock,
        // then read again what the lock now protects.
        held = Some(lock(&s, "zcurate caption")?);
        manifest = pipeline::read_manifest(&s.manifest_path, &s.root, "")?;
    }
    let _held = held;
    migrate(&s, &mut manifest)?;
    if !manifest
        .images
        .iter()
        .any(zcurate_manifest::ImageRecord::is_decoded)
    {
        bail!(
            "the manifest of {} lists no readable image",
            s.root.display()
        );
    }
    match s.mode {
        Mode::Preview | Mode::Write => propose_and_write(&s, schema, &mut manifest),
        Mode::Audit | Mode::Stats => audit(&s, schema, &mut manifest),
        Mode::Restore => unreachable!("handled above"),
    }
}

/// The dataset's lock, or why another zcurate holds it. The scan's lock helper, so a scan
/// run by this command while it holds the lock does not refuse it.
fn lock(s: &CaptionSettings, command: &str) -> Result<pipeline::FolderLock> {
    pipeline::lock_folder(&s.root.join(".zcurate"), command)
}

/// Moves the caption history an older manifest keeps in its records into the history file,
/// then saves the manifest without it.
fn migrate(s: &CaptionSettings, manifest: &mut Manifest) -> Result<()> {
    if manifest.images.iter().all(|r| r.caption_history.is_empty()) {
        return Ok(());
    }
    let moved = zcurate_caption::migrate_manifest_history(&s.root, manifest)
        .context("cannot move the manifest's caption history; nothing was changed")?;
    zcurate_manifest::write_atomic(&s.manifest_path, manifest)?;
    if moved > 0 {
        printer::status(format!(
            "note: moved {moved} replaced caption{} from the manifest into {}",
            plural(moved),
            zcurate_caption::history_path(&s.root).display()
        ));
    }
    Ok(())
}

/// `--restore [FILE...]`: put back earlier captions from the history.
fn restore(s: &CaptionSettings, names: &[String]) -> Result<ExitStatus> {
    let _lock = lock(s, "zcurate caption --restore")?;
    let mut manifest = if s.manifest_path.exists() {
        let mut m = zcurate_manifest::read(&s.manifest_path)?;
        migrate(s, &mut m)?;
        Some(m)
    } else {
        None
    };
    let results = zcurate_caption::restore(
        &s.root,
        manifest.as_ref(),
        names,
        "zcurate caption --restore",
    )
    .context("cannot save the current captions in the history; no caption was changed")?;
    if let Some(m) = manifest.as_mut() {
        let mut changed = false;
        for r in &results {
            if let RestoreOutcome::Restored { text, .. } = &r.outcome
                && let Some(rec) = m.images.iter_mut().find(|rec| rec.path == r.image)
            {
                rec.caption = Some(text.clone());
                rec.caption_path = Some(r.path.clone());
                changed = true;
            }
        }
        if changed {
            zcurate_manifest::write_atomic(&s.manifest_path, m)?;
        }
    }

    let mut out = String::new();
    match s.format {
        CaptionFormat::Text => {
            for r in &results {
                let _ = write!(out, "{}: ", r.path);
                match &r.outcome {
                    RestoreOutcome::Restored {
                        previous,
                        text,
                        time,
                        command,
                    } => {
                        let _ =
                            writeln!(out, "restored the caption `{command}` replaced at {time}");
                        let _ = writeln!(
                            out,
                            "  - {}",
                            previous.as_deref().map(one_line).unwrap_or_default()
                        );
                        let _ = writeln!(out, "  + {}", one_line(text));
                    }
                    RestoreOutcome::NothingToRestore => {
                        let _ = writeln!(
                            out,
                            "nothing to restore: the history holds no other caption for it"
                        );
                    }
                    RestoreOutcome::Failed { reason } => {
                        let _ = writeln!(out, "failed: {reason}");
                    }
                }
            }
        }
        CaptionFormat::Json => {
            let value = json!({ "mode": s.mode.as_str(), "captions": results });
            out = serde_json::to_string_pretty(&value)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;

    let restored = results
        .iter()
        .filter(|r| matches!(r.outcome, RestoreOutcome::Restored { .. }))
        .count();
    let nothing = results.len() - restored;
    let failed: Vec<&Restored> = results
        .iter()
        .filter(|r| matches!(r.outcome, RestoreOutcome::Failed { .. }))
        .collect();
    let nothing = nothing - failed.len();
    for r in &failed {
        if let RestoreOutcome::Failed { reason } = &r.outcome {
            printer::error(format!("{}: {reason}", r.path));
        }
    }
    if results.is_empty() {
        printer::status(format!(
            "no caption of {} was ever replaced: nothing to restore",
            s.root.display()
        ));
    } else {
        printer::status(format!(
            "{} {restored} caption{}{}{}",
            printer::bold("Restored"),
            plural(restored),
            if nothing > 0 {
                format!("; {nothing} with nothing to restore")
            } else {
                String::new()
            },
            if failed.is_empty() {
                String::new()
            } else {
                format!("; {} failed", failed.len())
            },
        ));
    }
    if restored > 0 {
        printer::status(
            "hint: the replaced text is in the history: run the same `--restore` again to undo",
        );
    }
    Ok(if !failed.is_empty() {
        ExitStatus::Error
    } else if nothing > 0 && !names.is_empty() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Preview or write proposed captions.
fn propose_and_write(
    s: &CaptionSettings,
    schema: &Schema,
    manifest: &mut Manifest,
) -> Result<ExitStatus> {
    let attributes = load_attributes(s, schema, manifest)?;
    let fill = FillContext {
        trigger: s.trigger.as_deref(),
        class: s.class.as_deref(),
        attributes: &attributes,
        facts: s.facts,
        dropped: &s.drop,
    };
    // Without --trigger, the old captions' trigger is recognised (and kept) when most of
    // them start with the same word.
    let inferred = match (&s.trigger, s.fresh) {
        (None, false) => {
            let files = zcurate_caption::caption_files(&s.root, manifest);
            let texts: Vec<&str> = files.iter().filter_map(|f| f.current.text()).collect();
            zcurate_caption::infer_trigger(schema, &texts)
        }
        _ => None,
    };
    let parse_ctx = ParseContext {
        trigger: s.trigger.as_deref().or(inferred.as_deref()),
        class: s.class.as_deref(),
    };
    let mut plans = zcurate_caption::plan(
        &s.root,
        manifest,
        schema,
        &fill,
        &parse_ctx,
        s.overwrite,
        !s.fresh,
    );
    for p in &plans {
        if !p.round_trip.is_empty() {
            printer::warning(format!(
                "{}: the caption will not read back cleanly with --audit: {}",
                p.file.path,
                p.round_trip.join("; ")
            ));
        }
    }

    let mut failures = Vec::new();
    let (mut new_written, mut replaced) = (0, 0);
    let mut stats = None;
    if s.mode == Mode::Write {
        let command = format!(
            "zcurate caption --write{} (schema {})",
            if s.overwrite { " --overwrite" } else { "" },
            schema.name
        );
        let applied = zcurate_caption::apply(&s.root, manifest, &mut plans, &command)
            .context("cannot save the captions' history; no caption was changed")?;
        for (path, why) in &applied.failures {
            printer::error(format!("{path}: {why}"));
        }
        new_written = applied.new;
        replaced = applied.replaced;
        failures = applied.failures;
        let files = zcurate_caption::caption_files(&s.root, manifest);
        let (st, _) = measure(s, schema, &files);
        save(s, manifest, &files, st.clone())?;
        stats = Some(st);
    } else if s.stats {
        let files = zcurate_caption::caption_files(&s.root, manifest);
        let (st, _) = measure(s, schema, &files);
        save(s, manifest, &files, st.clone())?;
        stats = Some(st);
    }

    let mut out = String::new();
    match s.format {
        CaptionFormat::Text => {
            write_plans(&mut out, &plans, s.mode);
            if let Some(st) = stats.as_ref().filter(|_| s.stats) {
                out.push('\n');
                write_stats(&mut out, st);
            }
        }
        CaptionFormat::Json => {
            let value = json!({
                "mode": s.mode.as_str(),
                "schema": schema.name,
                "trigger": s.trigger,
                "class": s.class,
                "images": plans,
                "stats": stats.as_ref().filter(|_| s.stats),
            });
            out = serde_json::to_string_pretty(&value)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;

    let count = |a: Action| plans.iter().filter(|p| p.action == a).count();
    let mut parts = Vec::new();
    let labels: &[(Action, &str)] = if s.mode == Mode::Write {
        &[
            (Action::Keep, "kept"),
            (Action::Unchanged, "unchanged"),
            (Action::Incomplete, "incomplete"),
            (Action::Unreadable, "unreadable"),
            (Action::Conflict, "in conflict"),
        ]
    } else {
        &[
            (Action::New, "new"),
            (Action::Keep, "changed"),
            (Action::Unchanged, "unchanged"),
            (Action::Incomplete, "incomplete"),
            (Action::Unreadable, "unreadable"),
            (Action::Conflict, "in conflict"),
        ]
    };
    for &(a, label) in labels {
        let n = count(a);
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    if s.mode == Mode::Write {
        if !failures.is_empty() {
            parts.push(format!("{} failed", failures.len()));
        }
        let written = new_written + replaced;
        printer::status(format!(
            "{} {written} caption{} with schema {} ({new_written} new, {replaced} replaced){}{}",
            printer::bold("Wrote"),
            plural(written),
            schema.name,
            if parts.is_empty() { "" } else { "; " },
            parts.join(", "),
        ));
        if count(Action::Keep) > 0 {
            printer::status(
                "hint: existing captions were kept; `--overwrite` replaces them (the old text is saved in the caption history; `--restore` brings it back)",
            );
        }
    } else {
        printer::status(format!(
            "{} captions for {} images with schema {}: {}",
            printer::bold("Proposed"),
            plans.len(),
            schema.name,
            parts.join(", "),
        ));
        if count(Action::New) + count(Action::Keep) > 0 {
            printer::status(
                "hint: `--write` writes new captions; existing ones are kept unless `--overwrite`",
            );
        }
    }
    report_missing(s, &plans);

    if !failures.is_empty() {
        return Ok(ExitStatus::Error);
    }
    let problems = count(Action::Incomplete) + count(Action::Unreadable) + count(Action::Conflict);
    Ok(if problems > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Summarises required slots without values on stderr (stdout lists them per image).
fn report_missing(s: &CaptionSettings, plans: &[Planned]) {
    let incomplete: Vec<&Planned> = plans
        .iter()
        .filter(|p| p.action == Action::Incomplete)
        .collect();
    if incomplete.is_empty() {
        return;
    }
    let mut slots: Vec<&str> = incomplete
        .iter()
        .flat_map(|p| p.proposal.missing.iter().map(String::as_str))
        .collect();
    slots.sort_unstable();
    slots.dedup();
    printer::error(format!(
        "{} image{} miss required slots ({}); nothing is written for them",
        incomplete.len(),
        plural(incomplete.len()),
        slots.join(", ")
    ));
    if slots.contains(&"trigger") && s.trigger.is_none() {
        printer::status(
            "hint: give the trigger with `--trigger` or `caption.trigger` in zcurate.toml",
        );
    }
    if slots.contains(&"class") && s.class.is_none() {
        printer::status(
            "hint: give the class word with `--class-word` or `caption.class-word` in zcurate.toml",
        );
    }
    if slots.iter().any(|x| !matches!(*x, "trigger" | "class")) {
        printer::status(
            "hint: give the values in an `--attributes` CSV, or scan with face detection for framing and angle",
        );
    }
}

/// The user's attributes: the CSV over the JSON sidecars.
fn load_attributes(
    s: &CaptionSettings,
    schema: &Schema,
    manifest: &Manifest,
) -> Result<Attributes> {
    let images: Vec<&str> = manifest
        .images
        .iter()
        .filter(|r| r.is_decoded())
        .map(|r| r.path.as_str())
        .collect();
    let mut warnings = Vec::new();
    let csv = match &s.attributes {
        Some(path) => {
            let loaded = zcurate_caption::read_csv(path, schema, &images)?;
            warnings.extend(loaded.warnings);
            Some(loaded.attributes)
        }
        None => None,
    };
    let sidecars = if s.json_sidecars {
        let loaded = zcurate_caption::read_json_sidecars(&s.root, schema, &images)?;
        warnings.extend(loaded.warnings);
        Some(loaded.attributes)
    } else {
        None
    };
    let attributes = match (csv, sidecars) {
        (Some(c), Some(j)) => c.merged_over(j, &mut warnings),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => Attributes::default(),
    };
    for w in &warnings {
        printer::warning(w);
    }
    if s.attributes.is_some() || s.json_sidecars {
        printer::verbose(format!("attributes for {} images", attributes.len()));
    }
    Ok(attributes)
}

/// The statistics of the captions on disk. Without a trigger, one is inferred.
fn measure(
    s: &CaptionSettings,
    schema: &Schema,
    files: &[CaptionFile],
) -> (CaptionStats, Vec<Option<ParsedCaption>>) {
    let texts: Vec<&str> = files.iter().filter_map(|f| f.current.text()).collect();
    let (trigger, inferred) = match &s.trigger {
        Some(t) => (Some(t.clone()), false),
        None => (zcurate_caption::infer_trigger(schema, &texts), true),
    };
    let ctx = ParseContext {
        trigger: trigger.as_deref(),
        class: s.class.as_deref(),
    };
    let inputs: Vec<CaptionInput<'_>> = files
        .iter()
        .map(|f| CaptionInput {
            path: &f.path,
            text: f.current.text(),
        })
        .collect();
    zcurate_caption::caption_stats(schema, &ctx, inferred && trigger.is_some(), &inputs)
}

/// Stores the statistics, and the captions they were computed from, in the manifest.
fn save(
    s: &CaptionSettings,
    manifest: &mut Manifest,
    files: &[CaptionFile],
    stats: CaptionStats,
) -> Result<()> {
    for f in files {
        let r = &mut manifest.images[f.record];
        match &f.current {
            zcurate_caption::Current::Absent => {
                r.caption = None;
                r.caption_path = None;
            }
            zcurate_caption::Current::Text(t) => {
                r.caption = Some(t.clone());
                r.caption_path = Some(f.caption_path.clone());
            }
            zcurate_caption::Current::Unreadable(_) => {}
        }
    }
    manifest.caption_stats = Some(stats);
    zcurate_manifest::write_atomic(&s.manifest_path, manifest)
        .with_context(|| format!("cannot save the caption statistics of {}", s.root.display()))
}

/// `--audit` (and `--stats` alone): parse existing captions, report misfits, store stats.
fn audit(s: &CaptionSettings, schema: &Schema, manifest: &mut Manifest) -> Result<ExitStatus> {
    let files = zcurate_caption::caption_files(&s.root, manifest);
    let (stats, parsed) = measure(s, schema, &files);
    save(s, manifest, &files, stats.clone())?;
    if let Some(t) = stats.trigger.as_ref().filter(|t| t.inferred) {
        printer::status(format!(
            "note: no trigger given; `{}` starts most captions and is taken as the trigger",
            t.text
        ));
    }

    let mut out = String::new();
    match s.format {
        CaptionFormat::Text => {
            if s.mode == Mode::Audit {
                write_audit(&mut out, &files, &parsed);
                if s.stats {
                    out.push('\n');
                }
            }
            if s.stats {
                write_stats(&mut out, &stats);
            }
        }
        CaptionFormat::Json => {
            let images: Vec<serde_json::Value> = files
                .iter()
                .zip(&parsed)
                .map(|(f, p)| {
                    json!({
                        "path": f.path,
                        "caption_path": f.caption_path,
                        "current": f.current,
                        "parsed": p,
                    })
                })
                .collect();
            let value = json!({
                "mode": s.mode.as_str(),
                "schema": schema.name,
                "images": if s.mode == Mode::Audit { Some(images) } else { None },
                "stats": s.stats.then_some(&stats),
            });
            out = serde_json::to_string_pretty(&value)? + "\n";
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;

    if s.mode == Mode::Stats {
        return Ok(ExitStatus::Success);
    }
    let uncaptioned = parsed.iter().filter(|p| p.is_none()).count();
    let unreadable = files
        .iter()
        .filter(|f| matches!(f.current, zcurate_caption::Current::Unreadable(_)))
        .count();
    let with_misfits = parsed
        .iter()
        .flatten()
        .filter(|p| !p.misfits.is_empty())
        .count();
    let with_missing = parsed
        .iter()
        .flatten()
        .filter(|p| !p.missing.is_empty())
        .count();
    let fit = parsed
        .iter()
        .flatten()
        .filter(|p| p.misfits.is_empty() && p.missing.is_empty())
        .count();
    printer::status(format!(
        "{} {} captions with schema {}: {fit} fit, {with_misfits} with misfits ({} segments), {with_missing} missing required slots, {uncaptioned} images without a caption",
        printer::bold("Audited"),
        stats.captioned,
        schema.name,
        stats.misfits,
    ));
    if unreadable > 0 {
        printer::error(format!(
            "{unreadable} caption{} cannot be read",
            plural(unreadable)
        ));
    }
    Ok(if with_misfits + with_missing + uncaptioned > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A caption on one line.
fn one_line(text: &str) -> String {
    text.trim().replace('\r', "").replace('\n', "\\n")
}

fn write_plans(out: &mut String, plans: &[Planned], mode: Mode) {
    let write = mode == Mode::Write;
    for p in plans {
        if let Some(why) = &p.error {
            let _ = writeln!(out, "{}: failed: {why}", p.file.path);
            continue;
        }
        let label = match p.action {
            Action::New if write => "written".to_owned(),
            Action::New => "new".to_owned(),
            Action::Replace => "replaced".to_owned(),
            Action::Keep if write => "kept (a caption exists; --overwrite replaces it)".to_owned(),
            Action::Keep => "changed".to_owned(),
            Action::Unchanged => "unchanged".to_owned(),
            Action::Incomplete => {
                let n = p.proposal.missing.len();
                format!(
                    "incomplete: no value for required slot{} {}",
                    plural(n),
                    p.proposal.missing.join(", ")
                )
            }
            Action::Unreadable | Action::Conflict => format!(
                "{}: {}",
                p.action.as_str(),
                p.note.as_deref().unwrap_or_default()
            ),
        };
        let _ = writeln!(out, "{}: {label}", p.file.path);
        let current = p.file.current.text().map(one_line);
        match p.action {
            Action::New => {
                let _ = writeln!(out, "  + {}", p.proposal.text);
            }
            Action::Replace | Action::Keep => {
                let _ = writeln!(out, "  - {}", current.unwrap_or_default());
                let _ = writeln!(out, "  + {}", p.proposal.text);
            }
            Action::Unchanged => {
                let _ = writeln!(out, "  = {}", p.proposal.text);
            }
            Action::Incomplete | Action::Unreadable | Action::Conflict => {}
        }
        if matches!(
            p.action,
            Action::New | Action::Replace | Action::Keep | Action::Unchanged
        ) {
            write_sources(out, &p.proposal);
        }
    }
}

/// Where each value of a proposal came from, grouped by source in slot order:
/// `from: settings trigger, class; old caption expression; detected framing, angle`.
fn write_sources(out: &mut String, proposal: &zcurate_caption::Proposal) {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for slot in &proposal.slots {
        let label = slot.source.label();
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, slots)) => slots.push(&slot.slot),
            None => groups.push((label, vec![&slot.slot])),
        }
    }
    if groups.is_empty() {
        return;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(label, slots)| format!("{label} {}", slots.join(", ")))
        .collect();
    let _ = writeln!(out, "    from: {}", parts.join("; "));
}

fn write_audit(out: &mut String, files: &[CaptionFile], parsed: &[Option<ParsedCaption>]) {
    for (f, p) in files.iter().zip(parsed) {
        let Some(p) = p else {
            let what = match &f.current {
                zcurate_caption::Current::Unreadable(why) => format!("unreadable: {why}"),
                _ => "no caption".to_owned(),
            };
            let _ = writeln!(out, "{}: {what}", f.path);
            continue;
        };
        let mut problems = Vec::new();
        if !p.misfits.is_empty() {
            let n = p.misfits.len();
            problems.push(format!("{n} misfit{}", plural(n)));
        }
        if !p.missing.is_empty() {
            problems.push(format!("missing {}", p.missing.join(", ")));
        }
        let status = if problems.is_empty() {
            "ok".to_owned()
        } else {
            problems.join(", ")
        };
        let _ = writeln!(out, "{}: {status}", f.path);
        let slots: Vec<String> = p.values.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "  slots: {}", slots.join(" | "));
        for m in &p.misfits {
            let _ = writeln!(out, "  {} `{}`: {}", m.kind.as_str(), m.text, m.message);
        }
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn write_stats(out: &mut String, st: &CaptionStats) {
    let _ = writeln!(
        out,
        "Caption statistics, schema {}: {} images, {} captioned",
        st.schema, st.images, st.captioned
    );
    let _ = writeln!(out);
    let width = st
        .slots
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:<9}  {:>7}  {:>5}  {:>8}  {:>12}  values",
        "slot", "presence", "filled", "share", "distinct", "entropy bits"
    );
    for s in &st.slots {
        let values: Vec<String> = s
            .values
            .iter()
            .map(|v| format!("{} ({})", v.value, v.count))
            .collect();
        let line = format!(
            "{:<width$}  {:<9}  {:>7}  {:>5}  {:>8}  {:>12.2}  {}",
            s.name,
            s.presence,
            format!("{}/{}", s.filled, st.images),
            percent(s.fill_share),
            s.distinct,
            s.entropy_bits,
            values.join(", ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(out);
    let t = &st.tokens;
    let _ = writeln!(
        out,
        "tokens per caption       min {}, median {}, mean {:.1}, max {}",
        t.min, t.median, t.mean, t.max
    );
    let _ = writeln!(
        out,
        "outside identity slots   {} of {} tokens ({})",
        t.outside_identity,
        t.total,
        percent(t.outside_identity_share)
    );
    let classes: Vec<String> = st
        .class_words
        .iter()
        .map(|v| format!("{} ({})", v.value, v.count))
        .collect();
    let _ = writeln!(
        out,
        "class words              {}",
        if classes.is_empty() {
            "none".to_owned()
        } else {
            classes.join(", ")
        }
    );
    match &st.trigger {
        Some(tr) => {
            let spellings: Vec<String> = tr
                .spellings
                .iter()
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            let _ = writeln!(
                out,
                "trigger                  `{}`{}: present in {}/{}, first in {}/{}, spellings: {}",
                tr.text,
                if tr.inferred { " (inferred)" } else { "" },
                tr.present,
                st.captioned,
                tr.first,
                st.captioned,
                if spellings.is_empty() {
                    "none".to_owned()
                } else {
                    spellings.join(", ")
                }
            );
        }
        None => {
            let _ = writeln!(out, "trigger                  none given or inferred");
        }
    }
    let dups: Vec<String> = st.duplicates.iter().map(|g| g.join(" = ")).collect();
    let _ = writeln!(
        out,
        "duplicate captions       {}",
        if dups.is_empty() {
            "none".to_owned()
        } else {
            dups.join("; ")
        }
    );
    let _ = writeln!(out, "misfits                  {}", st.misfits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_newlines() {
        assert_eq!(one_line(" a\r\nb \n"), "a\\nb");
    }
}
