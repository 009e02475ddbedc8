//! The scan's face step: detection, head angle, border contact, face sharpness and framing
//! on the image the scan already decoded, and, when asked (`--identity`), the identity
//! embedding of the main face.
//!
//! [`FaceStep::load`] turns resolved [`FaceStepSettings`] into a ready step: it fetches the
//! pinned models on first use, picks the inference engine (ONNX Runtime, else tract; see
//! [`load`]), and reports what a person should hear about through [`FaceNotice`]s; the
//! binary prints them. [`FaceStep::analyse`] runs on one decoded image.

mod describe;
mod load;
mod reuse;

use image::{DynamicImage, RgbImage};
use zcurate_face::expression::ExpressionClassifier;
use zcurate_face::identity::Embedder;
use zcurate_face::pose::PoseThresholds;
use zcurate_face::{Backend, DetectorConfig, FaceDetector, FaceError};
use zcurate_framing::FramingThresholds;
use zcurate_manifest::{
    Face, FaceExpression, FaceSettings, FaceSummary, Framing, IdentityEmbedding, ImageRecord,
};

pub use describe::BORDER_MARGIN_PX;
pub use load::{
    EXPRESSION_MODEL, FaceNotice, FaceStepError, FaceStepSettings, IDENTITY_MODEL, ORT_RUNTIME,
};
pub use reuse::{engines_agree_on, results_key, same_face_results};

/// Faces, framing and (with `--identity`) the main face's embedding of one image.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceOutcome {
    pub faces: Vec<Face>,
    pub summary: FaceSummary,
    pub framing: Framing,
    /// The main face's identity embedding, when the step embeds and there is a main face.
    pub identity: Option<IdentityEmbedding>,
}

/// A loaded face step, shared by the scan's threads.
pub struct FaceStep {
    detector: Box<dyn FaceDetector>,
    model_sha256: String,
    pose: PoseThresholds,
    framing: FramingThresholds,
    embedder: Option<Embedder>,
    /// The expression model and the sha256 of its file, run on the main face.
    expression: Option<(ExpressionClassifier, String)>,
}

impl std::fmt::Debug for FaceStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceStep")
            .field("config", self.detector.config())
            .field("identity", &self.embedder.is_some())
            .field("expression", &self.expression.is_some())
            .finish_non_exhaustive()
    }
}

impl FaceStep {
    /// A step from a detector loaded by the caller (tests and benchmarks; a scan uses
    /// [`FaceStep::load`]). `model_sha256` is the detector model's, recorded in the manifest.
    pub fn new(
        detector: Box<dyn FaceDetector>,
        model_sha256: impl Into<String>,
        pose: PoseThresholds,
        framing: FramingThresholds,
        embedder: Option<Embedder>,
    ) -> Self {
        Self {
            detector,
            model_sha256: model_sha256.into(),
            pose,
            framing,
            embedder,
            expression: None,
        }
    }

    /// The step, also classifying the main face's expression with `model` (whose file
    /// hashes to `sha256`, recorded with each expression).
    #[must_use]
    pub fn with_expression(
        mut self,
        model: ExpressionClassifier,
        sha256: impl Into<String>,
    ) -> Self {
        self.expression = Some((model, sha256.into()));
        self
    }

    /// The detector's configuration (its `backend` is the engine actually used).
    pub fn config(&self) -> &DetectorConfig {
        self.detector.config()
    }

    /// The detector, for callers that detect in images outside a scan (`zcurate evaluate`).
    pub fn detector(&self) -> &dyn FaceDetector {
        self.detector.as_ref()
    }

    /// The identity embedder, when the step embeds faces.
    pub fn embedder(&self) -> Option<&Embedder> {
        self.embedder.as_ref()
    }

    /// The engine the detector runs on.
    pub fn backend(&self) -> Backend {
        self.config().backend
    }

