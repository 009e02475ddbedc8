//! Which images go into the export, under which names, with which captions.
//!
//! The trainer-ready folder is flat (trainers read one folder, not a tree): a nested
//! source path `a/b.jpg` becomes `a__b.jpg`. Every image gets a caption sidecar with the
//! trigger, `.txt`, which every supported trainer reads by default.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zcurate_manifest::{ImageRecord, Manifest};

use crate::error::TrainError;

/// Caption sidecar extension every supported trainer reads (ai-toolkit `caption_ext: txt`,
/// kohya `caption_extension = ".txt"`, diffusion-pipe's fixed `.txt`, OneTrainer
/// `prompt_source: sample`, SimpleTuner `caption_strategy: textfile`).
pub(crate) const CAPTION_EXT: &str = "txt";

/// What a nested source path's `/` becomes in the flat export folder.
const FLATTEN_SEPARATOR: &str = "__";

/// One image of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportImage {
    /// Path in the dataset folder, relative, `/` separators.
    pub source: String,
    /// File name in the export's image folder.
    pub name: String,
    /// Caption sidecar name next to it.
    pub caption_name: String,
    /// The caption written, trigger included.
    pub caption: String,
    /// True when the trigger was added to the source caption (or the caption was missing).
    pub trigger_added: bool,
    pub sha256: Option<String>,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
}

/// An image left out of the export, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub path: String,
    pub reason: String,
}

/// Images that can train: decoded, with known dimensions. Everything else is excluded
/// with its reason (an undecodable file would crash or be skipped by the trainer).
pub(crate) fn select(
    manifest: &Manifest,
    trigger: &str,
    class_word: Option<&str>,
) -> Result<(Vec<ExportImage>, Vec<Exclusion>), TrainError> {
    let mut images = Vec::new();
    let mut excluded = Vec::new();
    for rec in &manifest.images {
        if let Some(reason) = exclusion(rec) {
            excluded.push(Exclusion {
                path: rec.path.clone(),
                reason,
            });
            continue;
        }
        let (caption, trigger_added) =
            caption_with_trigger(rec.caption.as_deref(), trigger, class_word);
        images.push(ExportImage {
            source: rec.path.clone(),
            name: rec.path.replace('/', FLATTEN_SEPARATOR),
            caption_name: String::new(),
            caption,
            trigger_added,
            sha256: rec.sha256.clone(),
            bytes: rec.bytes,
            width: rec.width.unwrap_or(0),
            height: rec.height.unwrap_or(0),
        });
    }
    name_captions(&mut images)?;
    Ok((images, excluded))
}

fn exclusion(rec: &ImageRecord) -> Option<String> {
    if let Some(e) = &rec.error {
        // A caption problem does not make the image unusable; the caption is replaced.
        if e.kind != zcurate_manifest::ErrorKind::Caption {
            return Some(e.message.clone());
        }
    }
    if rec.width.is_none() || rec.height.is_none() {
        return Some("not analysed (no dimensions in the manifest)".to_owned());
    }
    None
}

/// Gives each image a caption sidecar name. Two images with the same stem (`a.jpg`,
/// `a.png`, or names differing only in case, which clash on case-insensitive file systems)
/// would share one sidecar, so those keep their extension in the stem (`a_png.txt`).
fn name_captions(images: &mut [ExportImage]) -> Result<(), TrainError> {
    let stem = |name: &str| match name.rsplit_once('.') {
        Some((s, _)) => s.to_owned(),
        None => name.to_owned(),
    };
    let mut by_stem: BTreeMap<String, usize> = BTreeMap::new();
    for img in images.iter() {
        *by_stem.entry(stem(&img.name).to_lowercase()).or_default() += 1;
    }
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for img in images.iter_mut() {
        let s = stem(&img.name);
        let s = if by_stem[&s.to_lowercase()] > 1 {
            img.name.replace('.', "_")
        } else {
            s
        };
        let caption_name = format!("{s}.{CAPTION_EXT}");
        for key in [caption_name.to_lowercase(), img.name.to_lowercase()] {
            if let Some(other) = taken.insert(key, img.source.clone())
                && other != img.source
            {
                return Err(TrainError::NameClash(format!("{other} and {}", img.source)));
            }
        }
        img.caption_name = caption_name;
    }
    Ok(())
}

/// The caption as written: the source caption (trimmed) with the trigger first when it is
/// missing; a missing or empty caption becomes the trigger and class word. A trigger that
/// is present but not first is left where it is (lint reports that).
pub(crate) fn caption_with_trigger(
    caption: Option<&str>,
    trigger: &str,
    class_word: Option<&str>,
) -> (String, bool) {
    let text = caption.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        let caption = match class_word {
            Some(c) if !c.is_empty() => format!("{trigger} {c}"),
            _ => trigger.to_owned(),
        };
        return (caption, true);
    }
    if contains_word(text, trigger) {
        (text.to_owned(), false)
    } else {
        (format!("{trigger}, {text}"), true)
    }
}

/// `needle` occurs in `hay` as whole words (not inside a longer word).
pub(crate) fn contains_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    hay.match_indices(needle).any(|(i, m)| {
        !is_word(hay[..i].chars().next_back()) && !is_word(hay[i + m.len()..].chars().next())
    })
}

/// A kohya repeat folder name, `N_trigger`: the repeat count, then the trigger with
/// characters a folder name cannot hold replaced.
pub(crate) fn repeat_folder(repeats: u32, trigger: &str) -> String {
    let safe: String = trigger
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{repeats}_{}", safe.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_is_added_only_when_missing() {
        assert_eq!(
            caption_with_trigger(Some("zq woman, close-up"), "zq", None),
            ("zq woman, close-up".to_owned(), false)
        );
        assert_eq!(
            caption_with_trigger(Some(" a woman, close-up\n"), "zq", None),
            ("zq, a woman, close-up".to_owned(), true)
        );
        // `zqx` does not contain the word `zq`.
        assert_eq!(
            caption_with_trigger(Some("zqx woman"), "zq", None).0,
            "zq, zqx woman"
        );
        assert_eq!(
            caption_with_trigger(None, "zq", Some("woman")),
            ("zq woman".to_owned(), true)
        );
        assert_eq!(caption_with_trigger(Some("  "), "zq", None).0, "zq");
    }

    #[test]
    fn repeat_folders_are_safe_names() {
        assert_eq!(repeat_folder(10, "zq"), "10_zq");
        assert_eq!(repeat_folder(3, "a/b:c é"), "3_a_b_c é");
    }
}
