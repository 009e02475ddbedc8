//! How a caption uses the trigger: first, later, spelled differently, or not at all. The
//! caption rules of `zcurate lint` and the statistics of `zcurate caption` both read it here.

use serde::Serialize;

use crate::text::{loose_key, token_spans};

/// How a caption uses the trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "use", content = "at", rename_all = "kebab-case")]
pub enum TriggerUse {
    /// The exact trigger, as the first word(s).
    First,
    /// The exact trigger, elsewhere (word index).
    Later(usize),
    /// A different spelling or case of the trigger (the variant found).
    Variant(String),
    /// No trace of it.
    Missing,
}

impl TriggerUse {
    /// The exact trigger is somewhere in the caption.
    pub fn present(&self) -> bool {
        matches!(self, Self::First | Self::Later(_))
    }
}

/// Words of a caption for trigger matching: split on whitespace and sentence punctuation,
/// case kept.
pub(crate) fn raw_words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || ",;.:!?()\"|".contains(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word with surrounding non-alphanumerics and a possessive `'s` removed.
fn core_word(w: &str) -> &str {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.strip_suffix("'s").unwrap_or(w)
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

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), in chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How `text` uses `trigger`. `is_vocabulary` says which single lower-case words are
/// vocabulary or class words, which are never taken for a misspelt trigger.
pub fn trigger_use(text: &str, trigger: &str, is_vocabulary: &dyn Fn(&str) -> bool) -> TriggerUse {
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
        if lower.chars().count() < 2 || (n == 1 && is_vocabulary(&lower)) {
            continue;
        }
        if lower == want_joined || edit_distance(&lower, &want_joined) <= allowed {
            return TriggerUse::Variant(w.join(" "));
        }
    }
    TriggerUse::Missing
}

/// Trigger occurrences in `text`, any spelling: runs of whole tokens whose letters and digits
/// equal the trigger's. Returns byte ranges.
pub(crate) fn occurrences(trigger: &str, text: &str) -> Vec<std::ops::Range<usize>> {
    let key = loose_key(trigger);
    if key.is_empty() {
        return Vec::new();
    }
    let spans = token_spans(text);
    let width = trigger.split_whitespace().count() + 1;
    let mut found = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        let hit = (1..=width.min(spans.len() - i)).find(|&w| {
            let range = spans[i].start..spans[i + w - 1].end;
            loose_key(&text[range]) == key
        });
        if let Some(w) = hit {
            found.push(spans[i].start..spans[i + w - 1].end);
            i += w;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn use_of(text: &str, trigger: &str) -> TriggerUse {
        trigger_use(text, trigger, &|w| matches!(w, "woman" | "man" | "smiling"))
    }

    #[test]
    fn trigger_positions_and_variants() {
        assert_eq!(use_of("ohwx woman, smiling", "ohwx"), TriggerUse::First);
        assert_eq!(use_of("ohwx's smile", "ohwx"), TriggerUse::First);
        assert_eq!(
            use_of("a photo of ohwx woman", "ohwx"),
            TriggerUse::Later(3)
        );
        assert_eq!(
            use_of("owhx woman, smiling", "ohwx"),
            TriggerUse::Variant("owhx".into())
        );
        assert_eq!(
            use_of("OHWX woman", "ohwx"),
            TriggerUse::Variant("OHWX".into())
        );
        assert_eq!(use_of("a woman, smiling", "ohwx"), TriggerUse::Missing);
        // Short triggers only match case variants, never other short words.
        assert_eq!(use_of("zx woman", "zq"), TriggerUse::Missing);
        assert_eq!(use_of("ZQ woman", "zq"), TriggerUse::Variant("ZQ".into()));
        // Multi-word triggers.
        assert_eq!(
            use_of("sks person, smiling", "sks person"),
            TriggerUse::First
        );
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("ohwx", "ohwx"), 0);
        assert_eq!(edit_distance("ohwx", "owhx"), 1);
        assert_eq!(edit_distance("ohwx", "ohx"), 1);
        assert_eq!(edit_distance("ohwx", "ohwxx"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
