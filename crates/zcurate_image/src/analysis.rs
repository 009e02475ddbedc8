//! Per-image quality measures, all computed from one small downscale of the upright image.
//!
//! Cost: one area-average downscale of the full image to [`WORKING_MAX_SIDE`] (the only
//! full-resolution pass besides the alpha check), then passes over at most 512 × 512
//! pixels. Luma is Rec.709 (`0.2126 R + 0.7152 G + 0.0722 B`) on the gamma-encoded values,
//! the same weights the `image` crate uses for grey conversion.
//!
//! Measures only; thresholds for "too dark" or "blurry" belong to the rules that read them.
//! For cleanvision-style checks: `dark` ≈ `luma_p99 < 0.32`, `light` ≈ `luma_p05 > 0.95`,
//! `low_information` ≈ `entropy < 3.0` (cleanvision's defaults, but it weights brightness
//! as √(0.241 R² + 0.691 G² + 0.068 B²) and works at full size, so values differ a little).

use std::borrow::Cow;

use image::{DynamicImage, GrayImage, RgbImage};
use serde::{Deserialize, Serialize};

use crate::decode::Decoded;
use crate::phash;
use crate::resize::{self, Filter};
use crate::sharpness;

/// Longest side of the working image all colour and tone measures come from, in pixels.
///
/// 512 px keeps small features (a face in a full-body shot) while the downscale stays the
/// only full-size pass. Smaller images are used as they are, never enlarged.
pub const WORKING_MAX_SIDE: u32 = 512;

/// Default [`AnalysisSettings::clip_dark_max`]: luma at or below 2/255 counts as crushed
/// black. Not 0, because JPEG ringing lifts true black by a level or two.
pub const CLIP_DARK_MAX: f64 = 2.0 / 255.0;

/// Default [`AnalysisSettings::clip_bright_min`]: luma at or above 253/255 counts as blown
/// highlight, symmetric to [`CLIP_DARK_MAX`].
pub const CLIP_BRIGHT_MIN: f64 = 253.0 / 255.0;

/// Default [`AnalysisSettings::grey_chroma_tolerance`]: a pixel is chromatic when its
/// channels spread (max − min) by more than 12/255.
///
/// A grey photo saved as RGB JPEG comes back with channels a few levels apart; a toned
/// black-and-white (sepia, cyanotype) spreads 20 levels or more, and skin more than 30.
pub const GREY_CHROMA_TOLERANCE: f64 = 12.0 / 255.0;

/// Default [`AnalysisSettings::grey_max_chromatic_share`]: an image is grey when at most
/// 2 % of its pixels are chromatic, so a small coloured logo or stamp does not hide a
/// black-and-white photo, while a face's skin (far more than 2 %) always counts as colour.
pub const GREY_MAX_CHROMATIC_SHARE: f64 = 0.02;

/// Thresholds that turn measurements into flags or shares. Definitions (sizes, filters,
/// luma weights) are constants, not settings, so results stay comparable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisSettings {
    /// Luma (0..1) at or below which a pixel counts in [`Analysis::clipped_dark`].
    pub clip_dark_max: f64,
    /// Luma (0..1) at or above which a pixel counts in [`Analysis::clipped_bright`].
    pub clip_bright_min: f64,
    /// Channel spread (0..1) above which a pixel is chromatic, for [`Analysis::grey`].
    pub grey_chroma_tolerance: f64,
    /// Largest share of chromatic pixels (0..1) for which the image is still grey.
    pub grey_max_chromatic_share: f64,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        Self {
            clip_dark_max: CLIP_DARK_MAX,
            clip_bright_min: CLIP_BRIGHT_MIN,
            grey_chroma_tolerance: GREY_CHROMA_TOLERANCE,
            grey_max_chromatic_share: GREY_MAX_CHROMATIC_SHARE,
        }
    }
}

