//! Inference runtimes behind one small interface.

#[cfg(feature = "ort")]
pub(crate) mod ort;
pub(crate) mod tract;

use crate::error::FaceError;

/// One model output, copied out of the runtime: row-major `f32` data and its shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Output {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// A loaded model that maps one `[1, 3, h, w]` input to its outputs, in the order of the
/// names the model family asked for. Shared by all threads.
pub(crate) trait Engine: Send + Sync {
    fn run(&self, input: Vec<f32>, h: u32, w: u32) -> Result<Vec<Output>, FaceError>;
}

/// Picks, for each wanted output name, the index of the model output carrying it. Falls back
/// to the model's own order when the names differ but the count matches, so a custom export
/// of a known family with renamed outputs still works.
pub(crate) fn output_order(model_outputs: &[String], wanted: &[&str]) -> Option<Vec<usize>> {
    let by_name: Option<Vec<usize>> = wanted
        .iter()
        .map(|w| model_outputs.iter().position(|m| m == w))
        .collect();
    by_name.or_else(|| (model_outputs.len() == wanted.len()).then(|| (0..wanted.len()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_found_by_name_then_by_position() {
        let model: Vec<String> = ["b", "a", "c"].map(String::from).to_vec();
        assert_eq!(output_order(&model, &["a", "b", "c"]), Some(vec![1, 0, 2]));
        assert_eq!(output_order(&model, &["x", "y", "z"]), Some(vec![0, 1, 2]));
        assert_eq!(output_order(&model, &["x", "y"]), None);
    }
}
