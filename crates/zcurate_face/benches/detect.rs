//! Detection alone, one thread: `cargo bench -p zcurate_face --bench detect`.
//!
//! - `fixed`: one model pass at a fixed longest side (320 or 640) on a square crop of the
//!   Solvay 1927 photo, so the input is exactly 320² or 640²; resizing from 2171² included.
//! - `model_input_size`: YuNet on an image that is already 320² or 640², so no resize.
//! - `adaptive`: the default configuration on the single-portrait photos (one pass at 320 when
//!   the face is large enough).
//! - `decode` / `decode_and_detect`: the JPEG portraits decoded alone vs decoded and searched
//!   with the default YuNet detector, the ratio a scan with faces pays.
//! - `backends`: YuNet at 640² on ONNX Runtime and on tract, side by side.
//! - `identity_100_faces`: ArcFace embeddings of 100 faces on either engine.
//!
//! Every bench but `backends` and `identity_100_faces` runs on ONNX Runtime, zcurate's
//! default engine. Models, photos and the runtime come from `zcurate_models` (fetched on
//! first use; `ORT_DYLIB_PATH` names another runtime library).

use std::path::Path;
use std::sync::OnceLock;

use divan::Bencher;
use image::{DynamicImage, ImageDecoder, ImageReader};
use zcurate_face::identity::Embedder;
use zcurate_face::{Backend, DetectorConfig, DetectorKind, FaceDetector, load};

/// The allocator the `zcurate` binary uses, so figures here match a scan.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn decode(path: &Path) -> DynamicImage {
    let mut decoder = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_decoder()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img =
        DynamicImage::from_decoder(decoder).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    img.apply_orientation(orientation);
    img
}

/// Loads ONNX Runtime for the process: `ORT_DYLIB_PATH`, else the pinned build.
fn load_onnx_runtime() {
    let library = zcurate_face::ort_library_from_env()
        .unwrap_or_else(|| zcurate_models::test_model("onnxruntime"));
    zcurate_infer::load_onnx_runtime(&library)
        .unwrap_or_else(|e| panic!("ONNX Runtime from {}: {e}", library.display()));
}

fn detector_on(
    backend: Backend,
    kind: DetectorKind,
    det_size: u32,
    adaptive: bool,
) -> Box<dyn FaceDetector> {
    if backend == Backend::Ort {
        load_onnx_runtime();
    }
    let mut config = DetectorConfig::new(kind, zcurate_models::test_model(kind.name()));
    config.det_size = det_size;
    config.adaptive.enabled = adaptive;
    config.backend = backend;
    load(&config).unwrap_or_else(|e| panic!("loading {kind} on {backend}: {e}"))
}

fn detector(kind: DetectorKind, det_size: u32, adaptive: bool) -> Box<dyn FaceDetector> {
    detector_on(Backend::Ort, kind, det_size, adaptive)
}

/// A 2171² crop of the group photo: 29 faces, and an exact square model input at any size.
fn square() -> &'static DynamicImage {
    static IMG: OnceLock<DynamicImage> = OnceLock::new();
    IMG.get_or_init(|| {
        let img = decode(&zcurate_models::test_photo("solvay_conference_1927"));
        let side = img.width().min(img.height());
        img.crop_imm((img.width() - side) / 2, 0, side, side)
    })
}

const PORTRAITS: [&str; 9] = [
    "obama",
    "obama2",
    "obama3",
    "grace_hopper",
    "astronaut",
    "camera",
    "biden",
    "gauss",
    "newton",
];
const JPEGS: [&str; 5] = ["obama", "obama2", "obama3", "grace_hopper", "biden"];

#[divan::bench(args = [320, 640], consts = [0, 1, 2])]
fn fixed<const KIND: usize>(bencher: Bencher, size: u32) {
    let det = detector(DetectorKind::ALL[KIND], size, false);
    let img = square();
    // Build the plan for this shape outside the measurement.
    det.detect(img).unwrap();
    bencher.bench_local(|| det.detect(divan::black_box(img)).unwrap());
}

/// One model pass on an image that already is 640² (or 320²): no resizing, so this is the
/// model's own time plus the input conversion and the box decoding.
#[divan::bench(args = [320, 640])]
fn model_input_size(bencher: Bencher, size: u32) {
    let det = detector(DetectorKind::YuNet, size, false);
    let img = DynamicImage::ImageRgb8(
        square()
            .resize_exact(size, size, image::imageops::FilterType::Triangle)
            .to_rgb8(),
    );
    det.detect(&img).unwrap();
    bencher.bench_local(|| det.detect(divan::black_box(&img)).unwrap());
}

