//! The scan's face stage: detection, head angle and framing on the image the scan already
//! decoded, turned into manifest records.

use std::fmt::Write;

use image::{DynamicImage, RgbImage};
use zcurate_face::expression::ExpressionClassifier;
use zcurate_face::pose::{self, PoseThresholds};
use zcurate_face::{Detection, DetectorConfig, FaceDetector};
use zcurate_framing::{FaceGeom, FramingInput, FramingThresholds};
use zcurate_manifest::{
    AngleLabel, BorderContact, Face, FaceExpression, FaceSettings, FaceSummary, Framing,
    FramingClass, FramingEvidence, Pitch,
};
use zcurate_scan::{FaceOutcome, FaceStage};

/// Pixels from an edge within which a face box counts as touching the border.
pub(crate) const BORDER_MARGIN_PX: f32 = 2.0;

pub(crate) struct DetectorStage {
    pub(crate) detector: Box<dyn FaceDetector>,
    pub(crate) config: DetectorConfig,
    pub(crate) model_sha256: String,
    pub(crate) pose: PoseThresholds,
    pub(crate) framing: FramingThresholds,
    /// The expression model and its sha256, run on the main face.
    pub(crate) expression: Option<(ExpressionClassifier, String)>,
}

impl FaceStage for DetectorStage {
    fn settings(&self) -> FaceSettings {
        // Any threshold that changes recorded facts goes into the key, so a change
        // re-analyses cached records.
        let mut key = String::new();
        let _ = write!(key, "{:?}|{:?}", self.pose, self.framing);
        if let Some((_, sha)) = &self.expression {
            let _ = write!(key, "|expression {sha}");
        }
        FaceSettings {
            detector: self.config.kind.name().to_owned(),
            model_sha256: self.model_sha256.clone(),
            backend: self.config.backend.to_string(),
            det_size: self.config.det_size,
            score_threshold: self.config.score_threshold,
            nms_iou: self.config.nms_iou,
            adaptive: self.config.adaptive.enabled,
            first_pass: self.config.adaptive.first_size,
            retry_below_face_ratio: self.config.adaptive.retry_below_face_ratio,
            framing_key: key,
        }
    }

    fn analyse(
        &self,
        image: &DynamicImage,
        working: Option<&RgbImage>,
    ) -> Result<FaceOutcome, String> {
        let detections = self
            .detector
            .detect_with_preview(image, working)
            .map_err(|e| e.to_string())?;
        let mut outcome = describe(
            image,
            &detections,
            self.config.score_threshold,
            &self.pose,
            &self.framing,
        );
        if let (Some((model, sha)), Some(main)) = (&self.expression, outcome.summary.main) {
            outcome.faces[main].expression =
                model.classify(image, &detections[main]).ok().map(|p| {
                    FaceExpression::from_probabilities(
                        sha,
                        p.map(|v| (v * 1000.0).round() / 1000.0),
                    )
                });
        }
        Ok(outcome)
    }
}

/// Manifest records for the detections of one image.
pub(crate) fn describe(
    image: &DynamicImage,
    detections: &[Detection],
    min_score: f32,
    pose_t: &PoseThresholds,
    framing_t: &FramingThresholds,
) -> FaceOutcome {
    let (w, h) = (image.width(), image.height());
    let faces: Vec<Face> = detections
        .iter()
        .map(|d| face_record(image, d, pose_t))
        .collect();
    let main = zcurate_face::main_subject(detections, min_score);
    let confident = detections.iter().filter(|d| d.score >= min_score).count();
    let summary = FaceSummary {
        main,
        others: confident.saturating_sub(usize::from(main.is_some())),
    };
    let input = FramingInput {
        image_width: w,
        image_height: h,
        face: main.map(|i| {
            let d = &detections[i];
            FaceGeom {
                x: d.x,
                y: d.y,
                w: d.w,
                h: d.h,
                landmarks: Some(d.landmarks),
                roll_deg: faces[i].roll_deg.unwrap_or(0.0),
            }
        }),
    };
    let result = zcurate_framing::classify(&input, framing_t);
    let class = match result.class {
        zcurate_framing::Framing::CloseUp => FramingClass::CloseUp,
        zcurate_framing::Framing::HeadShoulders => FramingClass::HeadShoulders,
        zcurate_framing::Framing::UpperBody => FramingClass::UpperBody,
        zcurate_framing::Framing::KneeUp => FramingClass::KneeUp,
        zcurate_framing::Framing::FullBody => FramingClass::FullBody,
        zcurate_framing::Framing::NoFace => FramingClass::NoFace,
    };
    let e = result.evidence;
    let framing = Framing {
        class,
        confidence: round(result.confidence),
        evidence: (class != FramingClass::NoFace).then(|| FramingEvidence {
            below_chin_heads: round(e.below_chin_heads),
            headroom_heads: round(e.headroom_heads),
            face_height_share: round(e.face_height_share),
            face_area_share: round(e.face_area_share),
            head_height_px: round(e.head_height_px),
            boundary_distance_heads: round(e.boundary_distance_heads),
            face_cut: e.face_cut,
        }),
    };
    FaceOutcome {
        faces,
        summary,
        framing,
    }
}

