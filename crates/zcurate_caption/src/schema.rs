//! Schemas resolved from their file form: vocabularies looked up, templates split, defaults
//! applied and everything checked once, so later code never meets an invalid schema.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::error::CaptionError;
use crate::options::{
    CaptionOptions, CatalogOptions, Fact, Presence, Role, SchemaOptions, TermOptions,
    VocabularyOptions,
};
use crate::text::normalize;

/// The built-in schemas and vocabularies, in the same format as `[caption]` in zcurate.toml.
pub const BUILTIN_TOML: &str = include_str!("builtin.toml");

/// The placeholder of a slot template.
const PLACEHOLDER: &str = "{value}";

/// All schemas known to a run: the built-ins with the config's additions and replacements.
#[derive(Debug, Clone)]
pub struct Catalog {
    schemas: BTreeMap<String, Schema>,
}

impl Catalog {
    /// The built-ins merged with `options` (custom schemas, vocabularies and defaults).
    pub fn new(options: &CaptionOptions) -> Result<Self, CaptionError> {
        let builtin: CatalogOptions =
            toml::from_str(BUILTIN_TOML).map_err(|e| CaptionError::Builtin(e.to_string()))?;
        let mut vocab_options = builtin.vocabularies;
        for (name, user) in options.vocabularies.iter().flatten() {
            match vocab_options.get_mut(name) {
                Some(base) if user.extend == Some(true) => {
                    base.terms.extend(user.terms.iter().cloned());
                    base.keywords.extend(user.keywords.iter().cloned());
                    if user.open.is_some() {
                        base.open = user.open;
                    }
                }
                _ => {
                    vocab_options.insert(name.clone(), user.clone());
                }
            }
        }
        let mut vocabularies = BTreeMap::new();
        for (name, o) in &vocab_options {
            vocabularies.insert(name.clone(), Vocabulary::new(name, o)?);
        }
        let mut schema_options = builtin.schemas;
        for (name, user) in options.schemas.iter().flatten() {
            schema_options.insert(name.clone(), user.clone());
        }
        let no_defaults = BTreeMap::new();
        let defaults = options.defaults.as_ref().unwrap_or(&no_defaults);
        let mut schemas = BTreeMap::new();
        for (name, o) in &schema_options {
            schemas.insert(name.clone(), Schema::new(name, o, &vocabularies, defaults)?);
        }
        Ok(Self { schemas })
    }

    /// The built-ins alone.
    pub fn builtin() -> Self {
        Self::new(&CaptionOptions::default()).expect("the built-in schemas are valid")
    }

    pub fn get(&self, name: &str) -> Result<&Schema, CaptionError> {
        self.schemas
            .get(name)
            .ok_or_else(|| CaptionError::UnknownSchema {
                name: name.to_owned(),
                known: self.names().join(", "),
            })
    }

    pub fn names(&self) -> Vec<&str> {
        self.schemas.keys().map(String::as_str).collect()
    }
}

/// A vocabulary term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The canonical value, as written in captions.
    pub value: String,
    pub synonyms: Vec<String>,
    /// Manifest fact labels that produce the value.
    pub facts: Vec<String>,
}

/// A slot's vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub name: String,
    pub description: Option<String>,
    /// Values outside the terms are accepted as free text.
    pub open: bool,
    pub terms: Vec<Term>,
    /// Words that mark free text as belonging here (normalised).
    pub keywords: Vec<String>,
    /// Normalised value or synonym → index into `terms`.
    #[serde(skip)]
    lookup: HashMap<String, usize>,
}

