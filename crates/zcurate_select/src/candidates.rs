//! Candidates: every usable source image as it is, plus the crops the profile wants that can
//! be cut from it, each with the facts the choice reads. Geometry comes from the crop planner
//! (`zcurate_crop::plan_face`), the same one `zcurate crop` and the renderer use.

use serde::Serialize;
use zcurate_caption::{ExpressionThresholds, ParseContext, Schema};
use zcurate_crop::CropPlan;
use zcurate_manifest::{AngleLabel, Face, FramingClass, ImageRecord, Manifest};

use crate::exclude::Exclusion;
use crate::settings::SelectSettings;

/// What a candidate is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The source image as it is (hard-linked into the output).
    Original,
    /// A crop of the source image, rendered into the output.
    Crop,
}

/// One image that could go into the set.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// `img.jpg` for the original, `img.jpg@close-up` for a crop: unique, stable.
    pub id: String,
    /// Index of the source record in the manifest.
    pub record: usize,
    /// The source image, relative to the source folder.
    pub source: String,
    pub kind: Kind,
    /// The framing class the candidate shows (for a crop: what the classifier expects of it).
    pub framing: FramingClass,
    /// The crop's geometry, for crops.
    pub crop: Option<CropPlan>,
    /// Width and height of the candidate as it would be written.
    pub width: u32,
    pub height: u32,
    /// Main-face height in pixels at the profile's training resolution (as lint's FACE003
    /// measures it).
    pub face_px: f64,
    /// Sharpness inside the face box (manifest `faces[].sharpness`).
    pub face_sharpness: f64,
    /// Whole-image sharpness; `None` for crops (their face sharpness stands for it).
    pub sharpness: Option<f64>,
    /// Mean luma and its standard deviation, 0 to 1 (of the source image).
    pub brightness: Option<f64>,
    pub contrast: Option<f64>,
    /// Lighting label as the captions name it (`low-key`, `high-key`, ...), or `None` for
    /// ordinary light.
    pub lighting: Option<&'static str>,
    pub angle: Option<AngleLabel>,
    /// Facial expression where known (from the caption), else `None`.
    pub expression: Option<String>,
    /// Cosine similarity of the face to the set's medoid face, with `--identity`.
    pub identity: Option<f32>,
    pub grey: bool,
    /// The photo this candidate shows, as the first source path of its group (set by the
    /// exclusion pass: crops, mirrored and grey copies of one photo share it).
    pub shot: String,
    /// 0 to 1: face size, face sharpness and resolution against the profile's needs.
    pub quality: f64,
    /// Why it cannot go into the set, if it cannot.
    pub exclusion: Option<Exclusion>,
}

impl Candidate {
    /// Short side as written.
    pub fn short_side(&self) -> u32 {
        self.width.min(self.height)
    }
}

/// The main subject's face of a record, if detection found one.
pub fn main_face(r: &ImageRecord) -> Option<&Face> {
    let i = r.face_summary?.main?;
    r.faces.as_ref()?.get(i)
}

