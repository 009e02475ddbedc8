//! The page's data model: everything the report shows, computed from the manifest and the
//! lint report, with no HTML in it. The page embeds it as JSON for its script (filters, the
//! detail view), and tests snapshot it on its own.

use std::collections::HashMap;

use serde::Serialize;
use zcurate_lint::{Report, Severity, TargetVerdict};
use zcurate_manifest::{AngleLabel, FramingClass, ImageRecord, Manifest};

/// Version of the embedded JSON (`<script id="zc-data">`); changes when a field changes
/// meaning or goes.
pub const FORMAT_VERSION: u32 = 1;

/// Head angles from the camera's left to its right, the order the spread chart uses.
pub const ANGLE_ORDER: [AngleLabel; 5] = [
    AngleLabel::ProfileLeft,
    AngleLabel::ThreeQuarterLeft,
    AngleLabel::Front,
    AngleLabel::ThreeQuarterRight,
    AngleLabel::ProfileRight,
];

/// What the caller knows that the manifest and the lint report do not.
#[derive(Debug, Clone, Copy)]
pub struct PageContext<'a> {
    /// The dataset folder as given on the command line.
    pub root: &'a str,
    /// zcurate's version.
    pub version: &'a str,
    /// URL (usually relative to the report file) of the dataset folder, for "open the
    /// original" links; `None` leaves them out.
    pub originals_href: Option<&'a str>,
}

/// The whole page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub format_version: u32,
    pub tool_version: String,
    pub root: String,
    pub originals_href: Option<String>,
    pub profile: String,
    pub verdict: Verdict,
    pub dataset: DatasetFacts,
    /// Every framing class, in class order.
    pub framing: Vec<ClassBar>,
    /// The lint summary's verdicts, in the page's form ([`page_targets`]).
    #[serde(serialize_with = "page_targets")]
    pub targets: Vec<TargetVerdict>,
    /// Measured caption slots that some caption fills or the profile does not want.
    pub slots: Vec<SlotBar>,
    pub max_unwanted_slot_entropy: f64,
    pub unwanted_word_share: Option<f64>,
    /// Main-face head angles in [`ANGLE_ORDER`].
    pub angles: Vec<AngleBar>,
    pub trigger: Option<String>,
    pub trigger_first: usize,
    pub class_word: Option<String>,
    /// Rules with findings, in rule order.
    pub rules: Vec<RuleGroup>,
    pub findings: Vec<FindingView>,
    pub skipped: Vec<SkippedView>,
    pub images: Vec<ImageView>,
    /// What `zcurate select` would make of the folder with this profile, when it can plan.
    pub select: Option<SelectSummary>,
}

/// The set `zcurate select` would choose, in brief.
#[derive(Debug, Clone, Serialize)]
pub struct SelectSummary {
    /// Images it would choose.
    pub chosen: usize,
    /// Chosen originals and crops.
    pub originals: usize,
    pub crops: usize,
    /// Every target met.
    pub met: bool,
    /// What the folder lacks, one sentence each.
    pub missing: Vec<String>,
}

/// What `zcurate select` would do with one source image.
#[derive(Debug, Clone, Serialize)]
pub struct SelectView {
    /// `keep` (the image as it is), `crop` (crops of it), `drop` or `spare`.
    pub decision: &'static str,
    /// `keep`, `crop: close-up, head-shoulders`, `drop: blurry face`, `spare`.
    pub label: String,
    /// Why, in a sentence (empty for `keep`).
    pub reason: String,
}

/// The gate: would `zcurate lint` with the same settings pass?
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub failed: bool,
    /// Lowest severity that fails the run.
    pub fail_on: &'static str,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetFacts {
    pub images: usize,
    pub usable: usize,
    pub captioned: usize,
    pub with_face: usize,
    pub faces_detected: bool,
    pub suppressed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassBar {
    pub class: &'static str,
    pub count: usize,
    /// Of the images that were classified.
    pub share: f64,
}

