//! Facts the manifest gives about an image, as labels that vocabulary terms claim
//! (`facts = [...]` in a term).

use zcurate_manifest::{AngleLabel, FaceExpression, FramingClass, ImageRecord, Pitch};

use crate::options::{ExpressionOptions, Fact, LightingOptions};

/// Thresholds of the lighting labels, on the manifest's 0-to-1 luma measures.
///
/// The labels describe the tonal distribution of the whole frame, which these measures
/// observe directly: a dark frame with a real tonal range is `low-key`, a dark flat frame is
/// `dim`, a bright frame with almost no deep shadow is `high-key`, and a mid-tone frame with
/// a very wide spread is `high-contrast`. Anything else gets no label: the direction, hardness
/// or colour of the light cannot be read from global luma statistics, so zcurate does not
/// guess them. The defaults are guidance (see `docs/captions.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LightingThresholds {
    pub dark_max_brightness: f64,
    pub low_key_min_contrast: f64,
    pub high_key_min_brightness: f64,
    pub high_key_max_clipped_dark: f64,
    pub high_contrast_min_contrast: f64,
}

impl Default for LightingThresholds {
    fn default() -> Self {
        Self {
            dark_max_brightness: 0.30,
            low_key_min_contrast: 0.15,
            high_key_min_brightness: 0.65,
            high_key_max_clipped_dark: 0.01,
            high_contrast_min_contrast: 0.28,
        }
    }
}

impl LightingThresholds {
    /// Defaults overridden by `[caption.lighting]`.
    pub fn from_options(o: Option<&LightingOptions>) -> Self {
        let d = Self::default();
        let Some(o) = o else { return d };
        Self {
            dark_max_brightness: o.dark_max_brightness.unwrap_or(d.dark_max_brightness),
            low_key_min_contrast: o.low_key_min_contrast.unwrap_or(d.low_key_min_contrast),
            high_key_min_brightness: o
                .high_key_min_brightness
                .unwrap_or(d.high_key_min_brightness),
            high_key_max_clipped_dark: o
                .high_key_max_clipped_dark
                .unwrap_or(d.high_key_max_clipped_dark),
            high_contrast_min_contrast: o
                .high_contrast_min_contrast
                .unwrap_or(d.high_contrast_min_contrast),
        }
    }

    /// The lighting label of an image's measures, or `None` when they show nothing special.
    pub fn label(
        &self,
        brightness: f64,
        contrast: f64,
        clipped_dark: Option<f64>,
    ) -> Option<&'static str> {
        if brightness <= self.dark_max_brightness {
            return Some(if contrast >= self.low_key_min_contrast {
                "low-key"
            } else {
                "dim"
            });
        }
        if brightness >= self.high_key_min_brightness
            && clipped_dark.is_some_and(|c| c <= self.high_key_max_clipped_dark)
        {
            return Some("high-key");
        }
        if contrast >= self.high_contrast_min_contrast {
            return Some("high-contrast");
        }
        None
    }
}

/// Thresholds of the expression labels, on the expression model's probabilities.
///
/// The model (`fer`'s mini-Xception, trained on FER2013) is reliable on smiles and weak on
/// the rest: on a talking face it spreads its guess over angry, sad, fear and surprise. So
/// only three labels are ever derived, each from a confident probability, and a face that
/// is none of them gets no value: `neutral` is written when the model is fairly sure, never
/// an emotion it cannot tell from speech. Measured on the labelled real faces
/// (`fixtures/expression/labels.toml`, docs/captions.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpressionThresholds {
    pub smiling_min_happy: f64,
    pub surprised_min_surprise: f64,
    pub neutral_min_neutral: f64,
}

impl Default for ExpressionThresholds {
    fn default() -> Self {
        Self {
            smiling_min_happy: 0.5,
            surprised_min_surprise: 0.8,
            neutral_min_neutral: 0.4,
        }
    }
}

impl ExpressionThresholds {
    /// Defaults overridden by `[caption.expression]`.
    pub fn from_options(o: Option<&ExpressionOptions>) -> Self {
        let d = Self::default();
        let Some(o) = o else { return d };
        Self {
            smiling_min_happy: o.smiling_min_happy.unwrap_or(d.smiling_min_happy),
            surprised_min_surprise: o.surprised_min_surprise.unwrap_or(d.surprised_min_surprise),
            neutral_min_neutral: o.neutral_min_neutral.unwrap_or(d.neutral_min_neutral),
        }
    }

