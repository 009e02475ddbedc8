//! Profiles: named sets of every threshold the rules read, plus severity overrides.
//!
//! The built-in `face` and `character` profiles are data (`profiles/*.toml`, embedded), and
//! set every key; a test checks that. `[profile.NAME]` in `zcurate.toml` defines a custom
//! profile that `extends` another, or changes a built-in one by reusing its name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::LintError;
use crate::severity::Level;
use crate::target::FramingTarget;

/// One profile key and its documentation, for `docs/` and `--show-settings`.
#[derive(Debug, Clone, Copy)]
pub struct ThresholdKey {
    /// The field name (`min_short_side`); [`ThresholdKey::key`] is the TOML key.
    pub(crate) field: &'static str,
    /// Its doc comment (rustdoc lines, each with a leading space).
    pub(crate) raw_doc: &'static str,
}

impl ThresholdKey {
    /// The kebab-case TOML key.
    pub fn key(&self) -> String {
        self.field.replace('_', "-")
    }

    /// The documentation as one paragraph.
    pub fn doc(&self) -> String {
        self.raw_doc
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_owned()
    }
}

/// Declares the profile keys once: the optional `ProfileOptions` (TOML), the resolved
/// `Thresholds`, the overlay and completeness check, and the key list for the docs.
macro_rules! profile_keys {
    ($( $(#[doc = $doc:literal])+ $field:ident : $ty:ty, )*) => {
        /// `[profile.NAME]` in `zcurate.toml` (and `[lint.thresholds]`): every key optional;
        /// unset keys come from the profile it `extends`.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        pub struct ProfileOptions {
            /// The profile this one starts from (`face`, `character` or another custom one).
            /// A custom profile reusing a built-in name extends that built-in.
            pub extends: Option<String>,
            /// One line shown by `--show-settings`.
            pub description: Option<String>,
            /// Severity overrides that come with the profile, by rule code, prefix or name
            /// (`ignore`, `info`, `warning`, `error`). `[lint.severity]` wins over these.
            pub severity: Option<BTreeMap<String, Level>>,
            $( $(#[doc = $doc])+ pub $field: Option<$ty>, )*
        }

        /// Every threshold the rules read, resolved.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub struct Thresholds {
            $( $(#[doc = $doc])+ pub $field: $ty, )*
        }

        impl ProfileOptions {
            /// Sets every key `other` sets; merges severity tables.
            pub(crate) fn overlay(&mut self, other: &ProfileOptions) {
                $( if other.$field.is_some() { self.$field.clone_from(&other.$field); } )*
                if let Some(sev) = &other.severity {
                    self.severity.get_or_insert_with(BTreeMap::new).extend(sev.clone());
                }
                if other.description.is_some() {
                    self.description.clone_from(&other.description);
                }
            }

            /// The thresholds, or the first key that is not set.
            pub(crate) fn complete(&self) -> Result<Thresholds, String> {
                let missing = |field: &str| field.replace('_', "-");
                Ok(Thresholds {
                    $( $field: self.$field.clone().ok_or_else(|| missing(stringify!($field)))?, )*
                })
            }
        }

        /// Every profile key, in declaration order.
        pub const THRESHOLD_KEYS: &[ThresholdKey] = &[
            $( ThresholdKey { field: stringify!($field), raw_doc: concat!($($doc, "\n"),+) }, )*
        ];
    };
}

profile_keys! {
    /// Shortest image side in pixels; smaller images are flagged. An image under the training
    /// resolution trains at its own, smaller size (ai-toolkit) or upscaled (diffusion-pipe,
    /// OneTrainer). 1024 is Z-Image's usual LoRA training resolution.
    min_short_side: u32,
    /// Side of the square training area in pixels. Trainers downscale larger images to
    /// about this area, so face sizes are judged at this scale.
    training_resolution: u32,
    /// Share of `training-resolution` an image's short side must reach to be training
    /// material at all (IMG011): a 1024 px run learns blur, not identity, from a 120 px face.
    /// Half: 512 px at 1024, the smallest size of ai-toolkit's default resolution list, so an
    /// image under it is a thumbnail at every size of the run.
    min_resolution_share: f64,
    /// Longest side over shortest side above which an image's aspect ratio is extreme.
    /// cleanvision flags min(w/h, h/w) below 0.35 (about 2.9:1); zcurate is stricter because
    /// trainer bucket lists at 1024² rarely go past 2:1, so longer images are cropped hard.
    max_aspect_ratio: f64,
    /// Whole-image sharpness (manifest `sharpness`: Laplacian variance of a 256² grey
    /// resample) below which an image is blurry. Not cleanvision's score (std-dev of edges
    /// at 64 px, threshold 0.29). Measured on the test photos: sharp portraits 108 (a soft
    /// painting) to 1090; a Gaussian blur of 3 px at the 512 px analysis scale brings every
    /// one under 42, and 50 keeps a 2× margin below the softest real photo.
    min_sharpness: f64,
    /// 99th-percentile luma (0 to 1) below which an image is too dark: even its highlights
    /// are dim. cleanvision's `dark` threshold, 0.32.
    dark_p99_max: f64,
    /// 5th-percentile luma above which an image is too bright: even its shadows are light.
    /// cleanvision's `light` threshold 0.05 on 1 − p05, so 0.95.
    bright_p05_min: f64,
    /// Luma standard deviation (0 to 1) below which an image is low in contrast (flat,
    /// hazy or washed out). Photos of people measure 0.13 to 0.35; 0.08 is clearly flat.
    min_contrast: f64,
    /// Entropy of the luma histogram in bits below which an image carries little
    /// information. cleanvision's `low_information` 0.3 times its normalising factor 10,
    /// so 3.0 bits.
    min_entropy: f64,
    /// Share of colour images at or above which the dataset is a colour set, so that its
    /// grey images are flagged. An all-grey set is a deliberate style and is not.
    colour_set_min_share: f64,
    /// Largest Hamming distance between 64-bit pHashes for two images to be near
    /// duplicates; groups are formed transitively. cleanvision groups only identical hashes
    /// (distance 0), which misses re-encodes and small crops; czkawka's presets at hash size
    /// 8 are 1, 2, 5 and 7. zcurate uses czkawka's "medium" 5: a 90 % resize plus JPEG
    /// re-encode measures 0 to 2, different shots of one person 20 or more.
    near_duplicate_max_distance: u32,
    /// Smallest main-face height in pixels at the training resolution (the source height
    /// times the downscale the trainer applies). A face LoRA learns identity from detail, so
    /// faces far smaller than the frame teach little.
    min_face_px: f64,
    /// Sharpness inside the main face box (Laplacian variance of a 112² resample, manifest
    /// `faces[].sharpness`) below which the face is blurry, even if the image is not (a
    /// sharp background with a soft face). Sharp faces in the test photos measure 150 or more.
    min_face_sharpness: f64,
    /// Fewest usable (decoded) images; fewer is flagged.
    min_images: usize,
    /// Most usable images; above this the set is usually too broad for the profile.
    max_images: usize,
    /// Smallest size of the set the profile aims for, inside `min-images` to `max-images`:
    /// what `zcurate select` chooses and the lint summary shows. Face: 18, from the guidance
    /// of about 15 to 25 face- and neck-dominant images plus 3 to 5 upper-body shots.
    target_min_images: usize,
    /// Largest size of the set the profile aims for. Face: 25 (guidance: fewer, cleaner,
    /// higher-resolution images beat many mixed ones).
    target_max_images: usize,
    /// Targets for the framing mix among images with a face: `[[profile.NAME.framing-targets]]`
    /// tables with `classes` and a share range (`min`, `max`, 0 to 1) or a count range
    /// (`min-count`, `max-count`).
    framing_targets: Vec<FramingTarget>,
    /// Largest share of faces that may have the same head angle (front, three-quarter,
    /// profile): above it the set teaches one view.
    max_angle_share: f64,
    /// Largest share of faces that may share one framing class and head angle: above it the
    /// set repeats the same few shots.
    max_composition_share: f64,
    /// Fewest faces before the variety rules apply; with fewer, shares are noise.
    min_faces_for_variety: usize,
    /// The caption schema captions are read with (`zcurate caption --schema`, built-in or
    /// `[caption.schemas.NAME]`): its vocabularies, class words and slots. Slots the schema
    /// forbids are the unwanted ones, whose variety across the dataset is flagged: variable
    /// information the LoRA should not learn to depend on.
    caption_schema: String,
    /// Largest Shannon entropy in bits of an unwanted slot's values across captions
    /// (absence counts as a value). 1 bit is e.g. half the captions naming a clothing item.
    max_unwanted_slot_entropy: f64,
    /// A caption more than this many times the dataset's median word count is too long.
    max_caption_length_ratio: f64,
    /// ...and at least this many words longer than the median, so short sets are not noisy.
    min_caption_length_excess: usize,
    /// Most training steps (times batch size) on Z-Image Turbo with the training adapter.
    /// No primary source gives a limit; community reports cluster at 2,000 to 3,000 steps
    /// for 6 to 30 images, and longer runs break the step distillation.
    turbo_max_steps: u32,
    /// Smallest caption dropout rate without a warning (guidance 0.05 to 0.1).
    caption_dropout_min: f64,
    /// Largest caption dropout rate without a warning; higher does not fix bleeding.
    caption_dropout_max: f64,
    /// Cosine similarity of an ArcFace embedding to the dataset's medoid face below which
    /// the face is another person. Measured with the `arcface-mbf` model: same person
    /// 0.65 to 0.89, different people 0.13 or less; 0.4 sits between with room for pose and
    /// lighting changes.
    min_identity_similarity: f64,
    /// Fewest embedded faces before identity is judged; the medoid of two is arbitrary.
    min_identity_faces: usize,
}

/// A resolved profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// Severity overrides the profile brings.
    pub severity: BTreeMap<String, Level>,
    #[serde(flatten)]
    pub thresholds: Thresholds,
}

/// Names of the built-in profiles.
pub const BUILTIN_PROFILES: [&str; 2] = ["face", "character"];

fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "face" => Some(include_str!("../profiles/face.toml")),
        "character" => Some(include_str!("../profiles/character.toml")),
        _ => None,
    }
}

/// A built-in profile's options as written in `profiles/NAME.toml`.
pub fn builtin_options(name: &str) -> Option<ProfileOptions> {
    builtin_text(name).map(|t| toml::from_str(t).expect("built-in profiles parse (tested)"))
}

/// A built-in profile, resolved.
pub fn builtin(name: &str) -> Option<Profile> {
    resolve_profile(name, &BTreeMap::new(), None).ok()
}

/// Resolves profile `name` from the built-ins and `custom` (`[profile.*]`), then applies
/// `overrides` (`[lint.thresholds]`).
pub fn resolve_profile(
    name: &str,
    custom: &BTreeMap<String, ProfileOptions>,
    overrides: Option<&ProfileOptions>,
) -> Result<Profile, LintError> {
    let mut chain: Vec<String> = Vec::new();
    let mut merged = options_chain(name, custom, &mut chain)?;
    if let Some(o) = overrides {
        if o.extends.is_some() || o.description.is_some() {
            return Err(LintError::Config(
                "`extends` and `description` belong in a [profile.NAME] table, not in [lint.thresholds]"
                    .to_owned(),
            ));
        }
        merged.overlay(o);
    }
    let thresholds = merged.complete().map_err(|key| {
        LintError::Config(format!(
            "profile `{name}` does not set `{key}`; set it or add `extends = \"face\"` (or \"character\")"
        ))
    })?;
    validate(name, &thresholds)?;
    Ok(Profile {
        name: name.to_owned(),
        description: merged.description.unwrap_or_default(),
        severity: merged.severity.unwrap_or_default(),
        thresholds,
    })
}

fn options_chain(
    name: &str,
    custom: &BTreeMap<String, ProfileOptions>,
    seen: &mut Vec<String>,
) -> Result<ProfileOptions, LintError> {
    if seen.iter().any(|s| s == name) {
        seen.push(name.to_owned());
        return Err(LintError::Config(format!(
            "profiles extend each other in a cycle: {}",
            seen.join(" -> ")
        )));
    }
    seen.push(name.to_owned());
    let builtin = builtin_options(name);
    let Some(own) = custom.get(name) else {
        return builtin.ok_or_else(|| unknown_profile(name, custom));
    };
    let mut base = match (&own.extends, builtin) {
        (Some(parent), _) if parent != name => options_chain(parent, custom, seen)?,
        (_, Some(b)) => b,
        (Some(_), None) => {
            return Err(LintError::Config(format!(
                "profile `{name}` extends itself"
            )));
        }
        (None, None) => ProfileOptions::default(),
    };
    base.overlay(own);
    Ok(base)
}

fn unknown_profile(name: &str, custom: &BTreeMap<String, ProfileOptions>) -> LintError {
    let mut known: Vec<&str> = BUILTIN_PROFILES.to_vec();
    known.extend(
        custom
            .keys()
            .map(String::as_str)
            .filter(|k| !BUILTIN_PROFILES.contains(k)),
    );
    LintError::Config(format!(
        "unknown profile `{name}` (known: {})",
        known.join(", ")
    ))
}

fn validate(name: &str, t: &Thresholds) -> Result<(), LintError> {
    let err = |msg: String| Err(LintError::Config(format!("profile `{name}`: {msg}")));
    let shares = [
        ("colour-set-min-share", t.colour_set_min_share),
        ("max-angle-share", t.max_angle_share),
        ("max-composition-share", t.max_composition_share),
        ("caption-dropout-min", t.caption_dropout_min),
        ("caption-dropout-max", t.caption_dropout_max),
    ];
    for (key, v) in shares {
        if !(0.0..=1.0).contains(&v) {
            return err(format!("`{key}` must be between 0 and 1, not {v}"));
        }
    }
    if t.min_images > t.max_images {
        return err(format!(
            "`min-images` ({}) is larger than `max-images` ({})",
            t.min_images, t.max_images
        ));
    }
    if t.target_min_images > t.target_max_images
        || t.target_min_images < t.min_images
        || t.target_max_images > t.max_images
    {
        return err(format!(
            "the target {}–{} images (`target-min-images`, `target-max-images`) must lie inside `min-images` to `max-images` ({}–{})",
            t.target_min_images, t.target_max_images, t.min_images, t.max_images
        ));
    }
    if t.max_aspect_ratio < 1.0 {
        return err(format!(
            "`max-aspect-ratio` must be at least 1, not {}",
            t.max_aspect_ratio
        ));
    }
    if !(-1.0..=1.0).contains(&t.min_identity_similarity) {
        return err("`min-identity-similarity` must be between -1 and 1".to_owned());
    }
    for target in &t.framing_targets {
        if target.classes.is_empty() {
            return err("a framing target lists no `classes`".to_owned());
        }
        if let (Some(lo), Some(hi)) = (target.min_count, target.max_count)
            && lo > hi
        {
            return err(format!(
                "framing target `{}`: `min-count` {lo} is larger than `max-count` {hi}",
                target.label()
            ));
        }
        for v in [target.min, target.max].into_iter().flatten() {
            if !(0.0..=1.0).contains(&v) {
                return err(format!(
                    "framing target `{}`: shares must be between 0 and 1, not {v}",
                    target.label()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_set_every_key() {
        for name in BUILTIN_PROFILES {
            let opts = builtin_options(name).unwrap();
            assert!(opts.extends.is_none(), "{name} must not extend");
            opts.complete()
                .unwrap_or_else(|k| panic!("built-in profile {name} does not set {k}"));
            assert!(builtin(name).is_some());
        }
    }

    #[test]
    fn every_key_is_documented() {
        for k in THRESHOLD_KEYS {
            assert!(k.doc().len() > 20, "{} needs a doc comment", k.key());
        }
    }

    #[test]
    fn custom_profile_extends_and_overrides() {
        let custom: BTreeMap<String, ProfileOptions> = toml::from_str(
            r#"
            [tight]
            extends = "face"
            min-images = 10
            [face]
            max-images = 30
            "#,
        )
        .unwrap();
        let p = resolve_profile("tight", &custom, None).unwrap();
        assert_eq!(p.thresholds.min_images, 10);
        // `tight` extends the user's changed `face`.
        assert_eq!(p.thresholds.max_images, 30);
        let over = ProfileOptions {
            min_images: Some(5),
            ..ProfileOptions::default()
        };
        let p = resolve_profile("face", &custom, Some(&over)).unwrap();
        assert_eq!((p.thresholds.min_images, p.thresholds.max_images), (5, 30));
    }

    #[test]
    fn cycles_unknown_and_incomplete_are_errors() {
        let custom: BTreeMap<String, ProfileOptions> = toml::from_str(
            r#"
            [a]
            extends = "b"
            [b]
            extends = "a"
            [lonely]
            min-images = 3
            "#,
        )
        .unwrap();
        let e = resolve_profile("a", &custom, None).unwrap_err().to_string();
        assert!(e.contains("cycle"), "{e}");
        let e = resolve_profile("nope", &custom, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown profile `nope`"), "{e}");
        let e = resolve_profile("lonely", &custom, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not set `min-short-side`"), "{e}");
    }

    #[test]
    fn unknown_profile_key_is_named() {
        let e = toml::from_str::<ProfileOptions>("min-imagez = 3").unwrap_err();
        assert!(e.to_string().contains("min-imagez"), "{e}");
    }
}
