//! Per-checkpoint numbers and the checkpoint to keep.
//!
//! - **likeness**: median similarity of the trigger samples' main faces to the dataset's
//!   identity centre;
//! - **activation**: share of trigger samples whose main face passes as the subject
//!   (similarity at least the identity threshold; a sample without a face does not);
//! - **bleed**: share of the neutral samples' faces that pass as the subject, and their
//!   median similarity;
//! - images with no face.
//!
//! A checkpoint qualifies when its activation reaches [`Thresholds::min_activation`] and its
//! bleed stays at or under [`Thresholds::max_bleed`]; the recommendation is the earliest
//! qualifying checkpoint whose likeness is within [`Thresholds::likeness_tolerance`] of the
//! best qualifying likeness.

use std::fmt::Write as _;

use serde::Serialize;

use crate::layout::Checkpoint;

/// Share of trigger samples that must show the subject: at least half, so two of the three
/// trigger prompts zcurate's exports sample. The likeness median then passes the identity
/// threshold too.
pub const DEFAULT_MIN_ACTIVATION: f64 = 0.5;

/// Largest share of neutral-prompt faces that may pass as the subject. Different people
/// measure 0.13 or less against each other, far under the identity threshold, so any
/// neutral face above it is suspect; one chance lookalike among five or more faces (the
/// crowd of the "group of friends" prompt) is tolerated, the neutral portrait turning into
/// the subject (one face in at most four or five) is not.
pub const DEFAULT_MAX_BLEED: f64 = 0.2;

/// How much better a later checkpoint's likeness must be to be preferred over an earlier
/// one. Every step more costs editability (and on Turbo erodes the distillation), so the
/// later checkpoint has to be clearly better: likeness is the median of a few samples (three
/// trigger prompts in zcurate's exports) whose similarities spread by several hundredths
/// within one checkpoint (0.65 to 0.71 for the subject's own photos in the tests).
pub const DEFAULT_LIKENESS_TOLERANCE: f64 = 0.02;

/// The thresholds of a verdict, as applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Similarity to the identity centre from which a face is the subject: the identity
    /// rule's `min-identity-similarity`.
    pub min_similarity: f64,
    pub min_activation: f64,
    pub max_bleed: f64,
    pub likeness_tolerance: f64,
}

impl Thresholds {
    /// The defaults, with the identity threshold `min_similarity`.
    pub fn with_similarity(min_similarity: f64) -> Self {
        Self {
            min_similarity,
            min_activation: DEFAULT_MIN_ACTIVATION,
            max_bleed: DEFAULT_MAX_BLEED,
            likeness_tolerance: DEFAULT_LIKENESS_TOLERANCE,
        }
    }

    /// The first value outside its range, as a message.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v, lo) in [
            ("min-similarity", self.min_similarity, -1.0),
            ("min-activation", self.min_activation, 0.0),
            ("max-bleed", self.max_bleed, 0.0),
            ("likeness-tolerance", self.likeness_tolerance, 0.0),
        ] {
            if !(lo..=1.0).contains(&v) {
                return Err(format!("{name} must be between {lo} and 1, got {v}"));
            }
        }
        Ok(())
    }
}

/// What one sample contributed: trigger or neutral, whether it was read, and the
/// similarities of its embedded faces (main face first).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleFacts {
    pub checkpoint: Checkpoint,
    pub with_trigger: bool,
    pub readable: bool,
    pub faces: usize,
    /// The main face's similarity, when it was embedded.
    pub main: Option<f32>,
    /// Similarities of every embedded face, main first.
    pub all: Vec<f32>,
}

/// Why a checkpoint does not qualify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// Too few trigger samples show the subject.
    NotLearned,
    /// Too many neutral faces pass as the subject.
    Bleeding,
    /// The run has neutral prompts but this checkpoint's show no face.
    BleedUnmeasured,
    /// No trigger sample was read at this checkpoint.
    NoTriggerSamples,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotLearned => "not learned",
            Self::Bleeding => "bleeding",
            Self::BleedUnmeasured => "bleed unmeasured",
            Self::NoTriggerSamples => "no trigger samples",
        }
    }
}

/// One checkpoint's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckpointScore {
    pub checkpoint: Checkpoint,
    /// Trigger samples read.
    pub trigger_samples: usize,
    /// Trigger samples whose main face was embedded.
    pub trigger_faces: usize,
    pub likeness: Option<f64>,
    pub activation: Option<f64>,
    /// Neutral samples read.
    pub neutral_samples: usize,
    /// Faces embedded in the neutral samples.
    pub neutral_faces: usize,
    pub bleed: Option<f64>,
    pub bleed_similarity: Option<f64>,
    /// Samples read in which no face was found.
    pub no_face: usize,
    /// Samples that could not be read or decoded.
    pub unreadable: usize,
    pub flags: Vec<Flag>,
    pub qualifies: bool,
}

/// The checkpoint to keep and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub checkpoint: Checkpoint,
    pub reason: String,
}

