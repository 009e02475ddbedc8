//! The detector trait and the one implementation shared by every model family.

use image::{DynamicImage, RgbImage};
use zcurate_infer::{Backend, Model, ModelIo};

use crate::config::DetectorConfig;
use crate::detection::{Detection, sort_by_area};
use crate::error::FaceError;
use crate::models::{self, ModelSpec};
use crate::nms::nms;
use crate::preprocess::{Letterbox, STRIDE, prepare, prepare_from_rgb};

/// Finds faces in a decoded image. Implementations are shared across threads.
pub trait FaceDetector: Send + Sync {
    /// Faces in `img`, in its own pixels, largest box first. `img` is the decoded,
    /// EXIF-oriented image; any pixel type works.
    fn detect(&self, img: &DynamicImage) -> Result<Vec<Detection>, FaceError> {
        self.detect_with_preview(img, None)
    }

    /// [`detect`](Self::detect), given a smaller RGB copy of the same picture (same aspect
    /// ratio up to rounding): a pass whose model input is no larger than `preview` resizes
    /// from it rather than from `img`, which saves reading every full-resolution pixel again
    /// when the caller has downscaled the image already. Results are in `img`'s pixels.
    fn detect_with_preview(
        &self,
        img: &DynamicImage,
        preview: Option<&RgbImage>,
    ) -> Result<Vec<Detection>, FaceError>;

    /// The configuration the detector was built with.
    fn config(&self) -> &DetectorConfig;
}

/// Loads the model in `config` on its backend. The model is parsed once; each engine prepares
/// itself once per input shape (tract builds an optimised plan), shared by all threads.
pub fn load(config: &DetectorConfig) -> Result<Box<dyn FaceDetector>, FaceError> {
    config.validate()?;
    let spec = models::spec(config.kind);
    if config.backend == Backend::Ort
        && let Some(library) = &config.ort_library
    {
        zcurate_infer::load_onnx_runtime(library)?;
    }
    let io = ModelIo {
        input: spec.input,
        outputs: spec.outputs,
    };
    let model = Model::load(&config.model_path, config.backend, &io).map_err(|e| match e {
        zcurate_infer::InferError::Load { path, reason } => FaceError::Load {
            path,
            reason: format!("{reason} (a {} model was expected)", spec.name),
        },
        other => other.into(),
    })?;
    Ok(Box::new(ModelDetector {
        config: config.clone(),
        spec,
        model,
    }))
}

struct ModelDetector {
    config: DetectorConfig,
    spec: &'static ModelSpec,
    model: Model,
}

/// Inputs are padded up to a multiple of this many pixels on each side, so images of similar
/// aspect ratios share one optimised plan: at 640 the short side takes one of 10 values, at 320
/// one of 5. Building a plan costs about 0.07 s for YuNet, 0.1 s for RetinaFace and 0.2–0.4 s
/// for CenterFace (measured on the test photos), which a dataset of many aspect ratios would
/// otherwise pay for each of up to 20 shapes per size. The padding adds less than 64 pixels
/// to the short side: 0–7 % more pixels for 2:3, 3:4 and 9:16 photos at 640.
const SHAPE_STEP: u32 = 64;

impl ModelDetector {
    /// One pass with the longest side at `longest`.
    fn detect_at(
        &self,
        img: &DynamicImage,
        preview: Option<&RgbImage>,
        longest: u32,
    ) -> Result<Vec<Detection>, FaceError> {
        let lb = Letterbox::new(img.width(), img.height(), longest, SHAPE_STEP.max(STRIDE));
        let input = match preview {
            Some(p) if p.width() >= lb.resized_w && p.height() >= lb.resized_h => {
                prepare_from_rgb(p, &lb, &self.spec.format)?
            }
            _ => prepare(img, &lb, &self.spec.format)?,
        };
        let shape = [1, 3, lb.input_h as usize, lb.input_w as usize];
        let outputs = self.model.run(&shape, input)?;
        let candidates = (self.spec.decode)(
            &outputs,
            lb.input_w,
            lb.input_h,
            self.config.score_threshold,
        )?;
        let (w, h) = (img.width() as f32, img.height() as f32);
        let mut dets: Vec<Detection> = nms(candidates, self.config.nms_iou)
            .into_iter()
            .map(|c| {
                let [x1, y1] = lb.to_original([c.corners[0], c.corners[1]]);
                let [x2, y2] = lb.to_original([c.corners[2], c.corners[3]]);
                let landmarks = c.landmarks.map(|p| lb.to_original(p));
                Detection::from_corners([x1, y1, x2, y2], c.score, landmarks, w, h)
            })
            // Boxes that fall wholly in the padding are nothing.
            .filter(|d| d.w > 0.0 && d.h > 0.0)
            .collect();
        sort_by_area(&mut dets);
        Ok(dets)
    }
}

/// Whether a first-pass result may have missed faces: nothing found, or the largest face is
/// so small that its neighbours of similar size are near the detector's limit.
fn needs_full_pass(
    dets: &[Detection],
    img_w: u32,
    img_h: u32,
    retry_below_face_ratio: f32,
) -> bool {
    let longest = img_w.max(img_h) as f32;
    dets.iter()
        .map(|d| d.w.max(d.h))
        .fold(None, |m: Option<f32>, s| Some(m.map_or(s, |m| m.max(s))))
        .is_none_or(|largest| largest < retry_below_face_ratio * longest)
}

impl FaceDetector for ModelDetector {
    fn detect_with_preview(
        &self,
        img: &DynamicImage,
        preview: Option<&RgbImage>,
    ) -> Result<Vec<Detection>, FaceError> {
        if img.width() == 0 || img.height() == 0 {
            return Ok(Vec::new());
        }
        let a = self.config.adaptive;
        let longest = img.width().max(img.height());
        // The first pass only pays off when it is really smaller than the full one.
        if a.enabled && a.first_pass < self.config.det_size && a.first_pass < longest {
            let first = self.detect_at(img, preview, a.first_pass)?;
            if !needs_full_pass(&first, img.width(), img.height(), a.retry_below_face_ratio) {
                return Ok(first);
            }
        }
        self.detect_at(img, preview, self.config.det_size)
    }

    fn config(&self) -> &DetectorConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(side: f32) -> Detection {
        Detection::from_corners(
            [10.0, 10.0, 10.0 + side, 10.0 + side],
            0.9,
            [[0.0; 2]; 5],
            1000.0,
            1000.0,
        )
    }

    #[test]
    fn full_pass_when_nothing_or_only_small_faces() {
        assert!(needs_full_pass(&[], 1000, 500, 0.1));
        assert!(needs_full_pass(&[face(50.0), face(99.0)], 1000, 500, 0.1));
        assert!(!needs_full_pass(&[face(50.0), face(100.0)], 1000, 500, 0.1));
    }
}