    /// sha256 of the identity model, when the step embeds faces.
    pub fn identity_model(&self) -> Option<&str> {
        self.embedder.as_ref().map(Embedder::model_sha256)
    }

    /// The settings recorded in the manifest. Any threshold that changes recorded facts is in
    /// them, so a change re-analyses cached records ([`same_face_results`] says when).
    pub fn settings(&self) -> FaceSettings {
        let c = self.config();
        FaceSettings {
            detector: c.kind.name().to_owned(),
            model_sha256: self.model_sha256.clone(),
            backend: c.backend.to_string(),
            det_size: c.det_size,
            score_threshold: c.score_threshold,
            nms_iou: c.nms_iou,
            adaptive: c.adaptive.enabled,
            first_pass: c.adaptive.first_pass,
            retry_below_face_ratio: c.adaptive.retry_below_face_ratio,
            framing_key: self.framing_key(),
        }
    }

    /// Everything besides the detector that changes recorded facts: a change re-analyses
    /// cached records.
    fn framing_key(&self) -> String {
        let mut key = format!("{:?}|{:?}", self.pose, self.framing);
        if let Some((_, sha)) = &self.expression {
            key.push_str("|expression ");
            key.push_str(sha);
        }
        key
    }

    /// Detects faces, classifies framing and, when the step embeds, embeds the main face.
    /// `working`, when the caller has one, is a small RGB copy of the same image (the scan's,
    /// see `zcurate_image::analyse_keep_working`), for detection passes that need no more
    /// pixels than it has.
    pub fn analyse(
        &self,
        image: &DynamicImage,
        working: Option<&RgbImage>,
    ) -> Result<FaceOutcome, FaceError> {
        let detections = self.detector.detect_with_preview(image, working)?;
        let mut d = describe::describe(
            image,
            &detections,
            self.config().score_threshold,
            &self.pose,
            &self.framing,
        );
        if let (Some((model, sha)), Some(i)) = (&self.expression, d.summary.main) {
            // An expression that cannot be classified is left unknown, not an error of the
            // image: captions then simply carry no expression words.
            d.faces[i].expression = model.classify(image, &detections[i]).ok().map(|p| {
                FaceExpression::from_probabilities(sha, p.map(|v| (v * 1000.0).round() / 1000.0))
            });
        }
        let main = d.summary.main.and_then(|i| d.faces.get(i));
        let identity = match (&self.embedder, main) {
            (Some(e), Some(face)) => Some(embed(e, image, face)?),
            _ => None,
        };
        Ok(FaceOutcome {
            faces: d.faces,
            summary: d.summary,
            framing: d.framing,
            identity,
        })
    }

    /// Whether `record` (analysed earlier, its faces kept) lacks the identity embedding this
    /// step would give it: the step embeds, there is a main face, and no current embedding.
    pub fn needs_identity(&self, record: &ImageRecord) -> bool {
        self.identity_model().is_some_and(|sha| {
            record.main_face().is_some() && record.current_identity(Some(sha)).is_none()
        })
    }

    /// Embeds `record`'s main face from `image`, the decoded file the record describes.
    /// `Ok(None)` when the step does not embed or the record has no main face.
    pub fn embed_record(
        &self,
        image: &DynamicImage,
        record: &ImageRecord,
    ) -> Result<Option<IdentityEmbedding>, FaceError> {
        match (&self.embedder, record.main_face()) {
            (Some(e), Some(face)) => embed(e, image, face).map(Some),
            _ => Ok(None),
        }
    }
}

/// The embedding of the recorded `face`. It uses the recorded (rounded) landmarks, so an
/// embedding made later from a cached record equals one made during detection.
fn embed(
    embedder: &Embedder,
    image: &DynamicImage,
    face: &Face,
) -> Result<IdentityEmbedding, FaceError> {
    Ok(IdentityEmbedding {
        model_sha256: embedder.model_sha256().to_owned(),
        bbox: face.bbox,
        embedding: embedder.embed(image, &face.landmarks)?,
    })
}
