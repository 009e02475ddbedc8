//! `zcurate crop` on the real photos with the real detector, run as a user runs it, and the
//! bars of issue 6: re-scanning the crops gives the requested framing, every output is
//! well formed, the sources are never touched, and bad input fails cleanly.
//!
//! Photos and YuNet come from `zcurate_models` (fetched once into the cache; a test fails with
//! the reason, never skips, when they cannot be had). The CLI finds the model in the same
//! cache.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use image::{DynamicImage, RgbImage};
use serde::Deserialize;
use zcurate_crop::{CropManifest, SourceStatus};
use zcurate_manifest::{BorderContact, ImageRecord, Manifest};

use crate::common::{TestContext, pattern};

/// The single-subject reference photos with by-eye landmarks (fixtures/framing).
pub(crate) const LABELLED: [&str; 9] = [
    "obama",
    "obama2",
    "obama3",
    "biden",
    "astronaut",
    "grace_hopper",
    "gauss",
    "newton",
    "camera",
];

/// Photos whose face is cut by the frame: no framing label, but the face-inside bar applies.
const PARTIAL: [&str; 2] = ["obama_partial_face", "obama_partial_face2"];

pub(crate) fn model() {
    zcurate_models::test_model("yunet");
}

/// Decodes an image file the way zcurate does (EXIF orientation applied).
fn open_image(path: impl AsRef<Path>) -> Result<DynamicImage, zcurate_image::DecodeError> {
    let bytes = std::fs::read(path.as_ref()).unwrap();
    zcurate_image::decode_bytes(&bytes, &zcurate_image::DecodeLimits::default()).map(|d| d.image)
}

fn photo_path(name: &str) -> PathBuf {
    zcurate_models::test_photo(name)
}

