//! Loading the face step: models fetched on first use, the engine chosen, notices for people.
//!
//! # The engine
//!
//! With no backend named, faces run on ONNX Runtime: `ORT_DYLIB_PATH` when it names a
//! library, else the pinned `onnxruntime` build of the model cache, fetched on first use
//! like the models. Where it cannot be had (offline with nothing cached, a platform the
//! pinned build does not run on, a library that fails to load, a model it rejects), the step
//! falls back to tract, the pure-Rust engine, and says why in one [`FaceNotice::FellBack`].
//! A backend named explicitly (`--backend`, `[faces] backend`) is used or the load fails
//! with [`FaceStepError::Backend`]: nothing falls back behind the user's back.

use std::path::{Path, PathBuf};

use zcurate_face::expression::ExpressionClassifier;
use zcurate_face::identity::Embedder;
use zcurate_face::pose::PoseThresholds;
use zcurate_face::{AdaptiveConfig, Backend, DetectorConfig, DetectorKind, FaceError};
use zcurate_framing::FramingThresholds;
use zcurate_models::FetchOptions;

use super::FaceStep;

/// The registry entry of the identity model (ArcFace, non-commercial): fetched and used only
/// with `--identity`.
pub const IDENTITY_MODEL: &str = "arcface-mbf";

/// The registry entry of the expression model (`fer`, MIT).
pub const EXPRESSION_MODEL: &str = "fer";

/// The registry entry of the pinned ONNX Runtime library.
pub const ORT_RUNTIME: &str = "onnxruntime";

/// Whether the pinned ONNX Runtime build (Linux x86_64, glibc) can run on this platform.
const PINNED_RUNTIME_RUNS_HERE: bool = cfg!(all(
    target_os = "linux",
    target_arch = "x86_64",
    target_env = "gnu"
));

/// Face settings resolved from flags, environment and `zcurate.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceStepSettings {
    pub kind: DetectorKind,
    /// A custom model of `kind`'s family; `None` uses (and fetches) the pinned one.
    pub model: Option<PathBuf>,
    pub det_size: u32,
    /// `None`: the detector's documented default.
    pub score_threshold: Option<f32>,
    /// `None`: the detector's documented default.
    pub nms_iou: Option<f32>,
    pub adaptive: AdaptiveConfig,
    /// The engine; `None` is zcurate's default: ONNX Runtime, else tract (module docs).
    pub backend: Option<Backend>,
    /// Never fetch: use only what the model cache holds.
    pub offline: bool,
    pub pose: PoseThresholds,
    pub framing: FramingThresholds,
    /// Embed each main face with the identity model (`--identity`).
    pub identity: bool,
    /// Classify the main face's expression (the `fer` model; off with `--no-expression`).
    pub expression: bool,
}

impl FaceStepSettings {
    /// The defaults of `kind`: pinned model, default engine, no identity.
    pub fn new(kind: DetectorKind) -> Self {
        Self {
            kind,
            model: None,
            det_size: zcurate_face::DEFAULT_DET_SIZE,
            score_threshold: None,
            nms_iou: None,
            adaptive: AdaptiveConfig::default(),
            backend: None,
            offline: false,
            pose: PoseThresholds::default(),
            framing: FramingThresholds::default(),
            identity: false,
            expression: false,
        }
    }
}

/// What a person should hear about while the step loads. The library never prints: the
/// caller does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaceNotice {
    /// A pinned file is about to be fetched (which takes a few seconds, once).
    Fetching {
        /// What it is, for people ("the face detector model").
        what: &'static str,
        name: String,
        /// SPDX identifier of its licence.
        licence: String,
    },
    /// ONNX Runtime could not be had, so faces run on tract; `reason` says why.
    FellBack { reason: String },
    /// The identity model is in use: its licence, stated every time.
    IdentityLicence {
        model: String,
        spdx: String,
        text: String,
    },
}

