//! The recommended run: every value computed from the dataset (its manifest and the lint
//! report on it), each with the reason the README prints.
//!
//! The numbers are community guidance, not specification (see `docs/export.md`), so each is
//! a named constant with its source.

use std::fmt::Write as _;

use zcurate_lint::{LintSettings, Report, Rule};
use zcurate_manifest::Manifest;

use crate::dataset::{self, Exclusion, ExportImage};
use crate::error::TrainError;
use crate::gate::Gate;
use crate::resolution::{self, NATIVE_RESOLUTION, RESOLUTION_RANGE, SAFE_MULTIPLE, Shortfall};
use crate::trainer::{Model, Target, Trainer};

/// Steps per image for a face LoRA. Community reports for Z-Image Turbo characters cluster
/// at 2,000–3,000 steps for 10–30 images, 100–300 steps per image at batch 1 (research
/// notes §6); a tight face set learns fast, so the low end.
pub const FACE_STEPS_PER_IMAGE: u32 = 100;
/// Steps per image for a character LoRA: more images (up to 60) share the run, so fewer
/// per image keeps the total inside the same 2,000–3,000 band.
pub const CHARACTER_STEPS_PER_IMAGE: u32 = 75;
/// No run shorter than this: below it a 9-image set sees too few steps to learn an identity
/// (GitHub Tongyi-MAI/Z-Image#36 trained 6–10 images for 2,000 steps).
pub const MIN_STEPS: u32 = 1500;
/// Longest recommended run on Base or De-Turbo, which tolerate longer runs than Turbo but
/// still overfit a small set; no primary source gives a number (guidance).
pub const NON_TURBO_MAX_STEPS: u32 = 4000;
/// Steps are rounded to this so checkpoints line up with the save interval.
pub const STEP_ROUNDING: u32 = 100;
/// Batch size: the step heuristics above are per batch-1 step, and it fits 16–24 GB cards.
pub const BATCH_SIZE: u32 = 1;
/// Image exposures per epoch the repeats aim for: 200 gives kohya repeats of 10–13 for
/// 15–20 images and 4 for 50, the community's 10–15 and 3–5 (research notes §6).
pub const TARGET_SAMPLES_PER_EPOCH: u32 = 200;
/// Caption dropout where the trainer supports it: ai-toolkit's UI default, the low end of the
/// 0.05–0.1 trainer docs use (lint PLAN003's range); higher is not the fix for bleeding.
pub const CAPTION_DROPOUT: f64 = 0.05;
/// LoRA dropout of a face run on Turbo, and of any run the lint sees bleed risks in
/// (PLAN004): the low end of the 0.05–0.1 it recommends. A short Turbo run on a tight face
/// set imprints fast; a small dropout keeps it from memorising the photos (the Turbo face
/// guidance: "add a small LoRA/module dropout if your trainer supports it").
pub const LORA_DROPOUT: f64 = 0.05;
/// LoRA rank: ai-toolkit's UI default (`linear: 32`) and musubi-tuner's documented
/// `--network_dim 32`; enough for one identity.
pub const LORA_RANK: u32 = 32;
/// Save and sample every this many steps: ai-toolkit's UI default `save_every: 250`, so an
/// early checkpoint can be picked before a Turbo run breaks its distillation. Every
/// checkpoint is kept: trainers that prune old saves are told to keep them all.
pub const SAVE_EVERY_STEPS: u32 = 250;
/// Sampling seed: ai-toolkit's and SimpleTuner's examples use 42.
pub const SAMPLE_SEED: u32 = 42;
/// Class word for sample prompts when captions use none.
pub const FALLBACK_CLASS_WORD: &str = "person";

/// Choices an export takes from the user besides the dataset.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The trigger; else the lint settings' trigger, else the one inferred from captions.
    pub trigger: Option<String>,
    /// The run's resolution (`--resolution`); else chosen from the images.
    pub resolution: Option<u32>,
}

