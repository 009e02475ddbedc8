//! What a crop run is asked for: framing, aspect, output size and format, and the composition
//! rules that turn a framing class into a frame.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zcurate_framing::FramingThresholds;
use zcurate_manifest::FramingClass;

/// Output aspect ratio, width to height (`4:5` is portrait).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspect {
    pub w: u32,
    pub h: u32,
}

impl Aspect {
    pub const SQUARE: Self = Self { w: 1, h: 1 };

    /// Width over height.
    pub fn ratio(self) -> f64 {
        f64::from(self.w) / f64::from(self.h)
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.w, self.h)
    }
}

impl FromStr for Aspect {
    type Err = OptionsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            OptionsError(format!(
                "aspect `{s}` is not W:H with whole numbers, like 4:5"
            ))
        };
        let (w, h) = s.split_once(':').ok_or_else(bad)?;
        let (w, h): (u32, u32) = (
            w.trim().parse().map_err(|_| bad())?,
            h.trim().parse().map_err(|_| bad())?,
        );
        if w == 0 || h == 0 {
            return Err(bad());
        }
        let a = Self { w, h };
        // Beyond 1:8 a crop around a face is a strip; no trainer buckets that far.
        if !(0.125..=8.0).contains(&a.ratio()) {
            return Err(OptionsError(format!("aspect `{s}` is outside 1:8 to 8:1")));
        }
        Ok(a)
    }
}

/// Output file format. Outputs are 8-bit RGB: trainers convert to RGB and drop alpha anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// Baseline JPEG at `--quality`.
    Jpeg,
    /// Lossless PNG (`--quality` does not apply).
    Png,
    /// Lossless WebP (the encoder has no lossy mode; `--quality` does not apply).
    Webp,
}

impl OutputFormat {
    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = OptionsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Ok(Self::Jpeg),
            "png" => Ok(Self::Png),
            "webp" => Ok(Self::Webp),
            _ => Err(OptionsError(format!(
                "unknown format `{s}` (jpg, png or webp)"
            ))),
        }
    }
}

/// How to fill the part of a crop that lies outside the photo. Without it the crop is moved
/// or shrunk to stay inside; padding invents pixels, so it is only ever done on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pad {
    /// Mirror the photo at its edge.
    Reflect,
    /// Mirror, then blur the mirrored part heavily, so it reads as background.
    Blur,
    /// A flat colour.
    Colour([u8; 3]),
}

/// How `--pad` / `[crop] pad` asks to fill; with `Colour` the colour is a setting of its own
/// (`--pad-colour`, [`Rgb`]), so the two together make a [`Pad`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PadMode {
    Reflect,
    Blur,
    #[serde(alias = "color")]
    Colour,
}

impl PadMode {
    /// The names the CLI and the config file accept, the canonical spelling first.
    pub const NAMES: [&'static str; 4] = ["reflect", "blur", "colour", "color"];

    /// The fill, with the colour for `Colour`.
    pub fn with_colour(self, colour: Rgb) -> Pad {
        match self {
            Self::Reflect => Pad::Reflect,
            Self::Blur => Pad::Blur,
            Self::Colour => Pad::Colour(colour.0),
        }
    }
}

impl FromStr for PadMode {
    type Err = OptionsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "reflect" => Ok(Self::Reflect),
            "blur" => Ok(Self::Blur),
            "colour" | "color" => Ok(Self::Colour),
            _ => Err(OptionsError(format!(
                "unknown pad `{s}` (reflect, blur or colour)"
            ))),
        }
    }
}

/// An sRGB colour written `RRGGBB` (a leading `#` is allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Mid grey: the default padding colour, neutral against any background.
    pub const GREY: Self = Self([0x80, 0x80, 0x80]);
}

impl FromStr for Rgb {
    type Err = OptionsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.trim_start_matches('#');
        let bad = || OptionsError(format!("`{s}` is not a colour as RRGGBB"));
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "{r:02x}{g:02x}{b:02x}")
    }
}

/// Where the frame ends below the chin and how much space it leaves above the head, for one
/// framing class, in head heights (top of skull to chin; see `docs/framing.md`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FrameRule {
    /// Frame bottom below the chin.
    pub below_chin_heads: f32,
    /// Space between the top of the head and the frame top.
    pub headroom_heads: f32,
}

/// The composition rules. Each class aims its frame bottom at the middle of the class's
/// band of the classifier (so that a 10-15 % error in the head height of a re-scan still
/// lands in the class), at a body landmark of the figure-drawing prior:
///
/// | class | bottom | band | landmark |
/// |---|---|---|---|
/// | close-up | 0.15 | below 0.30 | base of the neck |
/// | head-shoulders | 0.70 | 0.30-1.10 | between shoulders and chest |
/// | upper-body | 2.0 | 1.10-3.0 | waist |
/// | knee-up | 4.25 | 3.0-5.5 | between crotch and knees |
/// | full-body | 7.4 | above 5.5 | just below the feet |
///
/// Headroom grows with the frame (0.12 to 0.35 head heights): a tight face crop with much
/// space above the head wastes pixels the face needs, a full figure with none looks cramped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Composition {
    pub close_up: FrameRule,
    pub head_shoulders: FrameRule,
    pub upper_body: FrameRule,
    pub knee_up: FrameRule,
    pub full_body: FrameRule,
    /// Least free width on each side of the face box, in face-box widths. Default 0.15:
    /// a narrow aspect (9:16 close-up) is made taller rather than cut into the cheeks.
    pub side_margin_faces: f32,
}

