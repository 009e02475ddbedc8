//! `zcurate report`: bring the manifest up to date, lint it, and write one self-contained
//! HTML page showing the dataset (verdict, charts, findings with thumbnails, a contact sheet
//! with face boxes, filters, per-image details). Exit 0 when the page was written, whatever
//! its verdict; 2 when zcurate failed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use zcurate_lint::Severity;
use zcurate_report::{Page, PageContext, ThumbOptions};

use crate::ExitStatus;
use crate::args::{GlobalArgs, parse_deny};
use crate::commands::scan::ScanArgs;
use crate::env;
use crate::pipeline::{self, select::Basis};
use crate::printer;
use crate::settings::{Config, LintFlags, ScanSettings, lint_settings};

#[derive(Debug, ClapArgs)]
pub(crate) struct ReportArgs {
    /// Where to write the HTML report (one file; thumbnails are embedded in it).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: PathBuf,
    /// Profile to judge the dataset against: `face` (default), `character`, or a
    /// `[profile.NAME]`.
    #[arg(long, short = 'p', env = env::ZCURATE_PROFILE, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// Report on the manifest as it is, without scanning for changed files first.
    #[arg(long)]
    pub(crate) no_scan: bool,
    /// The trigger word captions must start with (default: `[lint]`/`[caption]` trigger,
    /// else inferred from the captions).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) trigger: Option<String>,
    /// The one class word captions should use (`woman`, `man`, `person`, ...).
    #[arg(long, value_name = "WORD", help_heading = "Captions")]
    pub(crate) class_word: Option<String>,
    /// Show the verdict as `zcurate lint --deny SEVERITY` would give it (`warnings`, `info`).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_deny)]
    pub(crate) deny: Option<Severity>,
    // Last: the scan flags open their own help headings.
    #[command(flatten)]
    pub(crate) scan: ScanArgs,
}

pub(crate) fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<ExitStatus> {
    let started = Instant::now();
    let dir = &args.scan.dir;
    // Before anything slow: a report must never replace a photo or a user's own file.
    zcurate_report::check_out_path(&args.out, dir)?;
    let config = Config::load(global, dir)?;
    let mut flags = LintFlags::judging(
        args.profile.clone(),
        args.trigger.clone(),
        args.class_word.clone(),
        args.scan.identity,
    )?;
    flags.overrides.fail_on = args.deny;
    let settings = lint_settings(&config, flags)?;
    let scan = ScanSettings::resolve(&args.scan, &config)?;
    let manifest = pipeline::manifest(&scan, args.no_scan, "report")?;
    let report = zcurate_lint::lint(&manifest, &settings);
    // What `zcurate select` would do with each image (when the folder has faces to choose by).
    let selection = match &scan.faces {
        Some(faces) => {
            let basis = Basis::resolve(&settings, &config.options, faces.framing, None, &manifest)?;
            zcurate_select::preview(&manifest, &basis.settings, &basis.expressions, None)
        }
        None => None,
    };

    // Thumbnails are cached in zcurate's own folder of the dataset, keyed by sha256.
    let thumb_options = ThumbOptions {
        cache_dir: Some(dir.join(".zcurate").join("thumbs")),
        jobs: scan.config.jobs,
        limits: scan.config.limits,
    };
    let thumbs = zcurate_report::make_thumbnails(dir, &manifest.images, &thumb_options)?;
    if thumbs.stats.cache_write_errors > 0 {
        printer::warning(format!(
            "{} thumbnails could not be cached in {}",
            thumbs.stats.cache_write_errors,
            dir.join(".zcurate/thumbs").display()
        ));
    }

    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let root = dir.to_string_lossy().into_owned();
    let originals = zcurate_report::relative_href(&args.out, dir);
    let page = Page::build(
        &manifest,
        &report,
        &PageContext {
            root: &root,
            version: env!("CARGO_PKG_VERSION"),
            originals_href: originals.as_deref(),
        },
    );
    let page = match &selection {
        Some(plan) => page.with_selection(plan),
        None => page,
    };
    let bytes = zcurate_report::write_report(&page, &thumbs, &args.out)?;

    let s = &report.summary;
    printer::status(format!(
        "{} {} ({:.1} MB, {} images: {} thumbnails made, {} cached{}) in {:.2}s",
        printer::bold("Report written to"),
        args.out.display(),
        bytes as f64 / 1e6,
        s.images,
        thumbs.stats.made,
        thumbs.stats.cached,
        if thumbs.stats.failed > 0 {
            format!(", {} failed", thumbs.stats.failed)
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64(),
    ));
    printer::status(format!(
        "{} {} errors, {} warnings, {} infos: {} the {} profile",
        printer::bold("Verdict:"),
        s.errors,
        s.warnings,
        s.infos,
        if report.failed() { "fails" } else { "passes" },
        s.profile,
    ));
    Ok(ExitStatus::Success)
}
