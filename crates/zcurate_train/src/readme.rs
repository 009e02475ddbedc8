//! `OUT/README.md`: how to run the export, the gate verdict (and any override), and every
//! recommended value with its reason. Deterministic, so a re-export rewrites nothing.

use std::fmt::Write as _;

use crate::marker::EXPORT_MANIFEST;
use crate::trainer::Model;
use crate::trainers::{Ctx, Emitted};

/// What a Turbo export's README says about the two other models and when to switch.
const TURBO_ALTERNATIVES: &str = "## Turbo, Base or De-Turbo\n\n\
Z-Image Turbo is step-distilled: a LoRA trained on it (through the training adapter) keeps \
its 8-step speed, but only for a short run; training breaks the distillation over time. Two \
models avoid that:\n\n\
- **Z-Image (Base)**, `--model z-image`: the non-distilled model its authors release for \
fine-tuning (musubi-tuner's docs recommend it for training), with full CFG (30-50 steps to \
sample). Switch to it for a longer run or a broader set than the Turbo step ceiling above \
allows, or when the LoRA must work with CFG and negative prompts.\n\
- **De-Turbo**, `--model z-image-deturbo` (ostris's de-distilled Turbo): Turbo with the \
distillation trained out, so it trains without the adapter and tolerates longer runs; sample \
it at CFG 2-3 with 20-30 steps. Switch to it when Turbo samples turn smeared or noisy once \
the adapter is removed (the distillation broke), or when the trainer has no adapter \
(OneTrainer trains it for a Turbo export).\n\n";

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

    if !p.below.is_empty() {
        let _ = writeln!(
            s,
            "## Images below the resolution\n\n{} of {} images have fewer than {r}×{r} pixels{}:\n",
            p.below.len(),
            p.images.len(),
            match crate::resolution::Fate::of(t.trainer) {
                crate::resolution::Fate::OwnSize => ", so they train at their own, smaller size",
                crate::resolution::Fate::Upscaled =>
                    ", and this trainer upscales them to its buckets",
                crate::resolution::Fate::Skipped => ", and this trainer skips them",
            },
            r = p.resolution()
        );
        for b in &p.below {
            let _ = writeln!(s, "- `{}`", cell(&b.line(t.trainer)));
        }
        s.push_str("\nReplace them with larger originals where you can; `--resolution` sets the run's size instead.\n\n");
    }

    if t.model == Model::ZImageTurbo {
        s.push_str(TURBO_ALTERNATIVES);
    }

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
