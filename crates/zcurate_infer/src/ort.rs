//! ONNX Runtime through the `ort` crate, loaded at run time from a shared library.
//!
//! ONNX Runtime checks inputs against the shapes the graph declares, and zcurate's detectors
//! declare one fixed size (YuNet [1,3,640,640], CenterFace [10,3,32,32]). So the graph is
//! rewritten in memory before the session is made: the fed input gets a symbolic batch,
//! height and width (its channel count stays), output shapes and intermediate `value_info`
//! are dropped, and initializers are removed from the graph inputs (CenterFace lists them
//! there, which makes them look like inputs to feed).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;
use prost::Message;
use tract_onnx::pb;

use crate::error::InferError;
use crate::model::{Engine, ModelIo, RawOutputs, input_index, pick_outputs};

/// The one ONNX Runtime environment of the process (ort allows only one): the library it
/// came from, or why it could not be had.
static ENV: OnceLock<Result<(ort::environment::Environment, PathBuf), String>> = OnceLock::new();

/// Loads ONNX Runtime from the shared library at `library` for the whole process. Only the
/// first call loads anything: later calls return its outcome (a process cannot load a
/// second runtime), so they succeed only if the first one did.
pub fn load_onnx_runtime(library: &Path) -> Result<(), InferError> {
    environment_from(Some(library)).map(|_| ())
}

/// The library ONNX Runtime was loaded from, if it was.
pub fn onnx_runtime_library() -> Option<&'static Path> {
    ENV.get()
        .and_then(|r| r.as_ref().ok())
        .map(|(_, p)| p.as_path())
}

/// The environment, loaded first from `library`, else from `ORT_DYLIB_PATH`, when no
/// earlier call loaded it.
fn environment_from(
    library: Option<&Path>,
) -> Result<&'static ort::environment::Environment, InferError> {
    ENV.get_or_init(|| {
        let path = library
            .map(Path::to_path_buf)
            .or_else(crate::ort_library_from_env)
            .ok_or_else(|| {
                format!(
                    "no library was given and {} is not set",
                    crate::ORT_DYLIB_ENV
                )
            })?;
        // ort resolves a relative path against the executable's folder; the user meant the
        // working directory.
        let path = std::path::absolute(&path).unwrap_or(path);
        if !path.is_file() {
            return Err(format!("the library {} is not a file", path.display()));
        }
        let env = ort::init_from(&path)
            .map_err(|e| format!("cannot load {}: {e}", path.display()))?
            .with_name("zcurate")
            .build()
            .map_err(|e| format!("cannot start {}: {e}", path.display()))?;
        Ok((env, path))
    })
    .as_ref()
    .map(|(env, _)| env)
    .map_err(|e| InferError::OnnxRuntime(e.clone()))
}

pub(crate) struct OrtEngine {
    /// The rewritten model, kept to open more sessions when threads run concurrently.
    model: Vec<u8>,
    input: String,
    outputs: Vec<String>,
    /// Idle sessions. `Session::run` needs `&mut`, so each concurrent caller takes one (a new
    /// one when none is idle) and puts it back. Each runs on its caller's thread alone (one
    /// intra-op thread, no pool), like the tract plans: the callers' threads are the
    /// parallelism, and a second pool per session would only fight them for the cores.
    idle: Mutex<Vec<Session>>,
}

