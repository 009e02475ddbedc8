//! Filling a schema's slots for one image, in priority order: the user's attributes, then the
//! trigger and class word, then the values read from the image's current caption, then
//! manifest facts, then defaults. Nothing is invented: a slot none of them fills stays empty,
//! and a required one is reported.

use std::collections::BTreeMap;

use serde::Serialize;
use zcurate_manifest::ImageRecord;

use crate::attributes::Attributes;
use crate::facts::{FactSettings, fact_label};
use crate::options::{Presence, Role};
use crate::parse::{ParseContext, ParsedCaption, parse};
use crate::schema::{Schema, collapse_spaces};

/// Where a slot's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The user's CSV or JSON sidecar.
    Attributes,
    /// `--trigger` or `caption.trigger`.
    Trigger,
    /// `--class-word` or `caption.class-word`.
    Class,
    /// The image's current caption, read with the schema (a slot the schema keeps).
    Caption,
    /// A fact from the manifest (framing, angle, tilt, lighting).
    Manifest,
    /// `[caption.defaults]` or the schema's default.
    Default,
}

impl Source {
    /// How the preview names the source.
    pub fn label(self) -> &'static str {
        match self {
            Self::Attributes => "attributes",
            Self::Trigger | Self::Class => "settings",
            Self::Caption => "old caption",
            Self::Manifest => "detected",
            Self::Default => "default",
        }
    }
}

/// One filled slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilledSlot {
    pub slot: String,
    pub value: String,
    pub source: Source,
    /// Detail of the source: `attrs.csv line 3`, `framing = head-shoulders`.
    pub origin: Option<String>,
}

/// The caption proposed for one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Image path, relative to the root.
    pub path: String,
    /// Filled slots, in schema order.
    pub slots: Vec<FilledSlot>,
    /// Required slots nothing filled.
    pub missing: Vec<String>,
    /// The caption text of the filled slots.
    pub text: String,
}

impl Proposal {
    /// Every required slot is filled; only complete captions are written.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    pub fn values(&self) -> BTreeMap<String, String> {
        self.slots
            .iter()
            .map(|s| (s.slot.clone(), s.value.clone()))
            .collect()
    }
}

/// What filling needs besides the schema and the image.
#[derive(Debug, Clone, Copy)]
pub struct FillContext<'a> {
    pub trigger: Option<&'a str>,
    pub class: Option<&'a str>,
    pub attributes: &'a Attributes,
    pub facts: FactSettings,
    /// Slots left out whatever fills them (`--drop hair`).
    pub dropped: &'a [String],
}

/// Fills the slots of `schema` for `record`. `current` is the image's current caption read
/// with the schema; its values fill the slots the schema keeps (not forbidden ones) before
/// detected facts do, so re-captioning keeps what the old caption knew.
pub fn propose(
    schema: &Schema,
    ctx: &FillContext<'_>,
    record: &ImageRecord,
    current: Option<&ParsedCaption>,
) -> Proposal {
    let mut slots = Vec::new();
    let mut missing = Vec::new();
    for slot in &schema.slots {
        if slot.presence == Presence::Forbidden || ctx.dropped.contains(&slot.name) {
            continue;
        }
        let filled = ctx
            .attributes
            .get(&record.path, &slot.name)
            .map(|g| (g.value.clone(), Source::Attributes, Some(g.origin.clone())))
            .or_else(|| match slot.role {
                Some(Role::Trigger) => ctx
                    .trigger
                    .map(|t| (collapse_spaces(t), Source::Trigger, None)),
                Some(Role::Class) => ctx.class.map(|c| (collapse_spaces(c), Source::Class, None)),
                None => None,
            })
            .or_else(|| {
                let value = current?.values.get(&slot.name)?;
                Some((value.clone(), Source::Caption, None))
            })
            .or_else(|| {
                let fact = slot.fact?;
                let label = fact_label(record, fact, &ctx.facts)?;
                let value = slot.vocabulary.as_ref()?.for_fact(label)?;
                Some((
                    value.to_owned(),
                    Source::Manifest,
                    Some(format!("{} = {label}", fact.as_str())),
                ))
            })
            .or_else(|| slot.default.clone().map(|d| (d, Source::Default, None)));
        match filled {
            Some((value, source, origin)) if !value.is_empty() => slots.push(FilledSlot {
                slot: slot.name.clone(),
                value,
                source,
                origin,
            }),
            _ if slot.presence == Presence::Required => missing.push(slot.name.clone()),
            _ => {}
        }
    }
    let values = slots
        .iter()
        .map(|s| (s.slot.clone(), s.value.clone()))
        .collect();
    Proposal {
        path: record.path.clone(),
        text: schema.render(&values),
        slots,
        missing,
    }
}

