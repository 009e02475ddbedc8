//! A loaded model on either engine: f32 tensor in, named f32 tensors out.

use std::path::Path;

use crate::backend::Backend;
use crate::error::InferError;

/// Which input a model is fed and which outputs it returns, in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelIo<'a> {
    /// The input to feed. A model with a single input is fed that one whatever its name, so
    /// an empty name means "the only input".
    pub input: &'a str,
    /// The outputs to return, in this order. A model whose output names differ but whose
    /// count matches returns its outputs in its own order (a custom export of a known family
    /// with renamed outputs still works). Empty: every output, in the model's order.
    pub outputs: &'a [&'a str],
}

impl ModelIo<'static> {
    /// The only input, every output.
    pub const ANY: ModelIo<'static> = ModelIo {
        input: "",
        outputs: &[],
    };
}

/// One model output, copied out of the engine: its name, shape and row-major data.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

/// A model loaded on one engine, shared by all threads. Inputs of any shape are accepted;
/// each engine prepares itself once per new shape (tract builds an optimised plan, ONNX
/// Runtime plans its memory), so callers that vary shapes should keep them to a few.
pub struct Model {
    backend: Backend,
    engine: Box<dyn Engine>,
    outputs: Vec<String>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("backend", &self.backend)
            .field("outputs", &self.outputs)
            .finish_non_exhaustive()
    }
}

/// Each output's shape and data, in the order picked at load time.
pub(crate) type RawOutputs = Vec<(Vec<usize>, Vec<f32>)>;

/// What each engine implements: run one input, return the outputs picked at load time.
pub(crate) trait Engine: Send + Sync {
    fn run(&self, shape: &[usize], data: Vec<f32>) -> Result<RawOutputs, String>;
}

impl Model {
    /// Loads the ONNX file at `path` on `backend`. For [`Backend::Ort`] the runtime must have
    /// been loaded ([`crate::load_onnx_runtime`]), or `ORT_DYLIB_PATH` must name a library.
    /// A first session is opened at once, so a broken model or runtime fails here, not
    /// mid-run.
    pub fn load(path: &Path, backend: Backend, io: &ModelIo<'_>) -> Result<Self, InferError> {
        let (engine, outputs): (Box<dyn Engine>, Vec<String>) = match backend {
            Backend::Tract => {
                let (e, names) = crate::tract::TractEngine::load(path, io)?;
                (Box::new(e), names)
            }
            Backend::Ort => {
                let (e, names) = crate::ort::OrtEngine::load(path, io)?;
                (Box::new(e), names)
            }
        };
        Ok(Self {
            backend,
            engine,
            outputs,
        })
    }

    /// The engine the model runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Names of the outputs [`run`](Self::run) returns, in its order.
    pub fn output_names(&self) -> &[String] {
        &self.outputs
    }

    /// Runs the model on one input tensor of `shape` (NCHW for images), row-major `data`.
    pub fn run(&self, shape: &[usize], data: Vec<f32>) -> Result<Vec<Output>, InferError> {
        let expected = shape.iter().product::<usize>();
        if data.len() != expected {
            return Err(InferError::Input {
                shape: shape.to_vec(),
                expected,
                got: data.len(),
            });
        }
        let raw = self.engine.run(shape, data).map_err(InferError::Run)?;
        if raw.len() != self.outputs.len() {
            return Err(InferError::Run(format!(
                "the model returned {} outputs, expected {}",
                raw.len(),
                self.outputs.len()
            )));
        }
        Ok(self
            .outputs
            .iter()
            .zip(raw)
            .map(|(name, (shape, data))| Output {
                name: name.clone(),
                shape,
                data,
            })
            .collect())
    }
}

/// Picks, for each wanted output name, the index of the model output carrying it; see
/// [`ModelIo::outputs`] for the fallbacks.
pub(crate) fn output_order(model_outputs: &[String], wanted: &[&str]) -> Option<Vec<usize>> {
    if wanted.is_empty() {
        return Some((0..model_outputs.len()).collect());
    }
    let by_name: Option<Vec<usize>> = wanted
        .iter()
        .map(|w| model_outputs.iter().position(|m| m == w))
        .collect();
    by_name.or_else(|| (model_outputs.len() == wanted.len()).then(|| (0..wanted.len()).collect()))
}

/// The index of the input to feed among `names`; see [`ModelIo::input`].
pub(crate) fn input_index(names: &[String], wanted: &str) -> Option<usize> {
    names
        .iter()
        .position(|n| !wanted.is_empty() && n == wanted)
        .or_else(|| (names.len() == 1).then_some(0))
}

/// [`output_order`] as a load error naming what the model has.
pub(crate) fn pick_outputs(
    path: &Path,
    names: &[String],
    io: &ModelIo<'_>,
) -> Result<Vec<usize>, InferError> {
    output_order(names, io.outputs).ok_or_else(|| InferError::Load {
        path: path.to_owned(),
        reason: format!(
            "its outputs {names:?} do not match the expected {:?}",
            io.outputs
        ),
    })
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
        assert_eq!(output_order(&model, &[]), Some(vec![0, 1, 2]));
    }

    #[test]
    fn the_only_input_is_fed_whatever_its_name() {
        let one: Vec<String> = vec!["input.1".into()];
        let two: Vec<String> = vec!["a".into(), "b".into()];
        assert_eq!(input_index(&one, "input"), Some(0));
        assert_eq!(input_index(&one, ""), Some(0));
        assert_eq!(input_index(&two, "b"), Some(1));
        assert_eq!(input_index(&two, "c"), None);
        assert_eq!(input_index(&two, ""), None);
    }
}
