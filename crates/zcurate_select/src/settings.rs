//! What a selection is judged against: the lint profile's thresholds (so the set passes
//! `zcurate lint` with the same profile) and the few settings only selection has.

use serde::Serialize;
use zcurate_caption::LightingThresholds;
use zcurate_crop::{Aspect, Composition, CropOptions, OutputFormat};
use zcurate_framing::FramingThresholds;
use zcurate_lint::Thresholds;
use zcurate_manifest::FramingClass;

/// Default [`SelectSettings::min_side_share`]: an image (or crop) whose short side is under
/// half the profile's `min-short-side` is too small to train on. Trainers never upscale, so
/// it would train at under half the resolution (a 120 px face is not training material); a
/// smaller shortfall still trains, in the trainer's smaller buckets, and is only ranked lower.
pub const DEFAULT_MIN_SIDE_SHARE: f64 = 0.5;

/// Default [`SelectSettings::same_shot_max_distance`]: two images whose main faces' pHashes
/// (or one's and the other's mirror) differ in at most this many of 64 bits show the same
/// photo of the face: crops of one photo, a mirrored copy, a grey copy. Measured on the
/// messy test set (`docs/select.md`): crops, mirrored and resized copies of one photo 0 to 8
/// apart (a grey copy up to 12, which its whole-image pHash catches anyway), the same photo
/// turned by 12° 14 or more, photos of other people 16 or more. Looser than
/// `near-duplicate-max-distance` (5) because the face box moves by a few pixels between crops.
pub const DEFAULT_SAME_SHOT_MAX_DISTANCE: u32 = 8;

/// How crops are cut: the crop planner's options for each framing class.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CropSettings {
    /// Long side of a crop, pixels: the profile's training resolution.
    pub size: u32,
    /// Both sides are multiples of this (64 is safe for every trainer).
    pub multiple: u32,
    pub format: OutputFormat,
    pub quality: u8,
    pub composition: Composition,
    /// The classifier's thresholds, so that a re-scan of a crop gives its class.
    pub thresholds: FramingThresholds,
}

impl CropSettings {
    /// Crops of `training_resolution` on the long side, JPEG 95, multiples of 64, the
    /// default composition.
    pub fn new(training_resolution: u32, thresholds: FramingThresholds) -> Self {
        Self {
            size: training_resolution,
            multiple: 64,
            format: OutputFormat::Jpeg,
            quality: 95,
            composition: Composition::default(),
            thresholds,
        }
    }

    /// The aspect a crop of `framing` is cut at: square close-ups, 4:5 head-and-shoulders,
    /// 2:3 upper-body and knee-up, 1:2 full-body. Portrait aspects follow the body, so the
    /// crop spends its pixels on the subject rather than on the background beside it.
    pub fn aspect(framing: FramingClass) -> Aspect {
        match framing {
            FramingClass::CloseUp | FramingClass::NoFace => Aspect::SQUARE,
            FramingClass::HeadShoulders => Aspect { w: 4, h: 5 },
            FramingClass::UpperBody | FramingClass::KneeUp => Aspect { w: 2, h: 3 },
            FramingClass::FullBody => Aspect { w: 1, h: 2 },
        }
    }

    /// The crop planner's options for `framing`.
    pub fn options(&self, framing: FramingClass) -> CropOptions {
        CropOptions {
            framing,
            aspect: Self::aspect(framing),
            size: self.size,
            multiple: self.multiple,
            format: self.format,
            quality: self.quality,
            composition: self.composition,
            thresholds: self.thresholds,
            ..CropOptions::default()
        }
    }
}

/// Everything a selection reads besides the manifest.
#[derive(Debug, Clone)]
pub struct SelectSettings {
    /// The lint profile's name (`face`, `character`, or a custom one).
    pub profile: String,
    /// The profile's thresholds: targets, sizes, quality bars.
    pub thresholds: Thresholds,
    /// `--count N`: exactly this many images instead of the profile's target range.
    pub count: Option<usize>,
    /// `--keep FILE`: source images that go into the set whatever the rules say.
    pub keep: Vec<String>,
    /// `--drop FILE`: source images that never do.
    pub drop: Vec<String>,
    /// `--identity`: other people are excluded by their identity similarity.
    pub identity: bool,
    /// Share of `min-short-side` under which an image is too small
    /// ([`DEFAULT_MIN_SIDE_SHARE`]).
    pub min_side_share: f64,
    /// See [`DEFAULT_SAME_SHOT_MAX_DISTANCE`].
    pub same_shot_max_distance: u32,
    pub crop: CropSettings,
    /// Lighting labels (low-key, high-key, ...) as the captions name them.
    pub lighting: LightingThresholds,
}

impl SelectSettings {
    /// Settings for `profile` with its `thresholds` and the defaults of everything else.
    pub fn new(profile: &str, thresholds: Thresholds, framing: FramingThresholds) -> Self {
        let crop = CropSettings::new(thresholds.training_resolution, framing);
        Self {
            profile: profile.to_owned(),
            thresholds,
            count: None,
            keep: Vec::new(),
            drop: Vec::new(),
            identity: false,
            min_side_share: DEFAULT_MIN_SIDE_SHARE,
            same_shot_max_distance: DEFAULT_SAME_SHOT_MAX_DISTANCE,
            crop,
            lighting: LightingThresholds::default(),
        }
    }

    /// Shortest side (pixels) an image or crop must have: [`Self::min_side_share`] of
    /// `min-short-side`.
    pub fn min_side(&self) -> u32 {
        (f64::from(self.thresholds.min_short_side) * self.min_side_share).ceil() as u32
    }
}
