//! Resizing helpers on `fast_image_resize`: resize in the source pixel type (SIMD, no
//! full-size conversion), convert only the small result.

use std::cell::RefCell;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, GrayImage, ImageBuffer, RgbImage};

thread_local! {
    /// One resizer per thread: it keeps its scratch buffers (about a megabyte for a photo),
    /// so scanning many files does not allocate and page-fault them again for each one.
    static RESIZER: RefCell<Resizer> = RefCell::new(Resizer::new());
}

/// Runs `f` with this thread's `fast_image_resize` resizer (a fresh one in the impossible
/// re-entrant case), so callers that resize once per image reuse its scratch buffers.
pub fn with_resizer<T>(f: impl FnOnce(&mut Resizer) -> T) -> T {
    RESIZER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut resizer) => f(&mut resizer),
        Err(_) => f(&mut Resizer::new()),
    })
}

/// Resampling filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// Nearest pixel: fastest, aliases; for masks and labels.
    Nearest,
    /// Area average when shrinking: cheap and alias-free; the analysis downscale uses it.
    Box,
    /// Linear: smooth when enlarging.
    Bilinear,
    /// Bicubic (Catmull-Rom): sharper than linear.
    CatmullRom,
    /// Lanczos3: the sharpest, slowest; for crops written out for training.
    Lanczos3,
}

impl Filter {
    fn alg(self) -> ResizeAlg {
        match self {
            Self::Nearest => ResizeAlg::Nearest,
            Self::Box => ResizeAlg::Convolution(FilterType::Box),
            Self::Bilinear => ResizeAlg::Convolution(FilterType::Bilinear),
            Self::CatmullRom => ResizeAlg::Convolution(FilterType::CatmullRom),
            Self::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
        }
    }
}

/// The size that fits `width × height` within `max_side` on its longest side, keeping the
/// aspect ratio; never larger than the input, never zero.
pub fn fit_size(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let max_side = max_side.max(1);
    let longest = width.max(height);
    if longest <= max_side {
        return (width, height);
    }
    let scale = f64::from(max_side) / f64::from(longest);
    let scaled = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max_side);
    (scaled(width), scaled(height))
}

/// Shrinks `img` so its longest side is at most `max_side`, in the same pixel type. Never
/// enlarges (returns a copy). Alpha is taken into account, so transparent pixels do not
/// bleed their hidden colour into the edges.
pub fn resize_to_fit(img: &DynamicImage, max_side: u32, filter: Filter) -> DynamicImage {
    let (w, h) = fit_size(img.width(), img.height(), max_side);
    if (w, h) == (img.width(), img.height()) {
        return img.clone();
    }
    resize(img, w, h, filter, None, true)
}

/// `img` resized to exactly `width × height` (aspect not kept) as 8-bit RGB.
///
/// Resizes in the source pixel type, then converts the small result. Alpha is dropped
/// without compositing, as trainers do when they convert to RGB.
pub fn to_rgb8_resized(img: &DynamicImage, width: u32, height: u32, filter: Filter) -> RgbImage {
    into_rgb8(resize(img, width, height, filter, None, false))
}

/// `img` resized to exactly `width × height` (aspect not kept) as 8-bit Rec.709 luma.
pub fn to_luma8_resized(img: &DynamicImage, width: u32, height: u32, filter: Filter) -> GrayImage {
    into_luma8(resize(img, width, height, filter, None, false))
}

pub(crate) fn into_rgb8(img: DynamicImage) -> RgbImage {
    match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.to_rgb8(),
    }
}

pub(crate) fn into_luma8(img: DynamicImage) -> GrayImage {
    match img {
        DynamicImage::ImageLuma8(grey) => grey,
        other => other.to_luma8(),
    }
}

/// Resizes an 8-bit grey image without going through `DynamicImage`.
pub(crate) fn resize_grey(src: &GrayImage, width: u32, height: u32, filter: Filter) -> GrayImage {
    let mut dst = GrayImage::new(width, height);
    if width == 0 || height == 0 || src.width() == 0 || src.height() == 0 {
        return dst;
    }
    let options = ResizeOptions::new().resize_alg(filter.alg());
    // Same pixel type on both sides and no crop: cannot fail.
    let _ = with_resizer(|r| r.resize(src, &mut dst, &options));
    dst
}

/// A crop rectangle in source pixels: `(left, top, width, height)`.
pub(crate) type Crop = (u32, u32, u32, u32);

