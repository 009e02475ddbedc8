//! tract (pure Rust), with one optimised plan per input shape.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use tract_onnx::prelude::*;

use crate::error::InferError;
use crate::model::{Engine, ModelIo, RawOutputs, input_index, pick_outputs};

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
    plans: Mutex<HashMap<Vec<usize>, PlanCell>>,
}

impl TractEngine {
    pub(crate) fn load(path: &Path, io: &ModelIo<'_>) -> Result<(Self, Vec<String>), InferError> {
        let load_err = |reason: String| InferError::Load {
            path: path.to_owned(),
            reason,
        };
        // Declared output shapes and value_info are for one input size (RetinaFace's even
        // conflict with its own graph); the shapes are derived again for each input anyway.
        let model = tract_onnx::onnx()
            .with_ignore_output_shapes(true)
            .with_ignore_value_info(true)
            .model_for_path(path)
            .map_err(|e| load_err(format!("{e:#}")))?;
        let inputs: Vec<String> = model
            .input_outlets()
            .map_err(|e| load_err(e.to_string()))?
            .iter()
            .map(|o| model.node(o.node).name.clone())
            .collect();
        let input_index = input_index(&inputs, io.input)
            .ok_or_else(|| load_err(format!("no input {:?} among {inputs:?}", io.input)))?;
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
        let order = pick_outputs(path, &names, io)?;
        let picked = order.iter().map(|&i| names[i].clone()).collect();
        Ok((
            Self {
                model,
                input_index,
                order,
                plans: Mutex::new(HashMap::new()),
            },
            picked,
        ))
    }

    fn plan(&self, shape: &[usize]) -> Result<Arc<Plan>, String> {
        let cell = {
            let mut plans = self
                .plans
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(plans.entry(shape.to_vec()).or_default())
        };
        // Built outside the map lock, so other shapes proceed while this one optimises.
        cell.get_or_init(|| self.build(shape).map_err(|e| format!("{e:#}")))
            .clone()
            .map_err(|e| format!("building the plan for input {shape:?}: {e}"))
    }

    fn build(&self, shape: &[usize]) -> TractResult<Arc<Plan>> {
        let fact = f32::fact(shape);
        self.model
            .clone()
            .with_input_fact(self.input_index, fact.into())?
            .into_optimized()?
            .into_runnable()
    }
}

impl Engine for TractEngine {
    fn run(&self, shape: &[usize], data: Vec<f32>) -> Result<RawOutputs, String> {
        let plan = self.plan(shape)?;
        let tensor = tract_ndarray::ArrayD::from_shape_vec(shape, data)
            .map_err(|e| e.to_string())?
            .into_tensor();
        let outputs = plan
            .run(tvec![tensor.into()])
            .map_err(|e| format!("{e:#}"))?;
        self.order
            .iter()
            .map(|&i| {
                let t = outputs
                    .get(i)
                    .ok_or_else(|| format!("missing output {i}"))?;
                let data = t
                    .try_as_plain_ram()
                    .and_then(|v| v.as_slice::<f32>().map(<[f32]>::to_vec))
                    .map_err(|e| format!("{e:#}"))?;
                Ok((t.shape().to_vec(), data))
            })
            .collect()
    }
}
