//! The whole selection of one folder: candidates, exclusions, the choice, output names, the
//! targets and, when the folder cannot meet them, what is missing.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use zcurate_lint::FramingTarget;
use zcurate_manifest::Manifest;

use crate::candidates::{self, Candidate, Kind};
use crate::choose::{self, lower, upper};
use crate::error::SelectError;
use crate::exclude::{self, Exclusion};
use crate::settings::SelectSettings;

/// What becomes of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "decision")]
pub enum Decision {
    /// The original goes into the set (hard-linked as `output`).
    Keep { output: String },
    /// The crop goes into the set (rendered as `output`).
    Crop { output: String },
    /// It cannot go into the set.
    Drop { reason: Exclusion },
    /// Usable, but the set was complete without it.
    Spare { reason: String },
}

impl Decision {
    /// `keep`, `crop`, `drop` or `spare`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Keep { .. } => "keep",
            Self::Crop { .. } => "crop",
            Self::Drop { .. } => "drop",
            Self::Spare { .. } => "spare",
        }
    }

    /// The output path, for a chosen candidate.
    pub fn output(&self) -> Option<&str> {
        match self {
            Self::Keep { output } | Self::Crop { output } => Some(output),
            _ => None,
        }
    }

    /// Why it was left out, for one that was.
    pub fn reason(&self) -> Option<String> {
        match self {
            Self::Drop { reason } => Some(reason.to_string()),
            Self::Spare { reason } => Some(reason.clone()),
            _ => None,
        }
    }
}

/// A target against the chosen set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct TargetOutcome {
    /// `images`, or the classes (`close-up + head-shoulders`).
    pub label: String,
    /// `18–25`, `≥ 70%`, `3–5 images`.
    pub range: String,
    pub count: usize,
    /// Of the chosen images (framing targets).
    pub share: f64,
    pub met: bool,
}

/// The plan of one selection.
#[derive(Debug, Clone)]
pub struct SelectPlan {
    pub candidates: Vec<Candidate>,
    /// One per candidate.
    pub decisions: Vec<Decision>,
    /// Chosen candidates, by output path.
    pub chosen: Vec<usize>,
    /// The set's size against the profile's target (or `--count`).
    pub total: TargetOutcome,
    pub framing: Vec<TargetOutcome>,
    /// What the folder lacks to meet the targets, one sentence each; empty when they are met.
    pub missing: Vec<String>,
    /// Things a person should know that are not misses (`--keep` of an unusable image, ...).
    pub notes: Vec<String>,
}

impl SelectPlan {
    /// True when the set meets the size and every framing target.
    pub fn met(&self) -> bool {
        self.total.met && self.framing.iter().all(|t| t.met)
    }

    /// The decision per source image for a contact sheet: its chosen candidates, or else
    /// the first reason its original was left out. Keyed by source path.
    pub fn by_source(&self) -> BTreeMap<&str, Vec<(usize, &Decision)>> {
        let mut out: BTreeMap<&str, Vec<(usize, &Decision)>> = BTreeMap::new();
        for (i, (c, d)) in self.candidates.iter().zip(&self.decisions).enumerate() {
            out.entry(c.source.as_str()).or_default().push((i, d));
        }
        out
    }
}

/// The plan for `manifest` (as `zcurate scan` wrote it; nothing is decoded).
/// `expressions` holds each record's known expression ([`candidates::known_expressions`]);
/// `identity` each embedded record's similarity to the medoid face (with `--identity`).
pub fn plan(
    manifest: &Manifest,
    settings: &SelectSettings,
    expressions: &[Option<String>],
    identity: Option<&BTreeMap<usize, f32>>,
) -> Result<SelectPlan, SelectError> {
    if manifest.images.is_empty() {
        return Err(SelectError::NoImages);
    }
    if settings.count == Some(0) {
        return Err(SelectError::BadCount { count: 0 });
    }
    let kept = resolve_paths(manifest, &settings.keep, "keep")?;
    let dropped = resolve_paths(manifest, &settings.drop, "drop")?;
    if let Some(both) = kept.intersection(&dropped).next() {
        return Err(SelectError::KeepAndDrop {
            path: manifest.images[*both].path.clone(),
        });
    }
    if !manifest
        .images
        .iter()
        .any(|r| r.is_decoded() && candidates::main_face(r).is_some())
    {
        return Err(SelectError::NoFaces {
            images: manifest.images.len(),
        });
    }

    let mut cands = candidates::build(manifest, settings, expressions, identity);
    exclude::apply(&mut cands, manifest, settings, &kept);

    let mut notes = Vec::new();
    let mut forced = Vec::new();
    for &r in &kept {
        let best = cands
            .iter()
            .enumerate()
            .filter(|(_, c)| c.record == r && c.exclusion.is_none())
            .max_by(|(_, a), (_, b)| {
                (a.kind == Kind::Original)
                    .cmp(&(b.kind == Kind::Original))
                    .then(a.quality.total_cmp(&b.quality))
                    .then(b.id.cmp(&a.id))
            })
            .map(|(i, _)| i);
        if let Some(i) = best {
            forced.push(i);
        } else {
            let why = cands
                .iter()
                .find(|c| c.record == r)
                .and_then(|c| c.exclusion.as_ref())
                .map_or_else(|| "no usable candidate".to_owned(), ToString::to_string);
            notes.push(format!(
                "--keep {}: cannot be used ({why})",
                manifest.images[r].path
            ));
        }
    }
    forced.sort_unstable();

    let choice = choose::choose(&cands, settings, &forced);
    let sources: Vec<String> = manifest.images.iter().map(|r| r.path.clone()).collect();
    let names = crate::names::assign(
        &cands,
        &choice.chosen,
        &sources,
        settings.crop.format.extension(),
    );
    let decisions: Vec<Decision> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if let Some(out) = names.get(&i) {
                match c.kind {
                    Kind::Original => Decision::Keep {
                        output: out.clone(),
                    },
                    Kind::Crop => Decision::Crop {
                        output: out.clone(),
                    },
                }
            } else if let Some(e) = &c.exclusion {
                Decision::Drop { reason: e.clone() }
            } else {
                Decision::Spare {
                    reason: choice
                        .spare
                        .get(&i)
                        .cloned()
                        .unwrap_or_else(|| "not needed".to_owned()),
                }
            }
        })
        .collect();
    let mut chosen = choice.chosen.clone();
    chosen.sort_by(|&a, &b| names[&a].cmp(&names[&b]));

    let t = &settings.thresholds;
    let n = chosen.len();
    let (lo, hi) = match settings.count {
        Some(k) => (k, k),
        None => (t.target_min_images, t.target_max_images),
    };
    let total = TargetOutcome {
        label: "images".to_owned(),
        range: if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo}–{hi}")
        },
        count: n,
        share: 1.0,
        met: (lo..=hi).contains(&n),
    };
    let framing: Vec<TargetOutcome> = t
        .framing_targets
        .iter()
        .map(|tg| {
            let count = chosen
                .iter()
                .filter(|&&i| tg.classes.contains(&cands[i].framing))
                .count();
            let verdict = tg.judge(count, n);
            TargetOutcome {
                label: tg.label(),
                range: tg.range_label(),
                count,
                share: verdict.share,
                met: n > 0 && verdict.ok(),
            }
        })
        .collect();
    let missing = missing(&cands, &chosen, settings, (lo, hi), &framing);
    if settings.identity && identity.is_none_or(BTreeMap::is_empty) {
        notes.push("identity not checked: no face could be embedded".to_owned());
    }
    Ok(SelectPlan {
        candidates: cands,
        decisions,
        chosen,
        total,
        framing,
        missing,
        notes,
    })
}

