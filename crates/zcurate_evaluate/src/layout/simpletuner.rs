//! bghira/SimpleTuner, read at commit `bc8e6ab7738ce457a2ed8eb2d26cadd91c6442cb`:
//!
//! - `simpletuner/helpers/training/validation.py`: validation images go to
//!   `os.path.join(args.output_dir, "validation_images")`; each prompt has a short name: the
//!   keys of `user_prompt_library`, `validation` for `validation_prompt`, `unconditional`
//!   for the empty prompt (unless `validation_disable_unconditional`).
//! - `simpletuner/helpers/training/validation_images.py`, `save_images`: each image is
//!   `f"step_{global_step}_{shortname}_{idx}_{res_label}"` with `res_label` `WxH`, and
//!   `save_validation_image` adds `.png`, `.webp` or `.jpg` (`validation_image_format`).
//!
//! So: `validation_images/step_250_subject_1_0_1024x1024.png` is the prompt named
//! `subject_1` at step 250 (short names may hold underscores: read from both ends).

use super::{Checkpoint, Parsed, PromptKey, all_digits, split_ext};

pub(super) const WHERE: &str = "<output_dir>/validation_images/step_<step>_<prompt name>_<n>_<W>x<H>.png (zcurate's export: output/validation_images/)";

pub(super) fn parse(dirs: &[&str], file: &str) -> Option<Parsed> {
    if dirs.first() != Some(&"validation_images") {
        return None;
    }
    let (stem, _) = split_ext(file)?;
    let rest = stem.strip_prefix("step_")?;
    let (step, rest) = rest.split_once('_')?;
    let (rest, res) = rest.rsplit_once('_')?;
    let is_res = res == "unknown"
        || res
            .split_once('x')
            .is_some_and(|(w, h)| all_digits(w) && all_digits(h));
    let (name, idx) = rest.rsplit_once('_')?;
    if !all_digits(step) || !is_res || !all_digits(idx) || name.is_empty() {
        return None;
    }
    Some(Parsed {
        checkpoint: Checkpoint::Step(step.parse().ok()?),
        key: PromptKey::Name(name.to_owned()),
        variant: idx.parse().ok()?,
        // Same name for the same sample: a later run overwrites the file.
        stamp: String::new(),
        prompt_hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_and_prompt_name() {
        let p = parse(&["validation_images"], "step_250_subject_1_0_1024x1024.png").unwrap();
        assert_eq!(p.checkpoint, Checkpoint::Step(250));
        assert_eq!(p.key, PromptKey::Name("subject_1".to_owned()));
        let p = parse(&["validation_images"], "step_0_validation_2_unknown.webp").unwrap();
        assert_eq!((p.checkpoint, p.variant), (Checkpoint::Step(0), 2));
    }

    #[test]
    fn other_names_are_not_samples() {
        for name in [
            "step_250_0_1024x1024.png",
            "step_x_validation_0_1024x1024.png",
            "step_250_validation_0_big.png",
            "250_validation_0_1024x1024.png",
        ] {
            assert!(parse(&["validation_images"], name).is_none(), "{name}");
        }
    }
}
