use std::path::Path;

use anyhow::{Context, Result};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use rayon::prelude::*;

/// A small deterministic generator, so every machine builds the same benchmark set.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() % 1_000_000) as f64 / 1_000_000.0 * (hi - lo)
    }
}

/// Writes `count` JPEGs of 1–2 MP derived from the pinned real photos: a random crop of
/// 60–100% of each side, scaled to a random size between 1 and 2 megapixels, re-encoded at
/// quality 80–95.
pub(crate) fn run(out: &Path, count: usize) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let limits = zcurate_image::DecodeLimits::default();
    let sources: Vec<image::DynamicImage> = crate::example::fetch_photos()?
        .iter()
        .map(|(name, path)| {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
            Ok(zcurate_image::decode_bytes(&bytes, &limits)
                .with_context(|| format!("cannot decode {name}"))?
                .image)
        })
        .collect::<Result<_>>()?;
    (0..count).into_par_iter().try_for_each(|i| -> Result<()> {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491));
        for _ in 0..4 {
            rng.next();
        }
        let src = &sources[i % sources.len()];
        let (w, h) = (f64::from(src.width()), f64::from(src.height()));
        let cw = (w * rng.range(0.6, 1.0)).max(16.0);
        let ch = (h * rng.range(0.6, 1.0)).max(16.0);
        let x = rng.range(0.0, w - cw + 1.0);
        let y = rng.range(0.0, h - ch + 1.0);
        let crop = src.crop_imm(x as u32, y as u32, cw as u32, ch as u32);
        let target_px = rng.range(1.0e6, 2.0e6);
        let scale = (target_px / (cw * ch)).sqrt();
        let (tw, th) = ((cw * scale) as u32, (ch * scale) as u32);
        let resized = crop.resize_exact(tw, th, FilterType::Triangle).to_rgb8();
        let quality = 80 + (rng.next() % 16) as u8;
        let path = out.join(format!("bench_{i:04}.jpg"));
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        JpegEncoder::new_with_quality(&mut w, quality)
            .encode_image(&resized)
            .with_context(|| format!("cannot encode {}", path.display()))?;
        Ok(())
    })?;
    #[allow(clippy::print_stderr)]
    {
        eprintln!("wrote {count} JPEGs to {}", out.display());
    }
    Ok(())
}
