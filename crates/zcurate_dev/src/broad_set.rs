//! The failure `zcurate` exists to prevent (`../shared/domain.md`), as a dataset: shots of one
//! man framed from the chest to the thighs, with captions that name his clothes and the place.
//! A face LoRA trained on it learns the suits and the halls along with the face. The README
//! tour (`scripts/tour.sh`) and the lint scenario test build it from the same code.

use std::path::Path;

use anyhow::{Context, Result};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageReader};

/// Head top, chin and face centre x of a source photo (from `fixtures/framing/landmarks.toml`).
pub struct Source {
    pub name: &'static str,
    pub head_top: u32,
    pub chin: u32,
    pub face_x: u32,
}

/// Three photos of the same man.
pub const SOURCES: [Source; 3] = [
    Source {
        name: "obama",
        head_top: 30,
        chin: 392,
        face_x: 495,
    },
    Source {
        name: "obama2",
        head_top: 185,
        chin: 618,
        face_x: 341,
    },
    Source {
        name: "obama3",
        head_top: 222,
        chin: 625,
        face_x: 782,
    },
];

/// How far below the chin (in head heights) the broad shots of each source reach: obama3's
/// frame goes down to the thighs (knee-up), the others end at the chest or the waist.
pub const BROAD_BELOW_CHIN: [f32; 3] = [1.6, 1.0, 4.0];

pub const CLOTHES: [&str; 6] = [
    "a dark suit and blue tie",
    "a white shirt",
    "a grey sweater",
    "a leather jacket",
    "a black tuxedo",
    "a denim shirt",
];

pub const PLACES: [&str; 6] = [
    "at a press conference in a large hall",
    "on a beach at sunset",
    "in a busy city street",
    "in an office with bookshelves",
    "in a park in autumn",
    "on a stage with bright lights",
];

/// A pinned photo, fetched once per machine and decoded.
pub fn photo(name: &str) -> Result<DynamicImage> {
    let path =
        zcurate_models::fetch_photo(name).with_context(|| format!("cannot fetch photo {name}"))?;
    ImageReader::open(&path)
        .and_then(ImageReader::with_guessed_format)
        .with_context(|| format!("cannot open {}", path.display()))?
        .decode()
        .with_context(|| format!("cannot decode {}", path.display()))
}

/// The three source photos, in [`SOURCES`] order.
pub fn sources() -> Result<Vec<DynamicImage>> {
    SOURCES.iter().map(|s| photo(s.name)).collect()
}

/// A crop of `img` whose bottom edge is `below_chin` head heights under the chin, keeping
/// the face centred and the frame inside the photo; `jitter` moves it a little so variants
/// are not the same picture.
pub fn framed(img: &DynamicImage, s: &Source, below_chin: f32, jitter: u32) -> DynamicImage {
    let head = (s.chin - s.head_top) as f32;
    let top = (s.head_top as f32 - 0.35 * head).max(0.0) as u32 + jitter % 7 * 3;
    let bottom = ((s.chin as f32 + below_chin * head) as u32).min(img.height());
    let h = bottom - top;
    let w = (h * 4 / 5).min(img.width());
    let left = (s.face_x.saturating_sub(w / 2) + jitter % 5 * 4).min(img.width() - w);
    img.crop_imm(left, top, w, h)
}

/// What some captions say about the face, by source: obama smiles broadly and obama2 talks
/// with his mouth open (as the photos show); obama3's face is calm. Only every other shot of
/// a source says it, as hand-written captions often do, so `zcurate caption` has both kinds
/// to handle: keep what a caption says, fill the rest from the face.
pub const EXPRESSIONS: [Option<&str>; 3] = [Some("smiling"), Some("mouth open"), None];

/// Broad shot number `i` of the man and its caption: the source cycles, the frame ends a
/// little higher every third shot, odd shots are mirrored.
pub fn broad_shot(sources: &[DynamicImage], i: u32) -> (DynamicImage, String) {
    let k = (i % 3) as usize;
    let below = BROAD_BELOW_CHIN[k] - (i / 3 % 4) as f32 * 0.1;
    let mut shot = framed(&sources[k], &SOURCES[k], below, i);
    if i % 2 == 1 {
        shot = shot.fliph();
    }
    let expression = EXPRESSIONS[k]
        .filter(|_| (i / 3).is_multiple_of(2))
        .map(|e| format!(", {e}"))
        .unwrap_or_default();
    let caption = format!(
        "ohwx man wearing {} {}, looking at the camera{expression}",
        CLOTHES[i as usize % 6],
        PLACES[i as usize / 6 % 6]
    );
    (shot, caption)
}

/// JPEG bytes of `img` at `quality`.
pub fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    img.to_rgb8()
        .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, quality))?;
    Ok(bytes)
}

/// Number of shots in the tour's set: inside the face profile's image-count range, so what
/// the lint finds is about framing and captions, not size.
pub const TOUR_SHOTS: u32 = 24;

/// Writes the tour's broad set (`img_NN.jpg` + `img_NN.txt`) into `out`, which must not exist
/// or be empty.
pub fn write_tour_set(out: &Path) -> Result<()> {
    if out.exists() && out.read_dir()?.next().is_some() {
        anyhow::bail!("{} exists and is not empty", out.display());
    }
    std::fs::create_dir_all(out)?;
    let sources = sources()?;
    for i in 0..TOUR_SHOTS {
        let (shot, caption) = broad_shot(&sources, i);
        std::fs::write(out.join(format!("img_{i:02}.jpg")), jpeg(&shot, 92)?)?;
        std::fs::write(out.join(format!("img_{i:02}.txt")), caption)?;
    }
    Ok(())
}
