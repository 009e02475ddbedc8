//! One module per trainer: each turns the plan into that trainer's files, with its exact
//! key names (research notes `trainers.md`) and a comment citing every non-obvious value.

mod ai_toolkit;
mod diffusion_pipe;
mod musubi_tuner;
mod onetrainer;
mod sd_scripts;
mod simpletuner;

use std::fmt::Write as _;

use crate::doc::Map;
use crate::plan::Plan;
use crate::trainer::{Model, Trainer};

/// Hub id of Z-Image Turbo.
pub(crate) const TURBO_REPO: &str = "Tongyi-MAI/Z-Image-Turbo";
/// Hub id of Z-Image (Base).
pub(crate) const BASE_REPO: &str = "Tongyi-MAI/Z-Image";
/// Hub id of ostris's De-Turbo.
pub(crate) const DETURBO_REPO: &str = "ostris/Z-Image-De-Turbo";
/// The Turbo training adapter, v2: ai-toolkit's default since 2025-12-02 (commit
/// `6c851844`) and SimpleTuner's default flavour `turbo-ostris-v2`.
pub(crate) const ADAPTER_FILE: &str = "zimage_turbo_training_adapter_v2.safetensors";
pub(crate) const ADAPTER_REPO: &str = "ostris/zimage_turbo_training_adapter";
/// De-Turbo's single-file weights (named in musubi-tuner's `docs/zimage.md`).
pub(crate) const DETURBO_FILE: &str = "z_image_de_turbo_v1_bf16.safetensors";

/// Where things are, as trainer configs need them: absolute, UTF-8.
#[derive(Debug, Clone)]
pub(crate) struct Ctx<'a> {
    pub(crate) plan: &'a Plan,
    /// The export folder.
    pub(crate) out: String,
    /// The folder holding the images and captions (a kohya repeat folder for sd-scripts).
    pub(crate) images_dir: String,
    /// Folder of model files for trainers that read files, not hub ids.
    pub(crate) models_dir: Option<String>,
    /// Run name: output file names.
    pub(crate) name: String,
    /// The dataset folder as given, for headers.
    pub(crate) dataset_label: String,
}

impl Ctx<'_> {
    /// `rel` under the export folder.
    pub(crate) fn path(&self, rel: &str) -> String {
        format!("{}/{rel}", self.out.trim_end_matches('/'))
    }

    /// A model file under `--models-dir`, or a placeholder to edit.
    pub(crate) fn model_file(&self, file: &str) -> String {
        match &self.models_dir {
            Some(d) => format!("{}/{file}", d.trim_end_matches('/')),
            None => format!("{MODEL_PLACEHOLDER}/{file}"),
        }
    }

    pub(crate) fn header(&self, comment: &str) -> String {
        let p = self.plan;
        format!(
            "{comment} Written by `zcurate export` for {} on {} ({} profile) from the manifest of {}.\n{comment} Every value and its reason: README.md beside this file. Re-export instead of editing.\n",
            p.target.trainer, p.target.model, p.profile, self.dataset_label
        )
    }
}

/// Stands for the model folder when `--models-dir` is not given.
pub(crate) const MODEL_PLACEHOLDER: &str = "SET-MODELS-DIR";

/// One file a trainer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmittedFile {
    /// Relative to the export folder.
    pub(crate) rel: String,
    pub(crate) text: String,
    pub(crate) executable: bool,
    /// Key comments a JSON file cannot hold, for the README.
    pub(crate) notes: Vec<(String, String)>,
}

impl EmittedFile {
    pub(crate) fn yaml(rel: &str, ctx: &Ctx<'_>, map: &Map) -> Self {
        Self {
            rel: rel.to_owned(),
            text: format!("{}{}", ctx.header("#"), map.to_yaml()),
            executable: false,
            notes: Vec::new(),
        }
    }

    pub(crate) fn toml(rel: &str, ctx: &Ctx<'_>, map: &Map) -> Self {
        Self {
            rel: rel.to_owned(),
            text: format!("{}\n{}", ctx.header("#"), map.to_toml()),
            executable: false,
            notes: Vec::new(),
        }
    }