    /// The expression label of a face's probabilities, or `None` when the model is unsure.
    pub fn label(&self, e: &FaceExpression) -> Option<&'static str> {
        if f64::from(e.happy) >= self.smiling_min_happy {
            Some("smiling")
        } else if f64::from(e.surprise) >= self.surprised_min_surprise {
            Some("surprised")
        } else if f64::from(e.neutral) >= self.neutral_min_neutral {
            Some("neutral")
        } else {
            None
        }
    }
}

/// How manifest facts are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactSettings {
    /// Framing classes below this confidence are not used.
    pub min_framing_confidence: f32,
    pub lighting: LightingThresholds,
    pub expression: ExpressionThresholds,
}

impl Default for FactSettings {
    fn default() -> Self {
        Self {
            min_framing_confidence: 0.4,
            lighting: LightingThresholds::default(),
            expression: ExpressionThresholds::default(),
        }
    }
}

/// The label of `fact` for an image, or `None` when the manifest does not establish it.
pub fn fact_label(
    record: &ImageRecord,
    fact: Fact,
    settings: &FactSettings,
) -> Option<&'static str> {
    match fact {
        Fact::Framing => record
            .framing
            .as_ref()
            .filter(|f| f.class != FramingClass::NoFace)
            .filter(|f| f.confidence >= settings.min_framing_confidence)
            .map(|f| f.class.as_str()),
        Fact::Angle => main_face(record)
            .and_then(|f| f.angle)
            .map(AngleLabel::as_str),
        Fact::Tilt => main_face(record).and_then(|f| f.pitch).map(|p| match p {
            Pitch::Up => "up",
            Pitch::Level => "level",
            Pitch::Down => "down",
        }),
        Fact::Lighting => {
            let (b, c) = (record.brightness?, record.contrast?);
            settings.lighting.label(b, c, record.clipped_dark)
        }
        Fact::Expression => main_face(record)
            .and_then(|f| f.expression.as_ref())
            .and_then(|e| settings.expression.label(e)),
    }
}

/// The main subject's face, when detection ran and found one.
fn main_face(record: &ImageRecord) -> Option<&zcurate_manifest::Face> {
    let main = record.face_summary.as_ref()?.main?;
    record.faces.as_ref()?.get(main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lighting_labels() {
        let t = LightingThresholds::default();
        assert_eq!(t.label(0.20, 0.22, Some(0.3)), Some("low-key"));
        assert_eq!(t.label(0.20, 0.05, Some(0.1)), Some("dim"));
        assert_eq!(t.label(0.75, 0.15, Some(0.0)), Some("high-key"));
        // Bright but with deep shadows: not high-key.
        assert_eq!(t.label(0.75, 0.15, Some(0.05)), None);
        assert_eq!(t.label(0.50, 0.30, Some(0.05)), Some("high-contrast"));
        assert_eq!(t.label(0.45, 0.20, Some(0.01)), None);
    }

    #[test]
    fn no_detection_means_no_facts() {
        let r = ImageRecord::default();
        let s = FactSettings::default();
        for f in [
            Fact::Framing,
            Fact::Angle,
            Fact::Tilt,
            Fact::Lighting,
            Fact::Expression,
        ] {
            assert_eq!(fact_label(&r, f, &s), None);
        }
    }

    #[test]
    fn expression_labels_prefer_nothing_to_a_guess() {
        let t = ExpressionThresholds::default();
        let e = |happy: f32, surprise: f32, neutral: f32, angry: f32| {
            FaceExpression::from_probabilities(
                "x",
                [angry, 0.0, 0.0, happy, 0.0, surprise, neutral],
            )
        };
        assert_eq!(t.label(&e(0.9, 0.0, 0.1, 0.0)), Some("smiling"));
        assert_eq!(t.label(&e(0.05, 0.9, 0.05, 0.0)), Some("surprised"));
        assert_eq!(t.label(&e(0.1, 0.1, 0.7, 0.1)), Some("neutral"));
        // A talking face: angry on top, nothing confident: no value.
        assert_eq!(t.label(&e(0.1, 0.3, 0.2, 0.4)), None);
    }
}