/// Why the face step could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FaceStepError {
    /// A pinned model could not be had (offline and not cached, pip failing, ...).
    #[error("cannot get {what} `{name}`: {reason}")]
    Fetch {
        what: &'static str,
        name: String,
        reason: String,
    },
    /// The backend named explicitly cannot be used here.
    #[error("cannot use the {backend} backend: {reason}")]
    Backend { backend: Backend, reason: String },
    /// A custom model file could not be read to hash it.
    #[error("cannot read model {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: Box<zcurate_models::Error>,
    },
    /// The detector or the identity model failed to load.
    #[error("cannot load {what} {}", path.display())]
    Model {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: FaceError,
    },
}

/// The cached, verified file of the pinned entry `name`, fetched first (announced by a
/// notice) unless it is cached already or `offline` forbids it.
fn fetch_pinned(
    name: &str,
    what: &'static str,
    options: FetchOptions,
    notify: &mut dyn FnMut(FaceNotice),
) -> Result<PathBuf, FaceStepError> {
    let entry = zcurate_models::registry().model(name);
    if !options.offline && !zcurate_models::is_verified(name) {
        notify(FaceNotice::Fetching {
            what,
            name: name.to_owned(),
            licence: entry
                .as_ref()
                .map(|m| m.licence.spdx.clone())
                .unwrap_or_default(),
        });
    }
    zcurate_models::fetch_model(name, &options).map_err(|e| FaceStepError::Fetch {
        what,
        name: name.to_owned(),
        reason: zcurate_models::error_chain(&e),
    })
}