/// Makes the graph acceptable to ONNX Runtime for any input shape (see the module docs).
/// Returns the model bytes, the fed input's name and every output's name.
fn dynamic_shapes(bytes: &[u8], input: &str) -> Result<(Vec<u8>, String, Vec<String>), String> {
    let mut model = pb::ModelProto::decode(bytes).map_err(|e| e.to_string())?;
    let graph = model.graph.as_mut().ok_or("the model has no graph")?;
    let initializers: std::collections::HashSet<String> =
        graph.initializer.iter().map(|t| t.name.clone()).collect();
    graph.input.retain(|i| !initializers.contains(&i.name));
    let names: Vec<String> = graph.input.iter().map(|i| i.name.clone()).collect();
    let fed =
        input_index(&names, input).ok_or_else(|| format!("no input {input:?} among {names:?}"))?;
    let symbolic = |name: String| pb::tensor_shape_proto::Dimension {
        denotation: String::new(),
        value: Some(pb::tensor_shape_proto::dimension::Value::DimParam(name)),
    };
    if let Some(pb::type_proto::Value::TensorType(t)) = graph.input[fed]
        .r#type
        .as_mut()
        .and_then(|t| t.value.as_mut())
        && let Some(shape) = t.shape.as_mut()
    {
        // NCHW: keep a declared channel count (kernels may be chosen by it), free the rest.
        for (i, d) in shape.dim.iter_mut().enumerate() {
            let fixed_channels = i == 1
                && matches!(
                    d.value,
                    Some(pb::tensor_shape_proto::dimension::Value::DimValue(v)) if v > 0
                );
            if !fixed_channels {
                *d = symbolic(format!("zcurate_dim{i}"));
            }
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
    Ok((model.encode_to_vec(), names[fed].clone(), outputs))
}

impl OrtEngine {
    pub(crate) fn load(path: &Path, io: &ModelIo<'_>) -> Result<(Self, Vec<String>), InferError> {
        let load_err = |reason: String| InferError::Load {
            path: path.to_owned(),
            reason,
        };
        // Before reading the model: a missing runtime is the more useful message.
        environment_from(None)?;
        let bytes = std::fs::read(path).map_err(|e| load_err(e.to_string()))?;
        let (model, input, names) = dynamic_shapes(&bytes, io.input).map_err(load_err)?;
        let order = pick_outputs(path, &names, io)?;
        let outputs: Vec<String> = order.into_iter().map(|i| names[i].clone()).collect();
        let engine = Self {
            model,
            input,
            outputs: outputs.clone(),
            idle: Mutex::new(Vec::new()),
        };
        // One session now, so a model ONNX Runtime rejects fails at load, not mid-run.
        let first = engine.session().map_err(load_err)?;
        engine.put_back(first);
        Ok((engine, outputs))
    }

    #[allow(clippy::result_large_err)] // ort's own error type, converted at once
    fn session(&self) -> Result<Session, String> {
        if let Some(s) = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
        {
            return Ok(s);
        }
        let env = environment_from(None).map_err(|e| e.to_string())?;
        Session::builder(env)
            .map_err(session_error)?
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .and_then(|b| b.with_intra_threads(1))
            .and_then(|b| b.with_inter_threads(1))
            .map_err(session_error)?
            .commit_from_memory(&self.model)
            .map_err(session_error)
    }

    fn put_back(&self, session: Session) {
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(session);
    }
}

fn session_error(e: impl std::fmt::Display) -> String {
    format!("cannot make an ONNX Runtime session: {e}")
}

impl Engine for OrtEngine {
    fn run(&self, shape: &[usize], data: Vec<f32>) -> Result<RawOutputs, String> {
        let tensor = Tensor::from_array((shape.to_vec(), data)).map_err(|e| e.to_string())?;
        let mut session = self.session()?;
        let result = (|| {
            let outputs = session
                .run(ort::inputs![self.input.as_str() => tensor])
                .map_err(|e| e.to_string())?;
            self.outputs
                .iter()
                .map(|name| {
                    let value = outputs
                        .get(name)
                        .ok_or_else(|| format!("ONNX Runtime returned no output {name:?}"))?;
                    let (shape, data) = value
                        .try_extract_tensor::<f32>()
                        .map_err(|e| e.to_string())?;
                    Ok((shape.iter().map(|&d| d as usize).collect(), data.to_vec()))
                })
                .collect::<Result<Vec<_>, String>>()
        })();
        self.put_back(session);
        result
    }
}
