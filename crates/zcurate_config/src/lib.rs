//! `zcurate.toml` discovery and settings resolution.
//!
//! Settings come from three layers, resolved once before a command runs: command-line flags
//! win over environment variables, which win over the config file, which wins over built-in
//! defaults. This crate owns the file layer: finding the file and parsing it strictly, so a
//! misspelt key is an error that names the key rather than a silently ignored setting.

mod discover;
mod error;
mod options;

pub use discover::{CONFIG_FILE_NAMES, ConfigFile, Deprecated, discover, load, load_discovered};
pub use error::ConfigError;
pub use options::{CropDefaults, EvaluateDefaults, FaceOptions, Options, ScanOptions};
