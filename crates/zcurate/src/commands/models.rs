//! `zcurate models`: list and fetch the pinned models.

use std::io::Write;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, Subcommand};
use zcurate_models::{CacheState, Entry, EntryKind, FetchOptions};

use crate::ExitStatus;
use crate::printer;

#[derive(Debug, Subcommand)]
pub(crate) enum ModelsCommand {
    /// Show every pinned model and photo, whether it is cached, and its licence.
    List,
    /// Fetch models by name (default: the default detector) into the cache and verify them.
    Fetch(ModelsFetchArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ModelsFetchArgs {
    /// Model names, as in `zcurate models list`.
    pub(crate) names: Vec<String>,
    /// Fetch every model that needs no licence acceptance.
    #[arg(long)]
    pub(crate) all: bool,
    /// Accept the non-commercial licence of the identity model (ArcFace, InsightFace weights).
    #[arg(long)]
    pub(crate) accept_non_commercial: bool,
}

/// The model fetched when `zcurate models fetch` names none: the default face detector.
const DEFAULT_MODEL: &str = "yunet";

pub(crate) fn run(cmd: ModelsCommand) -> Result<ExitStatus> {
    match cmd {
        ModelsCommand::List => list(),
        ModelsCommand::Fetch(a) => Ok(fetch(&a)),
    }
}

fn list() -> Result<ExitStatus> {
    let status = zcurate_models::status().context("cannot read the model cache")?;
    let registry = zcurate_models::registry();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<6} {:<24} {:<9} {:<26} source",
        "kind", "name", "state", "licence"
    )?;
    for s in &status {
        let kind = match s.kind {
            EntryKind::Model => "model",
            _ => "photo",
        };
        let state = match &s.state {
            CacheState::Verified => "cached",
            CacheState::Missing => "missing",
            _ => "MISMATCH",
        };
        let source = registry
            .entry(&s.name)
            .map(|e| format!("{}=={}", e.source().package, e.source().version))
            .unwrap_or_default();
        let licence = if s.opt_in {
            format!("{} (opt-in)", s.licence)
        } else {
            s.licence.clone()
        };
        writeln!(
            out,
            "{kind:<6} {:<24} {state:<9} {licence:<26} {source}",
            s.name
        )?;
    }
    printer::status(format!(
        "cache: {}",
        zcurate_models::cache_dir().map_or_else(|e| e.to_string(), |p| p.display().to_string())
    ));
    Ok(ExitStatus::Success)
}

/// Fetches each model in turn; a failure is reported and the others are still fetched.
fn fetch(args: &ModelsFetchArgs) -> ExitStatus {
    let registry = zcurate_models::registry();
    let names: Vec<String> = if args.all {
        registry
            .entries()
            .filter(|e| !matches!(e, Entry::Model(m) if m.opt_in))
            .map(|e| e.name().to_owned())
            .collect()
    } else if args.names.is_empty() {
        vec![DEFAULT_MODEL.to_owned()]
    } else {
        args.names.clone()
    };
    let options = FetchOptions {
        offline: false,
        allow_non_commercial: args.accept_non_commercial,
    };
    let mut failed = 0;
    for name in &names {
        let entry = match registry.entry(name) {
            Ok(e) => e,
            Err(e) => {
                printer::error(e);
                failed += 1;
                continue;
            }
        };
        let licence = entry.licence();
        if let (Some(text), true) = (&licence.text, args.accept_non_commercial) {
            printer::warning(format!(
                "{name} is licensed {}: {}",
                licence.spdx,
                text.trim()
            ));
        }
        let cached = zcurate_models::is_verified(name);
        if !cached {
            printer::status(format!("fetching {name} ..."));
        }
        match zcurate_models::fetch(name, &options) {
            Ok(path) => printer::status(format!(
                "{name}: {} {} ({}: {})",
                if cached {
                    "cached, verified"
                } else {
                    "fetched, verified"
                },
                path.display(),
                licence.spdx,
                licence.note.trim()
            )),
            Err(e) => {
                printer::error(format!("{name}: {}", zcurate_models::error_chain(&e)));
                failed += 1;
            }
        }
    }
    if failed == 0 {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    }
}
