//! Detect and embed one decoded image: the only place `zcurate evaluate` touches the face
//! models: the scan's detector and ArcFace embedder (`zcurate_face`, on the engine the scan
//! chose).

use image::DynamicImage;
use zcurate_face::FaceDetector;
use zcurate_face::identity::Embedder;

/// Faces whose box is shorter than this are not embedded, except the main face: ArcFace
/// reads a 112 × 112 crop, and a face a third of that is an upscaled blur whose embedding
/// says little about who it is. Counting such faces in a crowd as "not the subject" would
/// hide bleeding.
pub const MIN_EMBED_FACE_PX: f32 = 32.0;

/// Most faces embedded per image, largest first: a crowd in one neutral sample must not
/// outweigh the other samples of its checkpoint, and each embedding costs time.
pub const MAX_EMBEDDED_FACES: usize = 8;

/// The face models, loaded once and shared by the worker threads.
pub struct FaceModels<'a> {
    pub detector: &'a dyn FaceDetector,
    pub embedder: &'a Embedder,
    /// Detector score from which a detection counts as a face (the scan's threshold).
    pub min_score: f32,
}

/// A face found in a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundFace {
    /// `x, y, w, h` in the image's pixels.
    pub bbox: [f32; 4],
    pub score: f32,
    /// The image's main face: the largest confident one.
    pub main: bool,
    /// The L2-normalised ArcFace embedding, when this face was embedded.
    pub embedding: Option<Vec<f32>>,
}

impl FaceModels<'_> {
    /// The confident faces of `image`, main face first, with the main face embedded, and
    /// with `every_face` the others too (up to [`MAX_EMBEDDED_FACES`], none under
    /// [`MIN_EMBED_FACE_PX`]).
    pub fn detect_and_embed(
        &self,
        image: &DynamicImage,
        every_face: bool,
    ) -> Result<Vec<FoundFace>, String> {
        let detections = self.detector.detect(image).map_err(|e| e.to_string())?;
        let main = zcurate_face::main_subject(&detections, self.min_score);
        let mut order: Vec<usize> = detections
            .iter()
            .enumerate()
            .filter(|(_, d)| d.score >= self.min_score)
            .map(|(i, _)| i)
            .collect();
        // Main face first, then the rest as the detector orders them (largest first).
        order.sort_by_key(|&i| Some(i) != main);
        let mut embedded = 0;
        let mut out = Vec::with_capacity(order.len());
        for i in order {
            let d = &detections[i];
            let is_main = Some(i) == main;
            let wanted =
                is_main || every_face && embedded < MAX_EMBEDDED_FACES && d.h >= MIN_EMBED_FACE_PX;
            // Degenerate landmarks (all on one point) cannot be aligned: the face stays
            // counted but unembedded.
            let embedding = if wanted {
                self.embedder.embed(image, &d.landmarks).ok()
            } else {
                None
            };
            embedded += usize::from(embedding.is_some());
            out.push(FoundFace {
                bbox: [d.x, d.y, d.w, d.h],
                score: d.score,
                main: is_main,
                embedding,
            });
        }
        Ok(out)
    }
}
