//! Where each trainer writes its sample images during training, and how it names them.
//! One module per trainer, each citing the source (file and commit) its naming was read
//! from; [`discover`] walks a run folder and keeps the files one layout names.
//!
//! Every layout gives a sample's checkpoint (a step, or an epoch for trainers that sample
//! per epoch) and which prompt it shows: an index into the sample prompt list (ai-toolkit,
//! musubi-tuner, OneTrainer, [`folders`]) or a prompt's name (SimpleTuner).

mod ai_toolkit;
mod folders;
mod musubi_tuner;
mod onetrainer;
mod simpletuner;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use zcurate_train::Trainer;

use crate::Note;
use crate::error::EvaluateError;

/// A checkpoint, as the trainer labels its samples. Steps sort before epochs; a run uses one
/// or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Checkpoint {
    Step(u64),
    Epoch(u64),
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Step(n) => write!(f, "{n}"),
            Self::Epoch(n) => write!(f, "epoch {n}"),
        }
    }
}

/// Which prompt a sample shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PromptKey {
    /// Position in the trainer's sample prompt list, from 0.
    Index(usize),
    /// A named prompt (SimpleTuner's prompt library keys, `validation` for its
    /// `validation_prompt`).
    Name(String),
}

impl fmt::Display for PromptKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Index(i) => write!(f, "prompt {i}"),
            Self::Name(n) => write!(f, "prompt `{n}`"),
        }
    }
}

/// What a file name (and its folders) say about a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) checkpoint: Checkpoint,
    pub(crate) key: PromptKey,
    /// Tells apart several images of one prompt at one checkpoint (SimpleTuner's image
    /// index, musubi-tuner's grid index).
    pub(crate) variant: u32,
    /// Orders two files of the same sample (a resumed or restarted run writes it again):
    /// the larger is newer. The trainers' timestamps sort as text.
    pub(crate) stamp: String,
    /// The start of the prompt as the folder name spells it (OneTrainer), to check pairing.
    pub(crate) prompt_hint: Option<String>,
}

/// A sample image found in a run folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFile {
    pub path: PathBuf,
    /// Relative to the run folder, `/` separators (for messages and the page).
    pub rel: String,
    pub checkpoint: Checkpoint,
    pub key: PromptKey,
    pub variant: u32,
    pub(crate) prompt_hint: Option<String>,
}

/// A trainer's sample layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    AiToolkit,
    MusubiTuner,
    #[serde(rename = "simpletuner")]
    SimpleTuner,
    #[serde(rename = "onetrainer")]
    OneTrainer,
    /// Images you generated yourself: one folder per checkpoint, files named by prompt index.
    Folders,
}

impl Layout {
    pub const ALL: &'static [Layout] = &[
        Self::AiToolkit,
        Self::MusubiTuner,
        Self::SimpleTuner,
        Self::OneTrainer,
        Self::Folders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AiToolkit => "ai-toolkit",
            Self::MusubiTuner => "musubi-tuner",
            Self::SimpleTuner => "simpletuner",
            Self::OneTrainer => "onetrainer",
            Self::Folders => "folders",
        }
    }

    /// Where the layout's samples are, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::AiToolkit => ai_toolkit::WHERE,
            Self::MusubiTuner => musubi_tuner::WHERE,
            Self::SimpleTuner => simpletuner::WHERE,
            Self::OneTrainer => onetrainer::WHERE,
            Self::Folders => folders::WHERE,
        }
    }

    /// The layout of a trainer's own samples; `Err` says why there is none.
    pub fn of_trainer(trainer: Trainer) -> Result<Self, String> {
        match trainer {
            Trainer::AiToolkit => Ok(Self::AiToolkit),
            Trainer::MusubiTuner => Ok(Self::MusubiTuner),
            Trainer::SimpleTuner => Ok(Self::SimpleTuner),
            Trainer::OneTrainer => Ok(Self::OneTrainer),
            Trainer::DiffusionPipe => Err(folders::DIFFUSION_PIPE.to_owned()),
            Trainer::SdScripts => Err(
                "sd-scripts has no Z-Image training script, so its export has no run with samples to evaluate"
                    .to_owned(),
            ),
        }
    }

    fn parse(self, dirs: &[&str], file: &str) -> Option<Parsed> {
        match self {
            Self::AiToolkit => ai_toolkit::parse(dirs, file),
            Self::MusubiTuner => musubi_tuner::parse(dirs, file),
            Self::SimpleTuner => simpletuner::parse(dirs, file),
            Self::OneTrainer => onetrainer::parse(dirs, file),
            Self::Folders => folders::parse(dirs, file),
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Layout {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|l| l.as_str()).collect();
                format!("unknown layout `{s}`; known: {}", names.join(", "))
            })
    }
}

