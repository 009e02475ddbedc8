//! Synthetic images and hand-made file bytes for the unit tests. Nothing is read from disk.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, RgbaImage};

/// Deterministic pseudo-random numbers in 0..1.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1))
    }
    pub(crate) fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A photo-like scene defined in continuous coordinates, so rendering it at two sizes gives
/// "the same picture at two resolutions": a tilted colour gradient, soft waves, hard-edged
/// discs and a striped patch. Different seeds give different layouts.
pub(crate) fn scene(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut rng = Lcg::new(seed);
    let angle = rng.next() * std::f64::consts::TAU;
    let (ca, sa) = (angle.cos(), angle.sin());
    let base = [rng.next(), rng.next(), rng.next()];
    let discs: Vec<(f64, f64, f64, [f64; 3])> = (0..6)
        .map(|_| {
            (
                rng.next(),
                rng.next(),
                0.05 + 0.15 * rng.next(),
                [rng.next(), rng.next(), rng.next()],
            )
        })
        .collect();
    let (px, py) = (0.2 + 0.5 * rng.next(), 0.2 + 0.5 * rng.next());
    let aspect = f64::from(width) / f64::from(height);
    RgbImage::from_fn(width, height, |x, y| {
        let u = (f64::from(x) + 0.5) / f64::from(width);
        let v = (f64::from(y) + 0.5) / f64::from(height);
        let t = (u - 0.5) * ca + (v - 0.5) * sa + 0.5;
        let wave = 0.08 * (u * 9.0 + v * 4.0).sin() * (v * 7.0 - u * 3.0).cos();
        let mut c = [0.0; 3];
        for (i, c) in c.iter_mut().enumerate() {
            *c = 0.2 + 0.6 * (base[i] * (1.0 - t) + (1.0 - base[i]) * t) + wave;
        }
        for &(cx, cy, r, col) in &discs {
            let dx = (u - cx) * aspect;
            if dx * dx + (v - cy) * (v - cy) < r * r {
                c = col.map(|k| 0.1 + 0.8 * k);
            }
        }
        if (px..px + 0.2).contains(&u) && (py..py + 0.2).contains(&v) {
            let stripe = if (u * 60.0).fract() < 0.5 { 0.15 } else { 0.85 };
            c = [stripe; 3];
        }
        Rgb(c.map(|k| (k.clamp(0.0, 1.0) * 255.0).round() as u8))
    })
}

pub(crate) fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub(crate) fn jpeg_bytes(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.write_with_encoder(encoder).unwrap();
    out
}

pub(crate) fn png_bytes(img: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Png)
}

pub(crate) fn bmp_bytes(img: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Bmp)
}

pub(crate) fn webp_bytes(img: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::WebP)
}

pub(crate) fn gif_bytes(frames: &[RgbImage]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        let frames = frames
            .iter()
            .map(|f| image::Frame::new(DynamicImage::ImageRgb8(f.clone()).to_rgba8()));
        encoder.encode_frames(frames).unwrap();
    }
    out
}

/// A JPEG with an EXIF APP1 segment (big-endian TIFF, one IFD entry: Orientation) inserted
/// right after SOI.
pub(crate) fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08".to_vec();
    exif.extend_from_slice(&1u16.to_be_bytes()); // one entry
    exif.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_be_bytes()); // count
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0]); // value padding
    exif.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG with one extra chunk inserted after IHDR (which ends at byte 33).
pub(crate) fn with_png_chunk(png: &[u8], kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    chunk.extend_from_slice(&body);
    chunk.extend_from_slice(&crc32(&body).to_be_bytes());
    let mut out = png[..33].to_vec();
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[33..]);
    out
}

/// A PNG header (signature + IHDR with a correct CRC) claiming `width × height`, no data.
pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut body = b"IHDR".to_vec();
    body.extend_from_slice(&width.to_be_bytes());
    body.extend_from_slice(&height.to_be_bytes());
    body.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A BMP header (BITMAPINFOHEADER, 24-bit) claiming `width × height`, no pixel data.
pub(crate) fn bmp_header(width: i32, height: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend_from_slice(&0u32.to_le_bytes()); // file size (unchecked)
    out.extend_from_slice(&0u32.to_le_bytes()); // reserved
    out.extend_from_slice(&54u32.to_le_bytes()); // pixel data offset
    out.extend_from_slice(&40u32.to_le_bytes()); // header size
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // planes
    out.extend_from_slice(&24u16.to_le_bytes()); // bits per pixel
    out.extend_from_slice(&[0; 24]); // compression .. colours important
    out
}

/// A WebP container with VP8X (animation flag) and `frames` empty ANMF chunks: enough for
/// the frame counter, not decodable.
pub(crate) fn animated_webp_container(frames: usize) -> Vec<u8> {
    let mut chunks = Vec::new();
    chunks.extend_from_slice(b"VP8X");
    chunks.extend_from_slice(&10u32.to_le_bytes());
    chunks.extend_from_slice(&[0x02, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
    for _ in 0..frames {
        chunks.extend_from_slice(b"ANMF");
        chunks.extend_from_slice(&16u32.to_le_bytes());
        chunks.extend_from_slice(&[0; 16]);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(chunks.len() + 4).unwrap().to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    out
}

/// A valid baseline CMYK JPEG, written by hand because no Rust encoder writes CMYK.
///
/// Four components at 1×1 sampling, an Adobe APP14 segment saying "no transform", and
/// Huffman tables with a single 1-bit code each (DC difference 0, AC end-of-block), so
/// every 8×8 block is the two bits `00` and each 4-block MCU is one zero byte: a flat
/// mid-level image.
pub(crate) fn cmyk_jpeg(width: u16, height: u16) -> Vec<u8> {
    fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&u16::try_from(body.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(body);
    }
    let mut out = vec![0xFF, 0xD8];
    segment(&mut out, 0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x00");
    let mut dqt = vec![0x00];
    dqt.extend_from_slice(&[1; 64]);
    segment(&mut out, 0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend_from_slice(&height.to_be_bytes());
    sof.extend_from_slice(&width.to_be_bytes());
    sof.push(4);
    for id in 1..=4 {
        sof.extend_from_slice(&[id, 0x11, 0]);
    }
    segment(&mut out, 0xC0, &sof);
    for class in [0x00, 0x10] {
        let mut dht = vec![class, 1];
        dht.extend_from_slice(&[0; 15]);
        dht.push(0x00);
        segment(&mut out, 0xC4, &dht);
    }
    let mut sos = vec![4];
    for id in 1..=4 {
        sos.extend_from_slice(&[id, 0x00]);
    }
    sos.extend_from_slice(&[0, 63, 0]);
    segment(&mut out, 0xDA, &sos);
    let mcus = usize::from(width.div_ceil(8)) * usize::from(height.div_ceil(8));
    out.extend(std::iter::repeat_n(0u8, mcus));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// An RGBA image, opaque or with one half-transparent pixel.
pub(crate) fn rgba(width: u32, height: u32, transparent_pixel: bool) -> RgbaImage {
    let mut img = RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x * 7) as u8, (y * 5) as u8, 90, 255])
    });
    if transparent_pixel {
        img.put_pixel(width - 1, height - 1, image::Rgba([0, 0, 0, 128]));
    }
    img
}
