//! Resizing the decoded image to the model's input and mapping results back.
//!
//! The image is scaled (keeping its aspect ratio, never enlarged) so its longest side fits the
//! detection size, then padded on the right and bottom to the input shape. Padding only on
//! those sides means a model-input point maps back to the original by the scale alone.

use std::borrow::Cow;

use fast_image_resize::images::Image as FirImage;
use fast_image_resize::{FilterType, IntoImageView, ResizeAlg, ResizeOptions};
use image::{DynamicImage, ImageBuffer, Luma, LumaA, Rgb, RgbImage, Rgba};

use crate::error::FaceError;

/// Model inputs are padded to a multiple of this: the coarsest stride of every supported model.
pub(crate) const STRIDE: u32 = 32;

/// Colour channel order a model expects in its input planes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChannelOrder {
    Rgb,
    Bgr,
}

/// How a model wants its pixels: planes in `order`, each value `pixel (0..=255) - mean[plane]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PixelFormat {
    pub order: ChannelOrder,
    pub mean: [f32; 3],
}

/// Geometry of one image → model-input transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Letterbox {
    /// Original image size.
    pub img_w: u32,
    pub img_h: u32,
    /// Size of the resized image inside the input.
    pub resized_w: u32,
    pub resized_h: u32,
    /// Model input size (resized size padded up to the shape grid).
    pub input_w: u32,
    pub input_h: u32,
}

impl Letterbox {
    /// Fits `img_w × img_h` into `longest` (never enlarging), then pads each side up to a
    /// multiple of `shape_step` (itself a multiple of [`STRIDE`]).
    pub(crate) fn new(img_w: u32, img_h: u32, longest: u32, shape_step: u32) -> Self {
        let long = img_w.max(img_h).max(1);
        let s = (f64::from(longest) / f64::from(long)).min(1.0);
        let resized_w = ((f64::from(img_w) * s).round() as u32).clamp(1, img_w.max(1));
        let resized_h = ((f64::from(img_h) * s).round() as u32).clamp(1, img_h.max(1));
        let step = shape_step.max(STRIDE).div_ceil(STRIDE) * STRIDE;
        Self {
            img_w,
            img_h,
            resized_w,
            resized_h,
            input_w: resized_w.div_ceil(step) * step,
            input_h: resized_h.div_ceil(step) * step,
        }
    }

    /// Maps a model-input point to original image pixels. Each axis has its own scale because
    /// rounding the resized size changes the aspect ratio by up to half a pixel.
    pub(crate) fn to_original(self, p: [f32; 2]) -> [f32; 2] {
        [
            p[0] * self.img_w as f32 / self.resized_w as f32,
            p[1] * self.img_h as f32 / self.resized_h as f32,
        ]
    }

    /// True when the image goes into the model at its own size.
    fn is_identity(&self) -> bool {
        self.resized_w == self.img_w && self.resized_h == self.img_h
    }
}

/// Resizes `img` per `lb` and returns the model input as planar `f32` `[3, input_h, input_w]`,
/// with the padding at 0 (the mean colour in model space).
pub(crate) fn prepare(
    img: &DynamicImage,
    lb: &Letterbox,
    fmt: &PixelFormat,
) -> Result<Vec<f32>, FaceError> {
    let rgb = resized_rgb8(img, lb)?;
    Ok(to_planes(&rgb, lb, fmt))
}

/// [`prepare`] from a smaller RGB copy of the image `lb` was made for (at least the resized
/// size): the result is the same picture, up to resampling, without touching the full image.
pub(crate) fn prepare_from_rgb(
    small: &RgbImage,
    lb: &Letterbox,
    fmt: &PixelFormat,
) -> Result<Vec<f32>, FaceError> {
    if small.dimensions() == (lb.resized_w, lb.resized_h) {
        return Ok(to_planes(small, lb, fmt));
    }
    let buf = resize_to(small, fast_image_resize::PixelType::U8x3, lb)?;
    let rgb = RgbImage::from_raw(lb.resized_w, lb.resized_h, buf)
        .ok_or_else(|| FaceError::Image("resized buffer has the wrong size".to_owned()))?;
    Ok(to_planes(&rgb, lb, fmt))
}

/// `src` resized to `lb`'s resized size, as raw pixels of `pixel_type`. Convolution scales
/// its kernel with the ratio, so downscaling is anti-aliased; alpha is not needed for
/// detection and skipping premultiplication saves a pass.
fn resize_to(
    src: &impl IntoImageView,
    pixel_type: fast_image_resize::PixelType,
    lb: &Letterbox,
) -> Result<Vec<u8>, FaceError> {
    let mut dst = FirImage::new(lb.resized_w, lb.resized_h, pixel_type);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
        .use_alpha(false);
    zcurate_image::resize::with_resizer(|r| r.resize(src, &mut dst, &options))
        .map_err(|e| FaceError::Image(e.to_string()))?;
    Ok(dst.into_vec())
}