impl Vocabulary {
    fn new(name: &str, o: &VocabularyOptions) -> Result<Self, CaptionError> {
        let err = |message: String| CaptionError::Vocabulary {
            vocabulary: name.to_owned(),
            message,
        };
        let mut terms = Vec::new();
        let mut lookup = HashMap::new();
        for t in &o.terms {
            let term = match t {
                TermOptions::Value(v) => Term {
                    value: v.trim().to_owned(),
                    synonyms: Vec::new(),
                    facts: Vec::new(),
                },
                TermOptions::Full(t) => Term {
                    value: t.value.trim().to_owned(),
                    synonyms: t.synonyms.iter().map(|s| s.trim().to_owned()).collect(),
                    facts: t.facts.clone(),
                },
            };
            if term.value.is_empty() {
                return Err(err("a term has an empty value".to_owned()));
            }
            let index = terms.len();
            for phrase in std::iter::once(&term.value).chain(&term.synonyms) {
                let key = normalize(phrase);
                if key.is_empty() {
                    return Err(err(format!("term `{}` has an empty synonym", term.value)));
                }
                if let Some(&other) = lookup.get(&key) {
                    let other: &Term = &terms[other];
                    if other.value != term.value {
                        return Err(err(format!(
                            "`{phrase}` is given for both `{}` and `{}`",
                            other.value, term.value
                        )));
                    }
                }
                lookup.insert(key, index);
            }
            terms.push(term);
        }
        Ok(Self {
            name: name.to_owned(),
            description: o.description.clone(),
            open: o.open.unwrap_or(false),
            terms,
            keywords: o.keywords.iter().map(|k| normalize(k)).collect(),
            lookup,
        })
    }

    /// The canonical value of `phrase` (a value or a synonym, any case).
    pub fn canonical(&self, phrase: &str) -> Option<&str> {
        self.lookup
            .get(&normalize(phrase))
            .map(|&i| self.terms[i].value.as_str())
    }

    /// The value a manifest fact label produces, if any term claims it.
    pub fn for_fact(&self, label: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| t.facts.iter().any(|f| f == label))
            .map(|t| t.value.as_str())
    }

    /// Every normalised phrase (values and synonyms).
    pub(crate) fn phrases(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lookup
            .iter()
            .map(|(k, &i)| (k.as_str(), self.terms[i].value.as_str()))
    }
}

/// How a slot's value is written: `prefix + value + suffix`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub prefix: String,
    pub suffix: String,
}

impl Template {
    fn parse(text: &str) -> Option<Self> {
        let (prefix, suffix) = text.split_once(PLACEHOLDER)?;
        if suffix.contains(PLACEHOLDER) {
            return None;
        }
        Some(Self {
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
        })
    }

    /// True for the default `{value}`.
    pub fn is_plain(&self) -> bool {
        self.prefix.is_empty() && self.suffix.is_empty()
    }

    pub fn apply(&self, value: &str) -> String {
        format!("{}{value}{}", self.prefix, self.suffix)
    }

    /// The value inside `text` when `text` has the template's prefix and suffix (any case).
    pub fn strip<'a>(&self, text: &'a str) -> Option<&'a str> {
        if self.is_plain() {
            return None;
        }
        let lower = text.to_lowercase();
        // Lowercasing may change byte lengths outside ASCII; compare on the lowered text and
        // cut the original only when the lengths agree.
        if lower.len() != text.len() {
            return None;
        }
        let (p, s) = (self.prefix.to_lowercase(), self.suffix.to_lowercase());
        if lower.len() < p.len() + s.len() || !lower.starts_with(&p) || !lower.ends_with(&s) {
            return None;
        }
        let inner = text[p.len()..text.len() - s.len()].trim();
        (!inner.is_empty()).then_some(inner)
    }
}

/// One slot of a resolved schema.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    pub name: String,
    pub presence: Presence,
    pub role: Option<Role>,
    pub vocabulary: Option<Vocabulary>,
    pub fact: Option<Fact>,
    pub template: Template,
    /// Text before this slot instead of the separator.
    pub joiner: Option<String>,
    pub multiple: bool,
    /// The value used when nothing else fills the slot (config defaults win over the
    /// schema's).
    pub default: Option<String>,
    /// Captioned only where it changes (hair, accessories).
    pub only_when_changes: bool,
}

impl Slot {
    /// Free text is accepted (no vocabulary, or an open one).
    pub fn is_open(&self) -> bool {
        self.vocabulary.as_ref().is_none_or(|v| v.open)
    }

    /// True for the trigger and class-word slots.
    pub fn is_identity(&self) -> bool {
        self.role.is_some()
    }

