//! Reading a caption back into a schema's slots (`--audit`, statistics, and the round-trip
//! check of proposed captions).
//!
//! A caption is split on the separator into segments. A segment is matched, whole or as a
//! run of phrases (`zq woman` = trigger + class), against the vocabularies. A segment that
//! does not match is natural language or free text: it is cut into clauses at connecting
//! words (`wearing`, `in`, `at`, `with`, ...; never inside a vocabulary phrase), and each
//! clause is matched on its own. Free text is then given to an open slot by its keywords
//! (`red braid` → hair), or else by position between the slots matched around it. What is
//! left is a misfit.
//!
//! Text that belongs to a forbidden slot is a misfit, and it is also read as that slot's
//! value, so the statistics can say how much clothing a face set's captions carry.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::options::{Presence, Role};
use crate::schema::{Candidate, Schema, collapse_spaces};
use crate::text::{count_tokens, loose_key, normalize, token_spans};
use crate::trigger::{TriggerUse, trigger_use};

/// Words that start a new clause inside a free-text segment (`ohwx man wearing a dark suit
/// at a press conference` → `ohwx man` / `wearing a dark suit` / `at a press conference`).
/// They are dropped from the clause's value, with leading articles.
const CONNECTORS: &[&str] = &[
    "wearing", "dressed", "in", "at", "on", "with", "while", "against", "near", "under", "beside",
];

/// Words dropped from the start of a clause before it is matched (`a photo of zq woman`).
const FILLERS: &[&str] = &["a", "an", "the", "this", "photo", "image", "picture", "of"];

/// What parsing needs to know besides the schema.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseContext<'a> {
    /// The trigger as it should be spelled.
    pub trigger: Option<&'a str>,
    /// The class word in use (recognised even when it is not in the class vocabulary).
    pub class: Option<&'a str>,
}

/// Why part of a caption does not fit the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MisfitKind {
    /// Matches no slot of the schema.
    Unknown,
    /// Free text that could belong to more than one open slot.
    Ambiguous,
    /// Belongs to a slot the schema forbids.
    Forbidden,
    /// A second value for a slot that takes one.
    Repeated,
    /// The trigger spelled differently from the configured spelling.
    TriggerSpelling,
    /// The trigger is present but not first.
    TriggerPosition,
}

impl MisfitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Ambiguous => "ambiguous",
            Self::Forbidden => "forbidden",
            Self::Repeated => "repeated",
            Self::TriggerSpelling => "trigger-spelling",
            Self::TriggerPosition => "trigger-position",
        }
    }
}

/// A part of a caption that does not fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misfit {
    /// The caption text concerned.
    pub text: String,
    pub kind: MisfitKind,
    pub message: String,
}

/// A caption read into slots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedCaption {
    /// Slot name → canonical value (a multiple slot's values joined by the separator).
    pub values: BTreeMap<String, String>,
    pub misfits: Vec<Misfit>,
    /// Required slots without a value.
    pub missing: Vec<String>,
    /// The caption starts with the trigger spelled exactly.
    pub trigger_first: bool,
    /// How the caption uses the trigger; `None` without a trigger.
    pub trigger_use: Option<TriggerUse>,
    pub tokens: usize,
    /// Tokens in the trigger and class-word phrases.
    pub identity_tokens: usize,
    /// Tokens of the caption text read into each slot, forbidden slots included.
    pub slot_tokens: BTreeMap<String, usize>,
    /// Class words used outside the trigger: the class vocabulary's terms and the class in
    /// use, normalised.
    pub class_words: Vec<String>,
}

/// A phrase of a segment with the slots it may fill.
struct Phrase {
    text: String,
    candidates: Vec<Candidate>,
}

enum Segment {
    Known(Vec<Phrase>),
    Unknown,
}

impl Segment {
    fn is_known(&self) -> bool {
        matches!(self, Self::Known(_))
    }
}

