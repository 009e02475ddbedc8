//! Per-family model I/O: input layout, output names and decoding into candidates.

pub(crate) mod centerface;
pub(crate) mod retinaface;
pub(crate) mod yunet;

use crate::config::DetectorKind;
use crate::error::FaceError;
use crate::nms::Candidate;
use crate::preprocess::PixelFormat;
use zcurate_infer::Output;

/// Decodes raw outputs (in [`ModelSpec::outputs`] order) for a `w × h` input into candidates
/// scoring at least `score_threshold`, in model-input pixels, before NMS.
pub(crate) type DecodeFn = fn(
    outputs: &[Output],
    w: u32,
    h: u32,
    score_threshold: f32,
) -> Result<Vec<Candidate>, FaceError>;

/// What differs between model families.
#[derive(Debug)]
pub(crate) struct ModelSpec {
    pub name: &'static str,
    pub input: &'static str,
    pub outputs: &'static [&'static str],
    pub format: PixelFormat,
    pub decode: DecodeFn,
}

pub(crate) fn spec(kind: DetectorKind) -> &'static ModelSpec {
    match kind {
        DetectorKind::YuNet => &yunet::SPEC,
        DetectorKind::CenterFace => &centerface::SPEC,
        DetectorKind::RetinaFace => &retinaface::SPEC,
    }
}

/// Checks that output `i` holds exactly `len` values.
pub(crate) fn expect_len<'a>(
    model: &'static str,
    outputs: &'a [Output],
    i: usize,
    len: usize,
) -> Result<&'a [f32], FaceError> {
    let out = outputs.get(i).ok_or_else(|| FaceError::Output {
        model,
        reason: format!("missing output {i}"),
    })?;
    if out.data.len() == len {
        Ok(&out.data)
    } else {
        Err(FaceError::Output {
            model,
            reason: format!(
                "output {i} has shape {:?} ({} values), expected {len} values",
                out.shape,
                out.data.len()
            ),
        })
    }
}
