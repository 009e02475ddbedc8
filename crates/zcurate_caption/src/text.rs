//! Small text helpers shared by parsing and statistics.

use std::ops::Range;

/// The lookup form of a phrase: lowercase, `_` read as a space (booru tags such as
/// `upper_body`), runs of whitespace collapsed.
pub fn normalize(s: &str) -> String {
    s.to_lowercase()
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters that end a token besides whitespace.
const PUNCTUATION: &[char] = &[
    ',', ';', ':', '.', '!', '?', '(', ')', '[', ']', '{', '}', '"', '|',
];

/// Byte ranges of the tokens of `s`. A token is a word: a run of characters between
/// whitespace and punctuation, so `close-up` and `3/4` are one token each. This is a word
/// count, not a text encoder's token count.
pub fn token_spans(s: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let boundary = c.is_whitespace() || PUNCTUATION.contains(&c);
        match (boundary, start) {
            (true, Some(b)) => {
                spans.push(b..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(b) = start {
        spans.push(b..s.len());
    }
    spans
}

/// Number of tokens in `s` (see [`token_spans`]).
pub fn count_tokens(s: &str) -> usize {
    token_spans(s).len()
}

/// The spelling-insensitive key of a trigger: lowercase letters and digits only, so `ZXQ`,
/// `zxq_person` and `zxq-person` all compare equal to `zxq person`.
pub(crate) fn loose_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words() {
        assert_eq!(count_tokens("zq woman, close-up, 3/4 view"), 5);
        assert_eq!(count_tokens("  "), 0);
        assert_eq!(count_tokens("a,b;c.d"), 4);
        let s = "zq  woman,x";
        let words: Vec<&str> = token_spans(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(words, ["zq", "woman", "x"]);
    }

    #[test]
    fn normalize_and_keys() {
        assert_eq!(normalize("  Upper_Body  shot "), "upper body shot");
        assert_eq!(loose_key("ZXQ_person"), "zxqperson");
    }
}
