//! Face alignment for ArcFace: a similarity transform (rotation, uniform scale, translation)
//! taking the five detector landmarks onto InsightFace's 112 × 112 template.

use image::{DynamicImage, GenericImageView, Pixel, Rgb, RgbImage};

/// Side of the aligned face crop, in pixels.
pub const ALIGNED_SIZE: u32 = 112;

/// InsightFace's ArcFace landmark template at 112 × 112: the eye at image left (the
/// subject's right eye), the other eye, the nose tip, and the mouth corners in the same order.
pub const ARCFACE_TEMPLATE: [[f32; 2]; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// A 2 × 3 affine matrix `[[a, -b, tx], [b, a, ty]]` mapping image points to template points.
pub type Similarity = [[f32; 3]; 2];

// Single letters follow the maths (a, b for the scaled rotation, t for the translation).
#[allow(clippy::many_single_char_names)]
/// The least-squares similarity transform taking `src` onto `dst` (Umeyama without
/// reflection, in its closed 2-D form). `None` when the source points coincide.
pub fn similarity_transform(src: &[[f32; 2]; 5], dst: &[[f32; 2]; 5]) -> Option<Similarity> {
    let n = src.len() as f64;
    let mean = |pts: &[[f32; 2]; 5]| {
        let (sx, sy) = pts.iter().fold((0f64, 0f64), |(x, y), p| {
            (x + f64::from(p[0]), y + f64::from(p[1]))
        });
        (sx / n, sy / n)
    };
    let (mpx, mpy) = mean(src);
    let (mqx, mqy) = mean(dst);
    let (mut dot, mut cross, mut norm) = (0f64, 0f64, 0f64);
    for (p, q) in src.iter().zip(dst) {
        let (ax, ay) = (f64::from(p[0]) - mpx, f64::from(p[1]) - mpy);
        let (bx, by) = (f64::from(q[0]) - mqx, f64::from(q[1]) - mqy);
        dot += ax * bx + ay * by;
        cross += ax * by - ay * bx;
        norm += ax * ax + ay * ay;
    }
    if norm < 1e-9 {
        return None;
    }
    let a = dot / norm;
    let b = cross / norm;
    let tx = mqx - (a * mpx - b * mpy);
    let ty = mqy - (b * mpx + a * mpy);
    Some([
        [a as f32, -b as f32, tx as f32],
        [b as f32, a as f32, ty as f32],
    ])
}

/// Applies `m` to a point.
pub fn apply(m: &Similarity, p: [f32; 2]) -> [f32; 2] {
    [
        m[0][0] * p[0] + m[0][1] * p[1] + m[0][2],
        m[1][0] * p[0] + m[1][1] * p[1] + m[1][2],
    ]
}

#[allow(clippy::many_single_char_names)]
/// Warps `img` by `m` into a `size` × `size` RGB image, sampling bilinearly; outside the
/// source is black, as OpenCV's `warpAffine` default that InsightFace uses. Reads only the
/// pixels it samples, whatever the pixel type (a full-image conversion per face would cost
/// more than the embedding).
pub fn warp(img: &DynamicImage, m: &Similarity, size: u32) -> RgbImage {
    let (a, b) = (m[1][0], m[0][0]);
    let k = a * a + b * b;
    let (tx, ty) = (m[0][2], m[1][2]);
    // Inverse of [[b, -a], [a, b]] is [[b, a], [-a, b]] / k.
    let inv = |u: f32, v: f32| {
        let (x, y) = (u - tx, v - ty);
        ((b * x + a * y) / k, (-a * x + b * y) / k)
    };
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let rgb = |x: u32, y: u32| -> [u8; 3] {
        match img {
            DynamicImage::ImageRgb8(rgb) => rgb.get_pixel(x, y).0,
            other => other.get_pixel(x, y).to_rgb().0,
        }
    };
    let px = |x: i64, y: i64| -> [f32; 3] {
        if x < 0 || y < 0 || x >= w || y >= h {
            [0.0; 3]
        } else {
            let p = rgb(x as u32, y as u32);
            [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]
        }
    };
    RgbImage::from_fn(size, size, |u, v| {
        let (sx, sy) = inv(u as f32, v as f32);
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let (p00, p10, p01, p11) = (
            px(x0, y0),
            px(x0 + 1, y0),
            px(x0, y0 + 1),
            px(x0 + 1, y0 + 1),
        );
        let mut out = [0u8; 3];
        for c in 0..3 {
            let top = p00[c] * (1.0 - fx) + p10[c] * fx;
            let bottom = p01[c] * (1.0 - fx) + p11[c] * fx;
            out[c] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
        }
        Rgb(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_similarity() {
        // Template scaled by 3, rotated by 20°, shifted.
        let (s, r) = (3.0f32, 20f32.to_radians());
        let (c, si) = (s * r.cos(), s * r.sin());
        let src: [[f32; 2]; 5] =
            ARCFACE_TEMPLATE.map(|[x, y]| [c * x - si * y + 400.0, si * x + c * y + 100.0]);
        let m = similarity_transform(&src, &ARCFACE_TEMPLATE).unwrap();
        for (p, q) in src.iter().zip(&ARCFACE_TEMPLATE) {
            let got = apply(&m, *p);
            assert!(
                (got[0] - q[0]).abs() < 1e-3 && (got[1] - q[1]).abs() < 1e-3,
                "{got:?} vs {q:?}"
            );
        }
        // Scale is 1/3, the rotation −20°.
        let scale = (m[0][0].powi(2) + m[1][0].powi(2)).sqrt();
        assert!((scale - 1.0 / 3.0).abs() < 1e-5);
    }

    #[test]
    fn coincident_points_have_no_transform() {
        assert!(similarity_transform(&[[5.0, 5.0]; 5], &ARCFACE_TEMPLATE).is_none());
    }

    #[test]
    fn warp_maps_landmarks_onto_the_template() {
        // A white dot at each landmark of a face at 2× scale and offset (100, 50).
        let src: [[f32; 2]; 5] = ARCFACE_TEMPLATE.map(|[x, y]| [2.0 * x + 100.0, 2.0 * y + 50.0]);
        let mut img = RgbImage::new(500, 400);
        for [x, y] in src {
            for dy in -2..=2i32 {
                for dx in -2..=2i32 {
                    img.put_pixel(
                        (x as i32 + dx) as u32,
                        (y as i32 + dy) as u32,
                        Rgb([255; 3]),
                    );
                }
            }
        }
        let m = similarity_transform(&src, &ARCFACE_TEMPLATE).unwrap();
        let out = warp(&DynamicImage::ImageRgb8(img), &m, ALIGNED_SIZE);
        for [x, y] in ARCFACE_TEMPLATE {
            assert!(
                out.get_pixel(x.round() as u32, y.round() as u32)[0] > 200,
                "{x},{y}"
            );
        }
        assert_eq!(out.get_pixel(5, 5)[0], 0);
    }
}
