//! Every environment variable zcurate reads, declared once.

// The model cache directory (`ZCURATE_CACHE_DIR`) and the Python used to fetch models
// (`ZCURATE_PYTHON`) are read by `zcurate_models`, which declares them.
/// Path of a config file, as `--config`.
pub(crate) const ZCURATE_CONFIG: &str = "ZCURATE_CONFIG";
/// Forbid network fetches, as `--offline`.
pub(crate) const ZCURATE_OFFLINE: &str = "ZCURATE_OFFLINE";
/// Lint profile, as `zcurate lint --profile`.
pub(crate) const ZCURATE_PROFILE: &str = "ZCURATE_PROFILE";
/// Lint report format, as `zcurate lint --format`.
pub(crate) const ZCURATE_OUTPUT_FORMAT: &str = "ZCURATE_OUTPUT_FORMAT";
/// Longest side for face detection, as `--det-size`.
pub(crate) const ZCURATE_DET_SIZE: &str = "ZCURATE_DET_SIZE";