    /// A user's value in canonical form: the template stripped, synonyms mapped, each part
    /// of a multiple slot done separately. Errors name what is wrong.
    pub fn canonicalize(&self, value: &str, separator: &str) -> Result<String, String> {
        let value = collapse_spaces(value);
        if value.is_empty() {
            return Err("empty value".to_owned());
        }
        if self.role.is_some() {
            return Ok(value);
        }
        let parts: Vec<String> = if self.multiple {
            split_parts(&value, separator)
        } else {
            vec![value]
        };
        let mut out = Vec::new();
        for part in &parts {
            let inner = self.template.strip(part).unwrap_or(part);
            match self.vocabulary.as_ref().and_then(|v| v.canonical(inner)) {
                Some(c) => out.push(c.to_owned()),
                None if self.is_open() => out.push(inner.to_owned()),
                None => {
                    let v = self
                        .vocabulary
                        .as_ref()
                        .expect("closed slots have a vocabulary");
                    let known: Vec<&str> = v.terms.iter().map(|t| t.value.as_str()).collect();
                    return Err(format!(
                        "`{inner}` is not in the vocabulary `{}` (known: {})",
                        v.name,
                        known.join(", ")
                    ));
                }
            }
        }
        Ok(out.join(separator))
    }

    /// The slot's text in a caption.
    pub fn render(&self, value: &str, separator: &str) -> String {
        if self.multiple {
            split_parts(value, separator)
                .iter()
                .map(|p| self.template.apply(p))
                .collect::<Vec<_>>()
                .join(separator)
        } else {
            self.template.apply(value)
        }
    }
}

/// How a phrase found in a caption may fill a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) slot: usize,
    pub(crate) value: String,
    /// 0: the written form; 1: a bare value of a templated slot (weaker evidence).
    pub(crate) rank: u8,
}

/// A resolved caption schema.
#[derive(Debug, Clone, Serialize)]
pub struct Schema {
    pub name: String,
    pub description: Option<String>,
    pub separator: String,
    pub slots: Vec<Slot>,
    /// Normalised phrase → slots it can fill, for reading captions back.
    #[serde(skip)]
    index: HashMap<String, Vec<Candidate>>,
    /// Most words in an indexed phrase.
    #[serde(skip)]
    max_phrase_words: usize,
}

impl Schema {
    fn new(
        name: &str,
        o: &SchemaOptions,
        vocabularies: &BTreeMap<String, Vocabulary>,
        defaults: &BTreeMap<String, String>,
    ) -> Result<Self, CaptionError> {
        let err = |message: String| CaptionError::Schema {
            schema: name.to_owned(),
            message,
        };
        let separator = o.separator.clone().unwrap_or_else(|| ", ".to_owned());
        if separator.trim().is_empty() {
            return Err(err(
                "the separator must contain a non-space character (captions are split on it)"
                    .to_owned(),
            ));
        }
        if o.slots.is_empty() {
            return Err(err("it has no slots".to_owned()));
        }
        let mut slots: Vec<Slot> = Vec::new();
        for s in &o.slots {
            let slot_err = |m: String| err(format!("slot `{}`: {m}", s.name));
            if s.name.trim().is_empty() || s.name.trim() != s.name {
                return Err(err(format!("invalid slot name `{}`", s.name)));
            }
            if slots.iter().any(|x| x.name == s.name) {
                return Err(slot_err("defined twice".to_owned()));
            }
            if let Some(role) = s.role
                && slots.iter().any(|x| x.role == Some(role))
            {
                return Err(slot_err(format!("a second slot with role {role:?}")));
            }
            let vocabulary = match &s.vocabulary {
                Some(v) => Some(
                    vocabularies
                        .get(v)
                        .cloned()
                        .ok_or_else(|| slot_err(format!("unknown vocabulary `{v}`")))?,
                ),
                None if s.role == Some(Role::Trigger) => None,
                None => vocabularies.get(&s.name).cloned(),
            };
            let template = Template::parse(s.template.as_deref().unwrap_or(PLACEHOLDER))
                .ok_or_else(|| {
                    slot_err(format!("the template must contain `{PLACEHOLDER}` once"))
                })?;
            if s.role.is_some() && !template.is_plain() {
                return Err(slot_err("identity slots take no template".to_owned()));
            }
            if let Some(fact) = s.fact {
                let has_fact = vocabulary
                    .as_ref()
                    .is_some_and(|v| v.terms.iter().any(|t| !t.facts.is_empty()));
                if !has_fact {
                    return Err(slot_err(format!(
                        "fact `{}` needs a vocabulary whose terms list `facts`",
                        fact.as_str()
                    )));
                }
            }
            let mut slot = Slot {
                name: s.name.clone(),
                presence: s.presence.unwrap_or(Presence::Optional),
                role: s.role,
                vocabulary,
                fact: s.fact,
                template,
                joiner: s.joiner.clone(),
                multiple: s.multiple.unwrap_or(false),
                default: None,
                only_when_changes: s.only_when_changes.unwrap_or(false),
            };
            if let Some(d) = defaults.get(&s.name).or(s.default.as_ref()) {
                let d = slot
                    .canonicalize(d, &separator)
                    .map_err(|m| slot_err(format!("default: {m}")))?;
                slot.default = Some(d);
            }
            slots.push(slot);
        }
        let mut schema = Self {
            name: name.to_owned(),
            description: o.description.clone(),
            separator,
            slots,
            index: HashMap::new(),
            max_phrase_words: 1,
        };
        schema.build_index();
        Ok(schema)
    }

