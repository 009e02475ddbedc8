use image::DynamicImage;
use zcurate_manifest::{Face, FaceSettings, FaceSummary, Framing};

/// Faces and framing of one image.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceOutcome {
    pub faces: Vec<Face>,
    pub summary: FaceSummary,
    pub framing: Framing,
}

/// The face stage of a scan: runs on the image the scan already decoded. Implemented by the
/// binary over `zcurate_face` and `zcurate_framing`, so this crate stays free of models.
pub trait FaceStage: Sync {
    /// The settings recorded in the manifest; a change invalidates cached records.
    fn settings(&self) -> FaceSettings;
    /// Detects faces and classifies framing.
    fn analyse(&self, image: &DynamicImage) -> Result<FaceOutcome, String>;
}