/// One sample prompt and what it checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SamplePrompt {
    pub prompt: String,
    /// The prompt names the trigger (identity) or not (neutral: a bleed check).
    pub with_trigger: bool,
    pub purpose: String,
}

/// A recommended value and why, for the README.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recommendation {
    pub name: String,
    pub value: String,
    pub reason: String,
}

/// How a sampler runs on a model: steps and CFG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sampling {
    pub(crate) steps: u32,
    pub(crate) guidance: f64,
}

/// The recommended run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub target: Target,
    pub profile: String,
    pub character: bool,
    pub trigger: String,
    pub trigger_inferred: bool,
    pub class_word: Option<String>,
    pub images: Vec<ExportImage>,
    pub excluded: Vec<Exclusion>,
    pub steps: u32,
    pub batch_size: u32,
    /// kohya-style repeats (1 = once) for epoch-counting trainers; 1 for ai-toolkit.
    pub repeats: u32,
    /// Epochs for epoch-counting trainers (enough to cover `steps`).
    pub epochs: u32,
    /// Image exposures per epoch for this trainer.
    pub samples_per_epoch: u32,
    /// The sizes the run trains at: the ladder up to the run's resolution for ai-toolkit and
    /// diffusion-pipe, the run's resolution alone for the others.
    pub resolutions: Vec<u32>,
    /// The resolution came from `--resolution`, not from the images.
    pub resolution_overridden: bool,
    /// Images that train below the run's resolution, smallest first.
    pub below: Vec<Shortfall>,
    pub bucket_multiple: u32,
    /// `None` where the trainer has no caption dropout for Z-Image.
    pub caption_dropout: Option<f64>,
    pub lora_dropout: Option<f64>,
    /// What the lint sees that makes the LoRA likely to bleed (PLAN004's reasons).
    pub bleed_risks: Option<String>,
    pub rank: u32,
    pub learning_rate: f64,
    pub samples: Vec<SamplePrompt>,
    pub gate: Gate,
    pub recommendations: Vec<Recommendation>,
}