/// A piece of caption text read as one: a segment, or a clause of a free-text segment.
struct Unit {
    /// The text read as the value: the clause without its connector and articles.
    text: String,
    /// Tokens of the caption text the unit stands for.
    tokens: usize,
    label: Segment,
}

/// A clause of a free-text segment while clauses are merged.
struct Clause {
    /// The caption text of the clause.
    orig: String,
    /// Without leading connectors and articles.
    core: String,
    label: Segment,
    /// Open slots whose keywords the clause contains.
    keywords: Vec<usize>,
    /// The clause holds the trigger or the class word.
    identity: bool,
}

/// Where a unit ended up.
#[derive(Clone)]
enum Placed {
    /// Filled these slots (schema indices), in phrase order.
    Slots(Vec<usize>),
    /// Not placed yet.
    Open,
    /// A misfit (already recorded); not an anchor.
    Misfit,
}

struct Parser<'a> {
    schema: &'a Schema,
    ctx: ParseContext<'a>,
    trigger_slot: Option<usize>,
    class_slot: Option<usize>,
    max_words: usize,
}

/// Reads `text` into the slots of `schema`.
pub fn parse(schema: &Schema, ctx: &ParseContext<'_>, text: &str) -> ParsedCaption {
    let trigger_slot = schema.role_index(Role::Trigger);
    let class_slot = schema.role_index(Role::Class);
    let words = |s: Option<&str>| s.map_or(0, |s| s.split_whitespace().count() + 1);
    let parser = Parser {
        schema,
        ctx: *ctx,
        trigger_slot,
        class_slot,
        max_words: schema
            .max_phrase_words()
            .max(words(ctx.trigger))
            .max(words(ctx.class)),
    };
    parser.run(text)
}

/// Slot values found so far: per slot, (unit index, value), so values keep caption order.
type Filled = Vec<Vec<(usize, String)>>;

