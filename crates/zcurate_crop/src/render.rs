//! The pixels of a planned crop: cut, turned and padded when asked, resized with Lanczos3,
//! encoded. Outputs are 8-bit RGB with no metadata, so the EXIF orientation the decoder
//! applied is baked in and nothing can turn the image a second time.

use std::borrow::Cow;
use std::cell::RefCell;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ExtendedColorType, ImageEncoder, Rgb, RgbImage};

use crate::geometry::CropBox;
use crate::options::{OutputFormat, Pad};
use crate::plan::CropPlan;

thread_local! {
    /// One resizer per worker: it keeps its scratch buffers between images.
    static RESIZER: RefCell<Resizer> = RefCell::new(Resizer::new());
}

/// The source as 8-bit RGB, without a copy when it already is. Alpha is dropped without
/// compositing, as trainers do when they load RGB.
pub(crate) fn rgb8(image: &DynamicImage) -> Cow<'_, RgbImage> {
    match image {
        DynamicImage::ImageRgb8(b) => Cow::Borrowed(b),
        other => Cow::Owned(other.to_rgb8()),
    }
}

/// Cuts, turns, pads and resizes `plan`'s crop out of `image` (EXIF-oriented, as decoded).
pub fn render(image: &DynamicImage, plan: &CropPlan, pad: Option<Pad>) -> Result<RgbImage, String> {
    let src = rgb8(image);
    let (w, h) = src.dimensions();
    let crop = plan.crop;
    let mut dst = RgbImage::new(plan.width, plan.height);
    if crop.angle_deg == 0.0 && crop.inside(w, h, 1e-3) {
        // The common case: an axis-aligned box inside the photo, resized straight from the
        // decoded pixels with a sub-pixel crop.
        let x0 = crop.origin[0].clamp(0.0, f64::from(w));
        let y0 = crop.origin[1].clamp(0.0, f64::from(h));
        let cw = crop.width.min(f64::from(w) - x0);
        let ch = crop.height.min(f64::from(h) - y0);
        resize(&src, &mut dst, [x0, y0, cw, ch])?;
    } else {
        let canvas = warp(&src, &crop, pad);
        let (cw, ch) = canvas.dimensions();
        resize(
            &canvas,
            &mut dst,
            [
                0.0,
                0.0,
                crop.width.min(f64::from(cw)),
                crop.height.min(f64::from(ch)),
            ],
        )?;
    }
    Ok(dst)
}

fn resize(src: &RgbImage, dst: &mut RgbImage, [x, y, w, h]: [f64; 4]) -> Result<(), String> {
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(x, y, w, h);
    RESIZER
        .with(|r| r.borrow_mut().resize(src, dst, &options))
        .map_err(|e| format!("resize failed: {e}"))
}

/// The crop at source resolution, sampled bilinearly along the crop's axes; what lies outside
/// the photo is filled by `pad` (edge pixels without it: only rounding puts a sample there).
fn warp(src: &RgbImage, crop: &CropBox, pad: Option<Pad>) -> RgbImage {
    let (cw, ch) = (
        crop.width.ceil().max(1.0) as u32,
        crop.height.ceil().max(1.0) as u32,
    );
    let (w, h) = (f64::from(src.width()), f64::from(src.height()));
    let frame = crop.frame();
    let mut out = RgbImage::new(cw, ch);
    let mut outside = vec![false; (cw as usize) * (ch as usize)];
    for j in 0..ch {
        for i in 0..cw {
            let p = frame.image_of([f64::from(i) + 0.5, f64::from(j) + 0.5]);
            let inside = (0.0..=w).contains(&p[0]) && (0.0..=h).contains(&p[1]);
            let px = match (inside, pad) {
                (false, Some(Pad::Colour(c))) => Rgb(c),
                (false, Some(Pad::Reflect | Pad::Blur)) => {
                    bilinear(src, reflect(p[0], w) - 0.5, reflect(p[1], h) - 0.5)
                }
                _ => bilinear(src, p[0] - 0.5, p[1] - 0.5),
            };
            out.put_pixel(i, j, px);
            outside[(j * cw + i) as usize] = !inside;
        }
    }
    if pad == Some(Pad::Blur) && outside.contains(&true) {
        // A blur wide enough that the mirrored copy reads as out-of-focus background.
        let radius = (cw.max(ch) / 30).max(2);
        let blurred = box_blur(&out, radius);
        for (k, (o, b)) in out.pixels_mut().zip(blurred.pixels()).enumerate() {
            if outside[k] {
                *o = *b;
            }
        }
    }
    out
}

/// Mirrors a coordinate into `[0, size]`.
fn reflect(v: f64, size: f64) -> f64 {
    let m = v.rem_euclid(2.0 * size);
    if m > size { 2.0 * size - m } else { m }
}