impl Plan {
    /// Computes the run for `target` from the manifest and the lint report on it.
    pub fn compute(
        manifest: &Manifest,
        settings: &LintSettings,
        target: Target,
        options: &PlanOptions,
    ) -> Result<Self, TrainError> {
        let mut settings = settings.clone();
        if options.trigger.is_some() {
            settings.trigger.clone_from(&options.trigger);
        }
        let character =
            settings.profile.name == "character" || settings.unwanted_slots().is_empty();
        let usable = manifest.ok_images().filter(|r| r.width.is_some()).count() as u32;
        if usable == 0 {
            return Err(TrainError::NoImages);
        }
        let model = target.effective_model();
        let steps = recommended_steps(usable, character, model, &settings);
        let repeats = if target.trainer.counts_epochs() {
            (TARGET_SAMPLES_PER_EPOCH as f64 / f64::from(usable))
                .round()
                .max(1.0) as u32
        } else {
            1
        };
        let caption_dropout = caption_dropout(target.trainer);

        // Probe: the plan without LoRA dropout, so the lint says whether the set risks
        // bleeding (PLAN004), then the gate with the plan as it will be emitted.
        let mut lint_plan = zcurate_lint::PlanOptions {
            base_model: Some(model.base_model()),
            steps: Some(steps),
            batch_size: Some(BATCH_SIZE),
            repeats: Some(repeats),
            caption_dropout,
            lora_dropout: Some(0.0),
            training_adapter: target.training_adapter(),
        };
        settings.plan = lint_plan.clone();
        let probe = zcurate_lint::lint(manifest, &settings);
        let bleed_risks = probe
            .findings
            .iter()
            .find(|f| f.rule == Rule::MissingLoraDropout)
            .map(|f| f.message.clone());
        let turbo_face = !character && model == Model::ZImageTurbo;
        let lora_dropout = (turbo_face || bleed_risks.is_some()).then_some(LORA_DROPOUT);
        lint_plan.lora_dropout = lora_dropout;
        settings.plan = lint_plan;
        let report = zcurate_lint::lint(manifest, &settings);

        let (trigger, trigger_inferred) = resolve_trigger(&settings, &report)?;
        let class_word = settings
            .class_word
            .clone()
            .or_else(|| report.summary.class_word.clone());
        let (images, excluded) = dataset::select(manifest, &trigger, class_word.as_deref())?;
        let top = match options.resolution {
            Some(r) => check_resolution(r)?,
            None => resolution::choose(&images),
        };
        let resolutions = if multi_resolution(target.trainer) {
            resolution::ladder(top)
        } else {
            vec![top]
        };
        let below = resolution::shortfalls(&images, top, target.trainer);
        let copies = if target.trainer == Trainer::DiffusionPipe {
            resolutions.len() as u32
        } else {
            1
        };
        let samples_per_epoch = images.len() as u32 * repeats * copies;
        let epochs = (steps * BATCH_SIZE)
            .div_ceil(samples_per_epoch.max(1))
            .max(1);
        let samples = sample_prompts(&trigger, class_word.as_deref(), character);
        let mut plan = Self {
            target,
            profile: settings.profile.name.clone(),
            character,
            trigger,
            trigger_inferred,
            class_word,
            images,
            excluded,
            steps,
            batch_size: BATCH_SIZE,
            repeats,
            epochs,
            samples_per_epoch,
            resolutions,
            resolution_overridden: options.resolution.is_some(),
            below,
            bucket_multiple: bucket_multiple(target.trainer),
            caption_dropout,
            lora_dropout,
            bleed_risks,
            rank: LORA_RANK,
            learning_rate: learning_rate(target.trainer),
            samples,
            gate: Gate::from_report(&report),
            recommendations: Vec::new(),
        };
        plan.recommendations = plan.explain(usable, &settings);
        Ok(plan)
    }

    /// The highest resolution of the run.
    pub fn resolution(&self) -> u32 {
        *self.resolutions.last().expect("never empty")
    }

    /// Sample images are rendered at Z-Image's native size, whatever the training size: they
    /// show what the LoRA will be used at.
    pub fn sample_size(&self) -> u32 {
        NATIVE_RESOLUTION
    }

    /// Checkpoints the run writes, one every [`SAVE_EVERY_STEPS`]; trainers that prune old
    /// ones keep this many, so the early ones survive.
    pub fn checkpoints(&self) -> u32 {
        self.steps.div_ceil(SAVE_EVERY_STEPS)
    }

    /// Sampling steps and CFG on the model the run trains.
    pub(crate) fn sampling(&self) -> Sampling {
        sampling(self.target)
    }

