//! The run's training resolution, chosen from the images that reach it, and the images that
//! train below it.
//!
//! The trainers bucket by area: an image "reaches" a resolution r when it has at least r×r
//! pixels, whatever its aspect. The run trains at Z-Image's native 1024 when most images
//! reach it, otherwise at the largest size most images reach; never at the size of the single
//! smallest image. What happens to an image below the chosen size depends on the trainer
//! ([`Fate`]), and the export names each one.

use serde::{Deserialize, Serialize};

use crate::dataset::ExportImage;
use crate::trainer::Trainer;

/// Z-Image's native resolution: every trainer's default sample size, and the run's unless
/// most images are smaller.
pub const NATIVE_RESOLUTION: u32 = 1024;
/// Resolutions a multi-resolution trainer gets, as ai-toolkit's UI default `[512, 768,
/// 1024]`, up to the run's resolution.
pub const RESOLUTION_LADDER: [u32; 3] = [512, 768, 1024];
/// Every emitted size is a multiple of this: OneTrainer quantises buckets to 64 and the
/// others to 16 (sd-scripts' default `bucket_reso_steps` is 64), so 64 suits every trainer.
pub const SAFE_MULTIPLE: u32 = 64;
/// Share of the images that must reach a resolution for the run to train at it: more than
/// this ("most"). One small image must not lower the resolution of twenty good ones; when
/// most images are small, training above them would mostly train upscaled or shrunken
/// buckets, so the run follows them.
pub const RESOLUTION_MAJORITY: f64 = 0.5;
/// Smallest and largest `--resolution`: below 256 Z-Image has too few latent patches to
/// learn a face; 2048 is the largest size the trainers' docs sample at.
pub const RESOLUTION_RANGE: (u32, u32) = (256, 2048);

/// What a trainer does with an image smaller than the run's resolution (read from each
/// trainer's source; `docs/export.md` cites the files and commits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Trains at about its own size in a smaller bucket: ai-toolkit (`toolkit/buckets.py`
    /// caps the bucket area at the image's), musubi-tuner and sd-scripts with
    /// `bucket_no_upscale`.
    OwnSize,
    /// Upscaled to the run's buckets: diffusion-pipe (`ImageOps.fit` to each resolution's
    /// bucket) and OneTrainer (mgds scales every image to its bucket).
    Upscaled,
    /// Left out: SimpleTuner drops images under `minimum_image_size`, which its docs keep
    /// equal to `resolution`.
    Skipped,
}

impl Fate {
    pub fn of(trainer: Trainer) -> Self {
        match trainer {
            Trainer::AiToolkit | Trainer::MusubiTuner | Trainer::SdScripts => Self::OwnSize,
            Trainer::DiffusionPipe | Trainer::OneTrainer => Self::Upscaled,
            Trainer::SimpleTuner => Self::Skipped,
        }
    }
}

/// An image that trains below the run's resolution, and how far below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    /// Path in the dataset folder.
    pub image: String,
    pub width: u32,
    pub height: u32,
    /// Side of the square of the same area: the size the trainers' buckets see.
    pub side: u32,
    /// The run's resolution it falls short of.
    pub resolution: u32,
    pub fate: Fate,
}

impl Shortfall {
    /// How far below the resolution, in percent of its side (41 for 600 px at 1024; at
    /// least 1, so a shortfall never reads as none).
    pub fn percent_below(&self) -> u32 {
        let gap = self.resolution.saturating_sub(self.side);
        ((100 * gap + self.resolution / 2) / self.resolution).max(1)
    }

    /// `img_20.jpg (600×600): about 600 px, 41% below 1024; trains at its own size`
    pub fn line(&self, trainer: Trainer) -> String {
        let fate = match self.fate {
            Fate::OwnSize => format!("{trainer} trains it at its own size"),
            Fate::Upscaled => format!("{trainer} upscales it to the run's buckets"),
            Fate::Skipped => format!("{trainer} skips it (minimum_image_size)"),
        };
        format!(
            "{} ({}×{}): about {} px, {}% below {}; {fate}",
            self.image,
            self.width,
            self.height,
            self.side,
            self.percent_below(),
            self.resolution
        )
    }
}

/// The side of a square with the image's area, as the trainers' area buckets see it.
pub fn area_side(width: u32, height: u32) -> u32 {
    (u64::from(width) * u64::from(height)).isqrt() as u32
}

