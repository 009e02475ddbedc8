//! Statistics of a caption set: how much variable information it carries, and whether the
//! identity (trigger and class word) is anchored consistently. Definitions: `docs/captions.md`.

use std::collections::{BTreeMap, BTreeSet};

use zcurate_manifest::{
    CaptionFacts, CaptionStats, SlotStats, TokenStats, TriggerStats, ValueCount,
};

use crate::parse::{ParseContext, ParsedCaption, parse};
use crate::schema::Schema;
use crate::text::{normalize, token_spans};
use crate::trigger::{TriggerUse, occurrences};

/// Shannon entropy, in bits, of the distribution given by `counts`; 0 when empty.
pub fn entropy_bits(counts: impl IntoIterator<Item = usize>) -> f64 {
    let counts: Vec<usize> = counts.into_iter().filter(|&c| c > 0).collect();
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    let h: f64 = counts
        .iter()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum();
    // -0.0 for a single value reads oddly in output.
    // (`f64::max` may keep the sign of zero, so compare instead.)
    if h > 0.0 { h } else { 0.0 }
}

/// Words that never are a trigger, however many captions start with them.
const NOT_TRIGGERS: &[&str] = &[
    "a", "an", "the", "this", "photo", "image", "picture", "portrait", "selfie", "my", "her", "his",
];

/// A trigger guessed from the captions when none is given: the most common first word,
/// when at least two and more than half the captions start with it and it is neither a
/// vocabulary word nor an article or photo word.
pub fn infer_trigger(schema: &Schema, captions: &[&str]) -> Option<String> {
    // Counted without regard to case, so `zq` and a stray `ZQ` back the same trigger; the
    // spelling returned is the most common one.
    let mut firsts: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut n = 0;
    for text in captions {
        let Some(span) = token_spans(text).into_iter().next() else {
            continue;
        };
        n += 1;
        let word = &text[span];
        *firsts
            .entry(word.to_lowercase())
            .or_default()
            .entry(word)
            .or_default() += 1;
    }
    let (key, spellings) = firsts.into_iter().max_by(|a, b| {
        let (na, nb) = (a.1.values().sum::<usize>(), b.1.values().sum::<usize>());
        na.cmp(&nb).then(b.0.cmp(&a.0))
    })?;
    let count: usize = spellings.values().sum();
    let known = !schema.candidates(&normalize(&key)).is_empty()
        || NOT_TRIGGERS.contains(&key.as_str())
        || key.chars().count() < 2;
    let spelling = spellings
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(w, _)| w.to_owned())?;
    (count >= 2 && count * 2 > n && !known).then_some(spelling)
}

/// One image's caption for the statistics.
#[derive(Debug, Clone, Copy)]
pub struct CaptionInput<'a> {
    /// Image path, relative to the root.
    pub path: &'a str,
    /// The caption text; `None` (or blank) when the image has none.
    pub text: Option<&'a str>,
}