    fn explain(&self, usable: u32, settings: &LintSettings) -> Vec<Recommendation> {
        let t = self.target;
        let model = t.effective_model();
        let per_image = if self.character {
            CHARACTER_STEPS_PER_IMAGE
        } else {
            FACE_STEPS_PER_IMAGE
        };
        let max = max_steps(model, settings);
        let mut out = Vec::new();
        let mut add = |name: &str, value: String, reason: String| {
            out.push(Recommendation {
                name: name.to_owned(),
                value,
                reason,
            });
        };
        add(
            "steps",
            self.steps.to_string(),
            format!(
                "{usable} images × {per_image} steps per image ({} profile), kept within {MIN_STEPS}–{max} and rounded to {STEP_ROUNDING}; {}",
                if self.character { "character" } else { "face" },
                if model == Model::ZImageTurbo {
                    "the ceiling is the lint's turbo-max-steps: long runs break Turbo's step distillation even with the adapter (community reports cluster at 2,000–3,000 steps)"
                } else {
                    "Base and De-Turbo tolerate longer runs, but a small set still overfits"
                }
            ),
        );
        add(
            "batch size",
            self.batch_size.to_string(),
            "the step heuristics are per batch-1 step; fits a 16–24 GB card".to_owned(),
        );
        if t.trainer.counts_epochs() {
            add(
                "repeats",
                self.repeats.to_string(),
                format!(
                    "about {TARGET_SAMPLES_PER_EPOCH} image exposures per epoch ({} images × {}), the community's 10–15 repeats for 15–20 images and 3–5 for 50+",
                    self.images.len(),
                    self.repeats,
                ),
            );
            add(
                "epochs",
                self.epochs.to_string(),
                format!(
                    "enough epochs of {} exposures to reach {} steps at batch {}",
                    self.samples_per_epoch, self.steps, self.batch_size
                ),
            );
        } else {
            add(
                "repeats",
                self.repeats.to_string(),
                format!(
                    "{} counts optimiser steps, so repeats add nothing{}",
                    t.trainer,
                    if t.trainer == Trainer::SimpleTuner {
                        " (SimpleTuner's `repeats` counts extra passes: 0 = once)"
                    } else {
                        ""
                    }
                ),
            );
        }
        add(
            "resolution",
            self.resolutions
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            self.resolution_reason(),
        );
        add(
            "bucket multiple",
            self.bucket_multiple.to_string(),
            format!(
                "{} rounds bucket sizes to multiples of {}; every size above is a multiple of {SAFE_MULTIPLE}, which suits every trainer",
                t.trainer, self.bucket_multiple
            ),
        );
        add(
            "caption dropout",
            self.caption_dropout
                .map_or_else(|| "none".to_owned(), |d| d.to_string()),
            caption_dropout_reason(t.trainer).to_owned(),
        );
        add(
            "LoRA dropout",
            self.lora_dropout
                .map_or_else(|| "0 (off)".to_owned(), |d| d.to_string()),
            self.lora_dropout_reason(),
        );
        add(
            "rank",
            self.rank.to_string(),
            "ai-toolkit's UI default and musubi-tuner's documented `--network_dim`; enough for one identity".to_owned(),
        );
        add(
            "learning rate",
            crate::doc::float(self.learning_rate),
            match t.trainer {
                Trainer::OneTrainer => "OneTrainer's Z-Image LoRA preset value".to_owned(),
                _ => "the Z-Image value of ai-toolkit's UI, musubi-tuner's docs and SimpleTuner's example".to_owned(),
            },
        );
        let s = self.sampling();
        let size = self.sample_size();
        add(
            "sampling",
            format!(
                "{} steps, CFG {}, {size}×{size}",
                s.steps,
                crate::doc::float(s.guidance)
            ),
            format!(
                "{}; samples at Z-Image's native size, whatever the training size",
                sampling_reason(t)
            ),
        );
        add(
            "checkpoints",
            format!(
                "every {SAVE_EVERY_STEPS} steps, all {} kept",
                self.checkpoints()
            ),
            "pick an early one if a later one overfits or, on Turbo, breaks the distillation; trainers that prune old saves are told to keep them all".to_owned(),
        );
        add(
            "sample prompts",
            self.samples.len().to_string(),
            "prompts with the trigger show identity and editability; neutral prompts without it must not show the subject (a LoRA that bleeds turns every face into the subject)".to_owned(),
        );
        if let Some(adapter) = t.training_adapter() {
            add(
                "training adapter",
                adapter.to_string(),
                "Turbo is step-distilled: training it directly breaks the distillation quickly; the adapter slows that down for short runs".to_owned(),
            );
        } else if t.model == Model::ZImageTurbo {
            add(
                "training adapter",
                "none".to_owned(),
                match t.trainer {
                    Trainer::OneTrainer => "OneTrainer has no adapter support: the run trains the De-Turbo transformer instead, as OneTrainer's `#z-image DeTurbo` preset does".to_owned(),
                    _ => "sd-scripts has neither Z-Image support nor the adapter".to_owned(),
                },
            );
        }
        out
    }
}

