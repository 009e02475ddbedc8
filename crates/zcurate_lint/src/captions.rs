//! Caption analysis for the caption rules and the summary: trigger use, class words and
//! caption *slots* (framing, angle, clothing, location, ...) with their entropy across the
//! dataset.
//!
//! Captions are read as comma-separated segments (tag style, as zcurate writes them), and
//! each segment is put in every slot whose vocabulary it mentions; a segment that mentions
//! none is `other`. Natural-language captions become one long segment that lands in several
//! slots, which is what they are: variable information in each of them.
//!
//! `zcurate_caption` (the caption schemas, issue 4) will own slot vocabularies; until its API
//! exists this module keeps its own, behind [`analyse`], so the switch touches one function.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use zcurate_manifest::Manifest;

use crate::util::edit_distance;

/// A caption slot: one kind of information a caption carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    Trigger,
    Class,
    Framing,
    Angle,
    Expression,
    Hair,
    Accessories,
    Lighting,
    Pose,
    Clothing,
    Location,
    Background,
    Other,
}

impl Slot {
    /// Slots whose values are measured (trigger and class are checked by their own rules).
    pub const MEASURED: [Slot; 11] = [
        Self::Framing,
        Self::Angle,
        Self::Expression,
        Self::Hair,
        Self::Accessories,
        Self::Lighting,
        Self::Pose,
        Self::Clothing,
        Self::Location,
        Self::Background,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trigger => "trigger",
            Self::Class => "class",
            Self::Framing => "framing",
            Self::Angle => "angle",
            Self::Expression => "expression",
            Self::Hair => "hair",
            Self::Accessories => "accessories",
            Self::Lighting => "lighting",
            Self::Pose => "pose",
            Self::Clothing => "clothing",
            Self::Location => "location",
            Self::Background => "background",
            Self::Other => "other",
        }
    }

    /// Words that put a segment in this slot; a trailing `*` matches any word ending.
    /// Multi-word entries match consecutive words. Hyphens split words (`close-up`).
    fn vocabulary(self) -> &'static [&'static str] {
        match self {
            Self::Trigger | Self::Class | Self::Other => &[],
            Self::Background => &["background", "backdrop", "bokeh"],
            Self::Lighting => &[
                "light",
                "lighting",
                "lit",
                "sunlight",
                "sunlit",
                "shadow*",
                "golden hour",
                "backlit",
                "backlight*",
                "flash",
                "neon",
                "daylight",
                "moonlight",
                "candlelight",
                "overcast",
                "low key",
                "high key",
                "chiaroscuro",
            ],
            Self::Framing => &[
                "close up",
                "closeup",
                "portrait",
                "headshot",
                "head shot",
                "head and shoulders",
                "head shoulders",
                "bust",
                "upper body",
                "half body",
                "waist up",
                "knee up",
                "cowboy shot",
                "full body",
                "full length",
                "wide shot",
                "medium shot",
                "long shot",
            ],
            Self::Angle => &[
                "front",
                "frontal",
                "facing",
                "profile",
                "side view",
                "three quarter",
                "looking up",
                "looking down",
                "looking away",
                "looking at",
                "looking to",
                "looking over",
                "from above",
                "from below",
                "from the side",
                "from behind",
                "back view",
                "over the shoulder",
                "turned",
                "tilted",
            ],
            Self::Expression => &[
                "smil*",
                "laugh*",
                "grin*",
                "neutral",
                "expression*",
                "serious",
                "frown*",
                "pout*",
                "surprised",
                "angry",
                "sad",
                "happy",
                "crying",
                "mouth",
                "eyes closed",
                "closed eyes",
                "wink*",
                "smirk*",
                "teeth",
                "shocked",
                "calm",
                "expressionless",
                "tongue",
            ],
            Self::Hair => &[
                "hair*",
                "ponytail",
                "braid*",
                "bun",
                "bangs",
                "fringe",
                "bald",
                "beard*",
                "moustache",
                "mustache",
                "stubble",
                "curls",
                "curly",
                "updo",
                "pigtails",
            ],
            Self::Accessories => &[
                "glasses",
                "eyeglasses",
                "sunglasses",
                "spectacles",
                "earring*",
                "necklace*",
                "hat",
                "cap",
                "beanie",
                "headband",
                "scarf",
                "jewelry",
                "jewellery",
                "watch",
                "bracelet*",
                "piercing*",
                "mask",
                "tiara",
                "headphones",
                "choker",
                "makeup",
                "lipstick",
            ],
            Self::Pose => &[
                "sitting",
                "seated",
                "standing",
                "walking",
                "running",
                "lying",
                "leaning",
                "holding",
                "posing",
                "pose",
                "dancing",
                "kneeling",
                "crouching",
                "squatting",
                "arms crossed",
                "crossed arms",
                "jumping",
                "reading",
                "drinking",
                "eating",
                "waving",
                "pointing",
                "hugging",
                "gesturing",
                "speaking",
                "talking",
                "playing",
                "riding",
                "typing",
                "stretching",
            ],
            Self::Clothing => &[
                "wearing",
                "dress*",
                "shirt*",
                "jacket*",
                "coat*",
                "sweater*",
                "hoodie*",
                "jeans",
                "pants",
                "trousers",
                "skirt*",
                "suit",
                "suits",
                "blouse*",
                "top",
                "uniform*",
                "outfit*",
                "bikini",
                "swimsuit",
                "shorts",
                "tie",
                "blazer",
                "vest",
                "shoes",
                "boots",
                "sneakers",
                "heels",
                "gown",
                "lingerie",
                "kimono",
                "cardigan",
                "turtleneck",
                "leggings",
                "overalls",
                "robe",
                "clothes",
                "clothing",
                "sleeve*",
                "sleeveless",
                "collar",
                "shirtless",
                "topless",
                "nude",
                "naked",
            ],
            Self::Location => &[
                "park",
                "street",
                "beach",
                "room",
                "kitchen",
                "office",
                "city",
                "forest",
                "garden",
                "cafe",
                "restaurant",
                "outdoors",
                "outdoor",
                "outside",
                "indoors",
                "indoor",
                "inside",
                "bedroom",
                "bathroom",
                "car",
                "mountain*",
                "field",
                "library",
                "stage",
                "bar",
                "snow",
                "lake",
                "river",
                "sea",
                "ocean",
                "road",
                "building",
                "bridge",
                "desert",
                "town",
                "village",
                "countryside",
                "home",
                "house",
                "school",
                "classroom",
                "gym",
                "pool",
                "balcony",
                "rooftop",
                "alley",
                "subway",
                "train",
                "airport",
                "church",
                "market",
                "shop",
                "store",
                "museum",
                "hall",
                "conference",
                "party",
                "wedding",
                "concert",
                "festival",
                "podium",
                "in front of",
            ],
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Words that are never a trigger when inferring one from the captions' first words.
const NOT_TRIGGERS: &[&str] = &[
    "a", "an", "the", "this", "photo", "image", "picture", "portrait", "close-up", "closeup", "of",
    "my", "her", "his", "selfie",
];

/// How a caption uses the trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TriggerUse {
    /// The exact trigger, as the first word(s).
    First,
    /// The exact trigger, elsewhere (word index).
    Later(usize),
    /// A different spelling or case of the trigger (the variant found).
    Variant(String),
    /// No trace of it.
    Missing,
}

/// The trigger captions are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub text: String,
    /// True when not configured but inferred from the captions' first words.
    pub inferred: bool,
}

