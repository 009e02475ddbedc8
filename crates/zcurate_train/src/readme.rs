//! `OUT/README.md`: how to run the export, the gate verdict (and any override), and every
//! recommended value with its reason. Deterministic, so a re-export rewrites nothing.

use std::fmt::Write as _;

use crate::marker::EXPORT_MANIFEST;
use crate::trainers::{Ctx, Emitted};

/// A table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

pub(crate) fn render(ctx: &Ctx<'_>, emitted: &Emitted, images_rel: &str, forced: bool) -> String {
    let p = ctx.plan;
    let t = p.target;
    let mut s = String::new();
    let _ = writeln!(s, "# LoRA export: {} on {}\n", t.trainer, t.model);
    let _ = writeln!(
        s,
        "Written by `zcurate export` from the manifest of `{}`: {} images, {} profile, trigger `{}`{}. \
         Re-run the export instead of editing these files: zcurate replaces only files it wrote and \
         that are unchanged since, and refuses otherwise.\n",
        ctx.dataset_label,
        p.images.len(),
        p.profile,
        p.trigger,
        if p.trigger_inferred {
            " (inferred from the captions)"
        } else {
            ""
        }
    );

    let g = &p.gate;
    if forced {
        let _ = writeln!(
            s,
            "> **Gate overridden with `--force`.** The dataset fails lint ({} errors, {} warnings, {} infos; it fails on `{}`). \
             A run on it is likely to need more steps and to bleed. The failing findings:\n>",
            g.errors, g.warnings, g.infos, g.fail_on
        );
        for f in &g.failing {
            let _ = writeln!(s, "> - `{}`", cell(&f.line()));
        }
        s.push('\n');
    } else if g.passed {
        let _ = writeln!(
            s,
            "Gate: **passed** (lint: {} errors, {} warnings, {} infos; fails on `{}`).\n",
            g.errors, g.warnings, g.infos, g.fail_on
        );
    } else {
        // Not reachable through the CLI (it refuses), but a library caller may export a
        // failing set without forcing; say so.
        let _ = writeln!(
            s,
            "Gate: **failed** ({} findings at `{}` or above).\n",
            g.failing.len(),
            g.fail_on
        );
    }

    s.push_str("## Run\n\n");
    match &emitted.run {
        Some(run) => {
            let _ = writeln!(s, "```sh\n{run}\n```\n");
        }
        None => s.push_str("No training command: see below.\n\n"),
    }
    let _ = writeln!(
        s,
        "The trainer starts from `{}`. `zcurate train DIR ... -- CMD ARGS` exports, checks the gate, then runs CMD with `{{config}}` in ARGS replaced by that file's path and records the run in `runs/`.\n",
        emitted.main
    );
    if !emitted.todo.is_empty() {
        s.push_str("Before the run:\n\n");
        for item in &emitted.todo {
            let _ = writeln!(s, "- {item}");
        }
        s.push('\n');
    }

    s.push_str("## Recommended values\n\nComputed from the dataset's manifest and its lint report.\n\n| value | recommended | why |\n|---|---|---|\n");
    for r in &p.recommendations {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            cell(&r.name),
            cell(&r.value),
            cell(&r.reason)
        );
    }
    s.push('\n');

    s.push_str("## Sample prompts\n\n| prompt | trigger | checks |\n|---|---|---|\n");
    for sp in &p.samples {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            cell(&sp.prompt),
            if sp.with_trigger { "yes" } else { "no" },
            cell(&sp.purpose)
        );
    }
    s.push('\n');

    s.push_str("## Files\n\n");
    let added = p.images.iter().filter(|i| i.trigger_added).count();
    let _ = writeln!(
        s,
        "- `{images_rel}/`: {} images, hard-linked to the originals where the file system allows (copies otherwise), so edit the originals and re-export, never these; each with a `.txt` caption starting with or containing `{}` ({added} had the trigger added).",
        p.images.len(),
        p.trigger
    );
    for f in &emitted.files {
        let main = if f.rel == emitted.main {
            " (main config)"
        } else {
            ""
        };
        let _ = writeln!(s, "- `{}`{main}", f.rel);
    }
    let _ = writeln!(
        s,
        "- `{EXPORT_MANIFEST}`: what was exported from which manifest, the gate verdict{}, the plan and every file written.",
        if forced { " and the override" } else { "" }
    );
    if !p.excluded.is_empty() {
        let _ = writeln!(s, "\nLeft out ({}):\n", p.excluded.len());
        for e in &p.excluded {
            let _ = writeln!(s, "- `{}`: {}", cell(&e.path), cell(&e.reason));
        }
    }

    let notes: Vec<_> = emitted
        .files
        .iter()
        .flat_map(|f| f.notes.iter().map(move |(k, c)| (f.rel.as_str(), k, c)))
        .collect();
    if !notes.is_empty() {
        s.push_str("\n## Where the values come from\n\nJSON holds no comments, so the sources of the non-obvious keys are here.\n\n| file | key | source |\n|---|---|---|\n");
        for (file, key, comment) in notes {
            let _ = writeln!(s, "| `{file}` | `{key}` | {} |", cell(comment));
        }
    }
    s
}
