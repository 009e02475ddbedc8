//! Perceptual hash (pHash, DCT variant), for near-duplicate detection.
//!
//! The image is reduced to [`PHASH_DCT_SIZE`]² grey, a 2-D DCT-II is taken, and the
//! [`PHASH_LOW_FREQ`]² lowest frequencies (the DC term included) are compared with their
//! median: bit = coefficient > median. Row-major order, first coefficient in the most
//! significant bit, which is the layout of Python imagehash's `phash`. The hashes are not
//! bit-identical to imagehash: the grey conversion (Rec.709 here) and downscale differ.
//!
//! Re-encoding or resizing moves a few bits; different pictures differ in about half.

use std::sync::LazyLock;

use image::{DynamicImage, GrayImage};

use crate::resize::{self, Filter};

/// Side of the grey image the DCT is taken over, in pixels.
pub const PHASH_DCT_SIZE: u32 = 32;

/// Low-frequency coefficients kept per axis: 8 × 8 = 64 bits.
pub const PHASH_LOW_FREQ: usize = 8;

const N: usize = PHASH_DCT_SIZE as usize;

/// Margin above the median for a bit to be set (pixel values are 0..255, sums of 1024).
const TIE_MARGIN: f64 = 1e-6;

/// `COS[k][n] = cos(π (2n + 1) k / 2N)`, the DCT-II basis for the kept frequencies.
static COS: LazyLock<[[f64; N]; PHASH_LOW_FREQ]> = LazyLock::new(|| {
    let mut table = [[0.0; N]; PHASH_LOW_FREQ];
    for (k, row) in table.iter_mut().enumerate() {
        for (n, c) in row.iter_mut().enumerate() {
            *c = (std::f64::consts::PI * (2 * n + 1) as f64 * k as f64 / (2 * N) as f64).cos();
        }
    }
    table
});

/// pHash of any image (grey conversion and an area-average downscale to 32 × 32 first).
pub fn phash(img: &DynamicImage) -> u64 {
    hash_square(&resize::to_luma8_resized(
        img,
        PHASH_DCT_SIZE,
        PHASH_DCT_SIZE,
        Filter::Box,
    ))
}

/// The pHash of the analysis's grey working image, and of its mirror image.
pub(crate) fn phash_grey(grey: &GrayImage) -> PhashPair {
    hash_pair(&resize::resize_grey(
        grey,
        PHASH_DCT_SIZE,
        PHASH_DCT_SIZE,
        Filter::Box,
    ))
}

/// The pHash of an image and the pHash its left-right mirror image would have.
///
/// A mirrored copy of a picture (a flipped selfie, an augmentation left in a folder) has a
/// pHash about 32 bits from the original's, so comparing plain hashes misses it; comparing
/// one image's `mirror` with another's `hash` finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhashPair {
    pub hash: u64,
    pub mirror: u64,
}

/// [`PhashPair`] of a rectangle of `img` (e.g. a face box), clamped to the image; `None`
/// when nothing of it is left. Crops of one photo share the pixels of the face, so their face
/// hashes agree where the hashes of the whole frames do not.
pub fn region_phash(img: &DynamicImage, x: u32, y: u32, w: u32, h: u32) -> Option<PhashPair> {
    let x0 = x.min(img.width());
    let y0 = y.min(img.height());
    let x1 = x.saturating_add(w).min(img.width());
    let y1 = y.saturating_add(h).min(img.height());
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let region = resize::resize(
        img,
        PHASH_DCT_SIZE,
        PHASH_DCT_SIZE,
        Filter::Box,
        Some((x0, y0, x1 - x0, y1 - y0)),
        false,
    );
    Some(hash_pair(&resize::into_luma8(region)))
}

fn hash_square(grey: &GrayImage) -> u64 {
    hash_pair(grey).hash
}

/// Both hashes from one DCT: mirroring the rows multiplies horizontal frequency `u` by
/// (−1)^u (DCT-II of x[N−1−n]), so the mirror's coefficients are sign flips of these.
fn hash_pair(grey: &GrayImage) -> PhashPair {
    let px = grey.as_raw();
    if px.len() != N * N {
        return PhashPair::default();
    }
    // Separable DCT: rows first (32 rows × 8 frequencies), then columns of that.
    let mut rows = [[0.0f64; PHASH_LOW_FREQ]; N];
    for (y, out) in rows.iter_mut().enumerate() {
        let line = &px[y * N..(y + 1) * N];
        for (u, o) in out.iter_mut().enumerate() {
            *o = line
                .iter()
                .zip(&COS[u])
                .map(|(&p, c)| f64::from(p) * c)
                .sum();
        }
    }
    let mut coeffs = [0.0f64; PHASH_LOW_FREQ * PHASH_LOW_FREQ];
    for v in 0..PHASH_LOW_FREQ {
        for u in 0..PHASH_LOW_FREQ {
            coeffs[v * PHASH_LOW_FREQ + u] = (0..N).map(|y| rows[y][u] * COS[v][y]).sum();
        }
    }
    let mut mirrored = coeffs;
    for (i, c) in mirrored.iter_mut().enumerate() {
        if i % PHASH_LOW_FREQ % 2 == 1 {
            *c = -*c;
        }
    }
    PhashPair {
        hash: bits_above_median(&coeffs),
        mirror: bits_above_median(&mirrored),
    }
}