fn face_record(image: &DynamicImage, d: &Detection, pose_t: &PoseThresholds) -> Face {
    let (w, h) = (image.width(), image.height());
    let p = pose::estimate(d, pose_t);
    let border = if zcurate_face::cut_by_border(d, w, h) {
        BorderContact::Cut
    } else if zcurate_face::touches_border(d, w, h, BORDER_MARGIN_PX) {
        BorderContact::Touches
    } else {
        BorderContact::Inside
    };
    let sharpness = zcurate_image::region_sharpness(
        image,
        d.x.max(0.0) as u32,
        d.y.max(0.0) as u32,
        d.w.max(0.0) as u32,
        d.h.max(0.0) as u32,
    )
    .unwrap_or(0.0);
    Face {
        bbox: [round(d.x), round(d.y), round(d.w), round(d.h)],
        score: round(d.score),
        landmarks: d.landmarks.map(|[x, y]| [round(x), round(y)]),
        roll_deg: p.map(|p| round(p.roll_deg)),
        yaw: p.map(|p| round(p.yaw)),
        angle: p.map(|p| match p.angle {
            pose::AngleLabel::Front => AngleLabel::Front,
            pose::AngleLabel::ThreeQuarterLeft => AngleLabel::ThreeQuarterLeft,
            pose::AngleLabel::ThreeQuarterRight => AngleLabel::ThreeQuarterRight,
            pose::AngleLabel::ProfileLeft => AngleLabel::ProfileLeft,
            pose::AngleLabel::ProfileRight => AngleLabel::ProfileRight,
        }),
        pitch: p.and_then(|p| p.pitch).map(|q| match q {
            pose::PitchHint::Up => Pitch::Up,
            pose::PitchHint::Level => Pitch::Level,
            pose::PitchHint::Down => Pitch::Down,
        }),
        height_px: round(d.h),
        sharpness: (sharpness * 100.0).round() / 100.0,
        border,
        expression: None,
    }
}

/// Two decimals keep manifests readable and diffs stable.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Face settings resolved from flags, environment and `zcurate.toml`.
#[derive(Debug, Clone)]
pub(crate) struct FaceStageSettings {
    pub(crate) kind: zcurate_face::DetectorKind,
    pub(crate) model: Option<std::path::PathBuf>,
    pub(crate) det_size: u32,
    pub(crate) score_threshold: Option<f32>,
    pub(crate) nms_iou: Option<f32>,
    pub(crate) adaptive: zcurate_face::AdaptiveConfig,
    pub(crate) backend: zcurate_face::Backend,
    pub(crate) offline: bool,
    pub(crate) framing: FramingThresholds,
    /// Classify the main face's expression.
    pub(crate) expression: bool,
}

/// The cached, verified file of the pinned registry entry `name`, fetched first (with a note
/// on stderr) unless it is cached already or `offline` forbids it.
fn fetch_pinned(name: &str, what: &str, offline: bool) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    if !offline && !zcurate_models::is_verified(name) {
        let licence = zcurate_models::registry()
            .model(name)
            .map(|m| m.licence.spdx.clone())
            .unwrap_or_default();
        crate::printer::status(format!(
            "fetching {what} {name} ({licence}) on first use ..."
        ));
    }
    zcurate_models::fetch_model(
        name,
        &zcurate_models::FetchOptions {
            offline,
            allow_non_commercial: false,
        },
    )
    .map_err(|e| anyhow::anyhow!(zcurate_models::error_chain(&e)))
    .with_context(|| format!("cannot get {what} {name}"))
}

/// Loads the detector, fetching its pinned model (and ONNX Runtime for `--backend ort`) on
/// first use.
pub(crate) fn build(s: &FaceStageSettings) -> anyhow::Result<DetectorStage> {
    use anyhow::Context;
    let model_path = if let Some(p) = &s.model {
        p.clone()
    } else {
        fetch_pinned(s.kind.name(), "face detector model", s.offline)?
    };
    let model_sha256 = zcurate_models::sha256_file(&model_path)
        .with_context(|| format!("cannot read model {}", model_path.display()))?;
    let mut config = DetectorConfig::new(s.kind, &model_path);
    config.det_size = s.det_size;
    config.backend = s.backend;
    config.adaptive = s.adaptive;
    if let Some(t) = s.score_threshold {
        config.score_threshold = t;
    }
    if let Some(t) = s.nms_iou {
        config.nms_iou = t;
    }
    // ONNX Runtime from ORT_DYLIB_PATH when the user set it, else the pinned build that
    // `zcurate models fetch onnxruntime` caches, fetched on first use like the models.
    if s.backend == zcurate_face::Backend::Ort && zcurate_face::ort_library_from_env().is_none() {
        config.ort_library = Some(fetch_pinned("onnxruntime", "ONNX Runtime", s.offline)?);
    }
    let detector = zcurate_face::load(&config)
        .with_context(|| format!("cannot load face detector {}", model_path.display()))?;
    let expression = if s.expression {
        let path = fetch_pinned("fer", "expression model", s.offline)?;
        let sha = zcurate_models::registry().model("fer")?.sha256.clone();
        let model =
            ExpressionClassifier::load(&path, &sha, s.backend, config.ort_library.as_deref())
                .context("cannot load the expression model")?;
        Some((model, sha))
    } else {
        None
    };
    Ok(DetectorStage {
        detector,
        config,
        model_sha256,
        pose: PoseThresholds::default(),
        framing: s.framing,
        expression,
    })
}