/// The plan of a folder as the report shows it: no `--keep`, `--drop` or `--count`; `None`
/// when the folder has no usable face at all.
pub fn preview(
    manifest: &Manifest,
    settings: &SelectSettings,
    expressions: &[Option<String>],
    identity: Option<&BTreeMap<usize, f32>>,
) -> Option<SelectPlan> {
    plan(manifest, settings, expressions, identity).ok()
}

/// Manifest indices of `paths` (relative to the source folder).
fn resolve_paths(
    manifest: &Manifest,
    paths: &[String],
    flag: &'static str,
) -> Result<HashSet<usize>, SelectError> {
    paths
        .iter()
        .map(|p| {
            manifest
                .images
                .iter()
                .position(|r| r.path == *p)
                .ok_or_else(|| SelectError::UnknownImage {
                    flag,
                    path: p.clone(),
                })
        })
        .collect()
}

/// Counts of exclusion reasons among `cands`, most common first: `3 blurry face, 1 too small`.
fn why_not(cands: &[&Candidate]) -> String {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for c in cands {
        if let Some(e) = &c.exclusion {
            *counts.entry(e.code()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(code, n)| format!("{n} {}", code.replace('-', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One sentence per missed target: how many images are short, and what the folder had.
fn missing(
    cands: &[Candidate],
    chosen: &[usize],
    settings: &SelectSettings,
    (lo, hi): (usize, usize),
    framing: &[TargetOutcome],
) -> Vec<String> {
    let mut out = Vec::new();
    let n = chosen.len();
    let excluded: Vec<&Candidate> = cands.iter().filter(|c| c.exclusion.is_some()).collect();
    if n < lo {
        let why = why_not(&excluded);
        out.push(format!(
            "{} more image{} for the {} profile's {}–{hi} ({n} chosen): the folder has no more usable photos{}",
            lo - n,
            if lo - n == 1 { "" } else { "s" },
            settings.profile,
            lo,
            if why.is_empty() {
                String::new()
            } else {
                format!(" (left out: {why})")
            }
        ));
    }
    for (tg, outcome) in settings.thresholds.framing_targets.iter().zip(framing) {
        if outcome.met || n == 0 {
            continue;
        }
        out.push(framing_miss(tg, outcome, cands, n));
    }
    out
}

fn framing_miss(tg: &FramingTarget, o: &TargetOutcome, cands: &[Candidate], n: usize) -> String {
    let of_class: Vec<&Candidate> = cands
        .iter()
        .filter(|c| tg.classes.contains(&c.framing))
        .collect();
    let usable = of_class.iter().filter(|c| c.exclusion.is_none()).count();
    let need = lower(tg, n);
    if o.count < need {
        let short = need - o.count;
        let why = why_not(&of_class);
        let had = if usable == 0 {
            format!("the folder has no usable {} shot", tg.label())
        } else {
            format!(
                "the folder has {usable} usable {} candidate{} from different photos",
                tg.label(),
                if usable == 1 { "" } else { "s" }
            )
        };
        format!(
            "{short} {} shot{} short ({} wanted, {} chosen): {had}{}",
            tg.label(),
            if short == 1 { "" } else { "s" },
            tg.range_label(),
            o.count,
            if why.is_empty() {
                String::new()
            } else {
                format!("; left out: {why}")
            }
        )
    } else {
        let cap = upper(tg, n);
        format!(
            "{} {} of {n} ({} wanted, at most {cap}): the folder has too few other shots to balance them",
            o.count,
            tg.label(),
            tg.range_label(),
        )
    }
}
