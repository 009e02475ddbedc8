//! Pairs each sample image with its prompt, and says which samples match none.

use std::collections::BTreeMap;

use crate::Note;
use crate::layout::{Layout, PromptKey, SampleFile};
use crate::note::list;
use crate::prompts::PromptSet;

/// A sample image and the index of its prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub file: SampleFile,
    pub prompt: usize,
}

/// The paired samples and what could not be paired.
#[derive(Debug, Clone, Default)]
pub struct Paired {
    pub samples: Vec<Sample>,
    /// Samples that match no prompt (listed in `notes`).
    pub unpaired: usize,
    pub notes: Vec<Note>,
}

/// SimpleTuner's short name for its samples of the empty prompt.
const UNCONDITIONAL: &str = "unconditional";

pub fn pair(files: Vec<SampleFile>, prompts: &PromptSet, layout: Layout) -> Paired {
    let mut out = Paired::default();
    // Reason → files, so one message lists every file with the same problem.
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unconditional = 0;
    for file in files {
        if file.key == PromptKey::Name(UNCONDITIONAL.to_owned()) {
            unconditional += 1;
            continue;
        }
        let Some(prompt) = prompts.find(&file.key) else {
            let why = match &file.key {
                PromptKey::Index(_) => format!(
                    "their prompt index is past the {} prompts of {}",
                    prompts.prompts.len(),
                    prompts.source
                ),
                PromptKey::Name(n) => {
                    format!("no prompt of {} is named `{n}`", prompts.source)
                }
            };
            problems.entry(why).or_default().push(file.rel);
            continue;
        };
        if let Some(hint) = &file.prompt_hint {
            let expected = crate::layout::onetrainer_folder_text(&prompts.prompts[prompt].text);
            if *hint != expected {
                problems
                    .entry(format!(
                        "their folder names prompt {prompt} \"{hint}\" but prompt {prompt} of {} begins \"{expected}\"",
                        prompts.source
                    ))
                    .or_default()
                    .push(file.rel);
                continue;
            }
        }
        out.samples.push(Sample { file, prompt });
    }
    if unconditional > 0 {
        out.notes.push(Note::info(format!(
            "{unconditional} SimpleTuner samples of the empty prompt (`{UNCONDITIONAL}`) are not scored: they test neither the trigger nor a neutral person prompt"
        )));
    }
    for (why, files) in problems {
        out.unpaired += files.len();
        out.notes.push(Note::warning(format!(
            "{} {layout} samples match no prompt ({why}): {}",
            files.len(),
            list(&files)
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Checkpoint;
    use crate::prompts::Prompt;

    fn set() -> PromptSet {
        PromptSet {
            prompts: vec![
                Prompt {
                    text: "zq man, close-up portrait, looking at the camera".into(),
                    with_trigger: true,
                    purpose: None,
                    names: vec!["subject_1".into()],
                },
                Prompt {
                    text: "a man".into(),
                    with_trigger: false,
                    purpose: None,
                    names: vec![],
                },
            ],
            source: "the record".into(),
        }
    }

    fn file(key: PromptKey, hint: Option<&str>) -> SampleFile {
        SampleFile {
            path: "x".into(),
            rel: format!("{key}"),
            checkpoint: Checkpoint::Step(250),
            key,
            variant: 0,
            prompt_hint: hint.map(str::to_owned),
        }
    }

    #[test]
    fn pairs_by_index_and_name_and_reports_the_rest() {
        let p = pair(
            vec![
                file(PromptKey::Index(1), None),
                file(PromptKey::Index(7), None),
                file(PromptKey::Name("subject_1".into()), None),
                file(PromptKey::Name("other".into()), None),
                file(PromptKey::Name("unconditional".into()), None),
            ],
            &set(),
            Layout::AiToolkit,
        );
        assert_eq!(
            p.samples.iter().map(|s| s.prompt).collect::<Vec<_>>(),
            [1, 0]
        );
        assert_eq!(p.unpaired, 2);
        let text: Vec<&str> = p.notes.iter().map(|n| n.message.as_str()).collect();
        assert!(text[0].contains("empty prompt"), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("past the 2 prompts")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("named `other`")), "{text:?}");
    }

    #[test]
    fn onetrainer_folder_must_spell_the_prompt() {
        let ok = file(
            PromptKey::Index(0),
            Some("zq man close-up portrait looking"),
        );
        let wrong = file(PromptKey::Index(1), Some("a woman"));
        let p = pair(vec![ok, wrong], &set(), Layout::OneTrainer);
        assert_eq!(p.samples.len(), 1);
        assert_eq!(p.unpaired, 1);
        assert!(
            p.notes[0].message.contains("begins \"a man\""),
            "{:?}",
            p.notes
        );
    }
}
