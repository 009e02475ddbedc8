//! The result of a lint run: findings plus the dataset summary every format shows.

use std::collections::BTreeMap;

use serde::Serialize;
use zcurate_manifest::{AngleLabel, FramingClass, Manifest};

use zcurate_manifest::SlotStats;

use crate::captions::Trigger;
use crate::context::Facts;
use crate::diagnostic::Finding;
use crate::rules::Rule;
use crate::settings::LintSettings;
use crate::severity::Severity;
use crate::target::TargetVerdict;

/// Rules that did not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub rules: Vec<Rule>,
    pub reason: String,
}

/// The identity check at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentitySummary {
    pub embedded: usize,
    pub missing: usize,
    /// Path of the medoid face's image.
    pub medoid: Option<String>,
    /// Faces below the similarity threshold.
    pub outliers: usize,
    pub threshold: f64,
}

/// What the dataset looks like, against the profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub profile: String,
    /// Image files in the manifest.
    pub images: usize,
    /// Images that decoded.
    pub usable: usize,
    pub faces_detected: bool,
    /// Framing class counts (decoded images).
    pub framing: BTreeMap<FramingClass, usize>,
    /// Decoded images with a face.
    pub with_face: usize,
    pub targets: Vec<TargetVerdict>,
    /// Head angle counts of main faces.
    #[serde(serialize_with = "ser_angles")]
    pub angles: Vec<(AngleLabel, usize)>,
    pub captioned: usize,
    pub trigger: Option<Trigger>,
    /// Captions starting with the exact trigger.
    pub trigger_first: usize,
    /// Captions containing the exact trigger anywhere.
    pub trigger_present: usize,
    /// The class word captions should use, and how many captions use each.
    pub class_word: Option<String>,
    pub class_words: BTreeMap<String, usize>,
    /// The caption schema the captions were read with (the profile's `caption-schema`).
    pub caption_schema: String,
    /// Entropy and fill of each slot of the schema, in schema order: the figures of
    /// `zcurate caption --stats` (entropy rounded to 4 decimals).
    pub slots: Vec<SlotStats>,
    /// The schema's required and optional slots, identity slots excepted.
    pub wanted_slots: Vec<String>,
    /// The slots the schema forbids.
    pub unwanted_slots: Vec<String>,
    pub max_unwanted_slot_entropy: f64,
    /// Share of caption words in unwanted slots.
    pub unwanted_word_share: Option<f64>,
    pub median_caption_words: Option<f64>,
    pub identity: Option<IdentitySummary>,
    pub skipped: Vec<Skipped>,
    /// Findings silenced by `per-file-ignores`.
    pub suppressed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

fn ser_angles<S: serde::Serializer>(
    angles: &[(AngleLabel, usize)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(angles.iter().map(|(a, n)| (a.as_str(), n)))
}

pub(crate) fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// Findings and summary of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Sorted by rule, then path.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Lowest severity that fails the run.
    pub fail_on: Severity,
}

impl Report {
    /// True when some finding is at or above the failing severity.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= self.fail_on)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

pub(crate) fn build(
    manifest: &Manifest,
    settings: &LintSettings,
    facts: &Facts,
    findings: Vec<Finding>,
    skipped: Vec<Skipped>,
    suppressed: usize,
) -> Report {
    let t = &settings.profile.thresholds;
    let c = &facts.captions;
    let (trigger_first, trigger_present) = c
        .stats
        .trigger
        .as_ref()
        .map_or((0, 0), |t| (t.first, t.present));
    let identity = facts.identity.as_ref().map(|id| IdentitySummary {
        embedded: id.embedded,
        missing: id.missing,
        medoid: id.medoid.map(|i| manifest.images[i].path.clone()),
        outliers: id
            .similarity
            .values()
            .filter(|s| f64::from(**s) < t.min_identity_similarity)
            .count(),
        threshold: t.min_identity_similarity,
    });
    let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
    let summary = Summary {
        profile: settings.profile.name.clone(),
        images: manifest.images.len(),
        usable: facts.usable,
        faces_detected: facts.faces_detected,
        framing: facts.framing.clone(),
        with_face: facts.with_face,
        targets: facts.targets.clone(),
        angles: facts.angles.clone(),
        captioned: c.captioned,
        trigger: c.trigger.clone(),
        trigger_first,
        trigger_present,
        class_word: c.class_word.clone(),
        class_words: c
            .stats
            .class_words
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect(),
        caption_schema: settings.schema.name.clone(),
        slots: c
            .stats
            .slots
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v.entropy_bits = round4(v.entropy_bits);
                v.fill_share = round4(v.fill_share);
                v
            })
            .collect(),
        wanted_slots: settings
            .schema
            .slots
            .iter()
            .filter(|s| !s.is_identity() && s.presence != zcurate_caption::Presence::Forbidden)
            .map(|s| s.name.clone())
            .collect(),
        unwanted_slots: settings
            .unwanted_slots()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        max_unwanted_slot_entropy: t.max_unwanted_slot_entropy,
        unwanted_word_share: c.unwanted_word_share.map(round4),
        median_caption_words: c.median_words,
        identity,
        skipped,
        suppressed,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    Report {
        findings,
        summary,
        fail_on: settings.fail_on,
    }
}
