//! A run folder: the export record when there is one, the sample layout, the sample images
//! and their prompts. Everything here is cheap (no image is decoded), so a run that cannot
//! be evaluated fails before any model is loaded.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use zcurate_train::{DATASET_FOLDER, EXPORT_MANIFEST, ExportManifest, FileKind};

use crate::Note;
use crate::error::EvaluateError;
use crate::layout::{self, Layout};
use crate::note::list;
use crate::pair::{Sample, pair};
use crate::prompts::PromptSet;

/// Folders of an export that hold no samples and may be large: the trainer-ready dataset
/// (its images would look like samples to the loose [`Layout::Folders`] naming) and the
/// trainers' latent caches.
const EXPORT_SKIP: [&str; 2] = [DATASET_FOLDER, "cache"];

/// What [`Run::open`] takes besides the folder.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The layout to read, instead of the record's trainer or the one found.
    pub layout: Option<Layout>,
    /// The prompts, instead of the record's.
    pub prompts: Option<PromptSet>,
}

/// A run folder ready to score.
#[derive(Debug, Clone)]
pub struct Run {
    pub dir: PathBuf,
    pub record: Option<ExportManifest>,
    pub layout: Layout,
    pub prompts: PromptSet,
    /// Sample images paired with a prompt, by checkpoint and prompt.
    pub samples: Vec<Sample>,
    /// Sample images found, paired or not.
    pub found: usize,
    pub notes: Vec<Note>,
}

impl Run {
    pub fn open(dir: &Path, options: RunOptions) -> Result<Self, EvaluateError> {
        if !dir.is_dir() {
            return Err(EvaluateError::NotAFolder {
                path: dir.to_owned(),
            });
        }
        let record_path = dir.join(EXPORT_MANIFEST);
        let record = ExportManifest::read(&record_path).map_err(|e| EvaluateError::BadRecord {
            path: record_path.clone(),
            reason: e.to_string(),
        })?;
        let mut notes = Vec::new();
        if let Some(r) = &record {
            notes.extend(edited_configs(dir, r));
        }
        let (layout, no_sampling) = match (options.layout, &record) {
            (Some(l), _) => (Some(l), None),
            (None, Some(r)) => match r.trainer.parse().map(Layout::of_trainer) {
                Ok(Ok(l)) => (Some(l), None),
                // diffusion-pipe: samples the user made by hand, if any.
                Ok(Err(why)) => (Some(Layout::Folders), Some(why)),
                Err(e) => {
                    return Err(EvaluateError::BadRecord {
                        path: record_path,
                        reason: e,
                    });
                }
            },
            (None, None) => (None, None),
        };
        let skip: &[&str] = if record.is_some() { &EXPORT_SKIP } else { &[] };
        let found = layout::discover(dir, layout, skip)?;
        notes.extend(found.notes);
        if found.files.is_empty() {
            if let Some(why) = no_sampling {
                return Err(EvaluateError::NoSampling(why));
            }
            let hint = match layout {
                Some(l) => format!(
                    "{l} writes them as {}; has the run reached its first sample yet?",
                    l.describe()
                ),
                None => Layout::ALL
                    .iter()
                    .fold("zcurate looks for".to_owned(), |mut s, l| {
                        let _ = write!(s, "\n  {l}: {}", l.describe());
                        s
                    }),
            };
            return Err(EvaluateError::NoSamples {
                path: dir.to_owned(),
                hint,
            });
        }
        let mut prompts = match (options.prompts, &record) {
            (Some(p), _) => p,
            (None, Some(r)) => PromptSet::from_record(r, EXPORT_MANIFEST),
            (None, None) => {
                return Err(EvaluateError::NoPrompts(format!(
                    "{} has no export record ({EXPORT_MANIFEST}): pass the sample prompts with --prompts FILE",
                    dir.display()
                )));
            }
        };
        if found.layout == Layout::SimpleTuner {
            notes.extend(prompts.attach_simpletuner_names(dir));
        }
        let total = found.files.len();
        let paired = pair(found.files, &prompts, found.layout);
        if paired.samples.is_empty() {
            let mut why: Vec<String> = paired.notes.into_iter().map(|n| n.message).collect();
            why.push(format!(
                "check that the prompts ({}) are the ones the run sampled",
                prompts.source
            ));
            return Err(EvaluateError::NothingPaired {
                found: total,
                why: why.join("; "),
            });
        }
        notes.extend(paired.notes);
        Ok(Self {
            dir: dir.to_owned(),
            record,
            layout: found.layout,
            prompts,
            samples: paired.samples,
            found: total,
            notes,
        })
    }
}

/// Config files changed since the export: the run may have sampled other prompts than the
/// record lists.
fn edited_configs(dir: &Path, record: &ExportManifest) -> Option<Note> {
    let edited: Vec<&str> = record
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Config)
        .filter(|f| {
            let now = std::fs::read(dir.join(&f.path))
                .ok()
                .map(|b| zcurate_fs::sha256_hex(&b));
            now.is_some() && now != f.sha256
        })
        .map(|f| f.path.as_str())
        .collect();
    (!edited.is_empty()).then(|| {
        Note::warning(format!(
            "{} changed since the export: if you edited the sample prompts, pass the ones the run used with --prompts FILE",
            list(&edited)
        ))
    })
}