/// Scores every checkpoint of `samples` (in checkpoint order).
pub fn score_checkpoints(samples: &[SampleFacts], t: &Thresholds) -> Vec<CheckpointScore> {
    let any_neutral = samples.iter().any(|s| !s.with_trigger);
    let mut checkpoints: Vec<Checkpoint> = samples.iter().map(|s| s.checkpoint).collect();
    checkpoints.sort_unstable();
    checkpoints.dedup();
    checkpoints
        .into_iter()
        .map(|c| {
            let of = |trigger: bool| {
                samples
                    .iter()
                    .filter(move |s| s.checkpoint == c && s.with_trigger == trigger && s.readable)
            };
            let trigger: Vec<&SampleFacts> = of(true).collect();
            let neutral: Vec<&SampleFacts> = of(false).collect();
            let main: Vec<f64> = trigger
                .iter()
                .filter_map(|s| s.main)
                .map(f64::from)
                .collect();
            let passes = |v: &f64| *v >= t.min_similarity;
            let activation = (!trigger.is_empty())
                .then(|| main.iter().filter(|v| passes(v)).count() as f64 / trigger.len() as f64);
            let neutral_sims: Vec<f64> = neutral
                .iter()
                .flat_map(|s| s.all.iter().copied().map(f64::from))
                .collect();
            let bleed = (!neutral_sims.is_empty()).then(|| {
                neutral_sims.iter().filter(|v| passes(v)).count() as f64 / neutral_sims.len() as f64
            });
            let mut flags = Vec::new();
            if trigger.is_empty() {
                flags.push(Flag::NoTriggerSamples);
            } else if activation.is_some_and(|a| a < t.min_activation) {
                flags.push(Flag::NotLearned);
            }
            match bleed {
                Some(b) if b > t.max_bleed => flags.push(Flag::Bleeding),
                None if any_neutral => flags.push(Flag::BleedUnmeasured),
                _ => {}
            }
            let at = |s: &&SampleFacts| s.checkpoint == c;
            CheckpointScore {
                checkpoint: c,
                trigger_samples: trigger.len(),
                trigger_faces: main.len(),
                likeness: median(main),
                activation,
                neutral_samples: neutral.len(),
                neutral_faces: neutral_sims.len(),
                bleed,
                bleed_similarity: median(neutral_sims),
                no_face: samples
                    .iter()
                    .filter(at)
                    .filter(|s| s.readable && s.faces == 0)
                    .count(),
                unreadable: samples.iter().filter(at).filter(|s| !s.readable).count(),
                qualifies: flags.is_empty(),
                flags,
            }
        })
        .collect()
}

/// The earliest qualifying checkpoint within the tolerance of the best qualifying likeness.
pub fn recommend(scores: &[CheckpointScore], t: &Thresholds) -> Option<Recommendation> {
    let likeness = |c: &CheckpointScore| c.likeness.unwrap_or(f64::NEG_INFINITY);
    let qualifying: Vec<&CheckpointScore> = scores.iter().filter(|c| c.qualifies).collect();
    let best = qualifying.iter().copied().max_by(|a, b| {
        likeness(a)
            .total_cmp(&likeness(b))
            .then(b.checkpoint.cmp(&a.checkpoint))
    })?;
    let chosen = qualifying
        .iter()
        .copied()
        .find(|c| likeness(c) >= likeness(best) - t.likeness_tolerance)?;
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", v * 100.0));
    let mut reason = format!(
        "{}: the earliest checkpoint with the best likeness ({:.2}",
        label(chosen.checkpoint),
        likeness(chosen)
    );
    if chosen.checkpoint != best.checkpoint {
        let _ = write!(
            reason,
            ", within {} of {:.2} at {}",
            t.likeness_tolerance,
            likeness(best),
            label(best.checkpoint)
        );
    }
    let _ = write!(
        reason,
        ") among those where at least {} of trigger samples show the subject and at most {} of neutral faces pass as the subject (here {} and {})",
        pct(Some(t.min_activation)),
        pct(Some(t.max_bleed)),
        pct(chosen.activation),
        pct(chosen.bleed)
    );
    for c in scores {
        if !c.qualifies && likeness(c) > likeness(chosen) && c.flags.contains(&Flag::Bleeding) {
            let _ = write!(
                reason,
                "; {} looks more like the subject ({:.2}) but bleeds ({} of neutral faces)",
                label(c.checkpoint),
                likeness(c),
                pct(c.bleed)
            );
        }
    }
    Some(Recommendation {
        checkpoint: chosen.checkpoint,
        reason,
    })
}