#[divan::bench]
fn adaptive(bencher: Bencher) {
    let det = detector(DetectorKind::YuNet, 640, true);
    let imgs: Vec<DynamicImage> = PORTRAITS
        .iter()
        .map(|n| decode(&zcurate_models::test_photo(n)))
        .collect();
    for img in &imgs {
        det.detect(img).unwrap();
    }
    bencher
        .counter(divan::counter::ItemsCount::new(imgs.len()))
        .bench_local(|| {
            for img in &imgs {
                divan::black_box(det.detect(img).unwrap());
            }
        });
}

#[divan::bench]
fn decode_only(bencher: Bencher) {
    let files: Vec<Vec<u8>> = JPEGS
        .iter()
        .map(|n| std::fs::read(zcurate_models::test_photo(n)).unwrap())
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(files.len()))
        .bench_local(|| {
            for bytes in &files {
                divan::black_box(decode_bytes(bytes));
            }
        });
}

#[divan::bench]
fn decode_and_detect(bencher: Bencher) {
    let det = detector(DetectorKind::YuNet, 640, true);
    let files: Vec<Vec<u8>> = JPEGS
        .iter()
        .map(|n| std::fs::read(zcurate_models::test_photo(n)).unwrap())
        .collect();
    for bytes in &files {
        det.detect(&decode_bytes(bytes)).unwrap();
    }
    bencher
        .counter(divan::counter::ItemsCount::new(files.len()))
        .bench_local(|| {
            for bytes in &files {
                divan::black_box(det.detect(&decode_bytes(bytes)).unwrap());
            }
        });
}

fn decode_bytes(bytes: &[u8]) -> DynamicImage {
    ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .decode()
        .unwrap()
}

/// YuNet at 640² on ONNX Runtime and on tract (one thread each), same image, same pre- and
/// post-processing: `cargo bench -p zcurate_face --bench detect -- backends`.
#[divan::bench(args = ["ort", "tract"])]
fn backends(bencher: Bencher, backend: &str) {
    let backend: Backend = backend.parse().unwrap();
    let det = detector_on(backend, DetectorKind::YuNet, 640, false);
    let img = DynamicImage::ImageRgb8(
        square()
            .resize_exact(640, 640, image::imageops::FilterType::Triangle)
            .to_rgb8(),
    );
    det.detect(&img).unwrap();
    bencher.bench_local(|| det.detect(divan::black_box(&img)).unwrap());
}

/// The identity embeddings of 100 faces, one thread: the main faces of the portraits (and the
/// 29 of the group photo), aligned from their landmarks and embedded by ArcFace, cycled to
/// 100. Detection is outside the measurement. `cargo bench -p zcurate_face --bench detect --
/// identity_100_faces`.
#[divan::bench(args = ["ort", "tract"], sample_count = 10)]
fn identity_100_faces(bencher: Bencher, backend: &str) {
    let backend: Backend = backend.parse().unwrap();
    if backend == Backend::Ort {
        load_onnx_runtime();
    }
    let model = zcurate_models::fetch_model(
        "arcface-mbf",
        &zcurate_models::FetchOptions {
            offline: false,
            allow_non_commercial: true,
        },
    )
    .unwrap_or_else(|e| panic!("arcface-mbf: {}", zcurate_models::error_chain(&e)));
    let embedder = Embedder::load(&model, "bench", backend).unwrap();
    let det = detector(DetectorKind::YuNet, 640, true);
    let images: Vec<DynamicImage> = PORTRAITS
        .iter()
        .chain(&["solvay_conference_1927"])
        .map(|name| decode(&zcurate_models::test_photo(name)))
        .collect();
    let faces: Vec<(usize, [[f32; 2]; 5])> = images
        .iter()
        .enumerate()
        .flat_map(|(i, img)| {
            det.detect(img)
                .unwrap()
                .into_iter()
                .map(move |d| (i, d.landmarks))
        })
        .collect();
    let hundred: Vec<(usize, [[f32; 2]; 5])> = faces.iter().copied().cycle().take(100).collect();
    assert_eq!(hundred.len(), 100);
    bencher.bench_local(|| {
        for (i, landmarks) in &hundred {
            divan::black_box(embedder.embed(&images[*i], landmarks).unwrap());
        }
    });
}