impl Plan {
    fn resolution_reason(&self) -> String {
        let top = self.resolution();
        let n = self.images.len();
        let reach = n - self.below.len();
        let mut why = if self.resolution_overridden {
            format!("set by --resolution; {reach} of {n} images have at least {top}×{top} pixels")
        } else if top == NATIVE_RESOLUTION && reach == n {
            format!(
                "Z-Image's native size: all {n} images have at least {top}×{top} pixels (the trainers bucket by area)"
            )
        } else if top == NATIVE_RESOLUTION {
            format!(
                "Z-Image's native size: {reach} of {n} images have at least {top}×{top} pixels (the trainers bucket by area), so the smaller ones do not lower the whole run"
            )
        } else {
            format!(
                "the largest multiple of {SAFE_MULTIPLE} that most images reach ({reach} of {n} have at least {top}×{top} pixels); fewer than half reach the native {NATIVE_RESOLUTION}"
            )
        };
        if !self.below.is_empty() {
            let _ = write!(
                why,
                "; {} train below it (listed under \"Images below the resolution\")",
                self.below.len()
            );
        }
        if self.resolutions.len() > 1 {
            why.push_str(if self.target.trainer == Trainer::DiffusionPipe {
                "; each size is a copy of the dataset, counted in the epochs"
            } else {
                "; several sizes, as ai-toolkit's default `[512, 768, 1024]`"
            });
        }
        why
    }

    fn lora_dropout_reason(&self) -> String {
        let turbo_face = !self.character && self.target.effective_model() == Model::ZImageTurbo;
        let turbo = "part of the recommended Turbo face run: a short run on a tight face set imprints fast, and a small LoRA dropout keeps it from memorising the photos and bleeding into other faces";
        match (turbo_face, &self.bleed_risks) {
            (true, Some(risks)) => format!("{turbo}; the lint also sees bleed risks ({risks})"),
            (true, None) => turbo.to_owned(),
            (false, Some(risks)) => format!(
                "the lint sees bleed risks ({risks}); a small LoRA dropout is the better lever against bleeding than more caption dropout"
            ),
            (false, None) => "the lint sees no bleed risk (framing mix on target, size within the profile, quiet captions)".to_owned(),
        }
    }
}

/// Caption dropout where the trainer can do it for Z-Image.
fn caption_dropout(trainer: Trainer) -> Option<f64> {
    match trainer {
        // musubi-tuner always caches text-encoder outputs and has no caption dropout;
        // OneTrainer's ZImageModel.encode_text raises NotImplementedError for it.
        Trainer::MusubiTuner | Trainer::OneTrainer => None,
        _ => Some(CAPTION_DROPOUT),
    }
}

fn caption_dropout_reason(trainer: Trainer) -> &'static str {
    match trainer {
        Trainer::MusubiTuner => {
            "musubi-tuner has no caption dropout (it always caches text-encoder outputs)"
        }
        Trainer::OneTrainer => {
            "OneTrainer cannot do caption dropout for Z-Image: its Z-Image model raises NotImplementedError for text-encoder dropout (modules/model/ZImageModel.py, OneTrainer issue 957), so `text_encoder.dropout_probability` stays 0"
        }
        _ => {
            "modest dropout (0.05–0.1 in trainer docs) helps the LoRA respond without its exact captions; higher is not the fix for bleeding"
        }
    }
}

/// A `--resolution` the trainers can take: a multiple of [`SAFE_MULTIPLE`] in
/// [`RESOLUTION_RANGE`].
fn check_resolution(r: u32) -> Result<u32, TrainError> {
    let (lo, hi) = RESOLUTION_RANGE;
    if r.is_multiple_of(SAFE_MULTIPLE) && (lo..=hi).contains(&r) {
        Ok(r)
    } else {
        Err(TrainError::BadResolution(r))
    }
}