/// One caption, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedCaption {
    /// Word count (whitespace-separated, punctuation ignored).
    pub(crate) words: usize,
    /// Normalised text: lower case, single spaces; equal captions compare equal.
    pub(crate) normalised: String,
    /// Segments (normalised) per slot.
    pub(crate) slots: BTreeMap<Slot, BTreeSet<String>>,
    /// Words in segments of each slot (a segment in several slots counts in each).
    pub(crate) slot_words: BTreeMap<Slot, usize>,
    /// Class words used, lower case.
    pub(crate) class_words: BTreeSet<String>,
    pub(crate) trigger: Option<TriggerUse>,
}

/// Statistics of one slot across the captioned images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotStats {
    /// Shannon entropy of the slot's values in bits (absence is a value).
    pub entropy: f64,
    /// Captions that have a value in this slot.
    pub captions: usize,
    /// Distinct values.
    pub distinct: usize,
}

/// Everything the caption rules and the summary need, computed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct CaptionFacts {
    pub(crate) trigger: Option<Trigger>,
    /// Per manifest image: the parsed caption, when it has a non-empty one.
    pub(crate) parsed: Vec<Option<ParsedCaption>>,
    pub(crate) slots: BTreeMap<Slot, SlotStats>,
    pub(crate) median_words: Option<f64>,
    /// Captions using each class word.
    pub(crate) class_word_counts: BTreeMap<String, usize>,
    /// The class word captions should use: configured, else the most common.
    pub(crate) class_word: Option<String>,
    /// Share of caption words in the profile's unwanted slots.
    pub(crate) unwanted_word_share: Option<f64>,
    pub(crate) captioned: usize,
}