/// Quality measures of one upright image. Tone values are luma in 0..1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// DCT perceptual hash; compare with [`hamming`](crate::hamming).
    pub phash: u64,
    /// The pHash the image mirrored left to right would have (see [`crate::phash::PhashPair`]).
    pub phash_mirror: u64,
    /// Variance of the Laplacian at [`SHARPNESS_SIZE`](crate::sharpness::SHARPNESS_SIZE)²
    /// (8-bit units): higher is sharper, independent of resolution.
    pub sharpness: f64,
    /// Mean luma.
    pub brightness: f64,
    /// Standard deviation of luma.
    pub contrast: f64,
    /// Share of pixels with luma ≤ [`AnalysisSettings::clip_dark_max`].
    pub clipped_dark: f64,
    /// Share of pixels with luma ≥ [`AnalysisSettings::clip_bright_min`].
    pub clipped_bright: f64,
    /// 5th percentile of luma: near 1 means even the shadows are bright (overexposed).
    pub luma_p05: f64,
    /// 99th percentile of luma: near 0 means even the highlights are dark (underexposed).
    pub luma_p99: f64,
    /// Shannon entropy of the 256-bin luma histogram, in bits (0..8): low means flat or
    /// nearly empty content.
    pub entropy: f64,
    /// Hasler–Süsstrunk colourfulness on 0..1 channels (the paper's 0..255 scale / 255).
    /// The paper's bands: not colourful ≈ 0, slightly 0.06, moderately 0.13, averagely
    /// 0.18, quite 0.23, highly 0.32, extremely 0.43.
    pub colourfulness: f64,
    /// Share of pixels whose channels spread by more than
    /// [`AnalysisSettings::grey_chroma_tolerance`].
    pub chromatic_share: f64,
    /// Low-colour flag: greyscale, or RGB that is grey in all but a few pixels
    /// (`chromatic_share ≤ grey_max_chromatic_share`). Toned monochrome (sepia) is not
    /// grey: its tint is consistent colour a LoRA would learn; `colourfulness` is low for it.
    pub grey: bool,
    /// The decoded pixels have an alpha channel (GIF always decodes with one).
    pub alpha_present: bool,
    /// Some pixel of the full-resolution image is not fully opaque.
    pub alpha_used: bool,
}

impl Analysis {
    /// [`Analysis::phash`] as 16 hex digits.
    pub fn phash_hex(&self) -> String {
        phash::phash_hex(self.phash)
    }
}

/// Measures a decoded image. See [`analyse_image`].
pub fn analyse(decoded: &Decoded, settings: &AnalysisSettings) -> Analysis {
    analyse_image(&decoded.image, settings)
}

/// Measures an upright image. An empty (0 × 0) image gives zeros.
pub fn analyse_image(img: &DynamicImage, settings: &AnalysisSettings) -> Analysis {
    analyse_keep_working(img, settings).0
}

/// [`analyse_image`], also handing back the working RGB copy it measured (the image itself
/// when it is small RGB already, else an area-average downscale to at most
/// [`WORKING_MAX_SIDE`]): later stages that want a small picture, such as the first face
/// detection pass, resize from it instead of reading the full image again.
pub fn analyse_keep_working<'a>(
    img: &'a DynamicImage,
    settings: &AnalysisSettings,
) -> (Analysis, Cow<'a, RgbImage>) {
    let (w, h) = resize::fit_size(img.width(), img.height(), WORKING_MAX_SIDE);
    // Alpha is dropped, not composited: trainers convert RGBA to RGB the same way.
    let rgb: Cow<'_, RgbImage> = match img {
        DynamicImage::ImageRgb8(full) if (w, h) == full.dimensions() => Cow::Borrowed(full),
        _ if (w, h) == (img.width(), img.height()) => Cow::Owned(img.to_rgb8()),
        _ => Cow::Owned(resize::into_rgb8(resize::resize(
            img,
            w,
            h,
            Filter::Box,
            None,
            false,
        ))),
    };
    let Working {
        tone,
        sharpness,
        phash,
    } = measure_working(&rgb, settings);
    let alpha_present = img.color().has_alpha();
    let analysis = Analysis {
        phash: phash.hash,
        phash_mirror: phash.mirror,
        sharpness,
        brightness: tone.brightness,
        contrast: tone.contrast,
        clipped_dark: tone.clipped_dark,
        clipped_bright: tone.clipped_bright,
        luma_p05: tone.p05,
        luma_p99: tone.p99,
        entropy: tone.entropy,
        colourfulness: tone.colourfulness,
        chromatic_share: tone.chromatic_share,
        grey: tone.chromatic_share <= settings.grey_max_chromatic_share,
        alpha_present,
        alpha_used: alpha_present && alpha_used(img),
    };
    (analysis, rgb)
}

/// Everything measured on the working copy.
struct Working {
    tone: ToneStats,
    sharpness: f64,
    phash: phash::PhashPair,
}