/// The resized image as 8-bit RGB. Resizing happens in the source's own pixel type, so only
/// the small image is converted (alpha is dropped, greyscale replicated, 16-bit and float
/// narrowed).
fn resized_rgb8<'a>(img: &'a DynamicImage, lb: &Letterbox) -> Result<Cow<'a, RgbImage>, FaceError> {
    if lb.is_identity() {
        return Ok(match img {
            DynamicImage::ImageRgb8(rgb) => Cow::Borrowed(rgb),
            other => Cow::Owned(other.to_rgb8()),
        });
    }
    let Some(pixel_type) = img.pixel_type() else {
        // A pixel layout fast_image_resize does not know: convert first, then resize.
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        return resized_rgb8(&rgb, lb).map(|c| Cow::Owned(c.into_owned()));
    };
    let buf = resize_to(img, pixel_type, lb)?;
    let (w, h) = (lb.resized_w, lb.resized_h);
    let bad = || FaceError::Image("resized buffer has the wrong size".to_owned());
    let small: DynamicImage = match img {
        DynamicImage::ImageLuma8(_) => ImageBuffer::<Luma<u8>, _>::from_raw(w, h, buf)
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageLumaA8(_) => ImageBuffer::<LumaA<u8>, _>::from_raw(w, h, buf)
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageRgb8(_) => {
            return Ok(Cow::Owned(RgbImage::from_raw(w, h, buf).ok_or_else(bad)?));
        }
        DynamicImage::ImageRgba8(_) => ImageBuffer::<Rgba<u8>, _>::from_raw(w, h, buf)
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageLuma16(_) => ImageBuffer::<Luma<u16>, _>::from_raw(w, h, u16s(&buf))
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageLumaA16(_) => ImageBuffer::<LumaA<u16>, _>::from_raw(w, h, u16s(&buf))
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageRgb16(_) => ImageBuffer::<Rgb<u16>, _>::from_raw(w, h, u16s(&buf))
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageRgba16(_) => ImageBuffer::<Rgba<u16>, _>::from_raw(w, h, u16s(&buf))
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageRgb32F(_) => ImageBuffer::<Rgb<f32>, _>::from_raw(w, h, f32s(&buf))
            .ok_or_else(bad)?
            .into(),
        DynamicImage::ImageRgba32F(_) => ImageBuffer::<Rgba<f32>, _>::from_raw(w, h, f32s(&buf))
            .ok_or_else(bad)?
            .into(),
        _ => return Err(FaceError::Image("unsupported pixel type".to_owned())),
    };
    Ok(Cow::Owned(small.to_rgb8()))
}