/// Why a proposed caption would not read back into the same slots with `--audit`
/// (empty when it does). Free text that could belong to two open slots is the usual cause.
pub fn round_trip_problems(
    schema: &Schema,
    ctx: &ParseContext<'_>,
    proposal: &Proposal,
) -> Vec<String> {
    let parsed = parse(schema, ctx, &proposal.text);
    let mut problems: Vec<String> = parsed
        .misfits
        .iter()
        .map(|m| format!("`{}`: {}", m.text, m.message))
        .collect();
    if problems.is_empty() {
        for s in &proposal.slots {
            let back = parsed.values.get(&s.slot);
            if back != Some(&s.value) {
                problems.push(format!(
                    "slot {} `{}` reads back as `{}`",
                    s.slot,
                    s.value,
                    back.map_or("nothing", String::as_str)
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use zcurate_manifest::{
        AngleLabel, BorderContact, Face, FaceSummary, Framing, FramingClass, Pitch,
    };

    use super::*;
    use crate::attributes::parse_csv;
    use crate::schema::Catalog;

    pub(crate) fn record(path: &str, framing: FramingClass, angle: AngleLabel) -> ImageRecord {
        ImageRecord {
            path: path.to_owned(),
            width: Some(512),
            height: Some(512),
            brightness: Some(0.45),
            contrast: Some(0.2),
            clipped_dark: Some(0.0),
            faces: Some(vec![Face {
                bbox: [0.0; 4],
                score: 0.9,
                landmarks: [[0.0; 2]; 5],
                roll_deg: Some(0.0),
                yaw: Some(0.0),
                angle: Some(angle),
                pitch: Some(Pitch::Down),
                height_px: 100.0,
                sharpness: 1.0,
                border: BorderContact::Inside,
                expression: None,
            }]),
            face_summary: Some(FaceSummary {
                main: Some(0),
                others: 0,
            }),
            framing: Some(Framing {
                class: framing,
                confidence: 0.9,
                evidence: None,
            }),
            ..ImageRecord::default()
        }
    }

    #[test]
    fn priority_order() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let images = ["a.png", "b.png"];
        let attrs = parse_csv(
            b"file,framing,expression\na.png,upper body,smile\n",
            "attrs.csv",
            face,
            &images,
        )
        .unwrap()
        .attributes;
        let ctx = FillContext {
            trigger: Some("zq"),
            class: Some("woman"),
            attributes: &attrs,
            facts: FactSettings::default(),
            dropped: &[],
        };
        let a = propose(
            face,
            &ctx,
            &record("a.png", FramingClass::CloseUp, AngleLabel::ThreeQuarterLeft),
            None,
        );
        assert_eq!(
            a.text,
            "zq woman, upper body, three-quarter view, looking down, smiling"
        );
        assert_eq!(a.slots[2].source, Source::Attributes);
        assert_eq!(a.slots[3].source, Source::Manifest);
        assert_eq!(
            a.slots[3].origin.as_deref(),
            Some("angle = three-quarter-left")
        );
        assert!(a.is_complete());

        let mut b = record("b.png", FramingClass::NoFace, AngleLabel::Front);
        b.faces = None;
        b.face_summary = None;
        b.brightness = Some(0.1);
        b.contrast = Some(0.05);
        let b = propose(face, &ctx, &b, None);
        assert_eq!(b.missing, ["framing", "angle"]);
        assert_eq!(b.text, "zq woman, dim light");
        assert!(
            round_trip_problems(
                face,
                &ParseContext {
                    trigger: Some("zq"),
                    class: Some("woman")
                },
                &b
            )
            .is_empty()
        );
    }

    #[test]
    fn defaults_and_missing_identity() {
        let options: crate::CaptionOptions =
            toml::from_str(r#"defaults = { lighting = "soft light", expression = "neutral" }"#)
                .unwrap();
        let c = Catalog::new(&options).unwrap();
        let face = c.get("face").unwrap();
        let attrs = Attributes::default();
        let ctx = FillContext {
            trigger: None,
            class: None,
            attributes: &attrs,
            facts: FactSettings::default(),
            dropped: &[],
        };
        let p = propose(
            face,
            &ctx,
            &record("a.png", FramingClass::HeadShoulders, AngleLabel::Front),
            None,
        );
        assert_eq!(p.missing, ["trigger", "class"]);
        assert_eq!(
            p.text,
            "head and shoulders, front view, looking down, neutral expression, soft light"
        );
        assert_eq!(p.slots.last().unwrap().source, Source::Default);
    }

    #[test]
    fn ambiguous_free_text_is_flagged_before_writing() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let attrs = parse_csv(
            b"file,accessories\na.png,star pin\n",
            "attrs.csv",
            face,
            &["a.png"],
        )
        .unwrap()
        .attributes;
        let ctx = FillContext {
            trigger: Some("zq"),
            class: Some("woman"),
            attributes: &attrs,
            facts: FactSettings::default(),
            dropped: &[],
        };
        let p = propose(
            face,
            &ctx,
            &record("a.png", FramingClass::CloseUp, AngleLabel::Front),
            None,
        );
        let pctx = ParseContext {
            trigger: Some("zq"),
            class: Some("woman"),
        };
        let problems = round_trip_problems(face, &pctx, &p);
        assert_eq!(
            problems,
            ["`star pin`: free text that could be hair or accessories"]
        );
    }

    #[test]
    fn old_caption_values_come_before_detected_facts() {
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let attrs = parse_csv(
            b"file,lighting\na.png,soft light\n",
            "attrs.csv",
            face,
            &["a.png"],
        )
        .unwrap()
        .attributes;
        let ctx = FillContext {
            trigger: Some("zq"),
            class: Some("woman"),
            attributes: &attrs,
            facts: FactSettings::default(),
            dropped: &[],
        };
        let pctx = ParseContext {
            trigger: Some("zq"),
            class: Some("woman"),
        };
        let old = parse(
            face,
            &pctx,
            "zq woman, close-up, smiling, red dress, dim light, on a beach",
        );
        let r = record("a.png", FramingClass::HeadShoulders, AngleLabel::Front);
        let p = propose(face, &ctx, &r, Some(&old));
        // framing and expression from the old caption, angle and tilt detected, lighting
        // from the attributes; the dress and the beach are forbidden and dropped.
        assert_eq!(
            p.text,
            "zq woman, close-up, front view, looking down, smiling, soft light"
        );
        let sources: Vec<(&str, Source)> = p
            .slots
            .iter()
            .map(|s| (s.slot.as_str(), s.source))
            .collect();
        assert_eq!(
            sources,
            [
                ("trigger", Source::Trigger),
                ("class", Source::Class),
                ("framing", Source::Caption),
                ("angle", Source::Manifest),
                ("tilt", Source::Manifest),
                ("expression", Source::Caption),
                ("lighting", Source::Attributes),
            ]
        );
    }
}