pub(crate) fn file_name(name: &str) -> String {
    photo_path(name)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Copies photos into `dir`; returns their bytes by file name.
pub(crate) fn copy_photos(dir: &Path, names: &[&str]) -> BTreeMap<String, Vec<u8>> {
    std::fs::create_dir_all(dir).unwrap();
    names
        .iter()
        .map(|n| {
            let bytes = std::fs::read(photo_path(n)).unwrap();
            let file = file_name(n);
            std::fs::write(dir.join(&file), &bytes).unwrap();
            (file, bytes)
        })
        .collect()
}

/// Every file under `dir` with its bytes (relative paths).
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

pub(crate) fn crop(ctx: &TestContext, args: &[&str]) -> Output {
    ctx.command().arg("crop").args(args).output().unwrap()
}

pub(crate) fn is_jpg(rel: &str) -> bool {
    Path::new(rel)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jpg"))
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn crop_manifest(dst: &Path) -> CropManifest {
    let text = std::fs::read(dst.join(".zcurate/crop.json")).unwrap();
    serde_json::from_slice(&text).unwrap()
}

/// `zcurate scan DIR` (faces and framing on) and its manifest: the real scan + classifier.
fn rescan(ctx: &TestContext, dir: &Path) -> Manifest {
    let out = ctx
        .command()
        .args(["scan", "--manifest"])
        .arg(ctx.path("rescan.json"))
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    zcurate_manifest::read(&ctx.path("rescan.json")).unwrap()
}

fn main_face(r: &ImageRecord) -> Option<&zcurate_manifest::Face> {
    r.faces.as_ref()?.get(r.face_summary?.main?)
}

#[derive(Debug, Deserialize)]
struct Landmarks {
    subject: Vec<Subject>,
}

/// A labelled subject (fixtures/framing/landmarks.toml), by-eye pixels of its photo.
#[derive(Debug, Deserialize)]
struct Subject {
    photo: String,
    head_top: f64,
    chin: f64,
    face_box: [f64; 4],
}

fn subjects() -> Vec<Subject> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/framing/landmarks.toml");
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str::<Landmarks>(&text).unwrap().subject
}

/// Lower class boundary of each framing (head heights below the chin), as in
/// docs/framing.md.
fn lower_boundary(framing: &str) -> f64 {
    match framing {
        "close-up" => 0.0,
        "head-shoulders" => 0.30,
        "upper-body" => 1.10,
        "knee-up" => 3.0,
        _ => 5.5,
    }
}

/// Whether a photo *allows* a framing at an aspect, from the by-eye landmarks alone
/// (independent of the planner): some crop of that aspect inside the photo holds the face
/// box and ends at least a quarter head height past the class's lower boundary. `None` when
/// allowed; otherwise why not.
fn why_not_allowed(
    s: &Subject,
    width: f64,
    height: f64,
    framing: &str,
    aspect: f64,
) -> Option<String> {
    let head = s.chin - s.head_top;
    let need = lower_boundary(framing) + 0.25;
    let extent = (height - s.chin) / head;
    if extent < need {
        return Some(format!(
            "the photo ends {extent:.2} head heights below the chin; {framing} needs {need:.2}"
        ));
    }
    let crop_h = (s.chin + need * head) - s.face_box[1];
    let crop_w = (crop_h * aspect).max(s.face_box[2]);
    if crop_w > width {
        return Some(format!(
            "a crop of that aspect reaching {need:.2} head heights is {crop_w:.0} px wide; the photo has {width:.0}"
        ));
    }
    None
}

/// One configuration of the framing bar.
struct Bar {
    framing: &'static str,
    aspect: &'static str,
}

/// The bars every output must meet, checked from the crop manifest, the files and the
/// re-scan. Returns the re-scan class per source file name.
fn check_outputs(
    ctx: &TestContext,
    dst: &Path,
    multiple: u32,
    aspect: f64,
) -> BTreeMap<String, (String, String)> {
    let m = crop_manifest(dst);
    let scan = rescan(ctx, dst);
    let by_path: BTreeMap<&str, &ImageRecord> =
        scan.images.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut classes = BTreeMap::new();
    for s in &m.sources {
        for o in &s.outputs {
            let file = dst.join(&o.path);
            let bytes = std::fs::read(&file).unwrap();
            let decoded =
                zcurate_image::decode_bytes(&bytes, &zcurate_image::DecodeLimits::default())
                    .unwrap();
            // Sides are multiples; aspect within one multiple; the recorded size is the real one.
            let (w, h) = (decoded.width(), decoded.height());
            assert_eq!((w, h), (o.width, o.height), "{}", o.path);
            assert!(
                w % multiple == 0 && h % multiple == 0,
                "{}: {w}x{h}",
                o.path
            );
            let off = if aspect >= 1.0 {
                f64::from(h) - f64::from(w) / aspect
            } else {
                f64::from(w) - f64::from(h) * aspect
            };
            assert!(
                off.abs() <= f64::from(multiple),
                "{}: {w}x{h} is not {aspect} within one multiple",
                o.path
            );
            // Never enlarged without the flag.
            assert!(
                !o.upscaled && o.scale <= 1.0 + 1e-9,
                "{}: scale {}",
                o.path,
                o.scale
            );
            assert!(f64::from(w) <= o.crop.width + 1e-6 && f64::from(h) <= o.crop.height + 1e-6);
            // EXIF orientation baked in: the output carries none.
            assert_eq!(decoded.exif_orientation, None, "{}", o.path);
            // The face inside: planned, and found again by the detector, not cut by an edge.
            let [fx, fy, fw, fh] = o.face_box_out;
            assert!(
                fx >= -0.01
                    && fy >= -0.01
                    && fx + fw <= w as f32 + 0.01
                    && fy + fh <= h as f32 + 0.01,
                "{}: planned face {:?} outside {w}x{h}",
                o.path,
                o.face_box_out
            );
            let rec = by_path[o.path.as_str()];
            let face =
                main_face(rec).unwrap_or_else(|| panic!("{}: no face found in the crop", o.path));
            // A face the photo itself cuts stays cut; any other must be whole in the crop.
            let cut_in_source = s.faces.as_ref().unwrap()[o.face].border == BorderContact::Cut;
            if !cut_in_source {
                assert_ne!(
                    face.border,
                    BorderContact::Cut,
                    "{}: face cut by the crop",
                    o.path
                );
            }
            let class = rec.framing.as_ref().unwrap().class.as_str().to_owned();
            classes.insert(s.path.clone(), (o.path.clone(), class));
        }
        assert!(
            s.status != SourceStatus::Error,
            "{}: {:?}",
            s.path,
            s.reasons
        );
    }
    classes
}

#[test]
fn rescanned_crops_have_the_requested_framing_and_every_output_meets_the_bars() {
    model();
    let bars = [
        Bar {
            framing: "close-up",
            aspect: "1:1",
        },
        Bar {
            framing: "head-shoulders",
            aspect: "4:5",
        },
        Bar {
            framing: "upper-body",
            aspect: "2:3",
        },
        Bar {
            framing: "knee-up",
            aspect: "1:2",
        },
    ];
    let subjects = subjects();
    let mut report = String::new();
    let mut failures = Vec::new();
    for bar in &bars {
        let ctx = TestContext::new();
        let src = ctx.path("src");
        let mut names: Vec<&str> = LABELLED.to_vec();
        names.extend(PARTIAL);
        let before = copy_photos(&src, &names);
        let dst = ctx.path("out");
        let out = crop(
            &ctx,
            &[
                "src",
                "--out",
                "out",
                "--framing",
                bar.framing,
                "--aspect",
                bar.aspect,
                "--size",
                "1024",
                "--multiple",
                "64",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        // Sources unchanged, byte for byte, and nothing added to the source folder.
        assert_eq!(snapshot(&src), before, "the source folder changed");

        let (aw, ah) = bar.aspect.split_once(':').unwrap();
        let aspect = aw.parse::<f64>().unwrap() / ah.parse::<f64>().unwrap();
        let classes = check_outputs(&ctx, &dst, 64, aspect);
        let m = crop_manifest(&dst);

        let (mut allowed, mut hits) = (0, 0);
        let _ = writeln!(report, "\n{} at {}:", bar.framing, bar.aspect);
        for name in LABELLED {
            let file = file_name(name);
            let s = subjects.iter().find(|s| s.photo == name).unwrap();
            let img = open_image(photo_path(name)).unwrap();
            let why = why_not_allowed(
                s,
                f64::from(img.width()),
                f64::from(img.height()),
                bar.framing,
                aspect,
            );
            let entry = m.sources.iter().find(|e| e.path == file).unwrap();
            // A face the detector cannot find in the source gives nothing to crop, whatever
            // the framing: such a photo allows none.
            let why = why.or_else(|| {
                (entry.faces.as_ref().is_some_and(Vec::is_empty) || entry.main_face.is_none())
                    .then(|| "the detector finds no face in the source".to_owned())
            });
            let got = classes.get(&file).map(|(_, c)| c.as_str());
            let line = match (&why, got) {
                (Some(why), _) => format!(
                    "  {file:<26} not allowed: {why}; crop: {}",
                    got.unwrap_or("none")
                ),
                (None, Some(c)) => {
                    allowed += 1;
                    hits += usize::from(c == bar.framing);
                    let planned = &entry.outputs[0].framing;
                    format!(
                        "  {file:<26} {} (planned {}, {:.2} head heights, fit {:?})",
                        if c == bar.framing {
                            c.to_owned()
                        } else {
                            format!("MISS: {c}")
                        },
                        planned.expected,
                        planned.below_chin_heads,
                        entry.outputs[0].fit,
                    )
                }
                (None, None) => {
                    allowed += 1;
                    format!("  {file:<26} MISS: no crop ({})", entry.reasons.join("; "))
                }
            };
            report.push_str(&line);
            report.push('\n');
        }
        let share = hits as f64 / f64::from(allowed.max(1));
        let _ = writeln!(report, "  => {hits}/{allowed} ({:.0} %)", share * 100.0);
        if allowed == 0 || share < 0.9 {
            failures.push(format!(
                "{} at {}: {hits}/{allowed}",
                bar.framing, bar.aspect
            ));
        }
    }
    eprintln!("{report}");
    assert!(
        failures.is_empty(),
        "framing bar missed: {failures:?}\n{report}"
    );
}

/// A JPEG with an EXIF APP1 segment (one IFD entry: Orientation) right after SOI.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08".to_vec();
    exif.extend_from_slice(&1u16.to_be_bytes());
    exif.extend_from_slice(&0x0112u16.to_be_bytes());
    exif.extend_from_slice(&3u16.to_be_bytes());
    exif.extend_from_slice(&1u32.to_be_bytes());
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0]);
    exif.extend_from_slice(&0u32.to_be_bytes());
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 95)
        .encode_image(img)
        .unwrap();
    buf
}