fn u16s(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
        .collect()
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Interleaved RGB → padded planar input in the model's channel order and mean.
fn to_planes(rgb: &RgbImage, lb: &Letterbox, fmt: &PixelFormat) -> Vec<f32> {
    let (iw, ih) = (lb.input_w as usize, lb.input_h as usize);
    let plane = iw * ih;
    let mut out = vec![0.0f32; 3 * plane];
    // Source channel feeding each plane.
    let src_ch: [usize; 3] = match fmt.order {
        ChannelOrder::Rgb => [0, 1, 2],
        ChannelOrder::Bgr => [2, 1, 0],
    };
    let rw = rgb.width() as usize;
    let (p0, rest) = out.split_at_mut(plane);
    let (p1, p2) = rest.split_at_mut(plane);
    for (y, row) in rgb.as_raw().chunks_exact(rw * 3).enumerate() {
        let o = y * iw;
        for (x, px) in row.chunks_exact(3).enumerate() {
            p0[o + x] = f32::from(px[src_ch[0]]) - fmt.mean[0];
            p1[o + x] = f32::from(px[src_ch[1]]) - fmt.mean[1];
            p2[o + x] = f32::from(px[src_ch[2]]) - fmt.mean[2];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterbox_fits_longest_side_and_pads_to_stride() {
        let lb = Letterbox::new(3000, 2171, 640, STRIDE);
        assert_eq!((lb.resized_w, lb.resized_h), (640, 463));
        assert_eq!((lb.input_w, lb.input_h), (640, 480));
        let portrait = Letterbox::new(626, 1200, 640, STRIDE);
        assert_eq!((portrait.resized_w, portrait.resized_h), (334, 640));
        assert_eq!((portrait.input_w, portrait.input_h), (352, 640));
    }

    #[test]
    fn letterbox_never_enlarges() {
        let lb = Letterbox::new(300, 200, 640, STRIDE);
        assert_eq!(
            (lb.resized_w, lb.resized_h, lb.input_w, lb.input_h),
            (300, 200, 320, 224)
        );
        assert_eq!(lb.to_original([123.5, 77.25]), [123.5, 77.25]);
    }

    #[test]
    fn letterbox_maps_back_exactly() {
        let lb = Letterbox::new(3000, 2171, 640, STRIDE);
        // Corners of the resized image map to the corners of the original.
        assert_eq!(lb.to_original([640.0, 463.0]), [3000.0, 2171.0]);
        assert_eq!(lb.to_original([0.0, 0.0]), [0.0, 0.0]);
        let [x, y] = lb.to_original([320.0, 231.5]);
        assert!((x - 1500.0).abs() < 1e-3 && (y - 1085.5).abs() < 1e-3);
        // Coarser shape steps only add padding; the mapping stays the same.
        let coarse = Letterbox::new(3000, 2171, 640, 128);
        assert_eq!((coarse.input_w, coarse.input_h), (640, 512));
        assert_eq!(
            coarse.to_original([320.0, 231.5]),
            lb.to_original([320.0, 231.5])
        );
    }

    #[test]
    fn planes_follow_order_mean_and_padding() {
        // A 2×1 image: red, then blue.
        let img =
            DynamicImage::ImageRgb8(RgbImage::from_raw(2, 1, vec![200, 0, 0, 0, 0, 100]).unwrap());
        let lb = Letterbox::new(2, 1, 640, STRIDE);
        let fmt = PixelFormat {
            order: ChannelOrder::Bgr,
            mean: [10.0, 20.0, 30.0],
        };
        let t = prepare(&img, &lb, &fmt).unwrap();
        let plane = 32 * 32;
        assert_eq!(t.len(), 3 * plane);
        // Plane 0 is blue, plane 2 is red.
        assert_eq!(&t[0..3], &[-10.0, 90.0, 0.0]);
        assert_eq!(&t[plane..plane + 2], &[-20.0, -20.0]);
        assert_eq!(&t[2 * plane..2 * plane + 2], &[170.0, -30.0]);
        // Padding stays at zero.
        assert_eq!(t[32], 0.0);
    }

    #[test]
    fn a_preview_gives_the_same_input_as_the_full_image() {
        // A smooth gradient, so the two resampling routes can only differ by rounding.
        let full = RgbImage::from_fn(1200, 900, |x, y| {
            Rgb([(x / 5) as u8, (y / 4) as u8, ((x + y) / 9) as u8])
        });
        let preview = image::imageops::resize(&full, 512, 384, image::imageops::Triangle);
        let lb = Letterbox::new(1200, 900, 320, STRIDE);
        let fmt = PixelFormat {
            order: ChannelOrder::Rgb,
            mean: [0.0; 3],
        };
        let direct = prepare(&DynamicImage::ImageRgb8(full), &lb, &fmt).unwrap();
        let via = prepare_from_rgb(&preview, &lb, &fmt).unwrap();
        assert_eq!(direct.len(), via.len());
        let max_diff = direct
            .iter()
            .zip(&via)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(max_diff <= 2.0, "{max_diff}");
        // A preview of exactly the resized size is used as it is.
        let exact = image::imageops::resize(
            &preview,
            lb.resized_w,
            lb.resized_h,
            image::imageops::Triangle,
        );
        let planes = prepare_from_rgb(&exact, &lb, &fmt).unwrap();
        assert_eq!(planes[0], f32::from(exact.get_pixel(0, 0)[0]));
    }

    #[test]
    fn any_pixel_type_resizes_to_the_same_picture() {
        let rgb = RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 128]));
        let lb = Letterbox::new(64, 48, 32, STRIDE);
        let fmt = PixelFormat {
            order: ChannelOrder::Rgb,
            mean: [0.0; 3],
        };
        let base = prepare(&DynamicImage::ImageRgb8(rgb.clone()), &lb, &fmt).unwrap();
        for other in [
            DynamicImage::ImageRgb8(rgb.clone()).to_rgba8().into(),
            DynamicImage::ImageRgb16(DynamicImage::ImageRgb8(rgb.clone()).to_rgb16()),
            DynamicImage::ImageRgb32F(DynamicImage::ImageRgb8(rgb.clone()).to_rgb32f()),
        ] {
            let t = prepare(&other, &lb, &fmt).unwrap();
            let max_diff = t
                .iter()
                .zip(&base)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(max_diff <= 1.0, "{max_diff}");
        }
        let grey = DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(rgb).to_luma8());
        let t = prepare(&grey, &lb, &fmt).unwrap();
        let plane = (lb.input_w * lb.input_h) as usize;
        assert_eq!(t[5], t[plane + 5]);
    }
}