/// Parses every caption and computes the set's statistics. Returns the statistics and the
/// parsed captions (`None` for images without a caption), in input order.
pub fn caption_stats(
    schema: &Schema,
    ctx: &ParseContext<'_>,
    trigger_inferred: bool,
    inputs: &[CaptionInput<'_>],
) -> (CaptionStats, Vec<Option<ParsedCaption>>) {
    let parsed: Vec<Option<ParsedCaption>> = inputs
        .iter()
        .map(|i| {
            i.text
                .filter(|t| !t.trim().is_empty())
                .map(|t| parse(schema, ctx, t))
        })
        .collect();
    let captioned: Vec<(&CaptionInput<'_>, &ParsedCaption)> = inputs
        .iter()
        .zip(&parsed)
        .filter_map(|(i, p)| p.as_ref().map(|p| (i, p)))
        .collect();
    let images = inputs.len();

    let slots = schema
        .slots
        .iter()
        .map(|slot| {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, p) in &captioned {
                if let Some(v) = p.values.get(&slot.name) {
                    *counts.entry(v).or_default() += 1;
                }
            }
            let filled: usize = counts.values().sum();
            // A caption without the slot is one more value: "glasses" in half the captions
            // is variation too.
            let absent = captioned.len() - filled;
            SlotStats {
                name: slot.name.clone(),
                presence: slot.presence.as_str().to_owned(),
                identity: slot.is_identity(),
                filled,
                fill_share: share(filled, images),
                distinct: counts.len(),
                entropy_bits: entropy_bits(counts.values().copied().chain([absent])),
                values: ranked(counts),
            }
        })
        .collect();

    let mut lengths: Vec<usize> = captioned.iter().map(|(_, p)| p.tokens).collect();
    lengths.sort_unstable();
    let total: usize = lengths.iter().sum();
    let identity: usize = captioned.iter().map(|(_, p)| p.identity_tokens).sum();
    let median = match lengths.len() {
        0 => 0.0,
        n if n % 2 == 1 => lengths[n / 2] as f64,
        n => (lengths[n / 2 - 1] + lengths[n / 2]) as f64 / 2.0,
    };
    let tokens = TokenStats {
        total,
        identity,
        outside_identity: total - identity,
        outside_identity_share: share(total - identity, total),
        min: lengths.first().copied().unwrap_or(0),
        max: lengths.last().copied().unwrap_or(0),
        mean: if lengths.is_empty() {
            0.0
        } else {
            total as f64 / lengths.len() as f64
        },
        median,
    };

    let texts: Vec<&str> = captioned
        .iter()
        .map(|(i, _)| i.text.unwrap_or_default())
        .collect();
    let trigger = ctx.trigger.map(|t| {
        let uses: Vec<_> = captioned
            .iter()
            .filter_map(|(_, p)| p.trigger_use.as_ref())
            .collect();
        trigger_stats(t, trigger_inferred, &texts, &uses)
    });
    let mut class_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, p) in &captioned {
        for w in &p.class_words {
            *class_counts.entry(w).or_default() += 1;
        }
    }
    let class_words = ranked(class_counts);

    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, _) in &captioned {
        groups
            .entry(normalize(i.text.unwrap_or_default()))
            .or_default()
            .push(i.path.to_owned());
    }
    let mut duplicates: Vec<Vec<String>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut duplicates {
        g.sort();
    }
    duplicates.sort();

    let mut captions: Vec<CaptionFacts> = captioned
        .iter()
        .map(|(i, p)| CaptionFacts {
            path: i.path.to_owned(),
            tokens: p.tokens,
            identity_tokens: p.identity_tokens,
            trigger_first: p.trigger_first,
            misfits: p.misfits.len(),
            missing: p.missing.clone(),
        })
        .collect();
    captions.sort_by(|a, b| a.path.cmp(&b.path));

    let stats = CaptionStats {
        schema: schema.name.clone(),
        images,
        captioned: captioned.len(),
        slots,
        tokens,
        class_words,
        trigger,
        duplicates,
        misfits: captioned.iter().map(|(_, p)| p.misfits.len()).sum(),
        captions,
    };
    (stats, parsed)
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Counts as a list, most used first, ties by value.
fn ranked<S: AsRef<str>>(counts: BTreeMap<S, usize>) -> Vec<ValueCount> {
    let mut v: Vec<ValueCount> = counts
        .into_iter()
        .map(|(value, count)| ValueCount {
            value: value.as_ref().to_owned(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

fn trigger_stats(
    trigger: &str,
    inferred: bool,
    texts: &[&str],
    uses: &[&TriggerUse],
) -> TriggerStats {
    let mut spellings: BTreeMap<String, usize> = BTreeMap::new();
    let present = uses.iter().filter(|u| u.present()).count();
    let first = uses.iter().filter(|u| ***u == TriggerUse::First).count();
    for text in texts {
        let found: BTreeSet<&str> = occurrences(trigger, text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        for s in found {
            *spellings.entry(s.to_owned()).or_default() += 1;
        }
    }
    let one_spelling = spellings.len() <= 1;
    TriggerStats {
        text: trigger.to_owned(),
        inferred,
        present,
        first,
        spellings: ranked(spellings),
        one_spelling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Catalog;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn entropy_by_hand() {
        assert!(close(entropy_bits([]), 0.0));
        assert!(close(entropy_bits([5]), 0.0));
        assert!(close(entropy_bits([1, 1]), 1.0));
        assert!(close(entropy_bits([2, 1, 1]), 1.5));
        assert!(close(entropy_bits([1, 1, 1, 1]), 2.0));
        // -(3/4 log2 3/4 + 1/4 log2 1/4) = 0.811278...
        assert!(close(entropy_bits([3, 1]), 0.811_278_124_459_132_8));
    }

    #[test]
    fn a_small_set_by_hand() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let captions = [
            ("a.png", Some("zq woman, close-up, front view, smiling")),
            ("b.png", Some("zq woman, close-up, front view, smiling")),
            (
                "c.png",
                Some("ZQ person, close-up, profile view, laughing, red dress"),
            ),
            (
                "d.png",
                Some("upper body, zq woman, front view, neutral, soft light"),
            ),
            ("e.png", None),
        ];
        let inputs: Vec<CaptionInput<'_>> = captions
            .iter()
            .map(|(p, t)| CaptionInput { path: p, text: *t })
            .collect();
        let ctx = ParseContext {
            trigger: Some("zq"),
            class: Some("woman"),
        };
        let (s, parsed) = caption_stats(face, &ctx, false, &inputs);
        assert_eq!((s.images, s.captioned), (5, 4));
        assert!(parsed[4].is_none());
        let slot = |n: &str| s.slots.iter().find(|x| x.name == n).unwrap();
        // framing: close-up ×3, upper body ×1.
        assert_eq!(slot("framing").filled, 4);
        assert!(close(slot("framing").fill_share, 0.8));
        assert!(close(slot("framing").entropy_bits, 0.811_278_124_459_132_8));
        // expression: smiling ×2, laughing ×1, neutral expression ×1 → 1.5 bits.
        assert!(close(slot("expression").entropy_bits, 1.5));
        assert_eq!(
            slot("expression").values[0],
            ValueCount {
                value: "smiling".into(),
                count: 2
            }
        );
        // angle: front view ×3, profile view ×1.
        assert_eq!(slot("angle").distinct, 2);
        // class: woman ×3, person ×1.
        assert!(close(slot("class").entropy_bits, 0.811_278_124_459_132_8));
        assert_eq!(slot("trigger").filled, 4);
        assert!(close(slot("trigger").entropy_bits, 0.0));
        // A forbidden slot is read too: `red dress` in one caption of four, absent in three.
        assert_eq!(slot("clothing").filled, 1);
        assert!(close(
            slot("clothing").entropy_bits,
            0.811_278_124_459_132_8
        ));
        // lighting: soft light ×1, none ×3.
        assert!(close(
            slot("lighting").entropy_bits,
            0.811_278_124_459_132_8
        ));
        // Tokens: 6 + 6 + 8 + 9 = 29; identity 2 per caption = 8.
        assert_eq!(s.tokens.total, 29);
        assert_eq!(s.tokens.identity, 8);
        assert!(close(s.tokens.outside_identity_share, 21.0 / 29.0));
        assert_eq!((s.tokens.min, s.tokens.max), (6, 9));
        assert!(close(s.tokens.median, 7.0));
        assert!(close(s.tokens.mean, 7.25));
        let t = s.trigger.unwrap();
        assert_eq!((t.present, t.first, t.one_spelling), (3, 2, false));
        assert_eq!(
            t.spellings[0],
            ValueCount {
                value: "zq".into(),
                count: 3
            }
        );
        assert_eq!(
            t.spellings[1],
            ValueCount {
                value: "ZQ".into(),
                count: 1
            }
        );
        assert_eq!(
            s.class_words,
            [
                ValueCount {
                    value: "woman".into(),
                    count: 3
                },
                ValueCount {
                    value: "person".into(),
                    count: 1
                }
            ]
        );
        assert_eq!(s.duplicates, [vec!["a.png".to_owned(), "b.png".to_owned()]]);
        // c: ZQ spelling + forbidden dress; d: trigger not first.
        assert_eq!(s.misfits, 3);
        assert_eq!(s.captions.len(), 4);
    }

    #[test]
    fn trigger_inference() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        assert_eq!(
            infer_trigger(face, &["zq woman", "zq man", "close-up, zq"]),
            Some("zq".into())
        );
        assert_eq!(infer_trigger(face, &["zq woman", "xy woman"]), None);
        // A vocabulary word is not a trigger.
        assert_eq!(infer_trigger(face, &["woman, smiling", "woman"]), None);
    }
}