/// Bilinear sample at pixel-centre coordinates, clamped to the edge.
fn bilinear(src: &RgbImage, x: f64, y: f64) -> Rgb<u8> {
    let (w, h) = (src.width(), src.height());
    let x = x.clamp(0.0, f64::from(w - 1));
    let y = y.clamp(0.0, f64::from(h - 1));
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - f64::from(x0), y - f64::from(y0));
    let (a, b, c, d) = (
        src.get_pixel(x0, y0).0,
        src.get_pixel(x1, y0).0,
        src.get_pixel(x0, y1).0,
        src.get_pixel(x1, y1).0,
    );
    Rgb(std::array::from_fn(|k| {
        let top = f64::from(a[k]) * (1.0 - fx) + f64::from(b[k]) * fx;
        let bottom = f64::from(c[k]) * (1.0 - fx) + f64::from(d[k]) * fx;
        (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
    }))
}

/// Three passes of a box blur approximate a Gaussian.
fn box_blur(img: &RgbImage, radius: u32) -> RgbImage {
    let mut cur = img.clone();
    for _ in 0..3 {
        cur = blur_pass(&cur, radius, true);
        cur = blur_pass(&cur, radius, false);
    }
    cur
}

fn blur_pass(img: &RgbImage, radius: u32, horizontal: bool) -> RgbImage {
    let (w, h) = img.dimensions();
    let (len, lines) = if horizontal { (w, h) } else { (h, w) };
    let at = |line: u32, k: u32| if horizontal { (k, line) } else { (line, k) };
    let mut out = RgbImage::new(w, h);
    let r = i64::from(radius);
    for line in 0..lines {
        let mut sum = [0u32; 3];
        let get = |k: i64| {
            let k = k.clamp(0, i64::from(len) - 1) as u32;
            let (x, y) = at(line, k);
            img.get_pixel(x, y).0
        };
        for k in -r..=r {
            let p = get(k);
            for c in 0..3 {
                sum[c] += u32::from(p[c]);
            }
        }
        let n = 2 * radius + 1;
        for k in 0..i64::from(len) {
            let (x, y) = at(line, k as u32);
            out.put_pixel(
                x,
                y,
                Rgb(std::array::from_fn(|c| ((sum[c] + n / 2) / n) as u8)),
            );
            let (add, drop) = (get(k + r + 1), get(k - r));
            for c in 0..3 {
                sum[c] = sum[c] + u32::from(add[c]) - u32::from(drop[c]);
            }
        }
    }
    out
}