    fn build_index(&mut self) {
        let mut index: HashMap<String, Vec<Candidate>> = HashMap::new();
        for (i, slot) in self.slots.iter().enumerate() {
            let Some(v) = &slot.vocabulary else { continue };
            for (phrase, value) in v.phrases() {
                let mut add = |key: String, rank: u8| {
                    let list = index.entry(key).or_default();
                    if !list.iter().any(|c| c.slot == i) {
                        list.push(Candidate {
                            slot: i,
                            value: value.to_owned(),
                            rank,
                        });
                    }
                };
                if slot.template.is_plain() {
                    add(phrase.to_owned(), 0);
                } else {
                    add(normalize(&slot.template.apply(phrase)), 0);
                    add(phrase.to_owned(), 1);
                }
            }
        }
        for list in index.values_mut() {
            list.sort_by_key(|c| (c.rank, c.slot));
        }
        self.max_phrase_words = index
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        self.index = index;
    }

    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }

    pub(crate) fn slot_index(&self, name: &str) -> Option<usize> {
        self.slots.iter().position(|s| s.name == name)
    }

    pub(crate) fn role_index(&self, role: Role) -> Option<usize> {
        self.slots.iter().position(|s| s.role == Some(role))
    }

    pub(crate) fn candidates(&self, normalized_phrase: &str) -> &[Candidate] {
        self.index.get(normalized_phrase).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn max_phrase_words(&self) -> usize {
        self.max_phrase_words
    }

    /// The caption text of slot values (canonical, by slot name), in slot order. Forbidden
    /// slots are never written.
    pub fn render(&self, values: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        for slot in &self.slots {
            if slot.presence == Presence::Forbidden {
                continue;
            }
            let Some(value) = values.get(&slot.name) else {
                continue;
            };
            if !out.is_empty() {
                out.push_str(slot.joiner.as_deref().unwrap_or(&self.separator));
            }
            out.push_str(&slot.render(value, &self.separator));
        }
        out
    }

    /// The character sequence captions are split on: the separator without its spaces.
    pub(crate) fn split_mark(&self) -> &str {
        self.separator.trim()
    }
}