/// Extensions the trainers write samples in (ai-toolkit `format`, SimpleTuner
/// `validation_image_format`, OneTrainer `sample_image_format`), plus what people save by hand.
const IMAGE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "webp", "bmp", "tif"];

/// Folders deep enough for every layout: OneTrainer's samples sit at
/// `workspace/samples/<prompt>/<file>` below the run folder, ai-toolkit's at
/// `output/<name>/samples/<file>`, and a run folder may be one level above the export.
const MAX_DEPTH: usize = 6;

/// The sample files of a run folder, in one layout.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub layout: Layout,
    pub files: Vec<SampleFile>,
    pub notes: Vec<Note>,
}

/// Walks `root` (skipping hidden folders and `skip`, the export's own dataset and caches) and
/// keeps the files `layout` names; without one, the layout that names files here (a trainer's
/// before [`Layout::Folders`]). Of two files of the same sample the newer is kept.
pub fn discover(
    root: &Path,
    layout: Option<Layout>,
    skip: &[&str],
) -> Result<Discovery, EvaluateError> {
    if !root.is_dir() {
        return Err(EvaluateError::NotAFolder {
            path: root.to_owned(),
        });
    }
    let mut found: BTreeMap<Layout, Vec<(SampleFile, String)>> = BTreeMap::new();
    let mut notes = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .max_depth(MAX_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !e.file_type().is_dir()
                || !(name.starts_with('.') || e.depth() == 1 && skip.contains(&name.as_ref()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                notes.push(Note::warning(format!(
                    "cannot read part of the run folder: {e}"
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let Some((file, dirs)) = parts.split_last() else {
            continue;
        };
        let ext = Path::new(file)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if !ext.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
            continue;
        }
        // Nearest folder first.
        let dirs: Vec<&str> = dirs.iter().rev().map(String::as_str).collect();
        for &l in Layout::ALL {
            if layout.is_some_and(|want| want != l) {
                continue;
            }
            if let Some(p) = l.parse(&dirs, file) {
                let sample = SampleFile {
                    path: entry.path().to_owned(),
                    rel: parts.join("/"),
                    checkpoint: p.checkpoint,
                    key: p.key,
                    variant: p.variant,
                    prompt_hint: p.prompt_hint,
                };
                found.entry(l).or_default().push((sample, p.stamp));
            }
        }
    }
    let chosen = match layout {
        Some(l) => l,
        None => choose(root, &found)?,
    };
    let files = newest(found.remove(&chosen).unwrap_or_default(), &mut notes);
    Ok(Discovery {
        layout: chosen,
        files,
        notes,
    })
}

/// The one trainer layout with files; [`Layout::Folders`] only when no trainer's is found
/// (its naming is loose enough to match a trainer's folders too).
fn choose(
    root: &Path,
    found: &BTreeMap<Layout, Vec<(SampleFile, String)>>,
) -> Result<Layout, EvaluateError> {
    let trainers: Vec<(Layout, usize)> = found
        .iter()
        .filter(|(l, files)| **l != Layout::Folders && !files.is_empty())
        .map(|(l, files)| (*l, files.len()))
        .collect();
    match trainers.as_slice() {
        [] => Ok(Layout::Folders),
        [(l, _)] => Ok(*l),
        many => Err(EvaluateError::AmbiguousLayout {
            path: root.to_owned(),
            found: many
                .iter()
                .map(|(l, n)| format!("{l}: {n}"))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Keeps the newest file of each sample (checkpoint, prompt, variant), in checkpoint and
/// prompt order.
fn newest(files: Vec<(SampleFile, String)>, notes: &mut Vec<Note>) -> Vec<SampleFile> {
    let mut best: HashMap<(Checkpoint, PromptKey, u32), (SampleFile, String)> = HashMap::new();
    let mut older = Vec::new();
    for (f, stamp) in files {
        let key = (f.checkpoint, f.key.clone(), f.variant);
        match best.get(&key) {
            Some((_, s)) if *s >= stamp => older.push(f.rel),
            _ => {
                if let Some((prev, _)) = best.insert(key, (f, stamp)) {
                    older.push(prev.rel);
                }
            }
        }
    }
    if !older.is_empty() {
        older.sort();
        notes.push(Note::info(format!(
            "{} older images of the same checkpoint and prompt (a resumed or restarted run) were left out, the newest kept: {}",
            older.len(),
            crate::note::list(&older)
        )));
    }
    let mut out: Vec<SampleFile> = best.into_values().map(|(f, _)| f).collect();
    out.sort_by(|a, b| (a.checkpoint, &a.key, a.variant).cmp(&(b.checkpoint, &b.key, b.variant)));
    out
}

/// What OneTrainer's sample folder name holds of a prompt's text.
pub fn onetrainer_folder_text(prompt: &str) -> String {
    onetrainer::safe_filename(prompt)
}

/// The stem and extension of a file name.
fn split_ext(file: &str) -> Option<(&str, &str)> {
    file.rsplit_once('.')
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"x").unwrap();
    }

    #[test]
    fn finds_one_layout_and_skips_the_dataset_and_hidden_folders() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(r, "output/zq/samples/1724085406830__000000250_0.jpg");
        touch(r, "output/zq/samples/1724085406831__000000250_1.jpg");
        touch(r, "output/zq/samples/.tmp/1724085406832__000000500_0.jpg");
        touch(r, "output/zq/samples/notes.txt");
        touch(r, "dataset/1724085406830__000000250_0.jpg");
        let d = discover(r, None, &["dataset"]).unwrap();
        assert_eq!(d.layout, Layout::AiToolkit);
        let rels: Vec<&str> = d.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "output/zq/samples/1724085406830__000000250_0.jpg",
                "output/zq/samples/1724085406831__000000250_1.jpg"
            ]
        );
    }

    #[test]
    fn keeps_the_newest_of_a_sample_written_twice() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(r, "samples/1000__000000250_0.jpg");
        touch(r, "samples/2000__000000250_0.jpg");
        let d = discover(r, None, &[]).unwrap();
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.files[0].rel, "samples/2000__000000250_0.jpg");
        assert!(d.notes[0].message.contains("samples/1000__000000250_0.jpg"));
    }

    #[test]
    fn two_trainer_layouts_are_ambiguous() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(r, "a/samples/1000__000000250_0.jpg");
        touch(r, "b/validation_images/step_250_validation_0_1024x1024.png");
        let e = discover(r, None, &[]).unwrap_err().to_string();
        assert!(e.contains("ai-toolkit: 1, simpletuner: 1"), "{e}");
        let d = discover(r, Some(Layout::SimpleTuner), &[]).unwrap();
        assert_eq!(d.files.len(), 1);
    }

    #[test]
    fn layouts_round_trip_their_names() {
        for l in Layout::ALL {
            assert_eq!(l.as_str().parse::<Layout>().unwrap(), *l);
        }
        assert!("nope".parse::<Layout>().unwrap_err().contains("ai-toolkit"));
    }
}