impl Parser<'_> {
    #[allow(clippy::too_many_lines)] // three passes over one shared state
    fn run(&self, text: &str) -> ParsedCaption {
        let mark = self.schema.split_mark();
        let units: Vec<Unit> = text
            .split(mark)
            .flat_map(|s| s.split('\n'))
            .map(collapse_spaces)
            .filter(|s| !s.is_empty())
            .flat_map(|s| self.units(&s))
            .collect();

        let n_slots = self.schema.slots.len();
        let mut filled: Filled = vec![Vec::new(); n_slots];
        let mut slot_tokens: BTreeMap<String, usize> = BTreeMap::new();
        let mut add_tokens = |slot: usize, n: usize| {
            *slot_tokens
                .entry(self.schema.slots[slot].name.clone())
                .or_default() += n;
        };
        let mut placed: Vec<Placed> = vec![Placed::Open; units.len()];
        // (unit index, misfit), sorted by unit at the end.
        let mut misfits: Vec<(usize, Misfit)> = Vec::new();
        let mut identity_tokens = 0;
        let mut trigger_spellings: Vec<String> = Vec::new();
        // The caption's first phrase is the trigger, in any spelling.
        let mut trigger_at_start = false;

        // Pass 1: units whose phrases are in a vocabulary (or are the trigger / class).
        for (k, unit) in units.iter().enumerate() {
            let Segment::Known(phrases) = &unit.label else {
                continue;
            };
            let mut slots = Vec::new();
            for phrase in phrases {
                let tokens = count_tokens(&phrase.text);
                match self.choose(&phrase.candidates, &filled) {
                    Choice::Fill(c) => {
                        let slot = &self.schema.slots[c.slot];
                        if slot.is_identity() {
                            identity_tokens += tokens;
                        }
                        if Some(c.slot) == self.trigger_slot {
                            trigger_at_start |= k == 0 && slots.is_empty();
                            trigger_spellings.push(phrase.text.clone());
                        }
                        filled[c.slot].push((k, c.value.clone()));
                        add_tokens(c.slot, tokens);
                        slots.push(c.slot);
                    }
                    Choice::Forbidden(c) => {
                        if self.accepts(c.slot, &filled) {
                            filled[c.slot].push((k, c.value.clone()));
                        }
                        add_tokens(c.slot, tokens);
                        misfits.push((k, self.forbidden(&phrase.text, c.slot)));
                    }
                    Choice::Repeated(c) => misfits.push((
                        k,
                        Misfit {
                            text: phrase.text.clone(),
                            kind: MisfitKind::Repeated,
                            message: format!(
                                "second value for slot {} (already `{}`)",
                                self.schema.slots[c.slot].name,
                                self.joined(&filled[c.slot])
                            ),
                        },
                    )),
                }
            }
            placed[k] = if slots.is_empty() {
                Placed::Misfit
            } else {
                Placed::Slots(slots)
            };
        }

        // Pass 2: free text whose words are keywords of exactly one open slot.
        for (k, unit) in units.iter().enumerate() {
            if !matches!(placed[k], Placed::Open) {
                continue;
            }
            let by_keyword = self.keyword_slots(&unit.text);
            let viable: Vec<usize> = by_keyword
                .iter()
                .copied()
                .filter(|&i| {
                    self.schema.slots[i].presence != Presence::Forbidden && self.accepts(i, &filled)
                })
                .collect();
            if let [i] = viable[..] {
                filled[i].push((k, unit.text.clone()));
                add_tokens(i, unit.tokens);
                placed[k] = Placed::Slots(vec![i]);
            } else if viable.is_empty()
                && let Some(&i) = by_keyword
                    .iter()
                    .find(|&&i| self.schema.slots[i].presence == Presence::Forbidden)
            {
                if self.accepts(i, &filled) {
                    filled[i].push((k, unit.text.clone()));
                }
                add_tokens(i, unit.tokens);
                misfits.push((k, self.forbidden(&unit.text, i)));
                placed[k] = Placed::Misfit;
            }
        }

        // Pass 3: the remaining free text goes to the open slots between its neighbours.
        let mut k = 0;
        while k < units.len() {
            if !matches!(placed[k], Placed::Open) {
                k += 1;
                continue;
            }
            let start = k;
            while k < units.len() && matches!(placed[k], Placed::Open) {
                k += 1;
            }
            let group: Vec<usize> = (start..k).collect();
            let before = placed[..start].iter().rev().find_map(|p| match p {
                Placed::Slots(s) => s.last().copied(),
                _ => None,
            });
            let after = placed[k..].iter().find_map(|p| match p {
                Placed::Slots(s) => s.first().copied(),
                _ => None,
            });
            // The neighbours themselves count: a multiple slot takes more values.
            let lo = before.unwrap_or(0);
            let hi = after.map_or(n_slots, |a| a + 1);
            let candidates: Vec<usize> = (lo..hi.max(lo))
                .filter(|&i| {
                    let slot = &self.schema.slots[i];
                    !slot.is_identity()
                        && slot.presence != Presence::Forbidden
                        && slot.is_open()
                        && self.accepts(i, &filled)
                })
                .collect();
            let assign: Option<Vec<usize>> = if candidates.len() == group.len() {
                Some(candidates.clone())
            } else if let [only] = candidates[..]
                && self.schema.slots[only].multiple
            {
                Some(vec![only; group.len()])
            } else {
                None
            };
            match assign {
                Some(slots) => {
                    for (&u, slot) in group.iter().zip(slots) {
                        filled[slot].push((u, units[u].text.clone()));
                        add_tokens(slot, units[u].tokens);
                        placed[u] = Placed::Slots(vec![slot]);
                    }
                }
                None => {
                    for &u in &group {
                        let (kind, message) = if candidates.is_empty() {
                            (
                                MisfitKind::Unknown,
                                format!("fits no slot of schema {}", self.schema.name),
                            )
                        } else {
                            let names: Vec<&str> = candidates
                                .iter()
                                .map(|&i| self.schema.slots[i].name.as_str())
                                .collect();
                            (
                                MisfitKind::Ambiguous,
                                format!("free text that could be {}", names.join(" or ")),
                            )
                        };
                        misfits.push((
                            u,
                            Misfit {
                                text: units[u].text.clone(),
                                kind,
                                message,
                            },
                        ));
                        placed[u] = Placed::Misfit;
                    }
                }
            }
        }

        // The trigger: spelled as configured, and first.
        let trigger_use = self
            .ctx
            .trigger
            .map(|t| trigger_use(text, t, &|w| self.is_vocabulary_word(w)));
        if let (Some(trigger), Some(_)) = (self.ctx.trigger, self.trigger_slot) {
            for spelling in trigger_spellings.iter().filter(|s| s.as_str() != trigger) {
                misfits.push((
                    0,
                    Misfit {
                        text: spelling.clone(),
                        kind: MisfitKind::TriggerSpelling,
                        message: format!("trigger spelled `{spelling}`, expected `{trigger}`"),
                    },
                ));
            }
            if !trigger_spellings.is_empty() && !trigger_at_start {
                misfits.push((
                    0,
                    Misfit {
                        text: trigger_spellings[0].clone(),
                        kind: MisfitKind::TriggerPosition,
                        message: "the trigger is not the first word".to_owned(),
                    },
                ));
            }
        }
        misfits.sort_by_key(|(k, m)| (*k, m.kind));

        let mut values = BTreeMap::new();
        let mut missing = Vec::new();
        for (i, slot) in self.schema.slots.iter().enumerate() {
            if filled[i].is_empty() {
                if slot.presence == Presence::Required {
                    missing.push(slot.name.clone());
                }
            } else {
                filled[i].sort_by_key(|(k, _)| *k);
                values.insert(slot.name.clone(), self.joined(&filled[i]));
            }
        }
        ParsedCaption {
            values,
            misfits: misfits.into_iter().map(|(_, m)| m).collect(),
            missing,
            trigger_first: trigger_use == Some(TriggerUse::First),
            trigger_use,
            tokens: count_tokens(text),
            identity_tokens,
            slot_tokens,
            class_words: self.class_words(text),
        }
    }

    /// A lower-case word that is a vocabulary phrase or the class in use: never a misspelt
    /// trigger.
    fn is_vocabulary_word(&self, word: &str) -> bool {
        !self.schema.candidates(word).is_empty()
            || self.ctx.class.is_some_and(|c| normalize(c) == word)
    }

    /// Class words in `text` outside the trigger: the class vocabulary's terms and the class
    /// in use, each once, normalised.
    fn class_words(&self, text: &str) -> Vec<String> {
        let mut words: Vec<String> = self
            .class_slot
            .and_then(|i| self.schema.slots[i].vocabulary.as_ref())
            .map(|v| v.terms.iter().map(|t| normalize(&t.value)).collect())
            .unwrap_or_default();
        if let Some(c) = self.ctx.class {
            let c = normalize(c);
            if !words.contains(&c) {
                words.push(c);
            }
        }
        let skip = self
            .ctx
            .trigger
            .map(|t| crate::trigger::occurrences(t, text))
            .unwrap_or_default();
        let tokens: Vec<String> = token_spans(text)
            .into_iter()
            .filter(|s| !skip.iter().any(|r| r.start <= s.start && s.end <= r.end))
            .map(|s| normalize(&text[s]))
            .collect();
        let mut found: Vec<String> = words
            .into_iter()
            .filter(|w| {
                let needle: Vec<&str> = w.split(' ').collect();
                tokens
                    .windows(needle.len())
                    .any(|win| win.iter().zip(&needle).all(|(a, b)| a == b))
            })
            .collect();
        found.sort();
        found
    }

    /// The units of one segment: the segment itself when it matches, else its clauses.
    fn units(&self, segment: &str) -> Vec<Unit> {
        let whole = |label| Unit {
            text: segment.to_owned(),
            tokens: count_tokens(segment),
            label,
        };
        let label = self.match_segment(segment);
        if label.is_known() {
            return vec![whole(label)];
        }
        let clauses = self.split_clauses(segment);
        if clauses.len() < 2 {
            // One clause: without its articles it may still match (`a photo of zq woman`).
            let core = strip_lead(segment);
            if !core.is_empty() && core != segment {
                let l = self.match_segment(&core);
                if l.is_known() {
                    return vec![Unit {
                        text: core,
                        tokens: count_tokens(segment),
                        label: l,
                    }];
                }
            }
            return vec![whole(label)];
        }
        let mut merged: Vec<Clause> = Vec::new();
        for orig in clauses {
            let core = strip_lead(&orig);
            let label = if core.is_empty() {
                Segment::Unknown
            } else {
                self.match_segment(&core)
            };
            let keywords = self.keyword_slots(&core);
            let unclassified = !label.is_known() && keywords.is_empty();
            if let Some(prev) = merged.last_mut().filter(|p| !p.identity) {
                // A clause that says nothing by itself qualifies the one before (`on a beach`
                // + `at sunset`); free text of the same slots continues it (`at a press
                // conference` + `in a large hall`).
                let continues =
                    !label.is_known() && !prev.label.is_known() && prev.keywords == keywords;
                if unclassified || continues {
                    let core = format!("{} {orig}", prev.core);
                    let keywords = self.keyword_slots(&core);
                    // A matched clause takes a qualifier only when the whole still reads
                    // as some slot's free text.
                    if !prev.label.is_known() || !keywords.is_empty() {
                        prev.orig = format!("{} {orig}", prev.orig);
                        prev.label = self.match_segment(&core);
                        prev.core = core;
                        prev.keywords = keywords;
                        continue;
                    }
                }
            }
            let identity = match &label {
                Segment::Known(phrases) => phrases.iter().any(|p| {
                    p.candidates
                        .first()
                        .is_some_and(|c| self.schema.slots[c.slot].is_identity())
                }),
                Segment::Unknown => false,
            };
            merged.push(Clause {
                orig,
                core,
                label,
                keywords,
                identity,
            });
        }
        merged
            .into_iter()
            .filter(|c| !c.core.is_empty())
            .map(|c| Unit {
                tokens: count_tokens(&c.orig),
                text: c.core,
                label: c.label,
            })
            .collect()
    }

    /// Cuts a free-text segment before each connecting word that is not inside a
    /// vocabulary phrase (`hands on hips`, `looking over shoulder` stay whole).
    fn split_clauses(&self, segment: &str) -> Vec<String> {
        let words: Vec<&str> = segment.split(' ').collect();
        let mut clauses: Vec<Vec<&str>> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let longest = (2..=self.max_words.min(words.len() - i))
                .rev()
                .find(|&n| self.has_phrase(&words[i..i + n].join(" ")));
            let n = longest.unwrap_or(1);
            let connector = n == 1 && CONNECTORS.contains(&words[i].to_lowercase().as_str());
            if clauses.is_empty() || (connector && i > 0) {
                clauses.push(Vec::new());
            }
            clauses
                .last_mut()
                .expect("a clause was started")
                .extend(&words[i..i + n]);
            i += n;
        }
        clauses.into_iter().map(|c| c.join(" ")).collect()
    }

    /// A phrase the schema knows as written (not a bare value of a templated slot).
    fn has_phrase(&self, phrase: &str) -> bool {
        self.phrase_candidates(phrase).iter().any(|c| c.rank == 0)
    }

    /// Open slots (not identity) whose vocabulary keywords occur in `text`.
    fn keyword_slots(&self, text: &str) -> Vec<usize> {
        let words: Vec<String> = normalize(text).split(' ').map(str::to_owned).collect();
        (0..self.schema.slots.len())
            .filter(|&i| {
                let slot = &self.schema.slots[i];
                !slot.is_identity()
                    && slot.is_open()
                    && slot
                        .vocabulary
                        .as_ref()
                        .is_some_and(|v| v.keywords.iter().any(|kw| contains_phrase(&words, kw)))
            })
            .collect()
    }

    fn joined(&self, values: &[(usize, String)]) -> String {
        let v: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
        v.join(&self.schema.separator)
    }

    /// A slot can take another value.
    fn accepts(&self, slot: usize, filled: &Filled) -> bool {
        filled[slot].is_empty() || self.schema.slots[slot].multiple
    }

    fn choose<'c>(&self, candidates: &'c [Candidate], filled: &Filled) -> Choice<'c> {
        let slots = &self.schema.slots;
        if let Some(c) = candidates
            .iter()
            .find(|c| slots[c.slot].presence != Presence::Forbidden && self.accepts(c.slot, filled))
        {
            return Choice::Fill(c);
        }
        if let Some(c) = candidates
            .iter()
            .find(|c| slots[c.slot].presence == Presence::Forbidden)
        {
            return Choice::Forbidden(c);
        }
        Choice::Repeated(&candidates[0])
    }

    fn forbidden(&self, text: &str, slot: usize) -> Misfit {
        Misfit {
            text: text.to_owned(),
            kind: MisfitKind::Forbidden,
            message: format!(
                "{} is forbidden in schema {}",
                self.schema.slots[slot].name, self.schema.name
            ),
        }
    }

    /// The slots a phrase may fill, best first.
    fn phrase_candidates(&self, phrase: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        if let (Some(trigger), Some(slot)) = (self.ctx.trigger, self.trigger_slot) {
            let key = loose_key(phrase);
            if !key.is_empty() && key == loose_key(trigger) {
                out.push(Candidate {
                    slot,
                    value: trigger.to_owned(),
                    rank: 0,
                });
            }
        }
        let norm = normalize(phrase);
        if let (Some(class), Some(slot)) = (self.ctx.class, self.class_slot)
            && norm == normalize(class)
        {
            out.push(Candidate {
                slot,
                value: collapse_spaces(class),
                rank: 0,
            });
        }
        for c in self.schema.candidates(&norm) {
            if !out.iter().any(|o| o.slot == c.slot) {
                out.push(c.clone());
            }
        }
        out
    }

    fn match_segment(&self, segment: &str) -> Segment {
        let mut whole = self.phrase_candidates(segment);
        // Free text inside an open slot's template (`wearing red dress`, `brick wall
        // background`) only counts as the whole segment.
        for (i, slot) in self.schema.slots.iter().enumerate() {
            if whole.iter().any(|c| c.slot == i) {
                continue;
            }
            if let Some(inner) = slot.template.strip(segment) {
                let value = match slot.vocabulary.as_ref().and_then(|v| v.canonical(inner)) {
                    Some(v) => v.to_owned(),
                    None if slot.is_open() => collapse_spaces(inner),
                    None => continue,
                };
                whole.push(Candidate {
                    slot: i,
                    value,
                    rank: 0,
                });
            }
        }
        if !whole.is_empty() {
            whole.sort_by_key(|c| c.rank);
            return Segment::Known(vec![Phrase {
                text: segment.to_owned(),
                candidates: whole,
            }]);
        }
        // Fewest phrases that cover every word of the segment.
        let words: Vec<&str> = segment.split(' ').collect();
        let n = words.len();
        if n < 2 {
            return Segment::Unknown;
        }
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for i in 1..=n {
            for j in i.saturating_sub(self.max_words)..i {
                let Some((count, _)) = best[j] else { continue };
                if (j, i) == (0, n) {
                    continue; // the whole segment was tried above
                }
                if best[i].is_some_and(|(c, _)| c <= count + 1) {
                    continue;
                }
                // A bare value of a templated slot (`white` of `white background`) is read
                // only as a whole segment: inside one it is a modifier (`white shirt`).
                if self.has_phrase(&words[j..i].join(" ")) {
                    best[i] = Some((count + 1, j));
                }
            }
        }
        if best[n].is_none() {
            return Segment::Unknown;
        }
        let mut phrases = Vec::new();
        let mut i = n;
        while i > 0 {
            let (_, j) = best[i].expect("a covered prefix");
            let text = words[j..i].join(" ");
            let mut candidates = self.phrase_candidates(&text);
            candidates.retain(|c| c.rank == 0);
            phrases.push(Phrase { text, candidates });
            i = j;
        }
        phrases.reverse();
        Segment::Known(phrases)
    }
}

