//! Scores every sample of a run (decode once, detect and embed, compare with the identity
//! centre) and assembles the verdict that every output format renders.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use zcurate_image::{DecodeLimits, decode_bytes};

use crate::Note;
use crate::centre::Centre;
use crate::layout::{Checkpoint, Layout};
use crate::metrics::{
    self, CheckpointScore, Recommendation, SampleFacts, Thresholds, no_recommendation,
};
use crate::prompts::PromptSet;
use crate::run::Run;
use crate::score::FaceModels;

/// A face of a sample, as scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaceScore {
    /// `x, y, w, h` in the sample's pixels.
    pub bbox: [f32; 4],
    pub main: bool,
    /// Cosine similarity to the identity centre, when the face was embedded.
    pub similarity: Option<f32>,
}

/// One sample image, as scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleScore {
    /// Relative to the run folder.
    pub path: String,
    pub checkpoint: Checkpoint,
    /// Index into the prompts.
    pub prompt: usize,
    pub with_trigger: bool,
    pub width: u32,
    pub height: u32,
    /// Confident faces, main first.
    pub faces: Vec<FaceScore>,
    /// Why the image could not be scored (unreadable, undecodable, the detector failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl SampleScore {
    /// The main face's similarity to the identity centre.
    pub fn main_similarity(&self) -> Option<f32> {
        self.faces
            .iter()
            .find(|f| f.main)
            .and_then(|f| f.similarity)
    }
}

/// Scores the run's samples in parallel: each image is read and decoded once, its faces
/// detected and embedded ([`FaceModels`]), and, when `thumbnails`, its thumbnail made from
/// the same decode. `progress` is called after each image.
pub fn score_samples(
    run: &Run,
    models: &FaceModels<'_>,
    centre: &Centre,
    thumbnails: bool,
    progress: &(dyn Fn() + Sync),
) -> (Vec<SampleScore>, Vec<Option<Vec<u8>>>) {
    run.samples
        .par_iter()
        .map(|s| {
            let with_trigger = run.prompts.prompts[s.prompt].with_trigger;
            let mut out = SampleScore {
                path: s.file.rel.clone(),
                checkpoint: s.file.checkpoint,
                prompt: s.prompt,
                with_trigger,
                width: 0,
                height: 0,
                faces: Vec::new(),
                error: None,
            };
            let mut thumb = None;
            // Neutral samples: every face counts (a crowd that turns into the subject is
            // bleeding); trigger samples: the main face is the subject or not.
            match decode(&s.file.path).and_then(|image| {
                out.width = image.width();
                out.height = image.height();
                if thumbnails {
                    thumb = zcurate_report::thumb_of(&image).ok();
                }
                models.detect_and_embed(&image, !with_trigger)
            }) {
                Ok(faces) => {
                    out.faces = faces
                        .into_iter()
                        .map(|f| FaceScore {
                            bbox: f.bbox.map(round2),
                            main: f.main,
                            similarity: f
                                .embedding
                                .as_deref()
                                .map(|e| round3(centre.similarity(e))),
                        })
                        .collect();
                }
                Err(e) => out.error = Some(e),
            }
            progress();
            (out, thumb)
        })
        .unzip()
}

fn decode(path: &Path) -> Result<image::DynamicImage, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    decode_bytes(&bytes, &DecodeLimits::default())
        .map(|d| d.image)
        .map_err(|e| format!("cannot decode: {e}"))
}

/// Similarities to three decimals: more is noise, and JSON stays readable and stable.
fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The evaluation of a run: what every output format shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The run folder as given.
    pub run: String,
    /// The trainer of the export record, when there is one.
    pub trainer: Option<String>,
    pub layout: Layout,
    /// The dataset folder whose identity the samples are compared with.
    pub dataset: String,
    pub centre: Centre,
    pub prompts: PromptSet,
    pub thresholds: Thresholds,
    pub checkpoints: Vec<CheckpointScore>,
    pub recommended: Option<Recommendation>,
    /// Why nothing is recommended, when nothing is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    pub samples: Vec<SampleScore>,
    pub notes: Vec<Note>,
}

impl Evaluation {
    /// Numbers per checkpoint and the recommendation, from the scored samples. `Err` when
    /// nothing could be scored: no trigger sample's face was embedded at any checkpoint.
    pub fn build(
        run: &Run,
        run_label: &str,
        dataset: &str,
        centre: Centre,
        samples: Vec<SampleScore>,
        thresholds: Thresholds,
    ) -> Result<Self, crate::EvaluateError> {
        let mut notes = run.notes.clone();
        let unreadable: Vec<String> = samples
            .iter()
            .filter_map(|s| s.error.as_ref().map(|e| format!("{} ({e})", s.path)))
            .collect();
        if !unreadable.is_empty() {
            notes.push(Note::warning(format!(
                "{} sample images could not be scored: {}",
                unreadable.len(),
                crate::note::list(&unreadable)
            )));
        }
        let facts: Vec<SampleFacts> = samples
            .iter()
            .map(|s| SampleFacts {
                checkpoint: s.checkpoint,
                with_trigger: s.with_trigger,
                readable: s.error.is_none(),
                faces: s.faces.len(),
                main: s.main_similarity(),
                all: s.faces.iter().filter_map(|f| f.similarity).collect(),
            })
            .collect();
        if !run.prompts.prompts.iter().any(|p| p.with_trigger) {
            return Err(crate::EvaluateError::NothingScored(format!(
                "no sample prompt of {} carries the trigger, so likeness cannot be measured",
                run.prompts.source
            )));
        }
        if !run.prompts.prompts.iter().any(|p| !p.with_trigger) {
            notes.push(Note::warning(format!(
                "every sample prompt of {} carries the trigger: bleeding is not checked (add a prompt without it, e.g. `a woman, portrait`)",
                run.prompts.source
            )));
        }
        let readable = facts.iter().filter(|f| f.readable).count();
        if !facts.iter().any(|f| f.with_trigger && f.main.is_some()) {
            let why = if readable == 0 {
                format!("none of the {} sample images could be read", samples.len())
            } else if facts.iter().all(|f| f.faces == 0) {
                format!("no face found in any of the {readable} sample images")
            } else {
                "no face found in the samples of trigger prompts".to_owned()
            };
            return Err(crate::EvaluateError::NothingScored(why));
        }
        let checkpoints = metrics::score_checkpoints(&facts, &thresholds);
        let recommended = metrics::recommend(&checkpoints, &thresholds);
        let verdict = recommended
            .is_none()
            .then(|| no_recommendation(&checkpoints, &thresholds));
        Ok(Self {
            run: run_label.to_owned(),
            trainer: run.record.as_ref().map(|r| r.trainer.clone()),
            layout: run.layout,
            dataset: dataset.to_owned(),
            centre,
            prompts: run.prompts.clone(),
            thresholds,
            checkpoints,
            recommended,
            verdict,
            samples,
            notes,
        })
    }
}