/// The classes the profile asks for: those in a framing target with a lower bound (a
/// minimum share or count). A class the profile only caps (the face profile's knee-up and
/// full-body, at most 5 %) is not chosen; its crops to wanted classes are.
pub fn wanted_classes(settings: &SelectSettings) -> Vec<FramingClass> {
    let mut out: Vec<FramingClass> = settings
        .thresholds
        .framing_targets
        .iter()
        .filter(|t| t.min.is_some_and(|m| m > 0.0) || t.min_count.is_some_and(|m| m > 0))
        .flat_map(|t| t.classes.iter().copied())
        .filter(|c| *c != FramingClass::NoFace)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Main-face height at the training resolution: the trainer scales an image to about
/// `resolution²` pixels of area, never up (lint's FACE003 measures the same).
pub fn face_px_at(face_height: f64, width: u32, height: u32, resolution: u32) -> f64 {
    let area = f64::from(width) * f64::from(height);
    let scale = (f64::from(resolution) / area.sqrt()).min(1.0);
    face_height * scale
}

/// The expression known for each record: the one its caption names (read with the caption
/// schema's own parser), else the label of the main face's expression as the scan measured
/// it, read with the caption thresholds `expression` (as `zcurate caption` would write it).
/// `None` where neither says. A person's caption wins over the model: it was checked by eye.
pub fn known_expressions(
    manifest: &Manifest,
    schema: &Schema,
    trigger: Option<&str>,
    class: Option<&str>,
    expression: &ExpressionThresholds,
) -> Vec<Option<String>> {
    let ctx = ParseContext { trigger, class };
    manifest
        .images
        .iter()
        .map(|r| {
            let from_caption = r.caption.as_deref().and_then(|text| {
                zcurate_caption::parse(schema, &ctx, text)
                    .values
                    .get("expression")
                    .cloned()
            });
            from_caption.or_else(|| {
                main_face(r)
                    .and_then(|f| f.expression.as_ref())
                    .and_then(|e| expression.label(e))
                    .map(str::to_owned)
            })
        })
        .collect()
}

/// Every candidate of `manifest`: per decoded record with a main face, the original and the
/// crops to each wanted class tighter than the record's own. Records without a usable face
/// (or with a scan error) give one candidate, the original, so that the reason is recorded.
pub fn build(
    manifest: &Manifest,
    settings: &SelectSettings,
    expressions: &[Option<String>],
    identity: Option<&std::collections::BTreeMap<usize, f32>>,
) -> Vec<Candidate> {
    let wanted = wanted_classes(settings);
    let t = &settings.thresholds;
    let mut out = Vec::new();
    for (i, r) in manifest.images.iter().enumerate() {
        let face = main_face(r);
        let class = r.framing.as_ref().map_or(FramingClass::NoFace, |f| f.class);
        let (w, h) = (r.width.unwrap_or(0), r.height.unwrap_or(0));
        let lighting = match (r.brightness, r.contrast) {
            (Some(b), Some(c)) => settings.lighting.label(b, c, r.clipped_dark),
            _ => None,
        };
        let base = Candidate {
            id: r.path.clone(),
            record: i,
            source: r.path.clone(),
            kind: Kind::Original,
            framing: class,
            crop: None,
            width: w,
            height: h,
            face_px: face.map_or(0.0, |f| {
                face_px_at(f64::from(f.height_px), w, h, t.training_resolution)
            }),
            face_sharpness: face.map_or(0.0, |f| f.sharpness),
            sharpness: r.sharpness,
            brightness: r.brightness,
            contrast: r.contrast,
            lighting,
            angle: face.and_then(|f| f.angle),
            expression: expressions.get(i).cloned().flatten(),
            identity: identity.and_then(|m| m.get(&i).copied()),
            grey: r.grey.unwrap_or(false),
            shot: r.path.clone(),
            quality: 0.0,
            exclusion: None,
        };
        let usable = r.is_decoded() && r.error.is_none() && face.is_some();
        let mut crops = Vec::new();
        if usable && let (Some(face), Some(rank)) = (face, class.rank()) {
            let index = r.face_summary.and_then(|s| s.main).unwrap_or(0);
            for &c in &wanted {
                if c.rank().is_none_or(|k| k >= rank) {
                    continue;
                }
                let options = settings.crop.options(c);
                let Ok(plan) = zcurate_crop::plan_face(w, h, face, index, &options) else {
                    continue;
                };
                // A photo that cannot give the class (too narrow, too short) gives a crop of
                // another class, which the original or another crop already covers.
                if !plan.framing.reached {
                    continue;
                }
                let fb = plan.face_box_out;
                crops.push(Candidate {
                    id: format!("{}@{}", r.path, c.as_str()),
                    kind: Kind::Crop,
                    framing: c,
                    width: plan.width,
                    height: plan.height,
                    face_px: face_px_at(
                        f64::from(fb[3]),
                        plan.width,
                        plan.height,
                        t.training_resolution,
                    ),
                    sharpness: None,
                    crop: Some(plan),
                    ..base.clone()
                });
            }
        }
        out.push(base);
        out.extend(crops);
    }
    for c in &mut out {
        c.quality = quality(c, settings);
    }
    out
}

/// 0 to 1: how well the candidate meets the profile's needs for detail. Each part saturates
/// at what the profile asks for, so a bigger image than needed earns nothing more.
fn quality(c: &Candidate, settings: &SelectSettings) -> f64 {
    let t = &settings.thresholds;
    let sat = |v: f64, full: f64| (v / full).clamp(0.0, 1.0);
    let face = sat(c.face_px, 2.0 * t.min_face_px);
    let sharp = sat(c.face_sharpness, 4.0 * t.min_face_sharpness);
    let side = sat(f64::from(c.short_side()), f64::from(t.min_short_side));
    let colour = if c.grey { 0.0 } else { 1.0 };
    0.3 * face + 0.3 * sharp + 0.3 * side + 0.1 * colour
}
