//! The folder people really start from: a few good photos of one man buried among their own
//! copies (crops, mirrored, tilted and grey versions), an exact and a near duplicate, a
//! blurry and a thumbnail-sized copy, other people, a group photo and a half-cut face. The
//! `zcurate select` tests and the README tour build it from the pinned real photos.
//!
//! The man's three photos are enlarged 2× first (as from a camera of today rather than the
//! small web copies the packages ship), so that close-up crops of them still reach half the
//! 1024 px training resolution.

use std::path::Path;

use anyhow::Result;
use image::imageops::FilterType;
use image::{DynamicImage, Rgb, RgbImage};

use crate::broad_set::{SOURCES, jpeg, photo, sources};

/// What each file of the messy set is, for tests and the tour's narration.
pub struct MessyFile {
    pub name: String,
    pub what: &'static str,
}

/// The man's photos, by the names the set gives them.
pub const MAN: [&str; 3] = ["m1", "m2", "m3"];

/// Other people (one face each) and what they are.
pub const OTHERS: [(&str, &str, &str); 4] = [
    ("biden", "biden.jpg", "another man"),
    ("grace_hopper", "grace_hopper.jpg", "a woman"),
    ("newton", "newton.png", "a painted portrait"),
    (
        "astronaut",
        "astronaut.png",
        "an astronaut, face small in the frame",
    ),
];

/// Degrees the tilted copies are turned by.
pub const TILT_DEG: f32 = 12.0;

/// `img` turned by `deg` degrees (positive: clockwise) about its centre, cut to the largest
/// upright rectangle of the same aspect that holds no corner of the background. The photos
/// leave little room above the head, so the top is first extended by repeating its first row
/// (a band of background), or the turned frame would cut the head.
pub fn tilted(img: &DynamicImage, deg: f32) -> DynamicImage {
    let photo = img.to_rgb8();
    let pad = photo.height() / 4;
    let src = RgbImage::from_fn(photo.width(), photo.height() + pad, |x, y| {
        *photo.get_pixel(x, y.saturating_sub(pad))
    });
    let (w, h) = src.dimensions();
    let (wf, hf) = (w as f32, h as f32);
    let t = deg.to_radians();
    let (s, c) = (t.sin().abs(), t.cos());
    // The largest w'×h' of the same aspect inside the turned w×h.
    let k = 1.0 / (c + s * (wf / hf).max(hf / wf));
    let (ow, oh) = ((wf * k) as u32, (hf * k) as u32);
    let (cx, cy) = (wf / 2.0, hf / 2.0);
    let (sin, cos) = t.sin_cos();
    let out = RgbImage::from_fn(ow, oh, |x, y| {
        let dx = x as f32 - ow as f32 / 2.0;
        let dy = y as f32 - oh as f32 / 2.0;
        // Inverse rotation: where this output pixel comes from.
        let sx = cx + dx * cos + dy * sin;
        let sy = cy - dx * sin + dy * cos;
        bilinear(&src, sx, sy)
    });
    DynamicImage::ImageRgb8(out)
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = img.dimensions();
    let x0 = (x.floor().max(0.0) as u32).min(w - 1);
    let y0 = (y.floor().max(0.0) as u32).min(h - 1);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (
        (x - x0 as f32).clamp(0.0, 1.0),
        (y - y0 as f32).clamp(0.0, 1.0),
    );
    let p = |xx, yy| img.get_pixel(xx, yy).0.map(f32::from);
    let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
    Rgb(std::array::from_fn(|i| {
        let top = a[i] + (b[i] - a[i]) * fx;
        let bottom = c[i] + (d[i] - c[i]) * fx;
        (top + (bottom - top) * fy).round() as u8
    }))
}

