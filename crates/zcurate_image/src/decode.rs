//! Decoding: sniff the format from content, check limits against the header, decode once
//! with the `image` crate, apply EXIF orientation.

use std::error::Error as _;
use std::fmt;
use std::io::{self, Cursor};

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader};

use crate::colour::{self, ColourInfo};
use crate::error::DecodeError;
use crate::format::Format;
use crate::limits::DecodeLimits;
use crate::probe;

/// A decoded image, already turned upright, with what the file said about itself.
#[derive(Clone, PartialEq)]
pub struct Decoded {
    /// The pixels after applying the EXIF orientation, in the decoder's pixel type
    /// (8- or 16-bit, or float for float TIFFs). CMYK JPEGs arrive as RGB.
    pub image: DynamicImage,
    /// Format sniffed from the content.
    pub format: Format,
    /// EXIF orientation tag (1..=8) as found in the file; `None` when absent or invalid.
    /// Any value but 1 means `image` differs from the stored pixel layout.
    pub exif_orientation: Option<u8>,
    /// Colour model and bit depth stored in the file.
    pub colour: ColourInfo,
    /// More than one frame (GIF, animated WebP, APNG); `image` holds the first.
    pub animated: bool,
}

impl Decoded {
    /// Width after orientation.
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height after orientation.
    pub fn height(&self) -> u32 {
        self.image.height()
    }
}

// Manual so that debug output shows the shape, not millions of pixel values.
impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("width", &self.image.width())
            .field("height", &self.image.height())
            .field("pixel_type", &self.image.color())
            .field("format", &self.format)
            .field("exif_orientation", &self.exif_orientation)
            .field("colour", &self.colour)
            .field("animated", &self.animated)
            .finish_non_exhaustive()
    }
}

/// Decodes an image from its bytes.
///
/// The format comes from the content, never the file name. Dimensions claimed by the header
/// are checked against `limits` before any pixel buffer is allocated. The EXIF orientation
/// is applied, so `image` is upright. Truncated JPEGs and GIFs fail here even though the
/// `image` decoders would fill the missing part with grey.
pub fn decode_bytes(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, DecodeError> {
    let format = Format::sniff(bytes)?;
    let probe = probe::probe(format, bytes);
    if let Some((w, h)) = probe.dims {
        limits.check_dimensions(w, h)?;
    }
    if let Some(why) = probe.truncated {
        return Err(DecodeError::Truncated {
            format,
            message: why.to_owned(),
        });
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.to_image());
    reader.limits(limits.to_image_limits());
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| map_error(format, e, limits))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(DecodeError::Corrupt {
            format,
            message: format!("the header gives a size of {width}×{height} px"),
        });
    }
    limits.check_dimensions(width, height)?;
    limits.check_alloc(decoder.total_bytes(), width, height)?;

    // Broken metadata must not cost the pixels, so metadata errors count as "absent".
    let exif_orientation = decoder
        .exif_metadata()
        .ok()
        .flatten()
        .and_then(|chunk| Orientation::from_exif_chunk(&chunk));
    // TIFF keeps orientation in its own tag, which only `orientation()` reads.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let exif_orientation = exif_orientation
        .or((orientation != Orientation::NoTransforms).then_some(orientation))
        .map(Orientation::to_exif);

    let original = decoder.original_color_type();
    let decoded_type = decoder.color_type();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| map_error(format, e, limits))?;
    image.apply_orientation(orientation);

    Ok(Decoded {
        image,
        format,
        exif_orientation,
        colour: colour::detect(format, original, decoded_type, &probe),
        animated: probe.animated,
    })
}

fn map_error(format: Format, err: ImageError, limits: &DecodeLimits) -> DecodeError {
    match err {
        ImageError::Limits(e) => DecodeError::Limits {
            message: format!(
                "{e} (limits: {}×{} px, {} MiB)",
                limits.max_width,
                limits.max_height,
                limits.max_alloc / (1024 * 1024)
            ),
        },
        ImageError::Unsupported(e) => DecodeError::Unsupported {
            found: format!("unsupported {format} variant: {e}"),
        },
        ImageError::IoError(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            DecodeError::Truncated {
                format,
                message: e.to_string(),
            }
        }
        ImageError::Decoding(e) if looks_truncated(&e) => DecodeError::Truncated {
            format,
            message: e.to_string(),
        },
        other => DecodeError::Corrupt {
            format,
            message: other.to_string(),
        },
    }
}