/// Tone, colour, sharpness and pHash of the working copy, with AVX2 where the CPU has it.
///
/// The release build targets baseline x86-64 (SSE2), where the three-channel loops can only
/// gather bytes one at a time; compiled for AVX2 the same code measures about 1.5× faster
/// (`cargo bench -p zcurate_image -- analyse_working_size`). Same code, same results.
fn measure_working(rgb: &RgbImage, settings: &AnalysisSettings) -> Working {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        fn with_avx2(rgb: &RgbImage, settings: &AnalysisSettings) -> Working {
            measure_working_portable(rgb, settings)
        }
        // SAFETY: `with_avx2` only requires AVX2, which the CPU was just checked to have.
        #[allow(unsafe_code)]
        return unsafe { with_avx2(rgb, settings) };
    }
    measure_working_portable(rgb, settings)
}

// Inlined so `with_avx2` compiles this body, and the loops in it, for AVX2.
#[allow(clippy::inline_always)]
#[inline(always)]
fn measure_working_portable(rgb: &RgbImage, settings: &AnalysisSettings) -> Working {
    let mut tone = ToneStats::measure(rgb, settings);
    let (w, h) = rgb.dimensions();
    let (sharpness, phash) = match GrayImage::from_raw(w, h, std::mem::take(&mut tone.luma)) {
        Some(grey) => (sharpness::sharpness_of(&grey), phash::phash_grey(&grey)),
        None => (0.0, phash::PhashPair::default()),
    };
    Working {
        tone,
        sharpness,
        phash,
    }
}

/// Everything one pass over the working RGB pixels gives.
struct ToneStats {
    luma: Vec<u8>,
    brightness: f64,
    contrast: f64,
    clipped_dark: f64,
    clipped_bright: f64,
    p05: f64,
    p99: f64,
    entropy: f64,
    colourfulness: f64,
    chromatic_share: f64,
}

impl ToneStats {
    #[allow(clippy::inline_always)] // see `measure_working_portable`
    #[inline(always)]
    fn measure(rgb: &RgbImage, settings: &AnalysisSettings) -> Self {
        let pixels = rgb.as_raw();
        let n_px = pixels.len() / 3;
        let mut luma = vec![0u8; n_px];
        let chroma_limit = (settings.grey_chroma_tolerance * 255.0 + 1e-9).floor() as i32;
        let mut chromatic = 0u64;
        // Hasler–Süsstrunk opponent channels: rg = R − G, yb = (R + G)/2 − B (kept doubled
        // to stay in integers).
        let (mut rg_sum, mut rg_sq, mut yb2_sum, mut yb2_sq) = (0i64, 0i64, 0i64, 0i64);
        // Blocks of 512 pixels keep the sums in i32 (510² × 512 < 2³¹) so the loop vectorises.
        for (block, out) in pixels.chunks(512 * 3).zip(luma.chunks_mut(512)) {
            let (mut s_rg, mut q_rg, mut s_yb, mut q_yb, mut chroma) =
                (0i32, 0i32, 0i32, 0i32, 0i32);
            for (p, y_out) in block.chunks_exact(3).zip(out.iter_mut()) {
                let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
                // Rec.709 weights in 1/32768 units (6966 + 23436 + 2366 = 32768), rounded.
                *y_out = ((r * 6966 + g * 23436 + b * 2366 + 16384) >> 15) as u8;
                chroma += i32::from(r.max(g).max(b) - r.min(g).min(b) > chroma_limit);
                let rg = r - g;
                let yb2 = r + g - 2 * b;
                s_rg += rg;
                q_rg += rg * rg;
                s_yb += yb2;
                q_yb += yb2 * yb2;
            }
            chromatic += chroma as u64;
            rg_sum += i64::from(s_rg);
            rg_sq += i64::from(q_rg);
            yb2_sum += i64::from(s_yb);
            yb2_sq += i64::from(q_yb);
        }
        let hist = histogram(&luma);
        if n_px == 0 {
            return Self {
                luma,
                brightness: 0.0,
                contrast: 0.0,
                clipped_dark: 0.0,
                clipped_bright: 0.0,
                p05: 0.0,
                p99: 0.0,
                entropy: 0.0,
                colourfulness: 0.0,
                chromatic_share: 0.0,
            };
        }
        let n = n_px as f64;
        let level = |i: usize| i as f64 / 255.0;
        let brightness = hist
            .iter()
            .enumerate()
            .map(|(i, &c)| level(i) * c as f64)
            .sum::<f64>()
            / n;
        let variance = hist
            .iter()
            .enumerate()
            .map(|(i, &c)| (level(i) - brightness).powi(2) * c as f64)
            .sum::<f64>()
            / n;
        let share = |pred: &dyn Fn(f64) -> bool| {
            hist.iter()
                .enumerate()
                .filter(|(i, _)| pred(level(*i)))
                .map(|(_, &c)| c)
                .sum::<u64>() as f64
                / n
        };
        // Compare in level units so 2/255 means "levels 0, 1 and 2" despite rounding.
        let dark_max = settings.clip_dark_max * 255.0 + 1e-9;
        let bright_min = settings.clip_bright_min * 255.0 - 1e-9;
        let clipped_dark = share(&|l| l * 255.0 <= dark_max);
        let clipped_bright = share(&|l| l * 255.0 >= bright_min);
        let percentile = |p: f64| {
            let target = (p * n).ceil().max(1.0) as u64;
            let mut seen = 0u64;
            for (i, &c) in hist.iter().enumerate() {
                seen += c;
                if seen >= target {
                    return level(i);
                }
            }
            1.0
        };
        let entropy: f64 = hist
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f64 / n;
                -p * p.log2()
            })
            .sum();
        let moments = |sum: i64, sq: i64, scale: f64| {
            let mean = sum as f64 / n / scale;
            let var = (sq as f64 / n / (scale * scale) - mean * mean).max(0.0);
            (mean, var)
        };
        let (rg_mean, rg_var) = moments(rg_sum, rg_sq, 1.0);
        let (yb_mean, yb_var) = moments(yb2_sum, yb2_sq, 2.0);
        let colourfulness = ((rg_var + yb_var).sqrt() + 0.3 * rg_mean.hypot(yb_mean)) / 255.0;
        Self {
            luma,
            brightness,
            contrast: variance.sqrt(),
            clipped_dark,
            clipped_bright,
            p05: percentile(0.05),
            p99: percentile(0.99),
            // A single-level histogram sums to -0.0; report it as 0.
            entropy: if entropy > 0.0 { entropy } else { 0.0 },
            colourfulness,
            chromatic_share: chromatic as f64 / n,
        }
    }
}

