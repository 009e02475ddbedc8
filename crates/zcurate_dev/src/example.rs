use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;

/// Fetches every pinned photo (once per machine) and returns (name, path) pairs.
pub(crate) fn fetch_photos() -> Result<Vec<(String, PathBuf)>> {
    zcurate_models::photos()
        .iter()
        .map(|p| {
            let path = zcurate_models::fetch_photo(&p.name)
                .with_context(|| format!("cannot fetch test photo {}", p.name))?;
            Ok((p.name.clone(), path))
        })
        .collect()
}

fn photo(photos: &[(String, PathBuf)], name: &str) -> Result<PathBuf> {
    photos
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p.clone())
        .with_context(|| format!("photo {name} is not in the pinned list"))
}

/// One example image: a source photo, how to name it, and its caption (None: no sidecar).
struct Item {
    source: &'static str,
    name: &'static str,
    caption: Option<&'static str>,
}

/// A broad, flawed "face set" of one person, like the ones that train badly: mixed framings,
/// a different person, a near-duplicate, a low-resolution crop, a corrupt file, missing and
/// over-long captions.
const ITEMS: &[Item] = &[
    Item {
        source: "obama",
        name: "obama_portrait.jpg",
        caption: Some("ohwx man, head-shoulders, front, smiling"),
    },
    Item {
        source: "obama2",
        name: "obama_turned.jpg",
        caption: Some("ohwx man, head-shoulders, three-quarter, serious"),
    },
    Item {
        source: "obama3",
        name: "obama_event.jpg",
        caption: Some(
            "ohwx man wearing a dark suit, white shirt and blue tie, standing in front of a flag \
             at a press conference in a large hall, with microphones and a crowd of journalists",
        ),
    },
    Item {
        source: "obama_partial_face",
        name: "obama_edge.jpg",
        caption: Some("ohwx man, close-up, partial face"),
    },
    Item {
        source: "obama_partial_face2",
        name: "obama_edge2.jpg",
        caption: None,
    },
    Item {
        source: "biden",
        name: "other_person.jpg",
        caption: Some("ohwx man, knee-up, front"),
    },
];

pub(crate) fn run(out: &Path) -> Result<()> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        anyhow::bail!(
            "{} exists and is not empty; choose a new folder",
            out.display()
        );
    }
    std::fs::create_dir_all(out)?;
    let photos = fetch_photos()?;
    for item in ITEMS {
        std::fs::copy(photo(&photos, item.source)?, out.join(item.name))?;
        if let Some(c) = item.caption {
            std::fs::write(out.join(item.name).with_extension("txt"), c)?;
        }
    }
    // A near-duplicate: the portrait downscaled and re-encoded.
    let limits = zcurate_image::DecodeLimits::default();
    let bytes = std::fs::read(photo(&photos, "obama")?)?;
    let img = zcurate_image::decode_bytes(&bytes, &limits)?.image;
    let small = img.resize(
        img.width() * 9 / 10,
        img.height() * 9 / 10,
        FilterType::Triangle,
    );
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(out.join("obama_portrait_copy.jpg"))?);
    JpegEncoder::new_with_quality(&mut f, 85).encode_image(&small.to_rgb8())?;
    std::fs::write(
        out.join("obama_portrait_copy.txt"),
        "ohwx man, head-shoulders, front, smiling",
    )?;
    // A corrupt file: the first 2 KB of a JPEG.
    std::fs::write(out.join("truncated.jpg"), &bytes[..bytes.len().min(2048)])?;
    // A caption whose image was deleted.
    std::fs::write(out.join("deleted_image.txt"), "ohwx man, close-up")?;
    #[allow(clippy::print_stderr)]
    {
        eprintln!("example dataset written to {}", out.display());
    }
    Ok(())
}
