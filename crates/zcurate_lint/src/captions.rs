//! Caption facts for the caption rules and the summary, read by the caption crate's parser
//! with the profile's schema (`caption-schema`): the same reader, vocabulary and statistics
//! as `zcurate caption --stats`, so both report the same slot counts and entropies.

use serde::Serialize;
use zcurate_caption::{CaptionInput, ParseContext, ParsedCaption, Schema, normalize};
use zcurate_manifest::{CaptionStats, Manifest};

/// The trigger captions are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub text: String,
    /// True when not configured but inferred from the captions' first words.
    pub inferred: bool,
}

/// Everything the caption rules and the summary need, computed once.
#[derive(Debug, Clone)]
pub(crate) struct CaptionFacts {
    pub(crate) trigger: Option<Trigger>,
    /// Per manifest image: the parsed caption of a decoded image with a non-blank caption.
    pub(crate) parsed: Vec<Option<ParsedCaption>>,
    /// The statistics `zcurate caption --stats` computes, over the decoded images.
    pub(crate) stats: CaptionStats,
    pub(crate) median_words: Option<f64>,
    /// The class word captions should use: configured, else the most common.
    pub(crate) class_word: Option<String>,
    /// Share of caption words in the schema's forbidden slots.
    pub(crate) unwanted_word_share: Option<f64>,
    pub(crate) captioned: usize,
}

/// Reads every caption of `manifest` with `schema`.
pub(crate) fn analyse(
    manifest: &Manifest,
    schema: &Schema,
    trigger: Option<&str>,
    class_word: Option<&str>,
) -> CaptionFacts {
    let decoded: Vec<usize> = (0..manifest.images.len())
        .filter(|&i| manifest.images[i].is_decoded())
        .collect();
    let inputs: Vec<CaptionInput<'_>> = decoded
        .iter()
        .map(|&i| {
            let r = &manifest.images[i];
            CaptionInput {
                path: &r.path,
                text: r.caption.as_deref().filter(|c| !c.trim().is_empty()),
            }
        })
        .collect();
    let texts: Vec<&str> = inputs.iter().filter_map(|i| i.text).collect();
    let trigger = match trigger.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(Trigger {
            text: t.to_owned(),
            inferred: false,
        }),
        None => zcurate_caption::infer_trigger(schema, &texts).map(|text| Trigger {
            text,
            inferred: true,
        }),
    };
    let ctx = ParseContext {
        trigger: trigger.as_ref().map(|t| t.text.as_str()),
        class: class_word,
    };
    let inferred = trigger.as_ref().is_some_and(|t| t.inferred);
    let (stats, parsed_decoded) = zcurate_caption::caption_stats(schema, &ctx, inferred, &inputs);
    let mut parsed: Vec<Option<ParsedCaption>> = vec![None; manifest.images.len()];
    for (&i, p) in decoded.iter().zip(parsed_decoded) {
        parsed[i] = p;
    }

    let captioned: Vec<&ParsedCaption> = parsed.iter().flatten().collect();
    let class_word = class_word.map(normalize).or_else(|| {
        // Ranked most used first, ties by word.
        stats.class_words.first().map(|v| v.value.clone())
    });
    let unwanted: Vec<&str> = schema
        .slots
        .iter()
        .filter(|s| s.presence == zcurate_caption::Presence::Forbidden)
        .map(|s| s.name.as_str())
        .collect();
    let total = stats.tokens.total;
    let unwanted_words: usize = captioned
        .iter()
        .map(|p| {
            unwanted
                .iter()
                .filter_map(|s| p.slot_tokens.get(*s))
                .sum::<usize>()
        })
        .sum();
    let median_words = (!captioned.is_empty()).then_some(stats.tokens.median);
    CaptionFacts {
        trigger,
        median_words,
        class_word,
        unwanted_word_share: (total > 0).then(|| unwanted_words as f64 / total as f64),
        captioned: captioned.len(),
        parsed,
        stats,
    }
}

/// The normalised text of a caption, for finding identical captions.
pub(crate) fn normalised(text: &str) -> String {
    normalize(text)
}