fn bits_above_median(coeffs: &[f64; PHASH_LOW_FREQ * PHASH_LOW_FREQ]) -> u64 {
    let mut sorted = *coeffs;
    sorted.sort_by(f64::total_cmp);
    let median = f64::midpoint(sorted[31], sorted[32]);
    // Coefficients that are zero in exact arithmetic come out as ±1e-12; without a margin
    // a flat image would get rounding noise for a hash. Real differences are ≥ ~1.
    coeffs
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > median + TIE_MARGIN)
        .fold(0u64, |hash, (i, _)| hash | (1 << (63 - i)))
}

/// The hash as 16 lower-case hex digits.
pub fn phash_hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Number of differing bits: 0 identical, ≤ 4 typical for re-encodes and resizes, about 32
/// for unrelated pictures.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util;
    use crate::{DecodeLimits, decode_bytes};

    fn from_jpeg(bytes: &[u8]) -> u64 {
        phash(&decode_bytes(bytes, &DecodeLimits::default()).unwrap().image)
    }

    #[test]
    fn identical_images_have_distance_zero() {
        let a = DynamicImage::ImageRgb8(test_util::scene(300, 200, 7));
        assert_eq!(hamming(phash(&a), phash(&a.clone())), 0);
    }

    #[test]
    fn re_encode_and_resize_move_few_bits() {
        let original = test_util::scene(640, 480, 7);
        let h0 = phash(&DynamicImage::ImageRgb8(original.clone()));
        let reencoded = from_jpeg(&test_util::jpeg_bytes(&original, 60));
        let resized =
            image::imageops::resize(&original, 500, 375, image::imageops::FilterType::Triangle);
        let resized = from_jpeg(&test_util::jpeg_bytes(&resized, 85));
        assert!(
            hamming(h0, reencoded) <= 4,
            "re-encode moved {} bits",
            hamming(h0, reencoded)
        );
        assert!(
            hamming(h0, resized) <= 4,
            "resize moved {} bits",
            hamming(h0, resized)
        );
    }

    #[test]
    fn different_images_are_far_apart() {
        let a = phash(&DynamicImage::ImageRgb8(test_util::scene(320, 240, 7)));
        for seed in [1, 2, 3, 11] {
            let b = phash(&DynamicImage::ImageRgb8(test_util::scene(320, 240, seed)));
            assert!(
                hamming(a, b) >= 16,
                "seed {seed}: distance {}",
                hamming(a, b)
            );
        }
    }

    #[test]
    fn the_mirror_hash_is_the_hash_of_the_mirrored_image() {
        let a = DynamicImage::ImageRgb8(test_util::scene(320, 240, 5));
        let flipped = a.fliph();
        let pair = phash_grey(&a.to_luma8());
        let flipped_pair = phash_grey(&flipped.to_luma8());
        assert!(
            hamming(pair.mirror, flipped_pair.hash) <= 2,
            "{pair:?} {flipped_pair:?}"
        );
        assert!(hamming(pair.hash, flipped_pair.mirror) <= 2);
        // ... while the plain hashes of a picture and its mirror are far apart.
        assert!(hamming(pair.hash, flipped_pair.hash) >= 12);
        assert!(hamming(pair.hash, phash(&a)) <= 2);
    }

    #[test]
    fn region_hashes_follow_the_region_not_the_frame() {
        let a = DynamicImage::ImageRgb8(test_util::scene(400, 300, 9));
        let face = region_phash(&a, 100, 80, 120, 120).unwrap();
        // The same pixels cut from a wider crop of the picture.
        let crop = a.crop_imm(60, 40, 300, 250);
        let again = region_phash(&crop, 40, 40, 120, 120).unwrap();
        assert!(hamming(face.hash, again.hash) <= 2);
        assert!(region_phash(&a, 500, 10, 20, 20).is_none());
    }

    #[test]
    fn hex_is_sixteen_digits_and_bits_split_evenly() {
        assert_eq!(phash_hex(0xAB), "00000000000000ab");
        let h = phash(&DynamicImage::ImageRgb8(test_util::scene(100, 100, 4)));
        // A median threshold sets half of the 64 bits unless coefficients tie.
        assert!((28..=32).contains(&h.count_ones()), "{}", h.count_ones());
        // A flat image has no structure: only DC is above the (zero) median.
        let flat = DynamicImage::ImageLuma8(GrayImage::from_pixel(1, 1, image::Luma([77])));
        assert_eq!(phash(&flat), 1 << 63);
    }
}
