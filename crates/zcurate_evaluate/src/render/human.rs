use std::fmt::Write as _;

use super::{num, pct, plural};
use crate::Evaluation;
use crate::metrics::{CheckpointScore, label};

const HEADERS: [&str; 7] = [
    "checkpoint",
    "likeness",
    "activation",
    "bleed",
    "neutral sim",
    "no face",
    "",
];

/// The table: one row per checkpoint, the recommendation (or why there is none) under it.
pub fn human(e: &Evaluation) -> String {
    let mut out = String::new();
    let trigger = e.prompts.prompts.iter().filter(|p| p.with_trigger).count();
    let _ = writeln!(
        out,
        "{} samples of {}: {} at {}; {}, {trigger} with the trigger",
        e.layout,
        e.run,
        plural(e.samples.len(), "image"),
        plural(e.checkpoints.len(), "checkpoint"),
        plural(e.prompts.prompts.len(), "prompt"),
    );
    let _ = writeln!(
        out,
        "identity: medoid {} of {} in {}; a face is the subject from similarity {:.2}",
        e.centre.medoid,
        plural(e.centre.faces, "face"),
        e.dataset,
        e.thresholds.min_similarity
    );
    out.push('\n');
    let rows: Vec<[String; 7]> = e.checkpoints.iter().map(|c| row(e, c)).collect();
    let mut widths = HEADERS.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (k, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            match k {
                0 => {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                }
                6 => s.push_str(cell),
                _ => {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                }
            }
            if k < 6 {
                s.push_str("  ");
            }
        }
        s.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(&HEADERS));
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
    }
    out.push('\n');
    match (&e.recommended, &e.verdict) {
        (Some(r), _) => {
            let _ = writeln!(out, "recommended: {}", r.reason);
        }
        (None, Some(v)) => {
            let _ = writeln!(out, "{v}");
        }
        (None, None) => {}
    }
    out
}

fn row(e: &Evaluation, c: &CheckpointScore) -> [String; 7] {
    let passing = |share: Option<f64>, of: usize| {
        share.map_or_else(
            || "–".to_owned(),
            |s| format!("{} {}/{of}", pct(Some(s)), (s * of as f64).round() as usize),
        )
    };
    let mut flags: Vec<&str> = c.flags.iter().map(|f| f.as_str()).collect();
    if e.recommended
        .as_ref()
        .is_some_and(|r| r.checkpoint == c.checkpoint)
    {
        flags.insert(0, "<- recommended");
    }
    if c.unreadable > 0 {
        flags.push("unreadable samples");
    }
    [
        label(c.checkpoint),
        num(c.likeness),
        passing(c.activation, c.trigger_samples),
        passing(c.bleed, c.neutral_faces),
        num(c.bleed_similarity),
        c.no_face.to_string(),
        flags.join(", "),
    ]
}