/// 256-bin histogram. Four sub-histograms avoid the store-to-load stall when neighbouring
/// pixels hit the same bin, which is the common case in smooth images.
fn histogram(values: &[u8]) -> [u64; 256] {
    let mut sub = [[0u32; 256]; 4];
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        sub[0][usize::from(q[0])] += 1;
        sub[1][usize::from(q[1])] += 1;
        sub[2][usize::from(q[2])] += 1;
        sub[3][usize::from(q[3])] += 1;
    }
    for &v in quads.remainder() {
        sub[0][usize::from(v)] += 1;
    }
    std::array::from_fn(|i| sub.iter().map(|h| u64::from(h[i])).sum())
}

/// Any alpha below opaque, over the full-resolution buffer. Scans in blocks so the inner
/// loop is a branch-free minimum, with an early exit per block.
fn alpha_used(img: &DynamicImage) -> bool {
    fn any_below<T: Copy + PartialOrd>(samples: &[T], channels: usize, opaque: T) -> bool {
        samples.chunks(channels * 1024).any(|block| {
            block
                .chunks_exact(channels)
                .map(|p| p[channels - 1])
                .fold(opaque, |m, a| if a < m { a } else { m })
                < opaque
        })
    }
    match img {
        DynamicImage::ImageLumaA8(b) => any_below(b.as_raw(), 2, u8::MAX),
        DynamicImage::ImageRgba8(b) => any_below(b.as_raw(), 4, u8::MAX),
        DynamicImage::ImageLumaA16(b) => any_below(b.as_raw(), 2, u16::MAX),
        DynamicImage::ImageRgba16(b) => any_below(b.as_raw(), 4, u16::MAX),
        DynamicImage::ImageRgba32F(b) => any_below(b.as_raw(), 4, 1.0f32),
        other if other.color().has_alpha() => any_below(other.to_rgba8().as_raw(), 4, u8::MAX),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use image::{DynamicImage, ImageBuffer, Luma, Rgb, RgbImage};

    use super::*;
    use crate::test_util;
    use crate::{DecodeLimits, decode_bytes};

    fn measure(img: RgbImage) -> Analysis {
        analyse_image(&DynamicImage::ImageRgb8(img), &AnalysisSettings::default())
    }

    fn map(img: &RgbImage, f: impl Fn(u8) -> u8) -> RgbImage {
        RgbImage::from_fn(img.width(), img.height(), |x, y| {
            Rgb(img.get_pixel(x, y).0.map(&f))
        })
    }

    #[test]
    fn blur_lowers_sharpness() {
        let sharp = test_util::scene(800, 600, 3);
        let blurred = image::imageops::blur(&sharp, 4.0);
        let (s, b) = (measure(sharp).sharpness, measure(blurred).sharpness);
        assert!(s > 3.0 * b, "sharp {s}, blurred {b}");

        let mut rng = test_util::Lcg::new(9);
        let noise = RgbImage::from_fn(600, 600, |_, _| Rgb([(rng.next() * 255.0) as u8; 3]));
        let smooth = image::imageops::blur(&noise, 3.0);
        let (n, m) = (measure(noise).sharpness, measure(smooth).sharpness);
        assert!(n > 10.0 * m, "noise {n}, blurred noise {m}");
    }

    #[test]
    fn sharpness_does_not_depend_on_resolution() {
        // The same scene rendered at 512 and 2048 px, and at 640×480 and 1280×960.
        for (w, h, k) in [(512, 512, 4), (640, 480, 2)] {
            let small = measure(test_util::scene(w, h, 5)).sharpness;
            let large = measure(test_util::scene(w * k, h * k, 5)).sharpness;
            assert!(
                (large / small - 1.0).abs() < 0.2,
                "{w}×{h}: {small}, ×{k}: {large}"
            );
        }
    }

    #[test]
    fn dark_and_bright() {
        let scene = test_util::scene(300, 200, 2);
        let dark = measure(map(&scene, |v| v / 16));
        let bright = measure(map(&scene, |v| 240 + v / 16));
        let normal = measure(scene);
        assert!(dark.brightness < 0.1 && dark.luma_p99 < 0.32, "{dark:?}");
        assert!(
            bright.brightness > 0.9 && bright.luma_p05 > 0.88,
            "{bright:?}"
        );
        assert!(dark.brightness < normal.brightness && normal.brightness < bright.brightness);
        assert!(dark.clipped_dark > 0.0 && bright.clipped_bright > 0.0);
        assert_eq!(normal.clipped_dark, 0.0);

        let black = measure(RgbImage::from_pixel(10, 10, Rgb([2, 2, 2])));
        let white = measure(RgbImage::from_pixel(10, 10, Rgb([253, 253, 253])));
        assert_eq!((black.clipped_dark, black.clipped_bright), (1.0, 0.0));
        assert_eq!((white.clipped_dark, white.clipped_bright), (0.0, 1.0));
        let just_above = measure(RgbImage::from_pixel(10, 10, Rgb([3, 3, 3])));
        assert_eq!(just_above.clipped_dark, 0.0);
    }

    #[test]
    fn clip_thresholds_are_settings() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(10, 10, Rgb([20, 20, 20])));
        let loose = AnalysisSettings {
            clip_dark_max: 0.1,
            ..AnalysisSettings::default()
        };
        assert_eq!(
            analyse_image(&img, &AnalysisSettings::default()).clipped_dark,
            0.0
        );
        assert_eq!(analyse_image(&img, &loose).clipped_dark, 1.0);
    }

    #[test]
    fn low_contrast_and_low_information() {
        let scene = test_util::scene(300, 200, 4);
        let flat = measure(map(&scene, |v| 118 + v / 16));
        let normal = measure(scene);
        assert!(flat.contrast < 0.03, "{}", flat.contrast);
        assert!(normal.contrast > 0.1, "{}", normal.contrast);
        assert!(flat.entropy < normal.entropy);
        let blank = measure(RgbImage::from_pixel(64, 64, Rgb([128, 128, 128])));
        assert_eq!(
            (blank.contrast, blank.entropy, blank.sharpness),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn grey_versus_colourful() {
        let scene = test_util::scene(320, 240, 6);
        let colourful = measure(scene.clone());
        assert!(
            !colourful.grey && colourful.colourfulness > 0.1,
            "{colourful:?}"
        );

        // A grey photo saved as RGB JPEG is still grey after the round trip.
        let grey_rgb =
            DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(scene.clone()).to_luma8()).to_rgb8();
        let jpeg = test_util::jpeg_bytes(&grey_rgb, 85);
        let decoded = decode_bytes(&jpeg, &DecodeLimits::default()).unwrap();
        assert!(decoded.image.color().has_color(), "stays an RGB JPEG");
        let grey = analyse(&decoded, &AnalysisSettings::default());
        assert!(grey.grey && grey.colourfulness < 0.02, "{grey:?}");

        let luma = DynamicImage::ImageLuma8(ImageBuffer::from_pixel(16, 16, Luma([90u8])));
        assert!(analyse_image(&luma, &AnalysisSettings::default()).grey);

        // Sepia: monochrome but consistently tinted, so not "grey".
        let luma = DynamicImage::ImageRgb8(scene.clone()).to_luma8();
        let sepia = RgbImage::from_fn(320, 240, |x, y| {
            let l = f64::from(luma.get_pixel(x, y).0[0]);
            Rgb([
                (l * 1.0 + 20.0).min(255.0) as u8,
                (l * 0.85 + 10.0) as u8,
                (l * 0.62) as u8,
            ])
        });
        let sepia = measure(sepia);
        assert!(!sepia.grey, "{sepia:?}");
        assert!(sepia.colourfulness < colourful.colourfulness);
    }

    #[test]
    fn alpha_presence_and_use() {
        let settings = AnalysisSettings::default();
        let opaque = analyse_image(
            &DynamicImage::ImageRgba8(test_util::rgba(40, 30, false)),
            &settings,
        );
        assert!(opaque.alpha_present && !opaque.alpha_used);
        let used = analyse_image(
            &DynamicImage::ImageRgba8(test_util::rgba(40, 30, true)),
            &settings,
        );
        assert!(used.alpha_present && used.alpha_used);
        let deep = DynamicImage::ImageRgba16(
            DynamicImage::ImageRgba8(test_util::rgba(40, 30, true)).to_rgba16(),
        );
        assert!(analyse_image(&deep, &settings).alpha_used);
        let rgb = measure(test_util::scene(40, 30, 1));
        assert!(!rgb.alpha_present && !rgb.alpha_used);
        // Colour under transparent pixels still counts: trainers see it after RGB conversion.
        assert_eq!(
            opaque.brightness,
            analyse_image(
                &DynamicImage::ImageRgb8(
                    DynamicImage::ImageRgba8(test_util::rgba(40, 30, false)).to_rgb8()
                ),
                &settings
            )
            .brightness
        );
    }

    #[test]
    fn tiny_and_empty_images() {
        let one = measure(RgbImage::from_pixel(1, 1, Rgb([200, 100, 0])));
        // Rec.709: 0.2126 × 200 + 0.7152 × 100 = 114 of 255.
        assert!((one.brightness - 114.0 / 255.0).abs() < 1e-9, "{one:?}");
        assert_eq!(one.entropy.to_bits(), 0.0f64.to_bits(), "no negative zero");
        assert_eq!((one.sharpness, one.contrast), (0.0, 0.0));
        assert!(!one.grey);
        let empty = measure(RgbImage::new(0, 0));
        assert_eq!(
            (empty.brightness, empty.phash, empty.sharpness),
            (0.0, 0, 0.0)
        );
        let line = measure(RgbImage::from_pixel(5000, 1, Rgb([10, 10, 10])));
        assert!(line.brightness < 0.05);
    }

    #[test]
    fn phash_hex_method() {
        let a = measure(test_util::scene(64, 64, 1));
        assert_eq!(a.phash_hex(), format!("{:016x}", a.phash));
    }
}