impl Default for Composition {
    fn default() -> Self {
        let rule = |below_chin_heads, headroom_heads| FrameRule {
            below_chin_heads,
            headroom_heads,
        };
        Self {
            close_up: rule(0.15, 0.12),
            head_shoulders: rule(0.70, 0.20),
            upper_body: rule(2.0, 0.25),
            knee_up: rule(4.25, 0.30),
            full_body: rule(7.4, 0.35),
            side_margin_faces: 0.15,
        }
    }
}

impl Composition {
    /// The rule of a body class; `None` for `no-face`.
    pub fn rule(&self, framing: FramingClass) -> Option<FrameRule> {
        match framing {
            FramingClass::CloseUp => Some(self.close_up),
            FramingClass::HeadShoulders => Some(self.head_shoulders),
            FramingClass::UpperBody => Some(self.upper_body),
            FramingClass::KneeUp => Some(self.knee_up),
            FramingClass::FullBody => Some(self.full_body),
            FramingClass::NoFace => None,
        }
    }
}

/// Everything that decides what a crop looks like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CropOptions {
    /// The framing class to crop to.
    pub framing: FramingClass,
    /// Output aspect ratio.
    pub aspect: Aspect,
    /// Long side of the output, pixels.
    pub size: u32,
    /// Both output sides are multiples of this (trainer buckets: 16 for Z-Image, 64 is safe
    /// everywhere).
    pub multiple: u32,
    pub format: OutputFormat,
    /// JPEG quality, 1 to 100.
    pub quality: u8,
    /// One crop per usable face instead of the main subject only.
    pub all_faces: bool,
    /// Faces whose box is shorter than this (pixels of the source) are not cropped.
    pub min_face_px: f32,
    /// Enlarge crops smaller than the output size (otherwise they keep their size).
    pub allow_upscale: bool,
    /// Rotate so that the eye line is level.
    pub level_eyes: bool,
    /// Fill the part of the crop outside the photo instead of moving or shrinking the crop.
    pub pad: Option<Pad>,
    pub composition: Composition,
    /// The classifier's thresholds: the head-height model the frame is built from.
    pub thresholds: FramingThresholds,
}

impl Default for CropOptions {
    fn default() -> Self {
        Self {
            framing: FramingClass::CloseUp,
            aspect: Aspect::SQUARE,
            size: 1024,
            multiple: 64,
            format: OutputFormat::Jpeg,
            quality: 95,
            all_faces: false,
            min_face_px: 0.0,
            allow_upscale: false,
            level_eyes: false,
            pad: None,
            composition: Composition::default(),
            thresholds: FramingThresholds::default(),
        }
    }
}

/// Largest `size`: the longest side zcurate decodes
/// ([`zcurate_image::limits::DEFAULT_MAX_SIDE`]). A larger crop could not be read back by
/// zcurate itself, and rendering one costs gigabytes for nothing a trainer uses.
pub const MAX_SIZE: u32 = zcurate_image::limits::DEFAULT_MAX_SIDE;

/// The rules for single values, each defined once: [`CropOptions::validate`] applies them,
/// and the CLI applies them to each value as it is resolved, naming where it came from.
impl CropOptions {
    /// `framing`: a body class (`no-face` is what the classifier says, not an aim).
    pub fn check_framing(framing: FramingClass) -> Result<FramingClass, OptionsError> {
        if framing.rank().is_some() {
            Ok(framing)
        } else {
            Err(OptionsError(
                "is not a framing a crop can aim for (close-up, head-shoulders, upper-body, \
                 knee-up or full-body)"
                    .to_owned(),
            ))
        }
    }

    /// `multiple`: at least 1.
    pub fn check_multiple(multiple: u32) -> Result<u32, OptionsError> {
        if multiple == 0 {
            Err(OptionsError("must be at least 1".to_owned()))
        } else {
            Ok(multiple)
        }
    }

    /// `size`: at most [`MAX_SIZE`].
    pub fn check_size(size: u32) -> Result<u32, OptionsError> {
        if size > MAX_SIZE {
            Err(OptionsError(format!(
                "must be at most {MAX_SIZE} px, the largest image zcurate reads; \
                 training resolutions are 512 to 2048"
            )))
        } else {
            Ok(size)
        }
    }

    /// `quality`: 1 to 100.
    pub fn check_quality(quality: u8) -> Result<u8, OptionsError> {
        if (1..=100).contains(&quality) {
            Ok(quality)
        } else {
            Err(OptionsError("must be 1 to 100".to_owned()))
        }
    }

