//! kohya-ss/musubi-tuner, read at commit `30c658c4f4b0bf05038b3346eff9670259b10fc7`:
//!
//! - `src/musubi_tuner/training/trainer_base.py`, `sample_images`: the folder is
//!   `os.path.join(args.output_dir, "sample")`; `sample_image_inference` names a sample
//!   `f"{output_name + '_'}{num_suffix}_{prompt_idx:02d}_{ts_str}{seed_suffix}"` with
//!   `num_suffix = f"e{epoch:06d}"` when sampling at an epoch's end, else `f"{steps:06d}"`,
//!   `ts_str` `%Y%m%d%H%M%S` and `seed_suffix = f"_{seed}"` when the prompt sets `--d`.
//! - `src/musubi_tuner/hv_generate_video.py`, `save_images_grid`: the file is
//!   `f"{image_name}_{i:03d}.png"`, `i` the image of the batch (0 for one image).
//! - `src/musubi_tuner/training/sampling_prompts.py`: `load_prompts` numbers prompts
//!   (`enum`) by position among the prompt file's non-empty lines not starting with `#`;
//!   `should_sample_images` samples at step 0 only for `--sample_at_first`, which passes
//!   epoch 0: `e000000` is the model before training, step 0.
//!
//! So: `sample/zq_000250_01_20260101120000_42_000.png` is prompt 1 at step 250.

use super::{Checkpoint, Parsed, PromptKey, all_digits, split_ext};

pub(super) const WHERE: &str = "<output_dir>/sample/<output_name>_<step:06>_<prompt:02>_<time>[_<seed>]_000.png (zcurate's export: output/sample/)";

pub(super) fn parse(dirs: &[&str], file: &str) -> Option<Parsed> {
    if dirs.first() != Some(&"sample") {
        return None;
    }
    let (stem, _) = split_ext(file)?;
    let mut parts: Vec<&str> = stem.split('_').collect();
    let grid = parts.pop().filter(|g| g.len() == 3 && all_digits(g))?;
    // Without a seed the timestamp is last; with one, second to last.
    let tail = |parts: &[&str]| -> Option<(Checkpoint, usize, String)> {
        let [.., number, index, time] = parts else {
            return None;
        };
        if time.len() != 14 || !all_digits(time) || !all_digits(index) {
            return None;
        }
        let checkpoint = match number.strip_prefix('e') {
            Some(e) if e.len() >= 6 && all_digits(e) => match e.parse().ok()? {
                0 => Checkpoint::Step(0),
                n => Checkpoint::Epoch(n),
            },
            _ if number.len() >= 6 && all_digits(number) => Checkpoint::Step(number.parse().ok()?),
            _ => return None,
        };
        Some((checkpoint, index.parse().ok()?, (*time).to_owned()))
    };
    let (checkpoint, index, time) = tail(&parts).or_else(|| {
        parts.pop().filter(|seed| all_digits(seed))?;
        tail(&parts)
    })?;
    Some(Parsed {
        checkpoint,
        key: PromptKey::Index(index),
        variant: grid.parse().ok()?,
        stamp: time,
        prompt_hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_epochs_seeds_and_names_with_underscores() {
        let p = parse(&["sample"], "zq_000250_01_20260101120000_42_000.png").unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Step(250), PromptKey::Index(1))
        );
        let p = parse(&["sample"], "my_lora_v2_e000003_00_20260101120000_000.png").unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Epoch(3), PromptKey::Index(0))
        );
        // --sample_at_first: epoch 0 is the untrained model.
        let p = parse(&["sample"], "e000000_04_20260101120000_000.png").unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Step(0), PromptKey::Index(4))
        );
        let p = parse(&["sample"], "001000_02_20260101120000_001.png").unwrap();
        assert_eq!((p.checkpoint, p.variant), (Checkpoint::Step(1000), 1));
    }

    #[test]
    fn other_names_are_not_samples() {
        for name in [
            "zq_000250_01_20260101120000.png",
            "zq_000250_01_2026010112_000.png",
            "zq_250_01_20260101120000_000.png",
            "zq.png",
        ] {
            assert!(parse(&["sample"], name).is_none(), "{name}");
        }
        assert!(parse(&["samples"], "zq_000250_01_20260101120000_000.png").is_none());
    }
}
