//! tract (pure Rust) runtime with one optimised plan per input shape.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use tract_onnx::prelude::*;

use super::{Engine, Output, output_order};
use crate::error::FaceError;
use crate::models::ModelSpec;

type Plan = TypedRunnableModel;
/// A plan being built or built; the `OnceLock` lets other threads wait for the first builder
/// of a shape instead of building it again.
type PlanCell = Arc<OnceLock<Result<Arc<Plan>, String>>>;

pub(crate) struct TractEngine {
    /// The parsed model with its declared input fact; cloned (cheaply: weights are shared)
    /// and specialised for each new input shape.
    model: InferenceModel,
    input_index: usize,
    order: Vec<usize>,
    plans: Mutex<HashMap<(u32, u32), PlanCell>>,
}

impl TractEngine {
    pub(crate) fn load(path: &Path, spec: &ModelSpec) -> Result<Self, FaceError> {
        let load_err = |reason: String| FaceError::Load {
            path: path.to_owned(),
            reason,
        };
        // Declared output shapes and value_info are for one input size (RetinaFace's even
        // conflict with its own graph); the shapes are re-derived for each input anyway.
        let model = tract_onnx::onnx()
            .with_ignore_output_shapes(true)
            .with_ignore_value_info(true)
            .model_for_path(path)
            .map_err(|e| load_err(format!("{e:#}")))?;
        let inputs = model.input_outlets().map_err(|e| load_err(e.to_string()))?;
        let input_index = inputs
            .iter()
            .position(|o| model.node(o.node).name == spec.input)
            .or_else(|| (inputs.len() == 1).then_some(0))
            .ok_or_else(|| load_err(format!("no input named {:?}", spec.input)))?;
        let names: Vec<String> = model
            .output_outlets()
            .map_err(|e| load_err(e.to_string()))?
            .iter()
            .map(|&o| {
                model
                    .outlet_label(o)
                    .unwrap_or(&model.node(o.node).name)
                    .to_owned()
            })
            .collect();
        let order = output_order(&names, spec.outputs).ok_or_else(|| {
            load_err(format!(
                "outputs {names:?} do not match a {} model ({:?})",
                spec.name, spec.outputs
            ))
        })?;
        Ok(Self {
            model,
            input_index,
            order,
            plans: Mutex::new(HashMap::new()),
        })
    }

    fn plan(&self, h: u32, w: u32) -> Result<Arc<Plan>, FaceError> {
        let cell = {
            let mut plans = self
                .plans
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(plans.entry((h, w)).or_default())
        };
        // Built outside the map lock, so other shapes proceed while this one optimises.
        cell.get_or_init(|| self.build(h, w).map_err(|e| format!("{e:#}")))
            .clone()
            .map_err(|e| FaceError::Inference(format!("building the plan for {w}×{h}: {e}")))
    }

    fn build(&self, h: u32, w: u32) -> TractResult<Arc<Plan>> {
        let fact = f32::fact([1, 3, h as usize, w as usize]);
        self.model
            .clone()
            .with_input_fact(self.input_index, fact.into())?
            .into_optimized()?
            .into_runnable()
    }
}

impl Engine for TractEngine {
    fn run(&self, input: Vec<f32>, h: u32, w: u32) -> Result<Vec<Output>, FaceError> {
        let plan = self.plan(h, w)?;
        let err = |e: TractError| FaceError::Inference(format!("{e:#}"));
        let tensor = tract_ndarray::Array4::from_shape_vec((1, 3, h as usize, w as usize), input)
            .map_err(|e| FaceError::Inference(e.to_string()))?
            .into_tensor();
        let outputs = plan.run(tvec![tensor.into()]).map_err(err)?;
        self.order
            .iter()
            .map(|&i| {
                let t = outputs
                    .get(i)
                    .ok_or_else(|| FaceError::Inference(format!("missing output {i}")))?;
                let data = t
                    .try_as_plain_ram()
                    .and_then(|v| v.as_slice::<f32>().map(<[f32]>::to_vec))
                    .map_err(err)?;
                Ok(Output {
                    shape: t.shape().to_vec(),
                    data,
                })
            })
            .collect()
    }
}
