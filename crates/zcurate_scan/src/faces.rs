use image::{DynamicImage, RgbImage};
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
    /// Detects faces and classifies framing. `working`, when the caller has one, is a small
    /// RGB copy of the same image (the scan's, see `zcurate_image::analyse_keep_working`), for
    /// detection passes that need no more pixels than it has.
    fn analyse(
        &self,
        image: &DynamicImage,
        working: Option<&RgbImage>,
    ) -> Result<FaceOutcome, String>;
}