/// Finds and loads ONNX Runtime for the process: `ORT_DYLIB_PATH`, else the pinned build.
/// The error says, in one line, why it cannot be had.
fn load_onnx_runtime(offline: bool, notify: &mut dyn FnMut(FaceNotice)) -> Result<(), String> {
    if zcurate_infer::onnx_runtime_library().is_some() {
        return Ok(());
    }
    let library = match zcurate_infer::ort_library_from_env() {
        Some(path) => path,
        None if !PINNED_RUNTIME_RUNS_HERE => {
            return Err(format!(
                "the pinned ONNX Runtime is built for Linux x86_64 only; set {} to a library \
                 for this platform",
                zcurate_infer::ORT_DYLIB_ENV
            ));
        }
        None if offline && !zcurate_models::is_verified(ORT_RUNTIME) => {
            return Err(format!(
                "it is not in the model cache and --offline forbids fetching it \
                 (`zcurate models fetch {ORT_RUNTIME}` while online)"
            ));
        }
        None => {
            let options = FetchOptions {
                offline,
                allow_non_commercial: false,
            };
            fetch_pinned(ORT_RUNTIME, "the ONNX Runtime library", options, notify)
                .map_err(|e| first_line(&e.to_string()))?
        }
    };
    zcurate_infer::load_onnx_runtime(&library).map_err(|e| match e {
        zcurate_infer::InferError::OnnxRuntime(reason) => first_line(&reason),
        other => first_line(&other.to_string()),
    })
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

impl FaceStep {
    /// Loads the detector (and with `identity` the embedder), fetching pinned models on first
    /// use and choosing the engine as the module docs say. `notify` hears what a person should
    /// be told (fetches, a fallback to tract, the identity model's licence).
    pub fn load(
        settings: &FaceStepSettings,
        notify: &mut dyn FnMut(FaceNotice),
    ) -> Result<Self, FaceStepError> {
        let options = FetchOptions {
            offline: settings.offline,
            allow_non_commercial: false,
        };
        let (model_path, model_sha256) = if let Some(p) = &settings.model {
            let sha = zcurate_models::sha256_file(p).map_err(|source| FaceStepError::Read {
                path: p.clone(),
                source: Box::new(source),
            })?;
            (p.clone(), sha)
        } else {
            let name = settings.kind.name();
            let path = fetch_pinned(name, "the face detector model", options, notify)?;
            let sha = zcurate_models::registry()
                .model(name)
                .map(|m| m.sha256.clone())
                .unwrap_or_default();
            (path, sha)
        };
        let mut config = DetectorConfig::new(settings.kind, &model_path);
        config.det_size = settings.det_size;
        config.adaptive = settings.adaptive;
        if let Some(t) = settings.score_threshold {
            config.score_threshold = t;
        }
        if let Some(t) = settings.nms_iou {
            config.nms_iou = t;
        }

        let mut backend = match settings.backend {
            Some(Backend::Tract) => Backend::Tract,
            Some(Backend::Ort) => {
                load_onnx_runtime(settings.offline, notify).map_err(|reason| {
                    FaceStepError::Backend {
                        backend: Backend::Ort,
                        reason: format!("ONNX Runtime is unavailable: {reason}"),
                    }
                })?;
                Backend::Ort
            }
            None => match load_onnx_runtime(settings.offline, notify) {
                Ok(()) => Backend::Ort,
                Err(reason) => {
                    notify(FaceNotice::FellBack {
                        reason: format!("ONNX Runtime is unavailable: {reason}"),
                    });
                    Backend::Tract
                }
            },
        };

        let embedder_file = if settings.identity {
            Some(identity_model(settings.offline, notify)?)
        } else {
            None
        };
        let expression_file = if settings.expression {
            let path = fetch_pinned(EXPRESSION_MODEL, "the expression model", options, notify)?;
            let sha = zcurate_models::registry()
                .model(EXPRESSION_MODEL)
                .map(|m| m.sha256.clone())
                .unwrap_or_default();
            Some((path, sha))
        } else {
            None
        };
        let model_err = |what: &'static str, path: &Path| {
            let path = path.to_owned();
            move |source| FaceStepError::Model { what, path, source }
        };
        let load_all = |backend: Backend| -> Result<_, FaceStepError> {
            let mut c = config.clone();
            c.backend = backend;
            let detector =
                zcurate_face::load(&c).map_err(model_err("face detector", &model_path))?;
            let embedder = embedder_file
                .as_ref()
                .map(|(path, sha)| {
                    Embedder::load(path, sha, backend).map_err(model_err("identity model", path))
                })
                .transpose()?;
            let expression = expression_file
                .as_ref()
                .map(|(path, sha)| {
                    ExpressionClassifier::load(path, sha, backend)
                        .map(|m| (m, sha.clone()))
                        .map_err(model_err("expression model", path))
                })
                .transpose()?;
            Ok((detector, embedder, expression))
        };
        let (detector, embedder, expression) = match load_all(backend) {
            // ONNX Runtime loaded but rejects a model: the default engine gives way to tract.
            Err(e) if settings.backend.is_none() && backend == Backend::Ort => {
                notify(FaceNotice::FellBack {
                    reason: format!("ONNX Runtime cannot run a model: {}", error_line(&e)),
                });
                backend = Backend::Tract;
                load_all(backend)?
            }
            other => other?,
        };
        debug_assert_eq!(detector.config().backend, backend);
        let step = FaceStep::new(
            detector,
            model_sha256,
            settings.pose,
            settings.framing,
            embedder,
        );
        Ok(match expression {
            Some((model, sha)) => step.with_expression(model, sha),
            None => step,
        })
    }
}

/// The error and its causes on one line.
fn error_line(e: &dyn std::error::Error) -> String {
    first_line(&zcurate_models::error_chain(e))
}

/// Fetches the identity model after stating its licence, which forbids commercial use: the
/// caller asked for it (`--identity`), and hears the terms every time.
fn identity_model(
    offline: bool,
    notify: &mut dyn FnMut(FaceNotice),
) -> Result<(PathBuf, String), FaceStepError> {
    let entry = zcurate_models::registry()
        .model(IDENTITY_MODEL)
        .map_err(|e| FaceStepError::Fetch {
            what: "the identity model",
            name: IDENTITY_MODEL.to_owned(),
            reason: e.to_string(),
        })?;
    let licence = &entry.licence;
    notify(FaceNotice::IdentityLicence {
        model: IDENTITY_MODEL.to_owned(),
        spdx: licence.spdx.clone(),
        text: licence
            .text
            .as_deref()
            .unwrap_or(&licence.note)
            .trim()
            .to_owned(),
    });
    let options = FetchOptions {
        offline,
        allow_non_commercial: true,
    };
    let path = fetch_pinned(IDENTITY_MODEL, "the identity model", options, notify)?;
    Ok((path, entry.sha256.clone()))
}