/// Writes the messy set into `out` (which must not exist or be empty) and returns what each
/// file is. Every image of the man gets the caption `ohwx man`, as a person who captioned the
/// folder by hand would; the others get it too (they were dropped into the folder by mistake).
pub fn write_messy_set(out: &Path) -> Result<Vec<MessyFile>> {
    if out.exists() && out.read_dir()?.next().is_some() {
        anyhow::bail!("{} exists and is not empty", out.display());
    }
    std::fs::create_dir_all(out)?;
    let mut files = Vec::new();
    let mut put = |name: String, bytes: Vec<u8>, what: &'static str| -> Result<()> {
        std::fs::write(out.join(&name), bytes)?;
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        std::fs::write(out.join(format!("{stem}.txt")), "ohwx man\n")?;
        files.push(MessyFile { name, what });
        Ok(())
    };
    let man = sources()?;
    for ((img, source), name) in man.iter().zip(&SOURCES).zip(MAN) {
        let big = img.resize(img.width() * 2, img.height() * 2, FilterType::Lanczos3);
        put(format!("{name}.jpg"), jpeg(&big, 92)?, "a photo of the man")?;
        // The user's own head-and-shoulders crop of it.
        let head = (source.chin - source.head_top) as f32 * 2.0;
        let top = (source.head_top as f32 * 2.0 - 0.3 * head).max(0.0) as u32;
        let bottom = ((source.chin as f32 * 2.0 + 0.8 * head) as u32).min(big.height());
        let h = bottom - top;
        let w = (h * 4 / 5).min(big.width());
        let left = (source.face_x * 2)
            .saturating_sub(w / 2)
            .min(big.width() - w);
        put(
            format!("{name}_crop.jpg"),
            jpeg(&big.crop_imm(left, top, w, h), 92)?,
            "a head-and-shoulders crop of it",
        )?;
        put(
            format!("{name}_tilt_left.jpg"),
            jpeg(&tilted(&big, -TILT_DEG), 92)?,
            "it, tilted",
        )?;
        put(
            format!("{name}_tilt_right.jpg"),
            jpeg(&tilted(&big, TILT_DEG), 92)?,
            "it, tilted the other way",
        )?;
        put(
            format!("{name}_flip.jpg"),
            jpeg(&big.fliph(), 92)?,
            "it, mirrored",
        )?;
        put(
            format!("{name}_grey.jpg"),
            jpeg(&DynamicImage::ImageLuma8(big.to_luma8()), 92)?,
            "it, in grey",
        )?;
        if name == "m1" {
            put(
                format!("{name}_copy.jpg"),
                jpeg(&big, 92)?,
                "an exact copy of it",
            )?;
            put(
                format!("{name}_thumb.jpg"),
                jpeg(&big.thumbnail(96, 120), 90)?,
                "a 120 px copy of it",
            )?;
        }
        if name == "m2" {
            let (w, h) = (big.width(), big.height());
            let smaller = big.resize(w * 9 / 10, h * 9 / 10, FilterType::Triangle);
            put(
                format!("{name}_resaved.jpg"),
                jpeg(&smaller, 75)?,
                "a resized, re-saved copy of it",
            )?;
        }
        if name == "m3" {
            put(
                format!("{name}_blurry.jpg"),
                jpeg(&big.blur(8.0), 92)?,
                "a blurry copy of it",
            )?;
        }
    }
    for (photo_name, file, what) in OTHERS {
        let img = photo(photo_name)?;
        let ext = file.rsplit_once('.').map_or("jpg", |(_, e)| e);
        let bytes = if ext == "png" {
            let mut b = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)?;
            b
        } else {
            jpeg(&img, 92)?
        };
        put(file.to_owned(), bytes, what)?;
    }
    put(
        "partial.jpg".to_owned(),
        jpeg(&photo("obama_partial_face")?, 92)?,
        "the man's face cut by the frame",
    )?;
    let group = photo("solvay_conference_1927")?;
    put("group.jpg".to_owned(), jpeg(&group, 85)?, "a group photo")?;
    debug_assert!(files.iter().all(|f| out.join(&f.name).is_file()));
    Ok(files)
}