/// Encodes an output image. JPEG uses `quality` (no chroma subsampling from 90 up); PNG and
/// WebP are lossless.
pub fn encode(img: &RgbImage, format: OutputFormat, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = img.dimensions();
    let mut buf = Vec::with_capacity(img.as_raw().len() / 4);
    let result = match format {
        OutputFormat::Jpeg => {
            // jpeg-encoder (SIMD) rather than `image`'s encoder, which takes about 300 ms for
            // a 1024² output at quality 95: longer than decoding and detection together.
            let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
                return Err(format!("{w}x{h} is too large for JPEG (65535 px at most)"));
            };
            return jpeg_encoder::Encoder::new(&mut buf, quality)
                .encode(img.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
                .map(|()| buf)
                .map_err(|e| format!("{e}"));
        }
        OutputFormat::Png => {
            PngEncoder::new_with_quality(&mut buf, CompressionType::Fast, PngFilter::Adaptive)
                .write_image(img.as_raw(), w, h, ExtendedColorType::Rgb8)
        }
        OutputFormat::Webp => WebPEncoder::new_lossless(&mut buf).write_image(
            img.as_raw(),
            w,
            h,
            ExtendedColorType::Rgb8,
        ),
    };
    result.map_err(|e| e.to_string())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use image::{GrayImage, Luma, Rgba, RgbaImage};

    use super::*;
    use zcurate_manifest::FramingClass;

    use crate::manifest::FramingOutcome;
    use crate::plan::Fit;

    fn plan(crop: CropBox, width: u32, height: u32) -> CropPlan {
        CropPlan {
            face: 0,
            face_box: [0.0; 4],
            crop,
            width,
            height,
            scale: f64::from(width) / crop.width,
            upscaled: false,
            shortfall: None,
            fit: Fit::Ideal,
            outside: false,
            framing: FramingOutcome {
                requested: FramingClass::CloseUp,
                expected: FramingClass::CloseUp,
                confidence: 1.0,
                below_chin_heads: 0.0,
                headroom_heads: 0.0,
                reached: true,
            },
            face_box_out: [0.0; 4],
        }
    }

    /// Left half red, right half blue.
    fn halves(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            }
        })
    }

    fn crop(x: f64, y: f64, w: f64, h: f64, angle: f64) -> CropBox {
        CropBox {
            origin: [x, y],
            width: w,
            height: h,
            angle_deg: angle,
        }
    }

    #[test]
    fn cuts_the_right_region_and_resizes() {
        let img = DynamicImage::ImageRgb8(halves(400, 200));
        // The right half only: blue (the filter reaches a pixel or two past the crop edge,
        // as resampling should).
        let out = render(
            &img,
            &plan(crop(200.0, 0.0, 200.0, 200.0, 0.0), 64, 64),
            None,
        )
        .unwrap();
        assert_eq!(out.dimensions(), (64, 64));
        assert!(
            out.pixels().all(|p| p.0[2] > 230 && p.0[0] < 25),
            "{:?}",
            out.get_pixel(0, 0)
        );
        assert!(out.get_pixel(3, 30).0[0] < 3);
        // Straddling the middle: red on the left, blue on the right.
        let out = render(
            &img,
            &plan(crop(100.0, 0.0, 200.0, 200.0, 0.0), 64, 64),
            None,
        )
        .unwrap();
        assert!(out.get_pixel(5, 30).0[0] > 240 && out.get_pixel(58, 30).0[2] > 240);
    }

    #[test]
    fn any_pixel_type_gives_rgb8() {
        let grey = DynamicImage::ImageLuma8(GrayImage::from_pixel(50, 50, Luma([100])));
        let out = render(&grey, &plan(crop(0.0, 0.0, 50.0, 50.0, 0.0), 16, 16), None).unwrap();
        assert_eq!(out.get_pixel(8, 8).0, [100, 100, 100]);
        let rgba = DynamicImage::ImageRgba8(RgbaImage::from_pixel(50, 50, Rgba([10, 20, 30, 0])));
        let out = render(&rgba, &plan(crop(0.0, 0.0, 50.0, 50.0, 0.0), 16, 16), None).unwrap();
        assert_eq!(out.get_pixel(8, 8).0, [10, 20, 30]);
    }

    #[test]
    fn a_half_turn_crop_is_upside_down() {
        let img = DynamicImage::ImageRgb8(halves(400, 200));
        // Turned 180 degrees: its origin is the photo's bottom-right corner, its x runs left.
        let out = render(
            &img,
            &plan(crop(400.0, 200.0, 400.0, 200.0, 180.0), 64, 32),
            None,
        )
        .unwrap();
        assert!(
            out.get_pixel(4, 16).0[2] > 240,
            "left of the output is the photo's right"
        );
        assert!(out.get_pixel(60, 16).0[0] > 240);
    }

    #[test]
    fn padding_modes_fill_outside_the_photo() {
        let img = DynamicImage::ImageRgb8(halves(200, 200));
        // Half of this crop lies left of the photo.
        let c = crop(-100.0, 0.0, 200.0, 200.0, 0.0);
        let colour = render(&img, &plan(c, 64, 64), Some(Pad::Colour([0, 255, 0]))).unwrap();
        assert_eq!(colour.get_pixel(5, 30).0, [0, 255, 0]);
        assert!(colour.get_pixel(50, 30).0[0] > 240);
        // Mirrored: the red left half of the photo shows again.
        let reflect = render(&img, &plan(c, 64, 64), Some(Pad::Reflect)).unwrap();
        assert!(reflect.get_pixel(5, 30).0[0] > 240);
        let blur = render(&img, &plan(c, 64, 64), Some(Pad::Blur)).unwrap();
        assert!(blur.get_pixel(5, 30).0[0] > 200);
        // Inside the photo the blur leaves pixels alone.
        assert!(blur.get_pixel(50, 30).0[0] > 240);
    }

    #[test]
    fn box_blur_keeps_flat_areas_and_averages_edges() {
        let img = halves(40, 4);
        let b = box_blur(&img, 3);
        assert_eq!(b.get_pixel(2, 2).0, [255, 0, 0]);
        let mid = b.get_pixel(20, 2).0;
        assert!(mid[0] > 60 && mid[2] > 60, "{mid:?}");
    }

    #[test]
    fn encodes_each_format_and_decodes_back() {
        let img = halves(64, 48);
        for (format, sniffed) in [
            (OutputFormat::Jpeg, image::ImageFormat::Jpeg),
            (OutputFormat::Png, image::ImageFormat::Png),
            (OutputFormat::Webp, image::ImageFormat::WebP),
        ] {
            let bytes = encode(&img, format, 90).unwrap();
            assert_eq!(image::guess_format(&bytes).unwrap(), sniffed);
            let back = zcurate_image::decode_bytes(&bytes, &zcurate_image::DecodeLimits::default())
                .unwrap();
            assert_eq!((back.width(), back.height()), (64, 48));
        }
    }
}
