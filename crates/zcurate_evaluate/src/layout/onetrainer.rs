//! Nerogar/OneTrainer, read at commit `23df3832e8f213d64c337e39f9365ba46e99fed0`:
//!
//! - `modules/trainer/GenericTrainer.py`, `__sample_loop`: sample `i` (its index in the
//!   sample list, disabled ones counted) goes to
//!   `os.path.join(workspace_dir, "samples", f"{str(i)} - {safe_prompt}{folder_postfix}")`
//!   as `f"{save_filename_prefix}{get_string_timestamp()}-training-sample-{train_progress.filename_string()}"`;
//!   `folder_postfix` is ` - no-ema` for the extra samples without EMA; manual samples go to
//!   `samples/custom`.
//! - `modules/util/TrainProgress.py`: `filename_string()` is
//!   `f"{global_step}-{epoch}-{epoch_step}"`.
//! - `modules/util/path_util.py`: `safe_filename` keeps alphanumerics and ` ._-#`, cuts to
//!   32 characters and strips; `modules/util/time_util.py`: the timestamp is
//!   `%Y-%m-%d_%H-%M-%S`; `modules/modelSampler/BaseModelSampler.py` appends the extension.
//!
//! So: `samples/0 - zq man, close-up portrait, look/2026-01-01_12-00-00-training-sample-250-3-10.jpg`
//! is prompt 0 at step 250.

use super::{Checkpoint, Parsed, PromptKey, all_digits, split_ext};

pub(super) const WHERE: &str = "<workspace_dir>/samples/<prompt index> - <prompt>/<time>-training-sample-<step>-<epoch>-<epoch step>.jpg (zcurate's export: workspace/samples/)";

/// The folder OneTrainer adds for samples of the weights without EMA.
const NO_EMA: &str = " - no-ema";

pub(super) fn parse(dirs: &[&str], file: &str) -> Option<Parsed> {
    let [folder, samples, ..] = dirs else {
        return None;
    };
    if *samples != "samples" || folder.ends_with(NO_EMA) {
        return None;
    }
    let (index, hint) = folder.split_once(" - ")?;
    if !all_digits(index) {
        return None;
    }
    let (stem, _) = split_ext(file)?;
    let (head, progress) = stem.rsplit_once("-training-sample-")?;
    let mut numbers = progress.split('-');
    let (step, epoch, epoch_step) = (numbers.next()?, numbers.next()?, numbers.next()?);
    if numbers.next().is_some() || ![step, epoch, epoch_step].iter().all(|n| all_digits(n)) {
        return None;
    }
    // The timestamp is the last 19 characters before the marker (a prefix may precede it).
    let stamp = head.get(head.len().checked_sub(19)?..)?.to_owned();
    Some(Parsed {
        checkpoint: Checkpoint::Step(step.parse().ok()?),
        key: PromptKey::Index(index.parse().ok()?),
        variant: 0,
        stamp,
        prompt_hint: Some(hint.to_owned()),
    })
}

/// OneTrainer's `safe_filename` with its defaults: what its folder name holds of a prompt.
pub(crate) fn safe_filename(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || " ._-#".contains(*c))
        .collect();
    let cut: String = kept.trim().chars().take(32).collect();
    cut.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_prompt_and_hint() {
        let p = parse(
            &[
                "0 - zq man, close-up portrait, look",
                "samples",
                "workspace",
            ],
            "2026-01-01_12-00-00-training-sample-250-3-10.jpg",
        )
        .unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Step(250), PromptKey::Index(0))
        );
        assert_eq!(
            p.prompt_hint.as_deref(),
            Some("zq man, close-up portrait, look")
        );
        assert_eq!(p.stamp, "2026-01-01_12-00-00");
        let p = parse(
            &["12 - a", "samples"],
            "myrun-2026-01-01_12-00-00-training-sample-1000-1-0.png",
        )
        .unwrap();
        assert_eq!(p.key, PromptKey::Index(12));
    }

    #[test]
    fn no_ema_custom_and_other_names_are_skipped() {
        let file = "2026-01-01_12-00-00-training-sample-250-3-10.jpg";
        assert!(parse(&["0 - a - no-ema", "samples"], file).is_none());
        assert!(parse(&["custom", "samples"], file).is_none());
        assert!(parse(&["0 - a", "sample"], file).is_none());
        assert!(parse(&["0 - a", "samples"], "2026-training-sample-250-3.jpg").is_none());
    }

    #[test]
    fn safe_filename_as_onetrainer() {
        assert_eq!(
            safe_filename("zq man, close-up portrait, looking at the camera, soft light"),
            "zq man close-up portrait looking"
        );
        assert_eq!(safe_filename("  a (b) c?  "), "a b c");
    }
}