/// Decoders report "ran out of data" in their own words; look for an EOF I/O error in the
/// cause chain, then for the usual phrases.
fn looks_truncated(err: &image::error::DecodingError) -> bool {
    let mut source = err.source();
    while let Some(e) = source {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::UnexpectedEof)
        {
            return true;
        }
        source = e.source();
    }
    let message = err.to_string().to_ascii_lowercase();
    [
        "eof",
        "end of file",
        "unexpected end",
        "truncated",
        "not enough data",
        "no more data",
    ]
    .iter()
    .any(|phrase| message.contains(phrase))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use image::{ImageBuffer, ImageFormat, Luma, Rgb, RgbImage};

    use super::*;
    use crate::test_util::{self, Lcg};
    use zcurate_manifest::ColourKind;

    fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
        decode_bytes(bytes, &DecodeLimits::default())
    }

    #[test]
    fn every_format_round_trips() {
        let img = test_util::scene(48, 32, 1);
        let dynamic = DynamicImage::ImageRgb8(img.clone());
        let files = [
            (
                Format::Jpeg,
                test_util::jpeg_bytes(&img, 90),
                ColourKind::Rgb,
            ),
            (Format::Png, test_util::png_bytes(&img), ColourKind::Rgb),
            (Format::Webp, test_util::webp_bytes(&img), ColourKind::Rgb),
            (Format::Bmp, test_util::bmp_bytes(&img), ColourKind::Rgb),
            (
                Format::Gif,
                test_util::gif_bytes(std::slice::from_ref(&img)),
                ColourKind::Rgba,
            ),
            (
                Format::Tiff,
                test_util::encode(&dynamic, ImageFormat::Tiff),
                ColourKind::Rgb,
            ),
        ];
        for (format, bytes, kind) in files {
            let d = decode(&bytes).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!(d.format, format);
            assert_eq!((d.width(), d.height()), (48, 32), "{format}");
            assert_eq!(d.colour.kind, kind, "{format}");
            assert_eq!(d.colour.bits_per_channel, 8, "{format}");
            assert_eq!(d.exif_orientation, None, "{format}");
            assert!(!d.animated, "{format}");
        }
    }

    #[test]
    fn grey_and_sixteen_bit_pngs_report_stored_depth() {
        let grey = DynamicImage::ImageLuma8(ImageBuffer::from_pixel(8, 8, Luma([100u8])));
        let d = decode(&test_util::encode(&grey, ImageFormat::Png)).unwrap();
        assert_eq!(
            (d.colour.kind, d.colour.bits_per_channel),
            (ColourKind::Grey, 8)
        );
        let deep =
            DynamicImage::ImageRgba16(ImageBuffer::from_pixel(8, 8, image::Rgba([1u16, 2, 3, 4])));
        let d = decode(&test_util::encode(&deep, ImageFormat::Png)).unwrap();
        assert_eq!(
            (d.colour.kind, d.colour.bits_per_channel),
            (ColourKind::Rgba, 16)
        );
        let grey_jpeg = test_util::encode(&grey, ImageFormat::Jpeg);
        assert_eq!(decode(&grey_jpeg).unwrap().colour.kind, ColourKind::Grey);
    }

    #[test]
    fn exif_orientation_is_applied_and_recorded() {
        // Red top-left quadrant on blue; a 90° clockwise turn moves it to the top right.
        let img = RgbImage::from_fn(64, 32, |x, y| {
            if x < 32 && y < 16 {
                Rgb([250, 0, 0])
            } else {
                Rgb([0, 0, 250])
            }
        });
        let jpeg = test_util::jpeg_bytes(&img, 95);
        let d = decode(&test_util::with_exif_orientation(&jpeg, 6)).unwrap();
        assert_eq!((d.width(), d.height()), (32, 64));
        assert_eq!(d.exif_orientation, Some(6));
        let rgb = d.image.to_rgb8();
        assert!(rgb.get_pixel(28, 4).0[0] > 200, "top right should be red");
        assert!(rgb.get_pixel(4, 4).0[2] > 200, "top left should be blue");

        let upright = decode(&test_util::with_exif_orientation(&jpeg, 1)).unwrap();
        assert_eq!(
            (upright.width(), upright.height(), upright.exif_orientation),
            (64, 32, Some(1))
        );
        let invalid = decode(&test_util::with_exif_orientation(&jpeg, 9)).unwrap();
        assert_eq!((invalid.width(), invalid.exif_orientation), (64, None));
    }

    #[test]
    fn one_pixel_image() {
        let img = RgbImage::from_pixel(1, 1, Rgb([10, 20, 30]));
        for bytes in [test_util::png_bytes(&img), test_util::jpeg_bytes(&img, 90)] {
            let d = decode(&bytes).unwrap();
            assert_eq!((d.width(), d.height()), (1, 1));
        }
    }

    #[test]
    fn empty_and_text_and_unknown_bytes() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        let err = decode(b"This is a caption, not a picture.\n").unwrap_err();
        assert!(
            matches!(&err, DecodeError::Unsupported { found } if found.starts_with("not an image: starts with text")),
            "{err}"
        );
        assert!(matches!(
            decode(&[0x00, 0x13, 0x37]),
            Err(DecodeError::Unsupported { .. })
        ));
    }

    #[test]
    fn truncated_files_are_errors() {
        let img = test_util::scene(64, 48, 2);
        let jpeg = test_util::jpeg_bytes(&img, 90);
        let png = test_util::png_bytes(&img);
        for (name, bytes) in [("jpeg", &jpeg), ("png", &png)] {
            for keep in [bytes.len() * 3 / 4, bytes.len() / 2, 60] {
                let err = decode(&bytes[..keep]).unwrap_err();
                assert!(
                    matches!(err, DecodeError::Truncated { .. }),
                    "{name} cut at {keep}: {err:?}"
                );
            }
        }
        let others = [
            test_util::gif_bytes(std::slice::from_ref(&img)),
            test_util::webp_bytes(&img),
            test_util::bmp_bytes(&img),
            test_util::encode(&DynamicImage::ImageRgb8(img), ImageFormat::Tiff),
        ];
        for bytes in others {
            let err = decode(&bytes[..bytes.len() / 2]).unwrap_err();
            assert!(
                matches!(
                    err,
                    DecodeError::Truncated { .. } | DecodeError::Corrupt { .. }
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn huge_headers_fail_fast_with_limits() {
        let start = Instant::now();
        for bytes in [
            test_util::png_header(100_000, 100_000),
            test_util::bmp_header(100_000, 100_000),
            test_util::bmp_header(100_000, -100_000),
            test_util::png_header(20_000, 10),
        ] {
            let err = decode(&bytes).unwrap_err();
            assert!(matches!(err, DecodeError::Limits { .. }), "{err:?}");
        }
        assert!(start.elapsed() < Duration::from_millis(200));
        let err = decode(&test_util::png_header(100_000, 100_000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "exceeds decode limits: 100000×100000 px is larger than the 16384×16384 px limit"
        );
    }

    #[test]
    fn alloc_limit_counts_decoded_bytes() {
        let png = test_util::png_bytes(&test_util::scene(64, 64, 1));
        let tight = DecodeLimits {
            max_alloc: 64 * 64 * 3 - 1,
            ..DecodeLimits::default()
        };
        assert!(matches!(
            decode_bytes(&png, &tight),
            Err(DecodeError::Limits { .. })
        ));
        let enough = DecodeLimits {
            max_alloc: 1 << 20,
            ..DecodeLimits::default()
        };
        assert!(decode_bytes(&png, &enough).is_ok());
    }

    #[test]
    fn cmyk_jpeg_is_detected() {
        let d = decode(&test_util::cmyk_jpeg(16, 8)).unwrap();
        assert_eq!((d.width(), d.height()), (16, 8));
        assert_eq!(d.colour.kind, ColourKind::Cmyk);
        assert_eq!(d.colour.bits_per_channel, 8);
    }

    #[test]
    fn animation_is_flagged() {
        let (a, b) = (test_util::scene(20, 20, 1), test_util::scene(20, 20, 2));
        let anim = decode(&test_util::gif_bytes(&[a.clone(), b])).unwrap();
        assert!(anim.animated);
        assert_eq!(anim.width(), 20);
        assert!(!decode(&test_util::gif_bytes(&[a])).unwrap().animated);
    }

    #[test]
    fn format_comes_from_content_not_name() {
        // The caller may hold a ".jpg" that is really a PNG; only the bytes count here.
        let png = test_util::png_bytes(&test_util::scene(8, 8, 1));
        assert_eq!(decode(&png).unwrap().format, Format::Png);
    }

    #[test]
    fn damaged_files_never_panic() {
        let img = test_util::scene(24, 16, 5);
        let dynamic = DynamicImage::ImageRgb8(img.clone());
        let files = [
            test_util::with_exif_orientation(&test_util::jpeg_bytes(&img, 80), 6),
            test_util::png_bytes(&img),
            test_util::webp_bytes(&img),
            test_util::bmp_bytes(&img),
            test_util::gif_bytes(&[img.clone(), test_util::scene(24, 16, 6)]),
            test_util::encode(&dynamic, ImageFormat::Tiff),
            test_util::cmyk_jpeg(16, 16),
        ];
        let mut rng = Lcg::new(42);
        // Mutated headers claim big sizes; a small budget keeps the test fast.
        let limits = DecodeLimits {
            max_alloc: 4 << 20,
            ..DecodeLimits::default()
        };
        for original in &files {
            for _ in 0..300 {
                let mut bytes = original.clone();
                // Flip a few bytes, sometimes cut the tail.
                for _ in 0..=(rng.next() * 4.0) as usize {
                    let i = (rng.next() * bytes.len() as f64) as usize % bytes.len();
                    bytes[i] = (rng.next() * 256.0) as u8;
                }
                if rng.next() < 0.3 {
                    bytes.truncate((rng.next() * bytes.len() as f64) as usize);
                }
                // Analysis is slow unoptimised; run it where the damage changed the shape.
                if let Ok(d) = decode_bytes(&bytes, &limits)
                    && !matches!((d.width(), d.height()), (24 | 16, 16) | (16, 24))
                {
                    let _ = crate::analyse(&d, &crate::AnalysisSettings::default());
                }
            }
        }
    }
}
