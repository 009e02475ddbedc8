//! ostris/ai-toolkit, read at commit `27a03a91f23eb1b757d5ec2e80ee3e129cfcc350`:
//!
//! - `jobs/process/BaseSDTrainProcess.py`, `sample()`: the folder is
//!   `os.path.join(self.save_root, 'samples')`, where `save_root` is
//!   `<training_folder>/<name>` (`jobs/process/BaseTrainProcess.py`); each prompt `i` of the
//!   sample config gets `f"[time]_{step_num}_[count].{ext}"` with
//!   `step_num = f"_{str(step).zfill(9)}"` (empty when there is no step).
//! - `toolkit/config_modules.py`, `GenerateImageConfig._get_path_no_ext`: `[time]` is
//!   milliseconds since the epoch, `[count]` the image's index zero-padded to
//!   `len(str(max_count))`; `toolkit/models/base_model.py` saves image `i` of the list with
//!   `save_image_atomic(img, i)` (no `max_count`, so no padding). `[count]` is therefore the
//!   prompt's index in `sample.samples`.
//! - The model card code of the same file reads them back with `__(\d+)_(\d+)\.jpg$`.
//!
//! So: `samples/1724085406830__000000250_0.jpg` is prompt 0 at step 250.

use super::{Checkpoint, Parsed, PromptKey, all_digits, split_ext};

pub(super) const WHERE: &str = "<training_folder>/<name>/samples/<ms>__<step:09>_<prompt>.jpg (zcurate's export: output/<name>/samples/)";

pub(super) fn parse(dirs: &[&str], file: &str) -> Option<Parsed> {
    if dirs.first() != Some(&"samples") {
        return None;
    }
    let (stem, _) = split_ext(file)?;
    let (time, rest) = stem.split_once("__")?;
    if !all_digits(time) {
        return None;
    }
    let (step, count) = rest.split_once('_')?;
    if !all_digits(step) || !all_digits(count) {
        return None;
    }
    Some(Parsed {
        checkpoint: Checkpoint::Step(step.parse().ok()?),
        key: PromptKey::Index(count.parse().ok()?),
        variant: 0,
        // Milliseconds since 1970 have 13 digits until the year 2286: text order is time order.
        stamp: format!("{time:0>20}"),
        prompt_hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_and_prompt_index() {
        let p = parse(&["samples", "zq"], "1724085406830__000000250_3.jpg").unwrap();
        assert_eq!(p.checkpoint, Checkpoint::Step(250));
        assert_eq!(p.key, PromptKey::Index(3));
        assert_eq!(
            parse(&["samples"], "1__000001000_0.webp")
                .unwrap()
                .checkpoint,
            Checkpoint::Step(1000)
        );
    }

    #[test]
    fn other_names_are_not_samples() {
        for name in [
            "1724085406830__0.jpg",
            "1724085406830_000000250_0.jpg",
            "abc__000000250_0.jpg",
            "1724085406830__000000250_x.jpg",
        ] {
            assert!(parse(&["samples"], name).is_none(), "{name}");
        }
        assert!(parse(&["sample"], "1724085406830__000000250_0.jpg").is_none());
    }
}