#[cfg(test)]
mod dispatch_tests {
    use super::*;
    use crate::test_util;

    /// The AVX2 build of the working-copy measures (chosen at run time) and the portable
    /// build give the same numbers, bit for bit: on a CPU without AVX2 both are the portable
    /// one and the test holds trivially.
    #[test]
    fn avx2_and_portable_measures_agree() {
        let settings = AnalysisSettings::default();
        for (w, h, seed) in [(512, 384, 1), (317, 203, 2), (1, 1, 3), (64, 512, 4)] {
            let rgb = test_util::scene(w, h, seed);
            let fast = measure_working(&rgb, &settings);
            let portable = measure_working_portable(&rgb, &settings);
            assert_eq!(fast.phash, portable.phash, "{w}×{h}");
            assert_eq!(
                fast.sharpness.to_bits(),
                portable.sharpness.to_bits(),
                "{w}×{h}"
            );
            let (a, b) = (&fast.tone, &portable.tone);
            for (x, y) in [
                (a.brightness, b.brightness),
                (a.contrast, b.contrast),
                (a.clipped_dark, b.clipped_dark),
                (a.clipped_bright, b.clipped_bright),
                (a.p05, b.p05),
                (a.p99, b.p99),
                (a.entropy, b.entropy),
                (a.colourfulness, b.colourfulness),
                (a.chromatic_share, b.chromatic_share),
            ] {
                assert_eq!(x.to_bits(), y.to_bits(), "{w}×{h}");
            }
        }
    }
}