/// Resizes (optionally a crop of) `src` to `width × height` in its own pixel type.
///
/// Infallible by construction: zero sizes give an empty image, the crop must lie inside
/// `src` (callers clamp), and an unknown future pixel type is converted to RGBA first.
pub(crate) fn resize(
    src: &DynamicImage,
    width: u32,
    height: u32,
    filter: Filter,
    crop: Option<Crop>,
    use_alpha: bool,
) -> DynamicImage {
    let empty_src = src.width() == 0 || src.height() == 0;
    let Some(mut dst) = same_type(src, width, height) else {
        let rgba = DynamicImage::ImageRgba8(src.to_rgba8());
        return resize(&rgba, width, height, filter, crop, use_alpha);
    };
    if width == 0 || height == 0 || empty_src {
        return dst;
    }
    let mut options = ResizeOptions::new()
        .resize_alg(filter.alg())
        .use_alpha(use_alpha);
    if let Some((x, y, w, h)) = crop {
        options = options.crop(f64::from(x), f64::from(y), f64::from(w), f64::from(h));
    }
    // Errors can only be pixel-type mismatches or a bad crop, both excluded above; a blank
    // image is a safer answer than a panic if that ever changes.
    let _ = with_resizer(|r| r.resize(src, &mut dst, &options));
    dst
}

fn same_type(src: &DynamicImage, w: u32, h: u32) -> Option<DynamicImage> {
    Some(match src {
        DynamicImage::ImageLuma8(_) => DynamicImage::ImageLuma8(ImageBuffer::new(w, h)),
        DynamicImage::ImageLumaA8(_) => DynamicImage::ImageLumaA8(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgb8(_) => DynamicImage::ImageRgb8(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgba8(_) => DynamicImage::ImageRgba8(ImageBuffer::new(w, h)),
        DynamicImage::ImageLuma16(_) => DynamicImage::ImageLuma16(ImageBuffer::new(w, h)),
        DynamicImage::ImageLumaA16(_) => DynamicImage::ImageLumaA16(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgb16(_) => DynamicImage::ImageRgb16(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgba16(_) => DynamicImage::ImageRgba16(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgb32F(_) => DynamicImage::ImageRgb32F(ImageBuffer::new(w, h)),
        DynamicImage::ImageRgba32F(_) => DynamicImage::ImageRgba32F(ImageBuffer::new(w, h)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, Rgba, RgbaImage};

    #[test]
    fn fit_keeps_aspect_and_never_enlarges() {
        assert_eq!(fit_size(1600, 1200, 512), (512, 384));
        assert_eq!(fit_size(1200, 1600, 512), (384, 512));
        assert_eq!(fit_size(300, 200, 512), (300, 200));
        assert_eq!(fit_size(10_000, 1, 512), (512, 1));
        assert_eq!(fit_size(5, 5, 0), (1, 1));
    }

    #[test]
    fn resize_to_fit_keeps_pixel_type() {
        let img =
            DynamicImage::ImageLuma16(ImageBuffer::from_pixel(800, 400, image::Luma([40_000u16])));
        let small = resize_to_fit(&img, 100, Filter::Box);
        assert_eq!((small.width(), small.height()), (100, 50));
        assert!(
            matches!(&small, DynamicImage::ImageLuma16(b) if b.get_pixel(50, 25).0 == [40_000])
        );
    }

    #[test]
    fn rgb8_resized_from_each_pixel_type() {
        let base = DynamicImage::ImageRgb8(RgbImage::from_pixel(64, 48, Rgb([200, 100, 50])));
        for img in [
            base.clone(),
            DynamicImage::ImageRgba8(base.to_rgba8()),
            DynamicImage::ImageRgb16(base.to_rgb16()),
            DynamicImage::ImageRgba32F(base.to_rgba32f()),
            DynamicImage::ImageLuma8(base.to_luma8()),
        ] {
            let out = to_rgb8_resized(&img, 16, 12, Filter::Bilinear);
            assert_eq!(out.dimensions(), (16, 12));
            let want = img.to_rgb8().get_pixel(0, 0).0;
            let got = out.get_pixel(8, 6).0;
            for c in 0..3 {
                assert!(
                    want[c].abs_diff(got[c]) <= 1,
                    "{:?}: {got:?} vs {want:?}",
                    img.color()
                );
            }
        }
    }

    #[test]
    fn alpha_dropped_without_darkening() {
        // Fully transparent red: trainers converting to RGB see red, so must we.
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(32, 32, Rgba([255, 0, 0, 0])));
        assert_eq!(
            to_rgb8_resized(&img, 8, 8, Filter::Box).get_pixel(4, 4).0,
            [255, 0, 0]
        );
    }

    #[test]
    fn zero_sizes_give_empty_images() {
        let img = DynamicImage::ImageRgb8(RgbImage::new(10, 10));
        assert_eq!(
            to_rgb8_resized(&img, 0, 5, Filter::Box).dimensions(),
            (0, 5)
        );
        let empty = DynamicImage::ImageRgb8(RgbImage::new(0, 0));
        assert_eq!(
            to_luma8_resized(&empty, 4, 4, Filter::Box).dimensions(),
            (4, 4)
        );
    }
}