/// The largest multiple of [`SAFE_MULTIPLE`] up to [`NATIVE_RESOLUTION`] that more than
/// [`RESOLUTION_MAJORITY`] of the images reach: 1024 for twenty 1024×1280 photos and one of
/// 120 px; 640 when most images are 700 px.
pub fn choose(images: &[ExportImage]) -> u32 {
    let mut sides: Vec<u32> = images
        .iter()
        .map(|i| area_side(i.width, i.height))
        .collect();
    if sides.is_empty() {
        return NATIVE_RESOLUTION;
    }
    sides.sort_unstable_by(|a, b| b.cmp(a));
    // The k-th largest side is reached by k images; take the smallest k that is "most".
    let most = ((sides.len() as f64 * RESOLUTION_MAJORITY).floor() as usize).min(sides.len() - 1);
    let reached = sides[most];
    (reached.min(NATIVE_RESOLUTION) / SAFE_MULTIPLE * SAFE_MULTIPLE).max(SAFE_MULTIPLE)
}

/// The ladder up to `top`: `[512, 768, 1024]` for 1024, `[512, 768, 960]` for 960, `[448]`
/// for 448.
pub(crate) fn ladder(top: u32) -> Vec<u32> {
    let mut out: Vec<u32> = RESOLUTION_LADDER
        .iter()
        .copied()
        .filter(|r| *r <= top)
        .collect();
    if out.last() != Some(&top) {
        out.push(top);
    }
    out
}

/// The images under `resolution`, smallest first, with what `trainer` does with them.
pub(crate) fn shortfalls(
    images: &[ExportImage],
    resolution: u32,
    trainer: Trainer,
) -> Vec<Shortfall> {
    let mut out: Vec<Shortfall> = images
        .iter()
        .filter(|i| u64::from(i.width) * u64::from(i.height) < u64::from(resolution).pow(2))
        .map(|i| Shortfall {
            image: i.source.clone(),
            width: i.width,
            height: i.height,
            side: area_side(i.width, i.height),
            resolution,
            fate: Fate::of(trainer),
        })
        .collect();
    out.sort_by(|a, b| (a.side, &a.image).cmp(&(b.side, &b.image)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(name: &str, width: u32, height: u32) -> ExportImage {
        ExportImage {
            source: name.to_owned(),
            name: name.to_owned(),
            caption_name: String::new(),
            caption: String::new(),
            trigger_added: false,
            sha256: None,
            bytes: 0,
            width,
            height,
        }
    }

    fn set(sizes: &[(u32, u32)]) -> Vec<ExportImage> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, (w, h))| image(&format!("img_{i:02}.jpg"), *w, *h))
            .collect()
    }

    #[test]
    fn one_small_image_does_not_lower_the_run() {
        let mut sizes = vec![(1024, 1280); 20];
        sizes.push((120, 120));
        assert_eq!(choose(&set(&sizes)), 1024);
        // The 410 px image among 670–2300 px photos: most reach 1024.
        let mut sizes: Vec<(u32, u32)> = (0..19).map(|i| (1100 + i * 60, 1400 + i * 50)).collect();
        sizes.push((410, 600));
        sizes.push((670, 900));
        assert_eq!(choose(&set(&sizes)), 1024);
    }

    #[test]
    fn most_images_small_train_at_the_size_most_reach() {
        let mut sizes = vec![(700, 700); 12];
        sizes.extend([(2000, 2000); 8]);
        assert_eq!(choose(&set(&sizes)), 640);
        // Exactly half reaching 1024 is not "most".
        let mut sizes = vec![(1024, 1024); 10];
        sizes.extend([(800, 800); 10]);
        assert_eq!(choose(&set(&sizes)), 768);
        // Aspect does not matter, area does: 768×1366 has 1024² pixels.
        assert_eq!(choose(&set(&[(768, 1366); 3])), 1024);
        assert_eq!(choose(&set(&[(96, 128); 6])), 64);
    }

    #[test]
    fn ladder_stops_at_the_run_resolution() {
        assert_eq!(ladder(1024), vec![512, 768, 1024]);
        assert_eq!(ladder(960), vec![512, 768, 960]);
        assert_eq!(ladder(768), vec![512, 768]);
        assert_eq!(ladder(448), vec![448]);
    }

    #[test]
    fn shortfalls_name_the_images_below_and_by_how_much() {
        let mut sizes = vec![(1024, 1280); 3];
        sizes.push((600, 600));
        let s = shortfalls(&set(&sizes), 1024, Trainer::AiToolkit);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].image, "img_03.jpg");
        assert_eq!(s[0].percent_below(), 41);
        assert_eq!(
            s[0].line(Trainer::AiToolkit),
            "img_03.jpg (600×600): about 600 px, 41% below 1024; ai-toolkit trains it at its own size"
        );
        let s = shortfalls(&set(&sizes), 1024, Trainer::SimpleTuner);
        assert_eq!(s[0].fate, Fate::Skipped);
        assert!(shortfalls(&set(&sizes), 576, Trainer::AiToolkit).is_empty());
    }
}