/// Why no checkpoint qualifies: each flag with its checkpoints.
pub fn no_recommendation(scores: &[CheckpointScore], t: &Thresholds) -> String {
    let mut parts = Vec::new();
    for (flag, why) in [
        (
            Flag::NotLearned,
            format!(
                "fewer than {:.0}% of trigger samples show the subject",
                t.min_activation * 100.0
            ),
        ),
        (
            Flag::Bleeding,
            format!(
                "more than {:.0}% of neutral faces pass as the subject",
                t.max_bleed * 100.0
            ),
        ),
        (
            Flag::BleedUnmeasured,
            "no face in the neutral samples".to_owned(),
        ),
        (Flag::NoTriggerSamples, "no trigger sample".to_owned()),
    ] {
        let with: Vec<String> = scores
            .iter()
            .filter(|c| c.flags.contains(&flag))
            .map(|c| label(c.checkpoint))
            .collect();
        if !with.is_empty() {
            parts.push(format!("{} {} ({why})", with.join(", "), flag.as_str()));
        }
    }
    format!("no checkpoint meets the thresholds: {}", parts.join("; "))
}

/// `step 500` or `epoch 3`.
pub fn label(c: Checkpoint) -> String {
    match c {
        Checkpoint::Step(n) => format!("step {n}"),
        Checkpoint::Epoch(n) => format!("epoch {n}"),
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(step: u64, trigger: bool, sims: &[f32]) -> SampleFacts {
        SampleFacts {
            checkpoint: Checkpoint::Step(step),
            with_trigger: trigger,
            readable: true,
            faces: sims.len(),
            main: sims.first().copied(),
            all: sims.to_vec(),
        }
    }

    fn t() -> Thresholds {
        Thresholds::with_similarity(0.4)
    }

    /// Not learned at 250, learned at 500 and 750 (750 a hair better), bleeding at 1000.
    fn run() -> Vec<SampleFacts> {
        let mut v = Vec::new();
        for (step, trig, neutral) in [
            (250, [0.1, 0.05, 0.12], [0.02, 0.1]),
            (500, [0.7, 0.65, 0.3], [0.05, 0.1]),
            (750, [0.71, 0.66, 0.5], [0.1, 0.12]),
            (1000, [0.8, 0.82, 0.75], [0.6, 0.7]),
        ] {
            for x in trig {
                v.push(s(step, true, &[x]));
            }
            v.push(s(step, false, &neutral));
        }
        v
    }

    #[test]
    fn numbers_per_checkpoint() {
        let scores = score_checkpoints(&run(), &t());
        assert_eq!(scores.len(), 4);
        let c = &scores[1];
        assert_eq!(c.checkpoint, Checkpoint::Step(500));
        assert_eq!(
            (c.trigger_samples, c.trigger_faces, c.neutral_faces),
            (3, 3, 2)
        );
        assert!((c.likeness.unwrap() - 0.65).abs() < 1e-6);
        assert!((c.activation.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.bleed, Some(0.0));
        assert!((c.bleed_similarity.unwrap() - 0.075).abs() < 1e-6);
        assert!(c.qualifies);
        assert_eq!(scores[0].flags, [Flag::NotLearned]);
        assert_eq!(scores[3].flags, [Flag::Bleeding]);
        assert_eq!(scores[3].bleed, Some(1.0));
    }

    #[test]
    fn earliest_within_tolerance_of_the_best_and_bleeding_named() {
        let t = t();
        let scores = score_checkpoints(&run(), &t);
        let r = recommend(&scores, &t).unwrap();
        // 750 is 0.01 better than 500: within the tolerance, so the earlier one.
        assert_eq!(r.checkpoint, Checkpoint::Step(500));
        assert!(
            r.reason.contains("within 0.02 of 0.66 at step 750"),
            "{}",
            r.reason
        );
        assert!(
            r.reason
                .contains("step 1000 looks more like the subject (0.80) but bleeds (100%"),
            "{}",
            r.reason
        );
        let strict = Thresholds {
            likeness_tolerance: 0.0,
            ..t
        };
        assert_eq!(
            recommend(&score_checkpoints(&run(), &strict), &strict)
                .unwrap()
                .checkpoint,
            Checkpoint::Step(750)
        );
    }

    #[test]
    fn no_face_counts_against_activation_and_unmeasured_bleed_disqualifies() {
        let samples = vec![
            s(250, true, &[0.7]),
            s(250, true, &[]),
            s(250, true, &[]),
            s(250, false, &[]),
        ];
        let c = &score_checkpoints(&samples, &t())[0];
        assert!((c.activation.unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.likeness, Some(f64::from(0.7f32)));
        assert_eq!(c.no_face, 3);
        assert_eq!(c.flags, [Flag::NotLearned, Flag::BleedUnmeasured]);
        let msg = no_recommendation(&score_checkpoints(&samples, &t()), &t());
        assert!(msg.contains("step 250 not learned"), "{msg}");
        assert!(msg.contains("step 250 bleed unmeasured"), "{msg}");
    }

    #[test]
    fn without_neutral_prompts_bleed_is_not_required() {
        let samples = vec![s(250, true, &[0.7]), s(250, true, &[0.6])];
        let scores = score_checkpoints(&samples, &t());
        assert!(scores[0].qualifies);
        assert_eq!(scores[0].bleed, None);
    }

    #[test]
    fn thresholds_are_checked() {
        assert!(t().validate().is_ok());
        let bad = Thresholds {
            max_bleed: 1.5,
            ..t()
        };
        assert!(bad.validate().unwrap_err().contains("max-bleed"));
    }
}