/// A target verdict as the page's script reads it: the label (`close-up + head-shoulders`),
/// the range (`≥ 70%`), the share bounds, the count, the share of the images with a face, and
/// whether it is met.
fn page_targets<S: serde::Serializer>(targets: &[TargetVerdict], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct TargetBar {
        label: String,
        range: String,
        min: Option<f64>,
        max: Option<f64>,
        count: usize,
        share: f64,
        ok: bool,
    }
    s.collect_seq(targets.iter().map(|t| TargetBar {
        label: t.target.label(),
        range: t.target.range_label(),
        min: t.target.min,
        max: t.target.max,
        count: t.count,
        share: t.share,
        ok: t.ok(),
    }))
}

#[derive(Debug, Clone, Serialize)]
pub struct SlotBar {
    pub slot: String,
    /// Shannon entropy of the slot's values, bits.
    pub entropy: f64,
    pub captions: usize,
    pub distinct: usize,
    /// The profile does not want this slot to vary.
    pub unwanted: bool,
    /// Unwanted, and its entropy is over the profile's maximum.
    pub over: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AngleBar {
    pub angle: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleGroup {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub summary: &'static str,
    /// Indices into [`Page::findings`].
    pub findings: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    /// Relative to the dataset folder; `None` for dataset-level findings.
    pub path: Option<String>,
    /// The image the finding is about (an image or its caption sidecar).
    pub image: Option<usize>,
    pub message: String,
    pub fix: Option<String>,
    pub value: Option<f64>,
    pub threshold: Option<f64>,
    /// Other files involved, and the images among them.
    pub files: Vec<String>,
    pub file_images: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedView {
    pub rules: Vec<&'static str>,
    pub reason: String,
}

/// One image on the contact sheet and in the detail view.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub path: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub framing: Option<&'static str>,
    pub framing_confidence: Option<f32>,
    pub angle: Option<&'static str>,
    /// Face boxes `[x, y, w, h]` in image pixels (after EXIF orientation).
    pub faces: Vec<FaceBox>,
    /// `kind: message` when the scan recorded a problem with the file.
    pub error: Option<String>,
    /// The image could not be decoded: no thumbnail, the error instead.
    pub undecoded: bool,
    pub caption: Option<String>,
    /// Indices into [`Page::findings`] naming this image (directly or among `files`).
    pub findings: Vec<usize>,
    /// Most severe of those findings.
    pub worst: Option<&'static str>,
    /// Every recorded field (the face embedding shortened to its length).
    pub record: serde_json::Value,
    /// What `zcurate select` would do with it.
    pub select: Option<SelectView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FaceBox {
    #[serde(rename = "box")]
    pub bbox: [f32; 4],
    pub main: bool,
    pub score: f32,
}

impl Page {
    /// Builds the page of `manifest` as linted into `report`.
    pub fn build(manifest: &Manifest, report: &Report, cx: &PageContext<'_>) -> Self {
        let s = &report.summary;
        let index = image_index(manifest);

        let classified: usize = s.framing.values().sum();
        let framing = FramingClass::ALL
            .iter()
            .map(|&class| {
                let count = s.framing.get(&class).copied().unwrap_or(0);
                ClassBar {
                    class: class.as_str(),
                    count,
                    share: share(count, classified),
                }
            })
            .collect();
        let targets = s.targets.clone();
        let slots = s
            .slots
            .iter()
            .filter(|stats| !stats.identity)
            .filter_map(|stats| {
                let unwanted = s.unwanted_slots.contains(&stats.name);
                (stats.filled > 0 || unwanted).then(|| SlotBar {
                    slot: stats.name.clone(),
                    entropy: stats.entropy_bits,
                    captions: stats.filled,
                    distinct: stats.distinct,
                    unwanted,
                    over: unwanted && stats.entropy_bits > s.max_unwanted_slot_entropy,
                })
            })
            .collect();
        let angles = ANGLE_ORDER
            .iter()
            .map(|&a| AngleBar {
                angle: a.as_str(),
                count: s
                    .angles
                    .iter()
                    .find(|(label, _)| *label == a)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();

        let findings: Vec<FindingView> = report
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.rule.code(),
                name: f.rule.name(),
                severity: f.severity.as_str(),
                path: f.path.clone(),
                image: f.path.as_deref().and_then(|p| index.get(p).copied()),
                message: f.message.clone(),
                fix: f.fix.clone(),
                value: f.value,
                threshold: f.threshold,
                files: f.files.clone(),
                file_images: f
                    .files
                    .iter()
                    .filter_map(|p| index.get(p.as_str()).copied())
                    .collect(),
            })
            .collect();

        let mut rules: Vec<RuleGroup> = Vec::new();
        let mut worst: Vec<Option<Severity>> = vec![None; manifest.images.len()];
        let mut per_image: Vec<Vec<usize>> = vec![Vec::new(); manifest.images.len()];
        for (k, (f, view)) in report.findings.iter().zip(&findings).enumerate() {
            match rules.last_mut() {
                Some(group) if group.code == f.rule.code() => {
                    group.findings.push(k);
                    if f.severity.as_str() != group.severity {
                        group.severity = max_severity(group.severity, f.severity);
                    }
                }
                _ => rules.push(RuleGroup {
                    code: f.rule.code(),
                    name: f.rule.name(),
                    severity: f.severity.as_str(),
                    summary: f.rule.meta().summary,
                    findings: vec![k],
                }),
            }
            for &i in view.image.iter().chain(&view.file_images) {
                if per_image[i].last() != Some(&k) {
                    per_image[i].push(k);
                }
                worst[i] = worst[i].max(Some(f.severity));
            }
        }

        let images = manifest
            .images
            .iter()
            .zip(per_image)
            .zip(worst)
            .map(|((r, findings), worst)| image_view(r, findings, worst.map(Severity::as_str)))
            .collect();

        Page {
            format_version: FORMAT_VERSION,
            tool_version: cx.version.to_owned(),
            root: cx.root.to_owned(),
            originals_href: cx.originals_href.map(str::to_owned),
            profile: s.profile.clone(),
            verdict: Verdict {
                failed: report.failed(),
                fail_on: report.fail_on.as_str(),
                errors: s.errors,
                warnings: s.warnings,
                infos: s.infos,
            },
            dataset: DatasetFacts {
                images: s.images,
                usable: s.usable,
                captioned: s.captioned,
                with_face: s.with_face,
                faces_detected: s.faces_detected,
                suppressed: s.suppressed,
            },
            framing,
            targets,
            slots,
            max_unwanted_slot_entropy: s.max_unwanted_slot_entropy,
            unwanted_word_share: s.unwanted_word_share,
            angles,
            trigger: s.trigger.as_ref().map(|t| t.text.clone()),
            trigger_first: s.trigger_first,
            class_word: s.class_word.clone(),
            rules,
            findings,
            skipped: s
                .skipped
                .iter()
                .map(|k| SkippedView {
                    rules: k.rules.iter().map(|r| r.code()).collect(),
                    reason: k.reason.clone(),
                })
                .collect(),
            images,
            select: None,
        }
    }
}

fn max_severity(current: &'static str, other: Severity) -> &'static str {
    let current: Severity = current.parse().unwrap_or(Severity::Info);
    current.max(other).as_str()
}

fn share(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// Image index by image path and by caption path (caption rules name the sidecar).
fn image_index(manifest: &Manifest) -> HashMap<&str, usize> {
    let mut index = HashMap::new();
    for (i, r) in manifest.images.iter().enumerate() {
        if let Some(c) = &r.caption_path {
            index.entry(c.as_str()).or_insert(i);
        }
    }
    // Image paths win over a caption path that happens to be equal.
    for (i, r) in manifest.images.iter().enumerate() {
        index.insert(r.path.as_str(), i);
    }
    index
}

fn image_view(r: &ImageRecord, findings: Vec<usize>, worst: Option<&'static str>) -> ImageView {
    let main = r.face_summary.and_then(|s| s.main);
    let faces = r
        .faces
        .iter()
        .flatten()
        .enumerate()
        .map(|(k, f)| FaceBox {
            bbox: f.bbox,
            main: main == Some(k),
            score: f.score,
        })
        .collect();
    let angle = main
        .and_then(|m| r.faces.as_ref()?.get(m)?.angle)
        .map(AngleLabel::as_str);
    let mut record = serde_json::to_value(r).unwrap_or(serde_json::Value::Null);
    // 512 floats say nothing to a person; keep the fact that an embedding exists.
    if let Some(id) = record.get_mut("identity").and_then(|v| v.as_object_mut())
        && let Some(n) = id.get("embedding").and_then(|e| e.as_array()).map(Vec::len)
    {
        id.insert("embedding".into(), format!("{n} values").into());
    }
    ImageView {
        path: r.path.clone(),
        width: r.width,
        height: r.height,
        framing: r.framing.as_ref().map(|f| f.class.as_str()),
        framing_confidence: r.framing.as_ref().map(|f| f.confidence),
        angle,
        faces,
        error: r.error.as_ref().map(|e| {
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{kind}: {}", e.message)
        }),
        undecoded: !r.is_decoded(),
        caption: r.caption.clone(),
        findings,
        worst,
        record,
        select: None,
    }
}

impl Page {
    /// Adds what `zcurate select` would make of the folder (`plan` of the same manifest):
    /// a summary, and per image whether it is kept, cropped, dropped or spare, and why.
    #[must_use]
    pub fn with_selection(mut self, plan: &zcurate_select::SelectPlan) -> Self {
        use zcurate_select::{Decision, Exclusion, Kind};
        let by_source = plan.by_source();
        for img in &mut self.images {
            let Some(entries) = by_source.get(img.path.as_str()) else {
                continue;
            };
            let chosen: Vec<usize> = entries
                .iter()
                .filter(|(_, d)| d.output().is_some())
                .map(|(i, _)| *i)
                .collect();
            let original = entries
                .iter()
                .find(|(i, _)| plan.candidates[*i].kind == Kind::Original);
            let view = if chosen
                .iter()
                .any(|&i| plan.candidates[i].kind == Kind::Original)
            {
                let crops: Vec<&str> = chosen
                    .iter()
                    .filter(|&&i| plan.candidates[i].kind == Kind::Crop)
                    .map(|&i| plan.candidates[i].framing.as_str())
                    .collect();
                SelectView {
                    decision: "keep",
                    label: if crops.is_empty() {
                        "keep".to_owned()
                    } else {
                        format!("keep + crop: {}", crops.join(", "))
                    },
                    reason: String::new(),
                }
            } else if !chosen.is_empty() {
                let crops: Vec<&str> = chosen
                    .iter()
                    .map(|&i| plan.candidates[i].framing.as_str())
                    .collect();
                SelectView {
                    decision: "crop",
                    label: format!("crop: {}", crops.join(", ")),
                    reason: original.and_then(|(_, d)| d.reason()).unwrap_or_default(),
                }
            } else {
                // The original's fate, unless it is only the wrong framing: then its crops'.
                let shown = original
                    .filter(|(_, d)| {
                        !matches!(
                            d,
                            Decision::Drop {
                                reason: Exclusion::FramingNotWanted { .. }
                            }
                        )
                    })
                    .or_else(|| {
                        entries
                            .iter()
                            .find(|(i, _)| plan.candidates[*i].kind == Kind::Crop)
                    })
                    .or(original);
                match shown {
                    Some((_, Decision::Drop { reason })) => SelectView {
                        decision: "drop",
                        label: format!("drop: {}", reason.code().replace('-', " ")),
                        reason: reason.to_string(),
                    },
                    Some((_, d)) => SelectView {
                        decision: "spare",
                        label: "spare".to_owned(),
                        reason: d.reason().unwrap_or_default(),
                    },
                    None => continue,
                }
            };
            img.select = Some(view);
        }
        let count = |k: Kind| {
            plan.chosen
                .iter()
                .filter(|&&i| plan.candidates[i].kind == k)
                .count()
        };
        self.select = Some(SelectSummary {
            chosen: plan.chosen.len(),
            originals: count(Kind::Original),
            crops: count(Kind::Crop),
            met: plan.met(),
            missing: plan.missing.clone(),
        });
        self
    }
}
