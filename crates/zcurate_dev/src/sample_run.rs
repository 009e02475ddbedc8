//! A trained LoRA's sample images, stood in for by the pinned real photos: the subject's
//! photos are what a trigger prompt shows once the LoRA has learned, other people what it
//! shows before, and what every neutral prompt must keep showing unless the LoRA bleeds.
//! The `zcurate evaluate` tests and its benchmark build their run folders with this, in the
//! sample layout of each trainer (naming cited in `zcurate_evaluate::layout`).

use std::path::Path;

use anyhow::{Context, Result};
use image::imageops::{self, FilterType};
use image::{DynamicImage, RgbImage};

use crate::broad_set::{SOURCES, Source, framed, jpeg, photo};

/// Other people, for samples that must not (or do not yet) show the subject. Head top,
/// chin and face centre from `fixtures/framing/landmarks.toml`.
pub const OTHERS: [Source; 4] = [
    Source {
        name: "biden",
        head_top: 95,
        chin: 550,
        face_x: 570,
    },
    Source {
        name: "grace_hopper",
        head_top: 62,
        chin: 322,
        face_x: 266,
    },
    Source {
        name: "gauss",
        head_top: 120,
        chin: 570,
        face_x: 520,
    },
    Source {
        name: "astronaut",
        head_top: 30,
        chin: 172,
        face_x: 226,
    },
];

/// Where a checkpoint is in training, as its samples show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Trigger prompts still show other people.
    Unlearned,
    /// Trigger prompts show the subject; neutral prompts show other people.
    Learned,
    /// Neutral prompts show the subject too.
    Bleeding,
}

impl std::str::FromStr for Stage {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "unlearned" => Ok(Self::Unlearned),
            "learned" => Ok(Self::Learned),
            "bleeding" => Ok(Self::Bleeding),
            _ => Err(format!(
                "unknown stage `{s}`: unlearned, learned or bleeding"
            )),
        }
    }
}

/// The decoded photos, fetched once per machine.
pub struct Photos {
    subject: Vec<DynamicImage>,
    others: Vec<DynamicImage>,
}

impl Photos {
    pub fn load() -> Result<Self> {
        Ok(Self {
            subject: SOURCES
                .iter()
                .map(|s| photo(s.name))
                .collect::<Result<_>>()?,
            others: OTHERS
                .iter()
                .map(|s| photo(s.name))
                .collect::<Result<_>>()?,
        })
    }

    /// Shot `n` of the subject: the source cycles, the frame and jitter vary, odd shots
    /// are mirrored, so no two shots are the same picture.
    pub fn subject(&self, n: u32) -> DynamicImage {
        let k = n as usize % SOURCES.len();
        let below = [0.3, 0.7, 1.0][n as usize / 3 % 3];
        let shot = framed(&self.subject[k], &SOURCES[k], below, n);
        if n % 2 == 1 { shot.fliph() } else { shot }
    }

    /// Shot `n` of someone else.
    pub fn other(&self, n: u32) -> DynamicImage {
        let k = n as usize % OTHERS.len();
        let shot = framed(&self.others[k], &OTHERS[k], 0.5, n);
        if n / 4 % 2 == 1 { shot.fliph() } else { shot }
    }
}

/// Three head-and-shoulders shots side by side: the "group of people" a neutral prompt asks
/// for.
fn group(shots: &[DynamicImage; 3]) -> DynamicImage {
    const W: u32 = 340;
    const H: u32 = 430;
    let mut canvas = RgbImage::from_pixel(3 * W + 40, H + 40, image::Rgb([200, 196, 190]));
    for (k, s) in shots.iter().enumerate() {
        let cell = s.resize_to_fill(W, H, FilterType::Triangle).to_rgb8();
        imageops::overlay(&mut canvas, &cell, i64::from(10 + k as u32 * (W + 10)), 20);
    }
    DynamicImage::ImageRgb8(canvas)
}

/// Writes the subject's dataset into `out` (which must not exist or be empty): `count`
/// close-up to head-and-shoulders shots captioned `ohwx man, ...`.
pub fn write_dataset(out: &Path, photos: &Photos, count: u32) -> Result<()> {
    if out.exists() && out.read_dir()?.next().is_some() {
        anyhow::bail!("{} exists and is not empty", out.display());
    }
    std::fs::create_dir_all(out)?;
    for i in 0..count {
        let k = i as usize % SOURCES.len();
        let shot = framed(
            &photos.subject[k],
            &SOURCES[k],
            [0.25, 0.6][i as usize / 3 % 2],
            i,
        );
        std::fs::write(out.join(format!("img_{i:02}.jpg")), jpeg(&shot, 92)?)?;
        std::fs::write(
            out.join(format!("img_{i:02}.txt")),
            "ohwx man, head-shoulders, front, neutral expression",
        )?;
    }
    Ok(())
}

/// One sample prompt of the export record.
#[derive(Debug, Clone)]
pub struct SamplePrompt {
    pub text: String,
    pub with_trigger: bool,
}