/// Words of a caption for trigger matching: split on whitespace and sentence punctuation,
/// case kept.
fn raw_words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || ",;.:!?()\"|".contains(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word with surrounding non-alphanumerics and a possessive `'s` removed.
fn core_word(w: &str) -> &str {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.strip_suffix("'s").unwrap_or(w)
}

/// Lower-case words of a segment for vocabulary matching, split on hyphens too.
fn vocab_words(segment: &str) -> Vec<String> {
    segment
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => pattern == word,
    }
}

fn mentions(words: &[String], entry: &str) -> bool {
    let parts: Vec<&str> = entry.split(' ').collect();
    if parts.len() > words.len() {
        return false;
    }
    words
        .windows(parts.len())
        .any(|w| w.iter().zip(&parts).all(|(word, p)| word_matches(p, word)))
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How many edits a trigger of `len` chars tolerates before a near match is a different
/// word: none for short triggers (only case and punctuation variants count), one up to six
/// chars, two beyond.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

pub(crate) fn trigger_use(text: &str, trigger: &str, vocabulary: &BTreeSet<String>) -> TriggerUse {
    let words = raw_words(text);
    let want = raw_words(trigger);
    if want.is_empty() || words.is_empty() {
        return TriggerUse::Missing;
    }
    let n = want.len();
    let exact = |w: &[&str]| {
        w.iter()
            .zip(&want)
            .all(|(a, b)| *a == *b || (core_word(a) == *b && a.strip_suffix("'s") == Some(b)))
    };
    if let Some(i) = words.windows(n).position(exact) {
        return if i == 0 {
            TriggerUse::First
        } else {
            TriggerUse::Later(i)
        };
    }
    let want_joined = want.join(" ").to_lowercase();
    let allowed = allowed_edits(want_joined.chars().count());
    for w in words.windows(n) {
        let joined = w.iter().map(|x| core_word(x)).collect::<Vec<_>>().join(" ");
        let lower = joined.to_lowercase();
        if lower.chars().count() < 2 || (n == 1 && vocabulary.contains(&lower)) {
            continue;
        }
        if lower == want_joined || edit_distance(&lower, &want_joined) <= allowed {
            return TriggerUse::Variant(w.join(" "));
        }
    }
    TriggerUse::Missing
}

/// The trigger: configured, or the first word that starts most captions (at least 60 %
/// of them and two), when it is not an article, a photo word or a class word.
fn infer_trigger(captions: &[&str], class_words: &[String]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in captions {
        if let Some(first) = raw_words(c).first() {
            *counts.entry(core_word(first)).or_default() += 1;
        }
    }
    let (word, n) = counts
        .into_iter()
        .max_by_key(|(w, n)| (*n, std::cmp::Reverse(*w)))?;
    let lower = word.to_lowercase();
    let ok = n >= 2
        && n * 5 >= captions.len() * 3
        && word.chars().count() >= 2
        && !NOT_TRIGGERS.contains(&lower.as_str())
        && !class_words.contains(&lower);
    ok.then(|| word.to_owned())
}

/// Reads every caption of `manifest`.
pub(crate) fn analyse(
    manifest: &Manifest,
    trigger: Option<&str>,
    class_word: Option<&str>,
    class_words: &[String],
    unwanted: &[Slot],
) -> CaptionFacts {
    let texts: Vec<Option<&str>> = manifest
        .images
        .iter()
        .map(|r| r.caption.as_deref().filter(|c| !c.trim().is_empty()))
        .collect();
    let present: Vec<&str> = texts.iter().flatten().copied().collect();
    let trigger = match trigger {
        Some(t) if !t.trim().is_empty() => Some(Trigger {
            text: t.trim().to_owned(),
            inferred: false,
        }),
        _ => infer_trigger(&present, class_words).map(|text| Trigger {
            text,
            inferred: true,
        }),
    };
    let class_set: BTreeSet<String> = class_words.iter().map(|w| w.to_lowercase()).collect();
    // Words that are never a misspelt trigger: vocabulary and class words.
    let mut vocabulary: BTreeSet<String> = class_set.clone();
    for slot in Slot::MEASURED {
        vocabulary.extend(
            slot.vocabulary()
                .iter()
                .filter(|e| !e.contains(' ') && !e.ends_with('*'))
                .map(|e| (*e).to_owned()),
        );
    }
    let trigger_words: Vec<String> = trigger
        .as_ref()
        .map(|t| vocab_words(&t.text))
        .unwrap_or_default();

    let parsed: Vec<Option<ParsedCaption>> = texts
        .iter()
        .map(|t| {
            t.map(|text| {
                parse(
                    text,
                    trigger.as_ref().map(|t| t.text.as_str()),
                    &trigger_words,
                    &class_set,
                    &vocabulary,
                )
            })
        })
        .collect();

    let captioned: Vec<&ParsedCaption> = parsed.iter().flatten().collect();
    let mut slots = BTreeMap::new();
    for slot in Slot::MEASURED {
        let mut values: BTreeMap<String, usize> = BTreeMap::new();
        let mut with = 0;
        for p in &captioned {
            let v = p
                .slots
                .get(&slot)
                .map(|s| s.iter().cloned().collect::<Vec<_>>().join(" | "))
                .unwrap_or_default();
            if !v.is_empty() {
                with += 1;
            }
            *values.entry(v).or_default() += 1;
        }
        if captioned.is_empty() {
            continue;
        }
        slots.insert(
            slot,
            SlotStats {
                entropy: zcurate_caption::entropy_bits(values.values().copied()),
                captions: with,
                distinct: values.keys().filter(|k| !k.is_empty()).count(),
            },
        );
    }

    let mut class_word_counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &captioned {
        for w in &p.class_words {
            *class_word_counts.entry(w.clone()).or_default() += 1;
        }
    }
    let class_word = class_word.map(str::to_lowercase).or_else(|| {
        class_word_counts
            .iter()
            .max_by_key(|(w, n)| (**n, std::cmp::Reverse((*w).clone())))
            .map(|(w, _)| w.clone())
    });

    let total_words: usize = captioned.iter().map(|p| p.words).sum();
    let unwanted_words: usize = captioned
        .iter()
        .map(|p| {
            // A segment in several unwanted slots counts once: take the largest.
            unwanted
                .iter()
                .filter_map(|s| p.slot_words.get(s))
                .copied()
                .max()
                .unwrap_or(0)
        })
        .sum();
    let word_counts: Vec<f64> = captioned.iter().map(|p| p.words as f64).collect();
    CaptionFacts {
        trigger,
        slots,
        median_words: crate::util::median(&word_counts),
        class_word_counts,
        class_word,
        unwanted_word_share: (total_words > 0).then(|| unwanted_words as f64 / total_words as f64),
        captioned: captioned.len(),
        parsed,
    }
}

fn parse(
    text: &str,
    trigger: Option<&str>,
    trigger_words: &[String],
    class_set: &BTreeSet<String>,
    vocabulary: &BTreeSet<String>,
) -> ParsedCaption {
    let mut slots: BTreeMap<Slot, BTreeSet<String>> = BTreeMap::new();
    let mut slot_words: BTreeMap<Slot, usize> = BTreeMap::new();
    let mut class_words = BTreeSet::new();
    for segment in text.split([',', ';', '\n', '.', '|']) {
        let mut words = vocab_words(segment);
        if words.is_empty() {
            continue;
        }
        let had_trigger = !trigger_words.is_empty()
            && words
                .windows(trigger_words.len())
                .any(|w| w == trigger_words);
        if had_trigger {
            words.retain(|w| !trigger_words.contains(w));
        }
        let before = words.len();
        for w in &words {
            if class_set.contains(w) {
                class_words.insert(w.clone());
            }
        }
        words.retain(|w| !class_set.contains(w));
        if words.len() < before || had_trigger {
            // Articles and fillers left beside the trigger ("a photo of zq woman").
            words.retain(|w| !matches!(w.as_str(), "a" | "an" | "the" | "of" | "photo" | "image"));
        }
        if words.is_empty() {
            let slot = if had_trigger {
                Slot::Trigger
            } else {
                Slot::Class
            };
            *slot_words.entry(slot).or_default() += before.max(1);
            continue;
        }
        let value = words.join(" ");
        let mut hit = false;
        for slot in Slot::MEASURED {
            if slot.vocabulary().iter().any(|e| mentions(&words, e)) {
                slots.entry(slot).or_default().insert(value.clone());
                *slot_words.entry(slot).or_default() += words.len();
                hit = true;
            }
        }
        if !hit {
            slots.entry(Slot::Other).or_default().insert(value);
            *slot_words.entry(Slot::Other).or_default() += words.len();
        }
    }
    ParsedCaption {
        words: raw_words(text).len(),
        normalised: normalise(text),
        slots,
        slot_words,
        class_words,
        trigger: trigger.map(|t| trigger_use(text, t, vocabulary)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> BTreeSet<String> {
        ["woman", "man", "smiling"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    #[test]
    fn trigger_positions_and_variants() {
        let v = vocab();
        assert_eq!(
            trigger_use("ohwx woman, smiling", "ohwx", &v),
            TriggerUse::First
        );
        assert_eq!(trigger_use("ohwx's smile", "ohwx", &v), TriggerUse::First);
        assert_eq!(
            trigger_use("a photo of ohwx woman", "ohwx", &v),
            TriggerUse::Later(3)
        );
        assert_eq!(
            trigger_use("owhx woman, smiling", "ohwx", &v),
            TriggerUse::Variant("owhx".into())
        );
        assert_eq!(
            trigger_use("OHWX woman", "ohwx", &v),
            TriggerUse::Variant("OHWX".into())
        );
        assert_eq!(
            trigger_use("a woman, smiling", "ohwx", &v),
            TriggerUse::Missing
        );
        // Short triggers only match case variants, never other short words.
        assert_eq!(trigger_use("zx woman", "zq", &v), TriggerUse::Missing);
        assert_eq!(
            trigger_use("ZQ woman", "zq", &v),
            TriggerUse::Variant("ZQ".into())
        );
        // Multi-word triggers.
        assert_eq!(
            trigger_use("sks person, smiling", "sks person", &v),
            TriggerUse::First
        );
    }

    #[test]
    fn infers_trigger_from_first_words() {
        let caps = ["zq woman, a", "zq woman, b", "zq, c", "a woman"];
        assert_eq!(infer_trigger(&caps, &[]), Some("zq".into()));
        let caps = ["a photo of x", "a photo of y", "a z"];
        assert_eq!(infer_trigger(&caps, &[]), None);
        let caps = ["woman, x", "woman, y"];
        assert_eq!(infer_trigger(&caps, &["woman".into()]), None);
    }

    #[test]
    fn slots_from_segments() {
        let p = parse(
            "zq woman, close-up, three-quarter left, smiling, red dress, in a park, white background",
            Some("zq"),
            &["zq".into()],
            &["woman".to_owned()].into_iter().collect(),
            &vocab(),
        );
        let slot = |s: Slot| p.slots.get(&s).cloned().unwrap_or_default();
        assert_eq!(slot(Slot::Framing), BTreeSet::from(["close up".to_owned()]));
        assert!(slot(Slot::Angle).contains("three quarter left"));
        assert!(slot(Slot::Expression).contains("smiling"));
        assert!(slot(Slot::Clothing).contains("red dress"));
        assert!(slot(Slot::Location).contains("in a park"));
        assert!(slot(Slot::Background).contains("white background"));
        assert_eq!(p.class_words, ["woman".to_owned()].into());
        assert_eq!(p.words, 13);
    }

    #[test]
    fn entropy_of_counts() {
        assert_eq!(zcurate_caption::entropy_bits([4usize].into_iter()), 0.0);
        assert!((zcurate_caption::entropy_bits([1usize, 1].into_iter()) - 1.0).abs() < 1e-12);
        assert!((zcurate_caption::entropy_bits([1usize, 1, 1, 1].into_iter()) - 2.0).abs() < 1e-12);
    }
}