fn resolve_trigger(settings: &LintSettings, report: &Report) -> Result<(String, bool), TrainError> {
    let (trigger, inferred) = match &settings.trigger {
        Some(t) => (t.clone(), false),
        None => match &report.summary.trigger {
            Some(t) => (t.text.clone(), t.inferred),
            None => return Err(TrainError::NoTrigger),
        },
    };
    let trimmed = trigger.trim();
    if trimmed.is_empty() || trimmed.contains(['\n', '\r']) {
        return Err(TrainError::BadTrigger(trigger));
    }
    Ok((trimmed.to_owned(), inferred))
}

fn max_steps(model: Model, settings: &LintSettings) -> u32 {
    if model == Model::ZImageTurbo {
        settings.profile.thresholds.turbo_max_steps
    } else {
        NON_TURBO_MAX_STEPS
    }
}

fn recommended_steps(images: u32, character: bool, model: Model, settings: &LintSettings) -> u32 {
    let per_image = if character {
        CHARACTER_STEPS_PER_IMAGE
    } else {
        FACE_STEPS_PER_IMAGE
    };
    let max = max_steps(model, settings).max(STEP_ROUNDING);
    let raw = (images * per_image).clamp(MIN_STEPS.min(max), max);
    // Round to the nearest multiple without crossing the ceiling.
    let rounded = (raw + STEP_ROUNDING / 2) / STEP_ROUNDING * STEP_ROUNDING;
    rounded
        .min(max / STEP_ROUNDING * STEP_ROUNDING)
        .max(STEP_ROUNDING)
}

/// Trainers given the whole ladder: ai-toolkit (its UI default is a list) and
/// diffusion-pipe (`resolutions` is a list). The others take one size.
fn multi_resolution(trainer: Trainer) -> bool {
    matches!(trainer, Trainer::AiToolkit | Trainer::DiffusionPipe)
}

/// Bucket rounding of each trainer for Z-Image (research notes §6).
fn bucket_multiple(trainer: Trainer) -> u32 {
    match trainer {
        // ai-toolkit `get_bucket_divisibility()` (16 since 2026-05-28), musubi
        // `RESOLUTION_STEPS_Z_IMAGE`, diffusion-pipe `pixels_round_to_multiple`.
        Trainer::AiToolkit | Trainer::MusubiTuner | Trainer::DiffusionPipe => 16,
        // OneTrainer `aspect_bucketing_quantization=64`; sd-scripts' default
        // `bucket_reso_steps`; SimpleTuner's was not checked, so the safe value.
        Trainer::OneTrainer | Trainer::SdScripts | Trainer::SimpleTuner => SAFE_MULTIPLE,
    }
}

fn learning_rate(trainer: Trainer) -> f64 {
    match trainer {
        // `#z-image LoRA` presets: "learning_rate": 0.0003.
        Trainer::OneTrainer => 0.0003,
        // ai-toolkit UI `lr: 0.0001`, musubi docs `--learning_rate 1e-4`, SimpleTuner's
        // Z-Image example `1e-4`.
        _ => 0.0001,
    }
}

/// Sampling steps and CFG for the model as the trainer samples it during training.
fn sampling(t: Target) -> Sampling {
    let turbo = Sampling {
        steps: 8,
        guidance: 1.0,
    };
    let deturbo = Sampling {
        steps: 25,
        guidance: 3.0,
    };
    let base = Sampling {
        steps: 30,
        guidance: 4.0,
    };
    match (t.trainer, t.effective_model()) {
        // ai-toolkit subtracts the adapter while sampling: Turbo settings, `guidance_scale:
        // 1` (normalised to 0) and `sample_steps: 9` (9 scheduler steps = 8 forwards).
        (Trainer::AiToolkit, Model::ZImageTurbo) => Sampling {
            steps: 9,
            guidance: 1.0,
        },
        // musubi merges `--base_weights` into the model, so samples come from the
        // de-distilled model: its docs' `--fs 3 --s 20 --l 4` line for adapter or De-Turbo.
        (Trainer::MusubiTuner, Model::ZImageTurbo | Model::ZImageDeturbo) => Sampling {
            steps: 20,
            guidance: 4.0,
        },
        (_, Model::ZImageTurbo) => turbo,
        (_, Model::ZImageDeturbo) => deturbo,
        (_, Model::ZImage) => base,
    }
}

