//! Reading a caption back into a schema's slots (`--audit`, statistics, and the round-trip
//! check of proposed captions).
//!
//! A caption is split on the separator into segments. A segment is matched, whole or as a
//! run of phrases (`zq woman` = trigger + class), against the vocabularies; free text is then
//! given to an open slot by its keywords (`red braid` → hair), or else by position between
//! the slots matched around it. What is left is a misfit.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::options::{Presence, Role};
use crate::schema::{Candidate, Schema, collapse_spaces};
use crate::text::{count_tokens, loose_key, normalize, starts_with_word};

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
    pub tokens: usize,
    /// Tokens in the trigger and class-word phrases.
    pub identity_tokens: usize,
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

/// Where a segment ended up.
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

impl Parser<'_> {
    fn run(&self, text: &str) -> ParsedCaption {
        let mark = self.schema.split_mark();
        let segments: Vec<String> = text
            .split(mark)
            .flat_map(|s| s.split('\n'))
            .map(collapse_spaces)
            .filter(|s| !s.is_empty())
            .collect();
        let labels: Vec<Segment> = segments.iter().map(|s| self.match_segment(s)).collect();

        let n_slots = self.schema.slots.len();
        // Per slot: (segment index, value), so values keep caption order.
        let mut filled: Vec<Vec<(usize, String)>> = vec![Vec::new(); n_slots];
        let mut placed: Vec<Placed> = vec![Placed::Open; segments.len()];
        // (segment index, misfit), sorted by segment at the end.
        let mut misfits: Vec<(usize, Misfit)> = Vec::new();
        let mut identity_tokens = 0;
        let mut trigger_spellings: Vec<String> = Vec::new();
        // The caption's first phrase is the trigger, in any spelling.
        let mut trigger_at_start = false;

        // Pass 1: segments whose phrases are in a vocabulary (or are the trigger / class).
        for (k, label) in labels.iter().enumerate() {
            let Segment::Known(phrases) = label else {
                continue;
            };
            let mut slots = Vec::new();
            for phrase in phrases {
                match self.choose(&phrase.candidates, &filled) {
                    Choice::Fill(c) => {
                        let slot = &self.schema.slots[c.slot];
                        if slot.is_identity() {
                            identity_tokens += count_tokens(&phrase.text);
                        }
                        if Some(c.slot) == self.trigger_slot {
                            trigger_at_start |= k == 0 && slots.is_empty();
                            trigger_spellings.push(phrase.text.clone());
                        }
                        filled[c.slot].push((k, c.value.clone()));
                        slots.push(c.slot);
                    }
                    Choice::Forbidden(c) => misfits.push((k, self.forbidden(&phrase.text, c.slot))),
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
        for (k, segment) in segments.iter().enumerate() {
            if !matches!(placed[k], Placed::Open) {
                continue;
            }
            let words: Vec<String> = normalize(segment).split(' ').map(str::to_owned).collect();
            let by_keyword: Vec<usize> = (0..n_slots)
                .filter(|&i| {
                    let slot = &self.schema.slots[i];
                    !slot.is_identity()
                        && slot.is_open()
                        && slot.vocabulary.as_ref().is_some_and(|v| {
                            v.keywords.iter().any(|kw| contains_phrase(&words, kw))
                        })
                })
                .collect();
            let viable: Vec<usize> = by_keyword
                .iter()
                .copied()
                .filter(|&i| {
                    self.schema.slots[i].presence != Presence::Forbidden && self.accepts(i, &filled)
                })
                .collect();
            if let [i] = viable[..] {
                filled[i].push((k, segment.clone()));
                placed[k] = Placed::Slots(vec![i]);
            } else if viable.is_empty()
                && let Some(&i) = by_keyword
                    .iter()
                    .find(|&&i| self.schema.slots[i].presence == Presence::Forbidden)
            {
                misfits.push((k, self.forbidden(segment, i)));
                placed[k] = Placed::Misfit;
            }
        }

        // Pass 3: the remaining free text goes to the open slots between its neighbours.
        let mut k = 0;
        while k < segments.len() {
            if !matches!(placed[k], Placed::Open) {
                k += 1;
                continue;
            }
            let start = k;
            while k < segments.len() && matches!(placed[k], Placed::Open) {
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
                    for (&seg, slot) in group.iter().zip(slots) {
                        filled[slot].push((seg, segments[seg].clone()));
                        placed[seg] = Placed::Slots(vec![slot]);
                    }
                }
                None => {
                    for &seg in &group {
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
                            seg,
                            Misfit {
                                text: segments[seg].clone(),
                                kind,
                                message,
                            },
                        ));
                        placed[seg] = Placed::Misfit;
                    }
                }
            }
        }

        // The trigger: spelled as configured, and first.
        let mut trigger_first = false;
        if let (Some(trigger), Some(_)) = (self.ctx.trigger, self.trigger_slot) {
            trigger_first = starts_with_word(text.trim_start(), trigger);
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
            trigger_first,
            tokens: count_tokens(text),
            identity_tokens,
        }
    }

    fn joined(&self, values: &[(usize, String)]) -> String {
        let v: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
        v.join(&self.schema.separator)
    }

    /// A slot can take another value.
    fn accepts(&self, slot: usize, filled: &[Vec<(usize, String)>]) -> bool {
        filled[slot].is_empty() || self.schema.slots[slot].multiple
    }

    fn choose<'c>(
        &self,
        candidates: &'c [Candidate],
        filled: &[Vec<(usize, String)>],
    ) -> Choice<'c> {
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
                if !self.phrase_candidates(&words[j..i].join(" ")).is_empty() {
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
            let candidates = self.phrase_candidates(&text);
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
}