    /// `min-face`: zero or more.
    pub fn check_min_face(px: f32) -> Result<f32, OptionsError> {
        if px.is_finite() && px >= 0.0 {
            Ok(px)
        } else {
            Err(OptionsError("must be zero or more".to_owned()))
        }
    }
}

impl CropOptions {
    /// Checks that the options can produce an output at all.
    pub fn validate(&self) -> Result<(), OptionsError> {
        Self::check_framing(self.framing)
            .map_err(|e| OptionsError(format!("`{}` {e}", self.framing)))?;
        Self::check_multiple(self.multiple).map_err(|e| OptionsError(format!("--multiple {e}")))?;
        if self.size < self.multiple {
            return Err(OptionsError(format!(
                "--size {} is smaller than one --multiple ({})",
                self.size, self.multiple
            )));
        }
        Self::check_size(self.size).map_err(|_| {
            OptionsError(format!(
                "--size {} is larger than {MAX_SIZE} px, the largest image zcurate reads; \
                 training resolutions are 512 to 2048",
                self.size
            ))
        })?;
        Self::check_quality(self.quality)
            .map_err(|e| OptionsError(format!("--quality {e}, got {}", self.quality)))?;
        Self::check_min_face(self.min_face_px)
            .map_err(|e| OptionsError(format!("--min-face {e}")))?;
        self.thresholds
            .validate()
            .map_err(|e| OptionsError(e.to_string()))?;
        for class in FramingClass::BODY {
            let r = self
                .composition
                .rule(class)
                .expect("body classes have rules");
            if !(r.below_chin_heads.is_finite() && r.headroom_heads.is_finite())
                || r.headroom_heads < 0.0
                || r.below_chin_heads <= 0.0
            {
                return Err(OptionsError(format!(
                    "the {class} frame rule needs a positive bottom and a headroom of zero or more"
                )));
            }
        }
        if !(self.composition.side_margin_faces.is_finite()
            && self.composition.side_margin_faces >= 0.0)
        {
            return Err(OptionsError(
                "side-margin-faces must be zero or more".to_owned(),
            ));
        }
        Ok(())
    }
}

/// Options that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OptionsError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_as_hex() {
        assert_eq!("ff8000".parse::<Rgb>().unwrap(), Rgb([255, 128, 0]));
        assert_eq!("#000000".parse::<Rgb>().unwrap(), Rgb([0, 0, 0]));
        assert!("fff".parse::<Rgb>().is_err());
        assert!("zz0000".parse::<Rgb>().is_err());
        assert_eq!(Rgb::GREY.to_string(), "808080");
    }

    #[test]
    fn pad_modes_parse_in_both_spellings() {
        for name in PadMode::NAMES {
            name.parse::<PadMode>().unwrap();
        }
        assert_eq!("color".parse::<PadMode>().unwrap(), PadMode::Colour);
        assert!("mirror".parse::<PadMode>().is_err());
    }

    #[test]
    fn aspect_parses_and_rejects_nonsense() {
        assert_eq!("4:5".parse::<Aspect>().unwrap(), Aspect { w: 4, h: 5 });
        assert_eq!(" 16 : 9 ".parse::<Aspect>().unwrap().to_string(), "16:9");
        for bad in ["4x5", "0:1", "1:0", "a:b", "1:20", "4:5:6", ""] {
            assert!(bad.parse::<Aspect>().is_err(), "{bad}");
        }
    }

    #[test]
    fn format_names() {
        assert_eq!("JPEG".parse::<OutputFormat>().unwrap(), OutputFormat::Jpeg);
        assert_eq!(OutputFormat::Webp.extension(), "webp");
        assert!("gif".parse::<OutputFormat>().is_err());
    }

    #[test]
    fn default_rules_sit_inside_their_class_bands() {
        let o = CropOptions::default();
        o.validate().unwrap();
        for class in FramingClass::BODY {
            let r = o.composition.rule(class).unwrap();
            assert_eq!(
                zcurate_framing::class_at(r.below_chin_heads, &o.thresholds),
                class,
                "{class}"
            );
        }
    }

    #[test]
    fn validate_names_the_problem() {
        let cases = [
            (
                CropOptions {
                    framing: FramingClass::NoFace,
                    ..CropOptions::default()
                },
                "no-face",
            ),
            (
                CropOptions {
                    size: 32,
                    ..CropOptions::default()
                },
                "--size",
            ),
            (
                CropOptions {
                    size: 30_000,
                    ..CropOptions::default()
                },
                "--size 30000 is larger than 16384 px",
            ),
            (
                CropOptions {
                    quality: 0,
                    ..CropOptions::default()
                },
                "--quality",
            ),
            (
                CropOptions {
                    multiple: 0,
                    ..CropOptions::default()
                },
                "--multiple",
            ),
        ];
        for (o, word) in cases {
            let e = o.validate().unwrap_err().to_string();
            assert!(e.contains(word), "{e}");
        }
    }
}
