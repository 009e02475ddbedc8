//! Samples you generate yourself, for trainers that sample nothing during training
//! (diffusion-pipe) or runs sampled by hand: one folder per checkpoint, named with its step
//! (`250`, `step_250`, `checkpoint-250`) or epoch (`epoch3`, as diffusion-pipe names its saved
//! LoRAs), holding images whose names start with the prompt's index from 0 (`0.png`,
//! `1_seed42.png`, `2-b.jpg`). Pass the prompts in that order with `--prompts`.

use super::{Checkpoint, Parsed, PromptKey};

pub(super) const WHERE: &str =
    "<checkpoint folder: 250, step_250 or epoch3>/<prompt index>[_anything].png";

/// tdrussell/diffusion-pipe, read at commit `8f83dbf25d03219df705570ec03e62be04bc402f`:
/// `train.py` evaluates a loss on eval datasets (`eval_every_n_steps`) but renders no image,
/// and its `README.md` says the output folder holds "the checkpoints, saved models, and
/// Tensorboard metrics", LoRAs "in directories named like epoch1, epoch2".
pub(super) const DIFFUSION_PIPE: &str = "diffusion-pipe samples no images during training (its train.py only evaluates a loss; the output folder holds checkpoints, LoRAs in epochN folders and TensorBoard logs). Generate images with each saved LoRA yourself, one folder per checkpoint (`epoch3/0.png`, `epoch3/1.png`, ... in the order of the README's sample prompts), and run `zcurate evaluate FOLDER --prompts OUT/zcurate-export.json`";

pub(super) fn parse(dirs: &[&str], file: &str) -> Option<Parsed> {
    let folder = dirs.first()?;
    let digits_at_end = folder.len() - folder.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits_at_end == 0 {
        return None;
    }
    let (label, number) = folder.split_at(folder.len() - digits_at_end);
    let n: u64 = number.parse().ok()?;
    let label = label.trim_end_matches(['_', '-', ' ']).to_ascii_lowercase();
    let checkpoint = match label.as_str() {
        "epoch" | "e" => Checkpoint::Epoch(n),
        "" | "step" | "steps" | "checkpoint" | "ckpt" | "global_step" => Checkpoint::Step(n),
        _ => return None,
    };
    let leading = file.len() - file.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &file[leading..];
    if leading == 0 || !(rest.starts_with('.') || rest.starts_with(['_', '-', ' '])) {
        return None;
    }
    Some(Parsed {
        checkpoint,
        key: PromptKey::Index(file[..leading].parse().ok()?),
        variant: 0,
        stamp: file.to_owned(),
        prompt_hint: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_folders_and_prompt_files() {
        let p = parse(&["epoch3"], "1.png").unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Epoch(3), PromptKey::Index(1))
        );
        let p = parse(&["step_250"], "0_seed42.jpg").unwrap();
        assert_eq!(
            (p.checkpoint, p.key),
            (Checkpoint::Step(250), PromptKey::Index(0))
        );
        assert_eq!(
            parse(&["checkpoint-1000"], "4-b.png").unwrap().checkpoint,
            Checkpoint::Step(1000)
        );
        assert_eq!(
            parse(&["500"], "2.webp").unwrap().checkpoint,
            Checkpoint::Step(500)
        );
    }

    #[test]
    fn other_names_are_not_samples() {
        assert!(parse(&["img_2024"], "0.png").is_none());
        assert!(parse(&["epoch3"], "img_00.png").is_none());
        assert!(parse(&["epoch3"], "10a.png").is_none());
        assert!(parse(&["dataset"], "0.png").is_none());
    }
}