/// The sample prompts of an export folder's `zcurate-export.json`.
pub fn record_prompts(export: &Path) -> Result<Vec<SamplePrompt>> {
    let path = export.join("zcurate-export.json");
    let record: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?,
    )?;
    record["sample_prompts"]
        .as_array()
        .context("the record has no sample_prompts")?
        .iter()
        .map(|p| {
            Ok(SamplePrompt {
                text: p["prompt"]
                    .as_str()
                    .context("a prompt without text")?
                    .to_owned(),
                with_trigger: p["with_trigger"].as_bool().context("no with_trigger")?,
            })
        })
        .collect()
}

/// The image a checkpoint at `stage` shows for prompt `index`: trigger prompts the subject
/// once learned, neutral ones other people until it bleeds. Every second neutral prompt is
/// a group (zcurate's exports: a portrait, then a group of friends).
pub fn sample_image(
    photos: &Photos,
    prompts: &[SamplePrompt],
    index: usize,
    stage: Stage,
    seed: u32,
) -> DynamicImage {
    let p = &prompts[index];
    let subject = if p.with_trigger {
        stage != Stage::Unlearned
    } else {
        stage == Stage::Bleeding
    };
    let shot = |n: u32| {
        if subject {
            photos.subject(n)
        } else {
            photos.other(n)
        }
    };
    let neutral_rank = prompts[..index].iter().filter(|q| !q.with_trigger).count();
    if !p.with_trigger && neutral_rank % 2 == 1 {
        group(&[shot(seed), shot(seed + 1), shot(seed + 2)])
    } else {
        shot(seed)
    }
}

/// Writes the samples of `schedule` (checkpoint step, stage) into the run folder `run` in the
/// sample layout of `layout` (`ai-toolkit`, `musubi-tuner`, `simpletuner`, `onetrainer`,
/// `folders`), for the prompts of the export record in `run` (or `prompts`). `side`: the
/// longest side of each sample (trainers sample at 1024). Returns the number written.
pub fn write_samples(
    run: &Path,
    layout: &str,
    prompts: &[SamplePrompt],
    schedule: &[(u64, Stage)],
    side: u32,
) -> Result<usize> {
    let photos = Photos::load()?;
    let library = simpletuner_names(run);
    let mut written = 0;
    for (c, &(step, stage)) in schedule.iter().enumerate() {
        for (i, p) in prompts.iter().enumerate() {
            let seed = (c * prompts.len() + i) as u32 * 3 + 1;
            let img = sample_image(&photos, prompts, i, stage, seed);
            let img = img.resize(side, side, FilterType::Triangle);
            let rel = match layout {
                // ai-toolkit: samples/<ms>__<step:09>_<prompt>.jpg
                "ai-toolkit" => format!(
                    "output/zcurate_run/samples/{}__{step:09}_{i}.jpg",
                    1_767_225_600_000 + step * 1000 + i as u64
                ),
                // musubi-tuner: sample/<name>_<step:06>_<prompt:02>_<time>_<seed>_000.png
                "musubi-tuner" => {
                    format!("output/sample/zcurate_run_{step:06}_{i:02}_20260101120000_42_000.png")
                }
                // SimpleTuner: validation_images/step_<step>_<name>_<n>_<W>x<H>.png
                "simpletuner" => {
                    let name = library
                        .iter()
                        .find(|(_, text)| *text == p.text)
                        .map(|(n, _)| n.clone())
                        .with_context(|| format!("no SimpleTuner name for prompt {i}"))?;
                    format!("output/validation_images/step_{step}_{name}_0_1024x1024.png")
                }
                // OneTrainer: samples/<i> - <prompt>/<time>-training-sample-<step>-<epoch>-<epoch step>.jpg
                "onetrainer" => format!(
                    "workspace/samples/{i} - {}/2026-01-01_12-00-00-training-sample-{step}-{}-{}.jpg",
                    zcurate_evaluate::layout::onetrainer_folder_text(&p.text),
                    step / 100,
                    step % 100
                ),
                "folders" => format!("step_{step}/{i}.png"),
                other => anyhow::bail!("unknown layout `{other}`"),
            };
            let path = run.join(rel);
            std::fs::create_dir_all(path.parent().expect("a file in a folder"))?;
            if path.extension().is_some_and(|e| e == "jpg") {
                std::fs::write(&path, jpeg(&img, 92)?)?;
            } else {
                img.to_rgb8().save(&path)?;
            }
            written += 1;
        }
    }
    Ok(written)
}

/// SimpleTuner's prompt names in an export: `validation` for `validation_prompt` is left
/// out (the library names every prompt).
fn simpletuner_names(run: &Path) -> Vec<(String, String)> {
    let read = |p: &Path| -> Option<serde_json::Value> {
        serde_json::from_slice(&std::fs::read(p).ok()?).ok()
    };
    read(&run.join("user_prompt_library.json"))
        .and_then(|v| v.as_object().cloned())
        .map(|m| {
            m.into_iter()
                .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}
