//! The sample prompts of a run and which of them carry the trigger: from the export record
//! (`zcurate-export.json` states both), or from a prompts file the user passes.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use zcurate_train::ExportManifest;

use crate::Note;
use crate::error::EvaluateError;
use crate::layout::PromptKey;

/// One sample prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prompt {
    pub text: String,
    /// Names the trigger: its samples must show the subject. Without it the prompt is
    /// neutral, a bleed check: its faces must not.
    pub with_trigger: bool,
    /// What the prompt checks, when the record says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Names a trainer gives the prompt (SimpleTuner's prompt library keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// The prompts in the trainer's order, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromptSet {
    pub prompts: Vec<Prompt>,
    pub source: String,
}

impl PromptSet {
    /// The prompts the export wrote into the trainer's config, in its order.
    pub fn from_record(record: &ExportManifest, source: &str) -> Self {
        Self {
            prompts: record
                .sample_prompts
                .iter()
                .map(|p| Prompt {
                    text: p.prompt.clone(),
                    with_trigger: p.with_trigger,
                    purpose: Some(p.purpose.clone()),
                    names: Vec::new(),
                })
                .collect(),
            source: source.to_owned(),
        }
    }

    /// Reads a prompts file: an export record, a JSON list (strings, or objects with
    /// `prompt` and optionally `with_trigger`, as OneTrainer's `samples.json`), a JSON
    /// object of named prompts (SimpleTuner's `user_prompt_library.json`), or text with one
    /// prompt per line (kohya's format: `#` lines skipped, ` --` options dropped). A prompt
    /// without `with_trigger` carries the trigger when it holds `trigger` as a word.
    pub fn read(path: &Path, trigger: Option<&str>) -> Result<Self, EvaluateError> {
        let bad = |reason: String| EvaluateError::BadPrompts {
            path: path.to_owned(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|source| EvaluateError::Read {
            path: path.to_owned(),
            source,
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let entries = if is_json {
            let value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
            json_entries(&value).map_err(bad)?
        } else {
            text_entries(&text)
        };
        if entries.is_empty() {
            return Err(bad("no prompts in it".to_owned()));
        }
        let mut prompts = Vec::with_capacity(entries.len());
        for e in entries {
            let with_trigger = match (e.with_trigger, trigger) {
                (Some(w), _) => w,
                (None, Some(t)) => holds_word(&e.text, t),
                (None, None) => {
                    return Err(EvaluateError::NoPrompts(format!(
                        "cannot tell which prompts of {} carry the trigger: pass --trigger WORD (or set it in zcurate.toml)",
                        path.display()
                    )));
                }
            };
            prompts.push(Prompt {
                text: e.text,
                with_trigger,
                purpose: None,
                names: e.name.into_iter().collect(),
            });
        }
        Ok(Self {
            prompts,
            source: path.display().to_string(),
        })
    }

    /// The prompt a sample key names.
    pub fn find(&self, key: &PromptKey) -> Option<usize> {
        match key {
            PromptKey::Index(i) => (*i < self.prompts.len()).then_some(*i),
            PromptKey::Name(n) => self.prompts.iter().position(|p| p.names.contains(n)),
        }
    }

    /// Names SimpleTuner gives the prompts of a run folder: the keys of the prompt library
    /// its `config.json` points to (else `user_prompt_library.json` beside it), and
    /// `validation` for `validation_prompt`, matched to these prompts by their text.
    pub fn attach_simpletuner_names(&mut self, run: &Path) -> Vec<Note> {
        let mut notes = Vec::new();
        let config = read_json(&run.join("config.json"));
        let mut named: Vec<(String, String)> = Vec::new();
        if let Some(v) = config
            .as_ref()
            .and_then(|c| c.get("validation_prompt"))
            .and_then(Value::as_str)
        {
            named.push(("validation".to_owned(), v.to_owned()));
        }
        let library = config
            .as_ref()
            .and_then(|c| c.get("user_prompt_library"))
            .and_then(Value::as_str)
            .map(std::path::PathBuf::from)
            .filter(|p| p.is_file())
            .unwrap_or_else(|| run.join("user_prompt_library.json"));
        if let Some(Value::Object(map)) = read_json(&library) {
            for (name, entry) in map {
                if let Some(text) = entry_text(&entry) {
                    named.push((name, text));
                }
            }
        }
        for (name, text) in named {
            if self.prompts.iter().any(|p| p.names.contains(&name)) {
                continue;
            }
            match self.prompts.iter_mut().find(|p| p.text.trim() == text.trim()) {
                Some(p) => p.names.push(name),
                None => notes.push(Note::warning(format!(
                    "SimpleTuner's prompt `{name}` (\"{text}\") is not one of the sample prompts of {}: its images are not scored",
                    self.source
                ))),
            }
        }
        notes
    }
}

struct Entry {
    name: Option<String>,
    text: String,
    with_trigger: Option<bool>,
}

fn json_entries(value: &Value) -> Result<Vec<Entry>, String> {
    let from_item = |item: &Value| -> Result<Entry, String> {
        let text =
            entry_text(item).ok_or("a prompt is neither text nor an object with `prompt`")?;
        Ok(Entry {
            name: None,
            text,
            with_trigger: item.get("with_trigger").and_then(Value::as_bool),
        })
    };
    match value {
        // An export record.
        Value::Object(map) if map.contains_key("sample_prompts") => map["sample_prompts"]
            .as_array()
            .ok_or("`sample_prompts` is not a list")?
            .iter()
            .map(from_item)
            .collect(),
        Value::Array(items) => items.iter().map(from_item).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(name, item)| {
                from_item(item).map(|e| Entry {
                    name: Some(name.clone()),
                    ..e
                })
            })
            .collect(),
        _ => Err("expected a list of prompts or an object of named prompts".to_owned()),
    }
}

fn entry_text(item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("prompt").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// kohya's prompt file as musubi-tuner's `load_prompts` reads it: lines that are empty or
/// start with `#` are not prompts, and ` --` starts the options.
fn text_entries(text: &str) -> Vec<Entry> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| Entry {
            name: None,
            text: l.split(" --").next().unwrap_or_default().trim().to_owned(),
            with_trigger: None,
        })
        .collect()
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Whether `text` holds `word` as a whole word (letters, digits and `_` make words), in
/// any case.
pub(crate) fn holds_word(text: &str, word: &str) -> bool {
    let word = word.trim();
    if word.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let text = text.to_lowercase();
    let word = word.to_lowercase();
    text.match_indices(&word).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn kohya_text_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "prompts.txt",
            "# comment\n\nzq man, portrait --w 1024 --d 42\na man, portrait --w 1024\n",
        );
        let set = PromptSet::read(&p, Some("zq")).unwrap();
        let got: Vec<(&str, bool)> = set
            .prompts
            .iter()
            .map(|p| (p.text.as_str(), p.with_trigger))
            .collect();
        assert_eq!(
            got,
            [("zq man, portrait", true), ("a man, portrait", false)]
        );
        let e = PromptSet::read(&p, None).unwrap_err().to_string();
        assert!(e.contains("--trigger"), "{e}");
    }