enum Choice<'c> {
    Fill(&'c Candidate),
    Forbidden(&'c Candidate),
    Repeated(&'c Candidate),
}

/// `clause` without leading connectors, articles and photo words.
fn strip_lead(clause: &str) -> String {
    let words: Vec<&str> = clause.split(' ').collect();
    let skip = words
        .iter()
        .take_while(|w| {
            let w = w.to_lowercase();
            CONNECTORS.contains(&w.as_str()) || FILLERS.contains(&w.as_str())
        })
        .count();
    words[skip..].join(" ")
}

/// True when the word sequence `phrase` (normalised, space-separated) occurs in `words`.
fn contains_phrase(words: &[String], phrase: &str) -> bool {
    let needle: Vec<&str> = phrase.split(' ').collect();
    words
        .windows(needle.len())
        .any(|w| w.iter().zip(&needle).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Catalog;

    fn ctx() -> ParseContext<'static> {
        ParseContext {
            trigger: Some("zq"),
            class: Some("woman"),
        }
    }

    fn values(p: &ParsedCaption) -> Vec<(&str, &str)> {
        p.values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn reads_a_face_caption() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let p = parse(
            face,
            &ctx(),
            "zq woman, Close up, 3/4 view, looking down, grinning, red braid, star pin, earrings, soft lighting",
        );
        assert_eq!(
            values(&p),
            [
                ("accessories", "star pin, earrings"),
                ("angle", "three-quarter view"),
                ("class", "woman"),
                ("expression", "smiling"),
                ("framing", "close-up"),
                ("hair", "red braid"),
                ("lighting", "soft light"),
                ("tilt", "looking down"),
                ("trigger", "zq"),
            ]
        );
        assert!(p.misfits.is_empty(), "{:?}", p.misfits);
        assert!(p.missing.is_empty());
        assert!(p.trigger_first);
        assert_eq!(p.identity_tokens, 2);
    }

    #[test]
    fn reports_misfits() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let p = parse(
            face,
            &ctx(),
            "close-up, ZQ woman, smiling, laughing, red dress, white background, on a boat",
        );
        let kinds: Vec<(&str, MisfitKind)> = p
            .misfits
            .iter()
            .map(|m| (m.text.as_str(), m.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("ZQ", MisfitKind::TriggerSpelling),
                ("ZQ", MisfitKind::TriggerPosition),
                ("laughing", MisfitKind::Repeated),
                ("red dress", MisfitKind::Forbidden),
                ("white background", MisfitKind::Forbidden),
                ("on a boat", MisfitKind::Ambiguous),
            ]
        );
        assert_eq!(p.missing, ["angle"]);
        assert!(!p.trigger_first);
    }

    #[test]
    fn free_text_without_a_gap_is_unknown() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        // Between trigger/class and framing there is no open slot.
        let p = parse(face, &ctx(), "zq woman, on a boat, close-up, front view");
        assert_eq!(p.misfits.len(), 1);
        assert_eq!(p.misfits[0].kind, MisfitKind::Unknown);
    }

    #[test]
    fn templates_are_read_back() {
        let c = Catalog::builtin();
        let ch = c.get("character").unwrap();
        let p = parse(
            ch,
            &ctx(),
            "zq woman, full body, standing, brick wall background, bokeh",
        );
        assert_eq!(p.values["background"], "brick wall");
        // A bare value of a templated slot is weaker evidence, but still read when the slot
        // is free: here it is taken, so `bokeh` is a second background.
        assert_eq!(p.misfits[0].kind, MisfitKind::Repeated);
    }

    #[test]
    fn booru_tags_and_multiword_triggers() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let ctx = ParseContext {
            trigger: Some("ohwx person"),
            class: None,
        };
        let p = parse(face, &ctx, "ohwx person woman, upper_body, from_side");
        assert_eq!(p.values["trigger"], "ohwx person");
        assert_eq!(p.values["class"], "woman");
        assert_eq!(p.values["framing"], "upper body");
        assert_eq!(p.values["angle"], "profile view");
        assert_eq!(p.identity_tokens, 3);
    }

    #[test]
    fn colour_and_garment_is_clothing_not_background() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let p = parse(
            face,
            &ctx(),
            "zq woman, close-up, front view, white shirt, dark suit",
        );
        let kinds: Vec<(&str, MisfitKind, &str)> = p
            .misfits
            .iter()
            .map(|m| (m.text.as_str(), m.kind, m.message.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "white shirt",
                    MisfitKind::Forbidden,
                    "clothing is forbidden in schema face"
                ),
                (
                    "dark suit",
                    MisfitKind::Forbidden,
                    "clothing is forbidden in schema face"
                ),
            ]
        );
        assert_eq!(p.values["clothing"], "white shirt, dark suit");
        assert!(!p.values.contains_key("background"));
        // A bare background word as the whole segment is still the background.
        let p = parse(
            face,
            &ctx(),
            "zq woman, close-up, front view, white background",
        );
        assert_eq!(p.values["background"], "white");
    }

    #[test]
    fn pose_phrases() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let p = parse(face, &ctx(), "zq woman, close-up, front view, head tilted");
        assert!(p.misfits.is_empty(), "{:?}", p.misfits);
        assert_eq!(p.values["tilt"], "head tilted");
        let ch = c.get("character").unwrap();
        let p = parse(
            ch,
            &ctx(),
            "zq woman, full body, head tilted, hands on hips",
        );
        assert_eq!(p.values["pose"], "head tilted");
        assert_eq!(p.misfits[0].kind, MisfitKind::Repeated);
    }

    #[test]
    fn natural_language_is_read_by_clauses() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let ctx = ParseContext {
            trigger: Some("ohwx"),
            class: Some("man"),
        };
        let p = parse(
            face,
            &ctx,
            "ohwx man wearing a dark suit and blue tie at a press conference in a large hall, \
             smiling with a calm expression",
        );
        assert_eq!(p.values["trigger"], "ohwx");
        assert_eq!(p.values["class"], "man");
        assert_eq!(p.values["clothing"], "dark suit and blue tie");
        assert_eq!(p.values["location"], "press conference in a large hall");
        assert_eq!(p.values["expression"], "smiling");
        assert_eq!(p.trigger_use, Some(TriggerUse::First));
        assert_eq!(p.class_words, ["man"]);
        // The second expression is a repeat; clothing and location are forbidden.
        let kinds: Vec<MisfitKind> = p.misfits.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                MisfitKind::Forbidden,
                MisfitKind::Forbidden,
                MisfitKind::Repeated
            ]
        );
        assert_eq!(p.slot_tokens["clothing"], 7);
        assert_eq!(p.slot_tokens["location"], 8);
        // A qualifier that says nothing by itself stays with its clause.
        let p = parse(
            face,
            &ctx,
            "ohwx man on a beach at sunset, in an office with bookshelves",
        );
        assert_eq!(p.values["location"], "beach at sunset");
        assert_eq!(p.misfits.len(), 2, "{:?}", p.misfits);
    }
}