fn sampling_reason(t: Target) -> &'static str {
    match (t.trainer, t.effective_model()) {
        (Trainer::AiToolkit, Model::ZImageTurbo) => {
            "ai-toolkit's zimage:turbo preset (`guidance_scale: 1`, normalised to CFG 0; `sample_steps: 9`); the adapter is subtracted while sampling"
        }
        (Trainer::MusubiTuner, Model::ZImageTurbo | Model::ZImageDeturbo) => {
            "musubi-tuner's docs for the adapter or De-Turbo: `--s 20 --l 4 --fs 3` (the adapter is merged, so samples are de-distilled)"
        }
        (_, Model::ZImageTurbo) => {
            "Turbo: 8 steps without CFG (model card; SimpleTuner `validation_guidance` 0–1)"
        }
        (_, Model::ZImageDeturbo) => {
            "De-Turbo card: low CFG 2–3 and 20–30 steps; ai-toolkit's preset uses 3 and 25"
        }
        (_, Model::ZImage) => {
            "Base: full CFG (4 is the official default per musubi-tuner) and ai-toolkit's preset 30 steps"
        }
    }
}

/// Prompts with the trigger (identity and editability) and without (bleed checks).
fn sample_prompts(trigger: &str, class_word: Option<&str>, character: bool) -> Vec<SamplePrompt> {
    let class = class_word.unwrap_or(FALLBACK_CLASS_WORD);
    let p = |prompt: String, with_trigger: bool, purpose: &str| SamplePrompt {
        prompt,
        with_trigger,
        purpose: purpose.to_owned(),
    };
    let mut out = vec![
        p(
            format!("{trigger} {class}, close-up portrait, looking at the camera, soft light"),
            true,
            "identity: the subject's face, as trained",
        ),
        p(
            format!(
                "{trigger} {class}, upper body, three-quarter view, laughing, outdoors, natural light"
            ),
            true,
            "editability: angle, expression and setting follow the prompt",
        ),
    ];
    if character {
        out.push(p(
            format!("{trigger} {class}, full body, walking down a city street, evening light"),
            true,
            "the character's look at full body",
        ));
    } else {
        out.push(p(
            format!("{trigger} {class}, angry expression, side view, dramatic lighting"),
            true,
            "an expression the captions rarely hold; the subject must stay the subject",
        ));
    }
    out.push(p(
        format!("a {class}, close-up portrait, looking at the camera, soft light"),
        false,
        "neutral: without the trigger this must NOT look like the subject (bleeding)",
    ));
    out.push(p(
        "a group of friends talking at a cafe, candid photo".to_owned(),
        false,
        "neutral: other people must keep their own faces (bleeding)",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_override_must_suit_every_trainer() {
        assert_eq!(check_resolution(768).unwrap(), 768);
        for bad in [0, 100, 700, 4096] {
            assert!(check_resolution(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sample_prompts_hold_the_trigger_and_neutral_ones() {
        let s = sample_prompts("zq", Some("woman"), false);
        assert!(
            s.iter()
                .any(|p| p.with_trigger && p.prompt.starts_with("zq woman"))
        );
        let neutral: Vec<_> = s.iter().filter(|p| !p.with_trigger).collect();
        assert_eq!(neutral.len(), 2);
        assert!(neutral.iter().all(|p| !p.prompt.contains("zq")));
    }
}
