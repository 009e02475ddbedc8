//! What rules see: the manifest, the resolved settings, dataset facts computed once, and a
//! sink for findings.

use std::collections::BTreeMap;

use zcurate_caption::Presence;
use zcurate_manifest::{AngleLabel, Face, FramingClass, ImageRecord, Manifest, SlotStats};

use crate::captions::CaptionFacts;
use crate::diagnostic::Finding;
use crate::identity::IdentityFacts;
use crate::profile::Thresholds;
use crate::rules::Rule;
use crate::settings::LintSettings;
use crate::target::TargetVerdict;
use crate::{Severity, captions};

/// Dataset-level facts, computed once before the rules run.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    /// Face detection ran (the manifest has face settings, or records carry faces).
    pub(crate) faces_detected: bool,
    /// Decoded images.
    pub(crate) usable: usize,
    pub(crate) captions: CaptionFacts,
    /// Framing class counts over decoded images that went through face detection.
    pub(crate) framing: BTreeMap<FramingClass, usize>,
    /// Decoded images whose main subject has a face (any class but `no-face`).
    pub(crate) with_face: usize,
    pub(crate) targets: Vec<TargetVerdict>,
    /// Head angle counts of main faces, in [`ANGLES`] order, non-zero only.
    pub(crate) angles: Vec<(AngleLabel, usize)>,
    pub(crate) identity: Option<IdentityFacts>,
}

/// Head angles in display order.
pub(crate) const ANGLES: [AngleLabel; 5] = [
    AngleLabel::Front,
    AngleLabel::ThreeQuarterLeft,
    AngleLabel::ThreeQuarterRight,
    AngleLabel::ProfileLeft,
    AngleLabel::ProfileRight,
];

/// The main subject's face of a record, if detection found one.
pub(crate) fn main_face(r: &ImageRecord) -> Option<&Face> {
    r.main_face()
}

/// The framing class of a record, if detection ran.
pub(crate) fn framing_class(r: &ImageRecord) -> Option<FramingClass> {
    r.framing.as_ref().map(|f| f.class)
}

impl Facts {
    pub(crate) fn compute(manifest: &Manifest, settings: &LintSettings) -> Self {
        let t = &settings.profile.thresholds;
        let faces_detected =
            manifest.settings.faces.is_some() || manifest.images.iter().any(|r| r.faces.is_some());
        let usable = manifest.ok_images().count();
        let mut framing: BTreeMap<FramingClass, usize> = BTreeMap::new();
        let mut angle_counts = [0usize; ANGLES.len()];
        for r in manifest.ok_images() {
            if let Some(class) = framing_class(r) {
                *framing.entry(class).or_default() += 1;
            }
            if let Some(angle) = main_face(r).and_then(|f| f.angle)
                && let Some(k) = ANGLES.iter().position(|a| *a == angle)
            {
                angle_counts[k] += 1;
            }
        }
        let angles = ANGLES
            .iter()
            .zip(angle_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(a, n)| (*a, n))
            .collect();
        let with_face: usize = framing
            .iter()
            .filter(|(c, _)| **c != FramingClass::NoFace)
            .map(|(_, n)| n)
            .sum();
        let targets = t
            .framing_targets
            .iter()
            .map(|target| {
                let count: usize = target
                    .classes
                    .iter()
                    .map(|c| framing.get(c).copied().unwrap_or(0))
                    .sum();
                target.judge(count, with_face)
            })
            .collect();
        let captions = captions::analyse(
            manifest,
            &settings.schema,
            settings.trigger.as_deref(),
            settings.class_word.as_deref(),
        );
        let identity = settings
            .identity
            .then(|| crate::identity::facts(manifest, settings.identity_model.as_deref()));
        Self {
            faces_detected,
            usable,
            captions,
            framing,
            with_face,
            targets,
            angles,
            identity,
        }
    }

    /// Unwanted (forbidden) caption slots whose entropy is over the profile's limit.
    pub(crate) fn noisy_slots(&self, t: &Thresholds) -> Vec<&SlotStats> {
        self.captions
            .stats
            .slots
            .iter()
            .filter(|s| {
                s.presence == Presence::Forbidden.as_str()
                    && s.entropy_bits > t.max_unwanted_slot_entropy + 1e-9
            })
            .collect()
    }
}

/// Rules run against this; findings collect in it.
pub(crate) struct Context<'a> {
    pub(crate) manifest: &'a Manifest,
    pub(crate) settings: &'a LintSettings,
    pub(crate) t: &'a Thresholds,
    pub(crate) facts: &'a Facts,
    rule: Rule,
    severity: Severity,
    pub(crate) findings: Vec<Finding>,
    /// Findings dropped by `per-file-ignores`.
    pub(crate) suppressed: usize,
    /// Where a suppressed finding is built, so `report` can always return one.
    scratch: Finding,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        manifest: &'a Manifest,
        settings: &'a LintSettings,
        facts: &'a Facts,
    ) -> Self {
        Self {
            manifest,
            settings,
            t: &settings.profile.thresholds,
            facts,
            rule: Rule::ALL[0],
            severity: Severity::Error,
            findings: Vec::new(),
            suppressed: 0,
            scratch: Finding::new(Rule::ALL[0], Severity::Error, None, String::new()),
        }
    }

    pub(crate) fn run(&mut self, rule: Rule, severity: Severity) {
        self.rule = rule;
        self.severity = severity;
        rule.check(self);
    }

    /// Records a finding of the running rule; chain `.fix()`, `.measured()`, `.files()`.
    pub(crate) fn report(
        &mut self,
        path: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let finding = Finding::new(self.rule, self.severity, path, message.into());
        if path.is_some_and(|p| self.settings.is_ignored(self.rule, p)) {
            self.suppressed += 1;
            self.scratch = finding;
            return &mut self.scratch;
        }
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    /// Decoded images with their manifest index.
    pub(crate) fn images(&self) -> impl Iterator<Item = (usize, &'a ImageRecord)> + use<'a> {
        self.manifest
            .images
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_decoded())
    }

    /// Every record with its index, decoded or not.
    pub(crate) fn records(&self) -> impl Iterator<Item = (usize, &'a ImageRecord)> + use<'a> {
        self.manifest.images.iter().enumerate()
    }

    pub(crate) fn profile(&self) -> &str {
        &self.settings.profile.name
    }
}
