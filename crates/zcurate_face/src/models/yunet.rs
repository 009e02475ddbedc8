//! YuNet 2023mar: anchor-free, strides 8/16/32, one prediction per cell.
//!
//! Decoding follows OpenCV's `FaceDetectorYN` (`face_detect.cpp`): score = sqrt(cls · obj)
//! with both clamped to 0..=1; box centre = (cell + d) · stride, size = exp(d) · stride;
//! landmark = (cell + d) · stride. Its landmarks come as right eye, left eye, nose tip, right
//! and left mouth corner (the subject's), the canonical order here.

use super::{ModelSpec, expect_len};
use crate::error::FaceError;
use crate::nms::Candidate;
use crate::preprocess::{ChannelOrder, PixelFormat};
use zcurate_infer::Output;

const STRIDES: [u32; 3] = [8, 16, 32];

pub(crate) static SPEC: ModelSpec = ModelSpec {
    name: "yunet",
    input: "input",
    outputs: &[
        "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32",
        "kps_8", "kps_16", "kps_32",
    ],
    // OpenCV feeds the BGR image as is: 0..255, no mean.
    format: PixelFormat {
        order: ChannelOrder::Bgr,
        mean: [0.0; 3],
    },
    decode,
};

fn decode(
    outputs: &[Output],
    w: u32,
    h: u32,
    score_threshold: f32,
) -> Result<Vec<Candidate>, FaceError> {
    let mut out = Vec::new();
    for (i, stride) in STRIDES.into_iter().enumerate() {
        let (cols, rows) = ((w / stride) as usize, (h / stride) as usize);
        let n = cols * rows;
        let cls = expect_len("yunet", outputs, i, n)?;
        let obj = expect_len("yunet", outputs, i + 3, n)?;
        let bbox = expect_len("yunet", outputs, i + 6, 4 * n)?;
        let kps = expect_len("yunet", outputs, i + 9, 10 * n)?;
        let s = stride as f32;
        for idx in 0..n {
            let score = (cls[idx].clamp(0.0, 1.0) * obj[idx].clamp(0.0, 1.0)).sqrt();
            if score < score_threshold {
                continue;
            }
            let (c, r) = ((idx % cols) as f32, (idx / cols) as f32);
            let b = &bbox[idx * 4..idx * 4 + 4];
            let cx = (c + b[0]) * s;
            let cy = (r + b[1]) * s;
            let bw = b[2].exp() * s;
            let bh = b[3].exp() * s;
            let k = &kps[idx * 10..idx * 10 + 10];
            let landmarks = std::array::from_fn(|j| [(k[2 * j] + c) * s, (k[2 * j + 1] + r) * s]);
            out.push(Candidate {
                corners: [cx - bw / 2.0, cy - bh / 2.0, cx + bw / 2.0, cy + bh / 2.0],
                score,
                landmarks,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs for a 64×32 input with one confident cell at stride 16, column 2, row 1.
    fn synthetic() -> Vec<Output> {
        let mut outs = Vec::new();
        let sizes: Vec<usize> = STRIDES
            .iter()
            .map(|s| ((64 / s) * (32 / s)) as usize)
            .collect();
        for (per, fill) in [(1, 0.0), (1, 0.0), (4, 0.0), (10, 0.0)] {
            for &n in &sizes {
                outs.push(Output {
                    name: String::new(),
                    shape: vec![1, n, per],
                    data: vec![fill; n * per],
                });
            }
        }
        let cols = 4;
        let idx = cols + 2;
        outs[1].data[idx] = 0.81; // cls_16
        outs[4].data[idx] = 1.5; // obj_16, clamped to 1
        outs[7].data[idx * 4..idx * 4 + 4].copy_from_slice(&[0.5, 0.25, 0.0, 2f32.ln()]);
        outs[10].data[idx * 10] = -0.5;
        outs[10].data[idx * 10 + 1] = 0.5;
        outs
    }

    #[test]
    fn decodes_one_cell_like_opencv() {
        let c = decode(&synthetic(), 64, 32, 0.5).unwrap();
        assert_eq!(c.len(), 1);
        let c = c[0];
        assert!((c.score - 0.9).abs() < 1e-6);
        // Centre (2.5·16, 1.25·16) = (40, 20), size 16 × 32.
        assert_eq!(c.corners, [32.0, 4.0, 48.0, 36.0]);
        assert_eq!(c.landmarks[0], [24.0, 24.0]);
        assert_eq!(c.landmarks[1], [32.0, 16.0]);
        assert!(decode(&synthetic(), 64, 32, 0.95).unwrap().is_empty());
    }

    #[test]
    fn wrong_output_size_is_an_error() {
        assert!(decode(&synthetic(), 128, 32, 0.5).is_err());
    }
}