    pub(crate) fn json(rel: &str, map: &Map) -> Self {
        Self {
            rel: rel.to_owned(),
            text: map.to_json(),
            executable: false,
            notes: map.comments(),
        }
    }

    pub(crate) fn json_list(rel: &str, items: &[Map]) -> Self {
        let notes = items
            .iter()
            .flat_map(Map::comments)
            .fold(Vec::new(), |mut acc, n| {
                if !acc.contains(&n) {
                    acc.push(n);
                }
                acc
            });
        Self {
            rel: rel.to_owned(),
            text: crate::doc::json_list(items),
            executable: false,
            notes,
        }
    }

    pub(crate) fn text(rel: &str, text: String) -> Self {
        Self {
            rel: rel.to_owned(),
            text,
            executable: false,
            notes: Vec::new(),
        }
    }
}

/// What a trainer needs: its files, the main config, and how to start it.
#[derive(Debug, Clone)]
pub(crate) struct Emitted {
    pub(crate) files: Vec<EmittedFile>,
    /// The config the trainer is started with, relative to the export folder.
    pub(crate) main: String,
    /// How to start the run (shell), for the README; `None` when the trainer has no
    /// script for the model.
    pub(crate) run: Option<String>,
    /// Things the user must do before the run (model files to set, ...).
    pub(crate) todo: Vec<String>,
}

pub(crate) fn emit(ctx: &Ctx<'_>) -> Emitted {
    match ctx.plan.target.trainer {
        Trainer::AiToolkit => ai_toolkit::emit(ctx),
        Trainer::MusubiTuner => musubi_tuner::emit(ctx),
        Trainer::SdScripts => sd_scripts::emit(ctx),
        Trainer::DiffusionPipe => diffusion_pipe::emit(ctx),
        Trainer::OneTrainer => onetrainer::emit(ctx),
        Trainer::SimpleTuner => simpletuner::emit(ctx),
    }
}

/// A string as one shell word.
pub(crate) fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The sample prompts file kohya-family trainers read (`--sample_prompts`): one prompt per
/// line with `--w --h --s --l --d` options.
pub(crate) fn kohya_sample_prompts(ctx: &Ctx<'_>) -> String {
    let p = ctx.plan;
    let s = p.sampling();
    let r = p.sample_size();
    let mut out = String::from(
        "# Sample prompts (kohya format). Prompts with the trigger check identity; the ones without\n# must NOT show the subject (a bleeding LoRA turns every face into it).\n",
    );
    for sp in &p.samples {
        let _ = writeln!(
            out,
            "{} --w {r} --h {r} --s {} --l {} --d {}",
            sp.prompt,
            s.steps,
            crate::doc::float(s.guidance),
            crate::plan::SAMPLE_SEED
        );
    }
    out
}

/// Whether the model trains through the Turbo adapter.
pub(crate) fn adapter(ctx: &Ctx<'_>) -> bool {
    ctx.plan.target.training_adapter() == Some(true)
}

pub(crate) fn model(ctx: &Ctx<'_>) -> Model {
    ctx.plan.target.model
}

/// ComfyUI single-file names diffusion-pipe's Z-Image example uses ("All model files should
/// be the ComfyUI versions"); musubi-tuner reads the same files.
pub(crate) const TURBO_DIT_FILE: &str = "z_image_turbo_bf16.safetensors";
/// Base's ComfyUI file name by the same convention (not in the docs read: ⚠ check).
pub(crate) const BASE_DIT_FILE: &str = "z_image_bf16.safetensors";
pub(crate) const VAE_FILE: &str = "flux_vae.safetensors";
pub(crate) const TEXT_ENCODER_FILE: &str = "qwen_3_4b.safetensors";

/// The DiT file of the model.
pub(crate) fn dit_file(model: Model) -> &'static str {
    match model {
        Model::ZImageTurbo => TURBO_DIT_FILE,
        Model::ZImage => BASE_DIT_FILE,
        Model::ZImageDeturbo => DETURBO_FILE,
    }
}
