//! Facts the manifest gives about an image, as labels that vocabulary terms claim
//! (`facts = [...]` in a term).

use zcurate_manifest::{AngleLabel, FramingClass, ImageRecord, Pitch};

use crate::options::{Fact, LightingOptions};

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

/// How manifest facts are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactSettings {
    /// Framing classes below this confidence are not used.
    pub min_framing_confidence: f32,
    pub lighting: LightingThresholds,
}

impl Default for FactSettings {
    fn default() -> Self {
        Self {
            min_framing_confidence: 0.4,
            lighting: LightingThresholds::default(),
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
        for f in [Fact::Framing, Fact::Angle, Fact::Tilt, Fact::Lighting] {
            assert_eq!(fact_label(&r, f, &s), None);
        }
    }
}