    #[test]
    fn json_lists_records_and_libraries() {
        let dir = tempfile::tempdir().unwrap();
        let list = write(
            dir.path(),
            "samples.json",
            r#"[{"prompt": "zq woman", "enabled": true}, "a woman", {"prompt": "x", "with_trigger": true}]"#,
        );
        let set = PromptSet::read(&list, Some("zq")).unwrap();
        assert_eq!(
            set.prompts
                .iter()
                .map(|p| p.with_trigger)
                .collect::<Vec<_>>(),
            [true, false, true]
        );
        let record = write(
            dir.path(),
            "zcurate-export.json",
            r#"{"sample_prompts": [{"prompt": "a", "with_trigger": false, "purpose": "p"}]}"#,
        );
        assert!(!PromptSet::read(&record, None).unwrap().prompts[0].with_trigger);
        let library = write(
            dir.path(),
            "user_prompt_library.json",
            r#"{"subject_1": "zq woman", "neutral_2": {"prompt": "a woman"}}"#,
        );
        let set = PromptSet::read(&library, Some("zq")).unwrap();
        assert_eq!(set.find(&PromptKey::Name("neutral_2".into())), Some(0));
        assert_eq!(set.find(&PromptKey::Name("subject_1".into())), Some(1));
        assert_eq!(set.find(&PromptKey::Index(2)), None);
        assert!(PromptSet::read(&write(dir.path(), "e.json", "[]"), None).is_err());
    }

    #[test]
    fn simpletuner_names_come_from_its_files() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "config.json",
            r#"{"validation_prompt": "zq woman, close-up"}"#,
        );
        write(
            dir.path(),
            "user_prompt_library.json",
            r#"{"subject_1": "zq woman, close-up", "neutral_2": "a woman", "extra": "a cat"}"#,
        );
        let mut set = PromptSet {
            prompts: ["zq woman, close-up", "a woman"]
                .iter()
                .map(|t| Prompt {
                    text: (*t).to_owned(),
                    with_trigger: t.starts_with("zq"),
                    purpose: None,
                    names: Vec::new(),
                })
                .collect(),
            source: "record".to_owned(),
        };
        let notes = set.attach_simpletuner_names(dir.path());
        assert_eq!(set.prompts[0].names, ["validation", "subject_1"]);
        assert_eq!(set.prompts[1].names, ["neutral_2"]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].message.contains("`extra`"));
    }

    #[test]
    fn trigger_as_a_whole_word() {
        assert!(holds_word("zq man, portrait", "zq"));
        assert!(holds_word("photo of ZQ", "zq"));
        assert!(!holds_word("zqx man", "zq"));
        assert!(!holds_word("a man", "zq"));
        assert!(holds_word("sks_person at work", "sks_person"));
    }
}
