//! Sharpness: variance of the 3×3 Laplacian on a fixed-size grey image.
//!
//! Measuring at a fixed size makes the number independent of the file's resolution: the
//! same scene at 512 px and at 4000 px scores about the same, so one threshold works for a
//! whole dataset. It measures blur visible at that scale (motion blur, missed focus), not
//! pixel-level softness of a large file.

use image::{DynamicImage, GrayImage};

use crate::resize::{self, Filter};

/// Side of the square grey image that whole-image sharpness is measured on, in pixels.
///
/// Taken from the analysis working image (longest side
/// [`WORKING_MAX_SIDE`](crate::analysis::WORKING_MAX_SIDE)), squashed to a square so the
/// value depends on neither resolution nor aspect. 256 keeps face-scale detail and costs
/// about 65 k pixel operations.
pub const SHARPNESS_SIZE: u32 = 256;

/// Side of the square grey image that [`region_sharpness`] measures on, in pixels.
///
/// 112 px is the usual input size of face recognition models: enough for eyes and lashes,
/// and faces of very different sizes become comparable.
pub const REGION_SHARPNESS_SIZE: u32 = 112;

/// Variance of the 4-neighbour Laplacian `[0 1 0; 1 -4 1; 0 1 0]` over the interior
/// pixels, in 8-bit luma units squared (the OpenCV blur-detection convention).
///
/// Higher is sharper; a flat image gives 0. Images under 3 × 3 px give 0.
pub fn laplacian_variance(grey: &GrayImage) -> f64 {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let px = grey.as_raw();
    let mut sum = 0i64;
    let mut sum_sq = 0i64;
    for y in 1..h - 1 {
        let up = &px[(y - 1) * w..y * w];
        let row = &px[y * w..(y + 1) * w];
        let down = &px[(y + 1) * w..(y + 2) * w];
        // Per-row sums fit i32 for rows up to 2000 px (1020² × 2000 < 2³¹), which lets the
        // loop vectorise; longer rows fall back to i64 through chunking.
        for x0 in (1..w - 1).step_by(2000) {
            let x1 = (x0 + 2000).min(w - 1);
            let (mut s, mut q) = (0i32, 0i32);
            for x in x0..x1 {
                let l = i32::from(up[x])
                    + i32::from(down[x])
                    + i32::from(row[x - 1])
                    + i32::from(row[x + 1])
                    - 4 * i32::from(row[x]);
                s += l;
                q += l * l;
            }
            sum += i64::from(s);
            sum_sq += i64::from(q);
        }
    }
    let n = ((w - 2) * (h - 2)) as f64;
    let mean = sum as f64 / n;
    (sum_sq as f64 / n - mean * mean).max(0.0)
}

/// Sharpness of the whole image from its grey working image.
pub(crate) fn sharpness_of(grey_working: &GrayImage) -> f64 {
    laplacian_variance(&resize::resize_grey(
        grey_working,
        SHARPNESS_SIZE,
        SHARPNESS_SIZE,
        Filter::Bilinear,
    ))
}

/// Sharpness of a rectangle of `img` (e.g. a face box), measured at
/// [`REGION_SHARPNESS_SIZE`] square so faces of any size compare.
///
/// The rectangle is clamped to the image; `None` when nothing of it is left.
pub fn region_sharpness(img: &DynamicImage, x: u32, y: u32, w: u32, h: u32) -> Option<f64> {
    let x0 = x.min(img.width());
    let y0 = y.min(img.height());
    let x1 = x.saturating_add(w).min(img.width());
    let y1 = y.saturating_add(h).min(img.height());
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let region = resize::resize(
        img,
        REGION_SHARPNESS_SIZE,
        REGION_SHARPNESS_SIZE,
        Filter::Bilinear,
        Some((x0, y0, x1 - x0, y1 - y0)),
        false,
    );
    Some(laplacian_variance(&resize::into_luma8(region)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;
    use image::Luma;

    #[test]
    fn flat_and_tiny_images_score_zero() {
        assert_eq!(
            laplacian_variance(&GrayImage::from_pixel(50, 50, Luma([90]))),
            0.0
        );
        assert_eq!(laplacian_variance(&GrayImage::new(2, 100)), 0.0);
    }

    #[test]
    fn single_spike_matches_hand_computation() {
        // One bright pixel in a 5×5 image: Laplacian -4v at the spike, +v at 4 neighbours.
        let mut g = GrayImage::new(5, 5);
        g.put_pixel(2, 2, Luma([10]));
        let values = [-40.0, 10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0];
        let mean: f64 = values.iter().sum::<f64>() / 9.0;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 9.0;
        assert!((laplacian_variance(&g) - var).abs() < 1e-9);
    }

    #[test]
    fn region_is_clamped_and_empty_is_none() {
        let img = DynamicImage::ImageRgb8(test_util::scene(200, 100, 1));
        assert!(region_sharpness(&img, 150, 50, 500, 500).is_some());
        assert_eq!(region_sharpness(&img, 200, 0, 10, 10), None);
        assert_eq!(region_sharpness(&img, 10, 10, 0, 10), None);
        assert_eq!(
            region_sharpness(&img, u32::MAX, u32::MAX, u32::MAX, u32::MAX),
            None
        );
    }

    #[test]
    fn region_sharpness_is_resolution_independent_and_sees_blur() {
        let small = DynamicImage::ImageRgb8(test_util::scene(400, 400, 3));
        let large = DynamicImage::ImageRgb8(test_util::scene(1600, 1600, 3));
        let s = region_sharpness(&small, 100, 100, 200, 200).unwrap();
        let l = region_sharpness(&large, 400, 400, 800, 800).unwrap();
        assert!((s / l - 1.0).abs() < 0.25, "400 px: {s}, 1600 px: {l}");
        let blurred = large.blur(6.0);
        let b = region_sharpness(&blurred, 400, 400, 800, 800).unwrap();
        assert!(b < l / 3.0, "sharp {l}, blurred {b}");
    }
}
