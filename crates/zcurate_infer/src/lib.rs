//! One inference layer for every ONNX model zcurate runs, on either engine.
//!
//! ONNX Runtime ([`Backend::Ort`]) is the default engine of zcurate: it is loaded at run time
//! from a shared library (the pinned `onnxruntime` entry of `zcurate_models`, or
//! `ORT_DYLIB_PATH`), never linked, so the build needs no native library. tract
//! ([`Backend::Tract`]) is pure Rust and always available: the fallback where ONNX Runtime
//! cannot be had. Choosing between them, and saying so, is the caller's policy; this crate
//! only loads and runs.
//!
//! The API is the same for every model: one f32 input tensor of any shape (NCHW for images),
//! named f32 outputs.
//!
//! # Plugging in a model
//!
//! A new model needs its ONNX file, the name of its input and the outputs it should return,
//! and its own pre- and post-processing. For example, a facial-expression classifier with a
//! 64 × 64 grey input and 7 class scores:
//!
//! ```text
//! use zcurate_infer::{Backend, Model, ModelIo};
//!
//! const IO: ModelIo<'static> = ModelIo { input: "", outputs: &["scores"] };
//!
//! let model = Model::load(&path, backend, &IO)?;          // once; share it across threads
//! let pixels: Vec<f32> = face_64x64_grey_in_minus1_to_1;  // 1 × 1 × 64 × 64 values, row-major
//! let out = model.run(&[1, 1, 64, 64], pixels)?;          // Vec<Output>, in IO.outputs order
//! let probabilities: &[f32] = &out[0].data;               // out[0].shape == [1, 7]
//! ```
//!
//! `backend` is whatever the caller resolved (the scan's face step passes the engine its
//! detector runs on, so all face models share one). For [`Backend::Ort`], the runtime is
//! loaded once per process with [`load_onnx_runtime`] before the first model. A model is
//! `Send + Sync`: threads call [`Model::run`] concurrently (each ONNX Runtime session runs
//! on its caller's thread; tract plans are shared). Shapes that vary between calls are
//! fine, but each new shape costs a one-time preparation (tract builds a plan for it), so
//! keep them to a few (the detectors pad inputs to a 64-pixel grid for this reason).

mod backend;
mod error;
mod model;
mod ort;
mod tract;

pub use backend::{Backend, ORT_DYLIB_ENV, ort_library_from_env};
pub use error::InferError;
pub use model::{Model, ModelIo, Output};
pub use ort::{load_onnx_runtime, onnx_runtime_library};
