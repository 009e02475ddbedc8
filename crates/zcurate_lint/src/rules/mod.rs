//! The rule table: one line per rule, mapping its enum variant to its file. Codes are
//! stable and never reused; a removed rule keeps its code retired.

mod caption;
mod duplicate;
mod face;
mod identity;
mod image;
mod plan;
mod quality;
mod scope;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::context::Context;
use crate::registry::RuleMeta;

macro_rules! rule_table {
    ($($variant:ident => $group:ident :: $file:ident,)*) => {
        /// Every rule, in code order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($variant,)*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $(Rule::$variant => &$group::$file::META,)*
                }
            }

            pub(crate) fn check(self, cx: &mut Context<'_>) {
                match self {
                    $(Rule::$variant => $group::$file::check(cx),)*
                }
            }
        }
    };
}

rule_table! {
    UnreadableImage => image::unreadable_image,
    UnsupportedFormat => image::unsupported_format,
    ImageTooSmall => image::image_too_small,
    ExtremeAspectRatio => image::extreme_aspect_ratio,
    ExifRotatedImage => image::exif_rotated_image,
    TransparentImage => image::transparent_image,
    CmykImage => image::cmyk_image,
    HighBitDepthImage => image::high_bit_depth_image,
    AnimatedImage => image::animated_image,
    ExtensionMismatch => image::extension_mismatch,
    ImageFarTooSmall => image::image_far_too_small,
    BlurryImage => quality::blurry_image,
    DarkImage => quality::dark_image,
    OverexposedImage => quality::overexposed_image,
    LowContrastImage => quality::low_contrast_image,
    LowInformationImage => quality::low_information_image,
    GreyscaleInColourSet => quality::greyscale_in_colour_set,
    ExactDuplicate => duplicate::exact_duplicate,
    NearDuplicate => duplicate::near_duplicate,
    NoFace => face::no_face,
    MultipleFaces => face::multiple_faces,
    FaceTooSmall => face::face_too_small,
    FaceCutOff => face::face_cut_off,
    BlurryFace => face::blurry_face,
    DatasetSizeOutOfRange => scope::dataset_size_out_of_range,
    FramingMixOffTarget => scope::framing_mix_off_target,
    LowAngleVariety => scope::low_angle_variety,
    RepeatedComposition => scope::repeated_composition,
    MissingCaption => caption::missing_caption,
    EmptyCaption => caption::empty_caption,
    UnreadableCaption => caption::unreadable_caption,
    OrphanCaption => caption::orphan_caption,
    MissingTrigger => caption::missing_trigger,
    MisspelledTrigger => caption::misspelled_trigger,
    TriggerNotFirst => caption::trigger_not_first,
    MixedClassWords => caption::mixed_class_words,
    HighCaptionSlotEntropy => caption::high_caption_slot_entropy,
    CaptionTooLong => caption::caption_too_long,
    DuplicateCaption => caption::duplicate_caption,
    ConstantCaptionSlot => caption::constant_caption_slot,
    TurboWithoutAdapter => plan::turbo_without_adapter,
    TurboRunTooLong => plan::turbo_run_too_long,
    CaptionDropoutOutOfRange => plan::caption_dropout_out_of_range,
    MissingLoraDropout => plan::missing_lora_dropout,
    FailingDatasetOnTurbo => plan::failing_dataset_on_turbo,
    IdentityOutlier => identity::identity_outlier,
}

impl Rule {
    pub fn code(self) -> &'static str {
        self.meta().code
    }

    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// A rule by exact code (any case) or name.
    pub fn from_code_or_name(s: &str) -> Option<Rule> {
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name() == s)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::registry::Group;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in Rule::ALL {
            let m = rule.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            let digits = m.code.strip_prefix(m.group.prefix()).unwrap_or_else(|| {
                panic!(
                    "{} does not start with its group prefix {}",
                    m.code,
                    m.group.prefix()
                )
            });
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{}: a code is the prefix plus three digits",
                m.code
            );
            assert!(
                m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}: names are kebab-case",
                m.name
            );
        }
    }

    #[test]
    fn prefixes_do_not_shadow_each_other() {
        // `ID` must not select `IMG` rules and so on: no prefix starts another.
        for a in Group::ALL {
            for b in Group::ALL {
                if a != b {
                    assert!(!b.prefix().starts_with(a.prefix()), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn codes_are_in_order_and_numbered_from_one() {
        let mut next: std::collections::HashMap<Group, u32> = std::collections::HashMap::new();
        for rule in Rule::ALL {
            let m = rule.meta();
            let n: u32 = m.code[m.group.prefix().len()..].parse().unwrap();
            let expected = next.entry(m.group).or_insert(1);
            assert_eq!(n, *expected, "{} out of order", m.code);
            *expected += 1;
        }
    }

    /// Names describe the problem ("allow blurry-image"), never the fix (ruff's convention).
    #[test]
    fn names_follow_the_naming_convention() {
        const BANNED_PREFIXES: [&str; 7] = [
            "avoid-",
            "use-",
            "prefer-",
            "do-not-",
            "consider-",
            "disallow-",
            "no-use-",
        ];
        for rule in Rule::ALL {
            let n = rule.name();
            assert!(!BANNED_PREFIXES.iter().any(|p| n.starts_with(p)), "{n}");
            assert!(!n.ends_with("-used"), "{n}");
        }
    }

    #[test]
    fn docs_have_the_required_sections() {
        for rule in Rule::ALL {
            let doc = rule.meta().doc();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## How to fix",
                "## Options",
            ] {
                assert!(doc.contains(section), "{} lacks `{section}`", rule.code());
            }
        }
    }

    #[test]
    fn option_keys_exist() {
        let keys: Vec<String> = crate::profile::THRESHOLD_KEYS
            .iter()
            .map(crate::profile::ThresholdKey::key)
            .collect();
        let extra = ["lint.trigger", "lint.class-word", "plan"];
        for rule in Rule::ALL {
            for opt in rule.meta().options {
                assert!(
                    keys.iter().any(|k| k == opt) || extra.iter().any(|e| opt.starts_with(e)),
                    "{}: unknown option `{opt}`",
                    rule.code()
                );
            }
        }
    }
}
