//! ONNX Runtime through the `ort` crate, loaded at run time from the library the config
//! names, else from `ORT_DYLIB_PATH`.
//!
//! ONNX Runtime checks inputs against the shapes the graph declares, and these models declare
//! one fixed size (YuNet [1,3,640,640], CenterFace [10,3,32,32]). So the graph is rewritten in
//! memory before the session is made: the real input gets symbolic batch, height and width,
//! output shapes and intermediate `value_info` are dropped, and initializers are removed from
//! the graph inputs (CenterFace lists them there, which makes them look like inputs to feed).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;
use prost::Message;
use tract_onnx::pb;

use super::{Engine, Output, output_order};
use crate::error::FaceError;
use crate::models::ModelSpec;

pub(crate) struct OrtEngine {
    /// The rewritten model, kept to open more sessions when threads run concurrently.
    model: Vec<u8>,
    input: String,
    outputs: Vec<String>,
    /// The shared library to load the runtime from, when the caller named one.
    library: Option<PathBuf>,
    /// Idle sessions. `Session::run` needs `&mut`, so each concurrent caller takes one (a new
    /// one when none is idle) and puts it back; each is single-threaded like the tract plans,
    /// leaving parallelism to the caller's threads.
    idle: Mutex<Vec<Session>>,
}

/// The one ONNX Runtime environment of the process (ort allows only one), loaded from
/// `library` or else `ORT_DYLIB_PATH` by the first caller.
fn environment(
    library: Option<&Path>,
) -> Result<&'static ort::environment::Environment, FaceError> {
    static ENV: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let path = library
            .map(Path::to_path_buf)
            .or_else(crate::ort_library_from_env)
            .ok_or_else(|| {
                format!(
                    "no library given and {} is not set; point it at libonnxruntime.so",
                    crate::ORT_DYLIB_ENV
                )
            })?;
        if !path.is_file() {
            return Err(format!("the library {} is not a file", path.display()));
        }
        ort::init_from(&path)
            .map_err(|e| format!("loading {}: {e}", path.display()))?
            .with_name("zcurate")
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| FaceError::Backend(format!("ONNX Runtime: {e}")))
}

/// Makes the graph acceptable to ONNX Runtime for any input size (see the module docs).
fn dynamic_shapes(bytes: &[u8], input: &str) -> Result<(Vec<u8>, String, Vec<String>), String> {
    let mut model = pb::ModelProto::decode(bytes).map_err(|e| e.to_string())?;
    let graph = model.graph.as_mut().ok_or("the model has no graph")?;
    let initializers: std::collections::HashSet<String> =
        graph.initializer.iter().map(|t| t.name.clone()).collect();
    graph.input.retain(|i| !initializers.contains(&i.name));
    let input_name = if graph.input.iter().any(|i| i.name == input) {
        input.to_owned()
    } else if graph.input.len() == 1 {
        graph.input[0].name.clone()
    } else {
        return Err(format!("no input named {input:?}"));
    };
    let dim = |name: &str| pb::tensor_shape_proto::Dimension {
        denotation: String::new(),
        value: Some(pb::tensor_shape_proto::dimension::Value::DimParam(
            name.to_owned(),
        )),
    };
    let fixed = |v: i64| pb::tensor_shape_proto::Dimension {
        denotation: String::new(),
        value: Some(pb::tensor_shape_proto::dimension::Value::DimValue(v)),
    };
    for i in &mut graph.input {
        if i.name == input_name
            && let Some(pb::type_proto::Value::TensorType(t)) =
                i.r#type.as_mut().and_then(|t| t.value.as_mut())
        {
            t.shape = Some(pb::TensorShapeProto {
                dim: vec![dim("n"), fixed(3), dim("h"), dim("w")],
            });
        }
    }
    for o in &mut graph.output {
        if let Some(pb::type_proto::Value::TensorType(t)) =
            o.r#type.as_mut().and_then(|t| t.value.as_mut())
        {
            t.shape = None;
        }
    }
    graph.value_info.clear();
    let outputs = graph.output.iter().map(|o| o.name.clone()).collect();
    Ok((model.encode_to_vec(), input_name, outputs))
}

impl OrtEngine {
    pub(crate) fn load(
        path: &Path,
        spec: &ModelSpec,
        library: Option<&Path>,
    ) -> Result<Self, FaceError> {
        let load_err = |reason: String| FaceError::Load {
            path: path.to_owned(),
            reason,
        };
        let bytes = std::fs::read(path).map_err(|e| load_err(e.to_string()))?;
        let (model, input, names) = dynamic_shapes(&bytes, spec.input).map_err(load_err)?;
        let order = output_order(&names, spec.outputs).ok_or_else(|| {
            load_err(format!(
                "outputs {names:?} do not match a {} model ({:?})",
                spec.name, spec.outputs
            ))
        })?;
        let outputs = order.into_iter().map(|i| names[i].clone()).collect();
        let engine = Self {
            model,
            input,
            outputs,
            library: library.map(Path::to_path_buf),
            idle: Mutex::new(Vec::new()),
        };
        // Open one session now so a broken library or model fails at load, not mid-scan.
        let first = engine.session().map_err(|e| load_err(e.to_string()))?;
        engine.put_back(first);
        Ok(engine)
    }

    #[allow(clippy::result_large_err)] // ort's own error type, converted at once
    fn session(&self) -> Result<Session, FaceError> {
        if let Some(s) = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
        {
            return Ok(s);
        }
        let err = |e: String| FaceError::Backend(format!("ONNX Runtime session: {e}"));
        Session::builder(environment(self.library.as_deref())?)
            .map_err(|e| err(e.to_string()))?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .and_then(|b| b.with_intra_threads(1))
            .map_err(|e| err(e.to_string()))?
            .commit_from_memory(&self.model)
            .map_err(|e| err(e.to_string()))
    }

    fn put_back(&self, session: Session) {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(session);
    }
}

impl Engine for OrtEngine {
    fn run(&self, input: Vec<f32>, h: u32, w: u32) -> Result<Vec<Output>, FaceError> {
        let err = |e: ort::Error| FaceError::Inference(e.to_string());
        let tensor =
            Tensor::from_array(([1usize, 3, h as usize, w as usize], input)).map_err(err)?;
        let mut session = self.session()?;
        let result = (|| {
            let outputs = session
                .run(ort::inputs![self.input.as_str() => tensor])
                .map_err(err)?;
            self.outputs
                .iter()
                .map(|name| {
                    let value = outputs.get(name).ok_or_else(|| {
                        FaceError::Inference(format!("ONNX Runtime returned no output {name:?}"))
                    })?;
                    let (shape, data) = value.try_extract_tensor::<f32>().map_err(err)?;
                    Ok(Output {
                        shape: shape.iter().map(|&d| d as usize).collect(),
                        data: data.to_vec(),
                    })
                })
                .collect::<Result<Vec<_>, FaceError>>()
        })();
        self.put_back(session);
        result
    }
}