#[test]
fn exif_orientation_is_baked_into_the_crops() {
    model();
    let ctx = TestContext::new();
    let upright = open_image(photo_path("obama")).unwrap().to_rgb8();
    // Stored turned a quarter to the left, with the tag that says "turn right to view" (6).
    let stored = image::imageops::rotate270(&upright);
    ctx.write("src/upright.jpg", jpeg(&upright));
    ctx.write("src/tagged.jpg", with_exif_orientation(&jpeg(&stored), 6));
    let before = snapshot(&ctx.path("src"));
    let out = crop(
        &ctx,
        &[
            "src",
            "--out",
            "out",
            "--framing",
            "head-shoulders",
            "--size",
            "512",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(snapshot(&ctx.path("src")), before);

    let m = crop_manifest(&ctx.path("out"));
    let tagged = m.sources.iter().find(|s| s.path == "tagged.jpg").unwrap();
    assert_eq!(tagged.exif_orientation, Some(6));
    let a = open_image(ctx.path("out/upright.jpg")).unwrap().to_rgb8();
    let b = open_image(ctx.path("out/tagged.jpg")).unwrap().to_rgb8();
    assert_eq!(a.dimensions(), b.dimensions());
    let diff: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| f64::from(x.abs_diff(*y)))
        .sum::<f64>()
        / a.as_raw().len() as f64;
    assert!(
        diff < 6.0,
        "the tagged crop differs from the upright one: {diff:.1}"
    );
    let scan = rescan(&ctx, &ctx.path("out"));
    for r in &scan.images {
        assert_eq!(r.exif_orientation, None, "{}", r.path);
        let roll = main_face(r).unwrap().roll_deg.unwrap();
        assert!(
            roll.abs() < 10.0,
            "{}: face not upright (roll {roll})",
            r.path
        );
    }
}

#[test]
fn corrupt_and_unreadable_sources_are_listed_and_the_rest_is_cropped() {
    model();
    let ctx = TestContext::new();
    let obama = std::fs::read(photo_path("obama")).unwrap();
    ctx.write("src/good.jpg", &obama);
    ctx.write("src/truncated.jpg", &obama[..obama.len() / 3]);
    ctx.write("src/empty.jpg", b"");
    ctx.write("src/text.png", b"this is not an image");
    ctx.write_image("src/no_face.png", &pattern(320, 240, 4));
    let out = crop(&ctx, &["src", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for bad in ["truncated.jpg", "empty.jpg", "text.png"] {
        assert!(
            err.contains(&format!("error: {bad}: cannot decode")),
            "{bad}: {err}"
        );
    }
    assert!(err.contains("skipped no_face.png: no face found"), "{err}");
    let files: Vec<String> = snapshot(&ctx.path("out")).into_keys().collect();
    assert_eq!(files, [".zcurate/crop.json", ".zcurate/lock", "good.jpg"]);
    let m = crop_manifest(&ctx.path("out"));
    let status: Vec<(&str, SourceStatus)> = m
        .sources
        .iter()
        .map(|s| (s.path.as_str(), s.status))
        .collect();
    assert_eq!(
        status,
        [
            ("empty.jpg", SourceStatus::Error),
            ("good.jpg", SourceStatus::Cropped),
            ("no_face.png", SourceStatus::Skipped),
            ("text.png", SourceStatus::Error),
            ("truncated.jpg", SourceStatus::Error),
        ]
    );
}

#[test]
fn bad_output_paths_fail_before_anything_is_written() {
    let ctx = TestContext::new();
    ctx.write_image("src/a.png", &pattern(64, 64, 1));
    ctx.write("file.txt", "not a folder");
    let before = snapshot(ctx.root());

    let out = crop(&ctx, &["src", "--out", "file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("file.txt is a file, not a folder"),
        "{}",
        stderr(&out)
    );

    for inside in ["src", "src/crops", "src/../src/x"] {
        let out = crop(&ctx, &["src", "--out", inside]);
        assert_eq!(out.status.code(), Some(2), "{inside}");
        assert!(
            stderr(&out).contains("is inside the source folder"),
            "{}",
            stderr(&out)
        );
    }
    let out = crop(&ctx, &["src", "--out", "out", "--preview", "src/sheet.jpg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside the source folder"),
        "{}",
        stderr(&out)
    );

    let out = crop(&ctx, &["missing", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist or is not a folder"));
    assert_eq!(snapshot(ctx.root()), before, "something was written");
}

/// A mount point that unmounts when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_tmpfs(dir: &Path, options: &str) -> Option<Mount> {
    std::fs::create_dir_all(dir).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Mount(dir.to_owned()))
}

/// A folder that cannot be written: permissions for a normal user (`Ok(None)`: nothing to
/// unmount); root ignores those, so for root a read-only tmpfs; `Err` when root may not mount.
fn read_only_dir(dir: &Path) -> Result<Option<Mount>, ()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(dir.join("probe"), b"x").is_err() {
        return Ok(None);
    }
    let _ = std::fs::remove_file(dir.join("probe"));
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    mount_tmpfs(dir, "ro,size=1m").map(Some).ok_or(())
}

#[test]
#[allow(clippy::print_stderr)] // a note when the check cannot run here
fn a_read_only_output_folder_is_a_clear_error() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["obama"]);
    let dst = ctx.path("ro");
    let Ok(_mount) = read_only_dir(&dst) else {
        // Root in a container that may not mount: no folder can be made read-only. Said
        // loudly, not skipped silently; the other bad-output cases still run.
        eprintln!("NOTE: not checked here: running as root without mount permission");
        return;
    };
    let out = crop(&ctx, &["src", "--out", "ro"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot write to the output folder ro"),
        "{err}"
    );
    assert!(
        err.contains("Read-only file system") || err.contains("Permission denied"),
        "{err}"
    );
    assert!(snapshot(&dst).is_empty());
}

#[test]
#[allow(clippy::print_stderr)] // a note when the check cannot run here
fn a_full_disk_stops_the_run_without_half_written_files() {
    model();
    let ctx = TestContext::new();
    // More crops than fit in 256 KiB: some are written whole, then the disk is full.
    let mut names: Vec<&str> = LABELLED.to_vec();
    names.extend(PARTIAL);
    copy_photos(&ctx.path("src"), &names);
    let dst = ctx.path("tiny");
    let Some(_mount) = mount_tmpfs(&dst, "size=256k") else {
        // The issue asks for a tiny tmpfs where one is available. Without mount permission
        // the same failure is simulated in zcurate_crop's unit test
        // `zcurate_fs`'s `atomic::tests::a_failing_write_leaves_nothing_behind`, which always runs.
        eprintln!("NOTE: no tiny tmpfs (needs mount permission); see the unit test instead");
        return;
    };
    let out = crop(&ctx, &["src", "--out", "tiny", "--size", "512", "-j", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    let mut whole = 0;
    for (rel, bytes) in snapshot(&dst) {
        assert!(!rel.contains("zcurate-tmp"), "temporary file left: {rel}");
        if is_jpg(&rel) {
            zcurate_image::decode_bytes(&bytes, &zcurate_image::DecodeLimits::default())
                .unwrap_or_else(|e| panic!("{rel} is not a whole image: {e}"));
            whole += 1;
        }
    }
    assert!(whole >= 1, "no crop was written before the disk filled up");
}

#[test]
fn reruns_skip_what_is_up_to_date_and_never_clobber_foreign_files() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["obama", "astronaut"]);
    // A file of the user's where an output will go.
    ctx.write("out/obama.jpg", b"mine");
    let out = crop(&ctx, &["src", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("obama.jpg exists in the output folder and was not written by zcurate crop"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(ctx.path("out/obama.jpg")).unwrap(), b"mine");
    assert!(ctx.path("out/astronaut.jpg").is_file());

    let out = crop(&ctx, &["src", "--out", "out", "--overwrite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(std::fs::read(ctx.path("out/obama.jpg")).unwrap(), b"mine");
    let first = snapshot(&ctx.path("out"));

    // Nothing changed: nothing is redone, and the files stay as they are.
    let out = crop(&ctx, &["src", "--out", "out"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("2 up to date"), "{}", stderr(&out));
    let second = snapshot(&ctx.path("out"));
    assert_eq!(
        first.iter().filter(|(k, _)| is_jpg(k)).collect::<Vec<_>>(),
        second.iter().filter(|(k, _)| is_jpg(k)).collect::<Vec<_>>()
    );

    // A different framing re-crops its own outputs without --overwrite, reusing the faces.
    let out = crop(
        &ctx,
        &["src", "--out", "out", "--framing", "head-shoulders"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let m = crop_manifest(&ctx.path("out"));
    assert!(
        m.sources.iter().all(
            |s| s.outputs[0].framing.requested == zcurate_manifest::FramingClass::HeadShoulders
        )
    );
    assert_ne!(snapshot(&ctx.path("out"))["obama.jpg"], first["obama.jpg"]);
}

#[test]
fn captions_and_attributes_travel_with_the_framing_updated() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["obama"]);
    ctx.write(
        "src/obama.txt",
        "zq man, upper body, front view, soft light\n",
    );
    ctx.write(
        "src/obama.json",
        r#"{"framing": "waist up", "expression": "smiling"}"#,
    );
    let out = crop(
        &ctx,
        &["src", "--out", "out", "--framing", "head-shoulders"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(ctx.path("out/obama.txt")).unwrap(),
        "zq man, head and shoulders, front view, soft light\n"
    );
    let attrs: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ctx.path("out/obama.json")).unwrap()).unwrap();
    assert_eq!(attrs["framing"], "head and shoulders");
    assert_eq!(attrs["expression"], "smiling");
    let m = crop_manifest(&ctx.path("out"));
    let o = &m.sources[0].outputs[0];
    assert!(o.caption.as_ref().unwrap().framing_updated);
    assert_eq!(o.caption.as_ref().unwrap().from, "obama.txt");

    // An edited caption is carried over again on the next run.
    ctx.write("src/obama.txt", "zq man, upper body, smiling\n");
    let out = crop(
        &ctx,
        &["src", "--out", "out", "--framing", "head-shoulders"],
    );
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(ctx.path("out/obama.txt")).unwrap(),
        "zq man, head and shoulders, smiling\n"
    );
}

#[test]
fn dry_run_prints_the_plan_and_writes_only_the_preview() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["obama", "biden", "obama2"]);
    ctx.write_image("src/no_face.png", &pattern(200, 200, 2));
    let out = crop(
        &ctx,
        &[
            "src",
            "--out",
            "out",
            "--framing",
            "upper-body",
            "--dry-run",
            "--preview",
            "sheet.png",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !ctx.path("out").exists(),
        "a dry run created the output folder"
    );
    let plan = String::from_utf8(out.stdout.clone()).unwrap();
    let lines: Vec<&str> = plan.lines().collect();
    assert!(lines[0].starts_with("source"), "{plan}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("obama.jpg") && l.contains("upper-body")),
        "{plan}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("no_face.png") && l.contains("skipped: no face found")),
        "{plan}"
    );
    // obama2.jpg ends at mid-chest: it cannot give an upper-body crop, and the plan says so.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("obama2.jpg") && l.contains("(asked upper-body)")),
        "{plan}"
    );
    assert!(stderr(&out).contains("dry run: nothing written"));
    let sheet = open_image(ctx.path("sheet.png")).unwrap();
    assert!(sheet.width() >= 2 * 256 && sheet.height() >= 2 * 256);
}

#[test]
fn all_faces_gives_one_numbered_crop_per_face() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["solvay_conference_1927"]);
    let out = crop(
        &ctx,
        &[
            "src",
            "--out",
            "out",
            "--all-faces",
            "--framing",
            "head-shoulders",
            "--multiple",
            "16",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let m = crop_manifest(&ctx.path("out"));
    let s = &m.sources[0];
    let faces = s.faces.as_ref().unwrap().len();
    assert!(faces >= 25, "{faces} faces");
    assert_eq!(s.outputs.len() + s.reasons.len(), faces, "{:?}", s.reasons);
    assert!(s.outputs.len() >= 25, "{} crops", s.outputs.len());
    for (k, o) in s.outputs.iter().enumerate() {
        assert!(
            o.path.starts_with("solvay_conference_1927_face"),
            "{}",
            o.path
        );
        assert!(ctx.path("out").join(&o.path).is_file());
        assert!(o.width % 16 == 0 && o.height % 16 == 0);
        if k > 0 {
            assert_ne!(o.path, s.outputs[k - 1].path);
        }
    }
}

#[test]
fn same_stems_and_formats_give_distinct_stable_names() {
    model();
    let ctx = TestContext::new();
    let img = DynamicImage::ImageRgb8(open_image(photo_path("astronaut")).unwrap().to_rgb8());
    std::fs::create_dir_all(ctx.path("src")).unwrap();
    img.save(ctx.path("src/a.png")).unwrap();
    img.save(ctx.path("src/a.jpg")).unwrap();
    let out = crop(&ctx, &["src", "--out", "out", "--format", "webp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: Vec<String> = snapshot(&ctx.path("out"))
        .into_keys()
        .filter(|k| !k.starts_with(".zcurate"))
        .collect();
    assert_eq!(files, ["a_jpg.webp", "a_png.webp"]);
    let bytes = std::fs::read(ctx.path("out/a_png.webp")).unwrap();
    assert_eq!(
        image::guess_format(&bytes).unwrap(),
        image::ImageFormat::WebP
    );
}

#[test]
fn crop_table_gives_defaults_and_flags_win() {
    model();
    let ctx = TestContext::new();
    copy_photos(&ctx.path("src"), &["obama"]);
    ctx.write(
        "src/zcurate.toml",
        "[crop]\nframing = \"head-shoulders\"\nsize = 512\nformat = \"png\"\naspect = \"4:5\"\n\n\
         [crop.composition]\nside-margin-faces = 0.2\n",
    );
    let out = ctx
        .command_with_config()
        .args(["crop", "src", "--out", "dst", "--size", "256"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let m = crop_manifest(&ctx.path("dst"));
    assert_eq!(
        m.settings.framing,
        zcurate_manifest::FramingClass::HeadShoulders
    );
    assert_eq!(m.settings.size, 256, "the flag wins over the file");
    assert_eq!(m.settings.format, zcurate_crop::OutputFormat::Png);
    assert_eq!(m.settings.aspect, "4:5".parse().unwrap());
    assert!((m.settings.composition.side_margin_faces - 0.2).abs() < 1e-6);
    let output = &m.sources[0].outputs[0];
    assert_eq!(
        Path::new(&output.path).extension(),
        Some("png".as_ref()),
        "{}",
        output.path
    );
    assert_eq!(output.width.max(output.height), 256);

    for (toml, key) in [
        ("[crop]\nframing = \"closeup\"\n", "[crop] framing"),
        ("[crop]\npad-colour = \"grey\"\n", "[crop] pad-colour"),
        ("[crop]\nsise = 512\n", "sise"),
    ] {
        ctx.write("src/zcurate.toml", toml);
        let out = ctx
            .command_with_config()
            .args(["crop", "src", "--out", "dst2"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(key), "{}", stderr(&out));
        assert!(
            !ctx.path("dst2").exists(),
            "nothing is written on a settings error"
        );
    }
}