/// Collapses runs of whitespace into one space and trims.
pub(crate) fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parts of a multiple slot's value, split on the separator's non-space characters.
fn split_parts(value: &str, separator: &str) -> Vec<String> {
    let mark = separator.trim();
    value
        .split(mark)
        .map(collapse_spaces)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_resolve() {
        let c = Catalog::builtin();
        assert_eq!(c.names(), ["character", "face"]);
        let face = c.get("face").unwrap();
        assert_eq!(face.slots[0].role, Some(Role::Trigger));
        assert_eq!(face.slot("framing").unwrap().presence, Presence::Required);
        assert_eq!(face.slot("clothing").unwrap().presence, Presence::Forbidden);
        let expr = face.slot("expression").unwrap();
        assert_eq!(expr.canonicalize("Grinning", ", ").unwrap(), "smiling");
        assert!(
            expr.canonicalize("smirk", ", ")
                .unwrap_err()
                .contains("smirk")
        );
        let framing = face.slot("framing").unwrap().vocabulary.as_ref().unwrap();
        assert_eq!(
            framing.for_fact("head-shoulders"),
            Some("head and shoulders")
        );
        assert!(
            c.get("nope")
                .unwrap_err()
                .to_string()
                .contains("character, face")
        );
    }

    #[test]
    fn template_strips_and_applies() {
        let t = Template::parse("{value} background").unwrap();
        assert_eq!(t.apply("white"), "white background");
        assert_eq!(t.strip("White Background"), Some("White"));
        assert_eq!(t.strip("background"), None);
        assert!(Template::parse("{value} {value}").is_none());
        assert!(Template::parse("none").is_none());
    }

    #[test]
    fn multiple_slots_canonicalize_each_part() {
        let c = Catalog::builtin();
        let acc = c.get("face").unwrap().slot("accessories").unwrap();
        assert_eq!(
            acc.canonicalize("eyeglasses,  earring", ", ").unwrap(),
            "glasses, earrings"
        );
        assert_eq!(acc.canonicalize("star pin", ", ").unwrap(), "star pin");
    }

    #[test]
    fn render_uses_joiner_and_skips_forbidden() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let values: BTreeMap<String, String> = [
            ("trigger", "zq"),
            ("class", "woman"),
            ("framing", "close-up"),
            ("clothing", "dress"),
            ("lighting", "soft light"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        assert_eq!(face.render(&values), "zq woman, close-up, soft light");
        let character = c.get("character").unwrap();
        let mut values = values;
        values.insert("background".into(), "white".into());
        assert_eq!(
            character.render(&values),
            "zq woman, close-up, dress, soft light, white background"
        );
    }

    #[test]
    fn custom_schema_and_vocabulary_from_config() {
        let options: CaptionOptions = toml::from_str(
            r#"
            defaults = { lighting = "soft lighting" }
            [schemas.mini]
            separator = "; "
            slots = [
              { name = "trigger", role = "trigger", presence = "required" },
              { name = "mood", vocabulary = "mood", template = "{value} mood" },
              { name = "lighting" },
            ]
            [vocabularies.mood]
            terms = [{ value = "calm", synonyms = ["peaceful"] }]
            [vocabularies.expression]
            extend = true
            terms = ["smirking"]
            "#,
        )
        .unwrap();
        let c = Catalog::new(&options).unwrap();
        let mini = c.get("mini").unwrap();
        assert_eq!(
            mini.slot("lighting").unwrap().default.as_deref(),
            Some("soft light")
        );
        assert_eq!(
            mini.slot("mood")
                .unwrap()
                .canonicalize("Peaceful mood", "; ")
                .unwrap(),
            "calm"
        );
        let expr = c.get("face").unwrap().slot("expression").unwrap();
        assert_eq!(expr.canonicalize("smirking", ", ").unwrap(), "smirking");
        assert_eq!(expr.canonicalize("grin", ", ").unwrap(), "smiling");
    }

    #[test]
    fn invalid_schemas_are_named() {
        let cases = [
            (
                r#"[schemas.x]
                slots = [{ name = "a", vocabulary = "nope" }]"#,
                "unknown vocabulary `nope`",
            ),
            (
                r#"[schemas.x]
                separator = " "
                slots = [{ name = "a" }]"#,
                "separator",
            ),
            (
                r#"[schemas.x]
                slots = [{ name = "a" }, { name = "a" }]"#,
                "defined twice",
            ),
            (
                r#"[schemas.x]
                slots = [{ name = "a", template = "no placeholder" }]"#,
                "{value}",
            ),
            (
                r#"[schemas.x]
                slots = [{ name = "expression", default = "smirk" }]"#,
                "smirk",
            ),
            (
                r#"[schemas.x]
                slots = [{ name = "a", fact = "framing" }]"#,
                "fact `framing`",
            ),
            (
                r#"[vocabularies.v]
                terms = [{ value = "a", synonyms = ["x"] }, { value = "b", synonyms = ["x"] }]"#,
                "`x` is given for both",
            ),
        ];
        for (text, needle) in cases {
            let options: CaptionOptions = toml::from_str(text).unwrap();
            let e = Catalog::new(&options).unwrap_err().to_string();
            assert!(e.contains(needle), "{e} should contain {needle}");
        }
    }
}
