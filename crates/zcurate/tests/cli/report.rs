//! `zcurate report`: the page written from a synthetic dataset, its thumbnail cache, and the
//! page in a real browser (Debian's `chromium`, headless): the DOM after the script ran and
//! a screenshot. Without chromium the browser test fails and says how to install it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{Rgb, RgbImage};
use serde_json::json;

use crate::common::{TestContext, pattern};

/// Where Debian's `chromium` package puts the browser.
const CHROMIUM: &str = "/usr/bin/chromium";
/// A browser run that takes longer than this is stuck.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

const HOSTILE_NAME: &str = "odd <i>&\"name'.png";
const HOSTILE_CAPTION: &str = "zq woman, </script><img src=x onerror=alert(1)>";

/// Eight photos-to-be with captions (two of them naming clothing and places), a flat grey
/// image (blurry), an exact duplicate, a truncated JPEG and a hostile file name.
fn dataset() -> TestContext {
    let ctx = TestContext::new();
    let captions = [
        "zq woman, close-up, smiling",
        "zq woman, head and shoulders, neutral expression",
        "zq woman, close-up, red dress, beach",
        "zq woman, head and shoulders, blue jeans, city street",
        "zq woman, upper body, laughing",
        "zq woman, close-up, serious",
    ];
    for (i, caption) in captions.iter().enumerate() {
        let img = pattern(640, 800, i as u32 + 1);
        ctx.write_image(&format!("ds/img_{i:02}.jpg"), &img);
        ctx.write(&format!("ds/img_{i:02}.txt"), caption);
    }
    ctx.write_image(
        "ds/flat.png",
        &RgbImage::from_pixel(640, 800, Rgb([128, 128, 128])),
    );
    ctx.write("ds/flat.txt", "zq woman, close-up");
    std::fs::copy(ctx.path("ds/img_00.jpg"), ctx.path("ds/img_00_copy.jpg")).unwrap();
    let jpeg = std::fs::read(ctx.path("ds/img_01.jpg")).unwrap();
    ctx.write("ds/broken.jpg", &jpeg[..jpeg.len() / 3]);
    ctx.write_image(&format!("ds/{HOSTILE_NAME}"), &pattern(800, 600, 9));
    ctx.write("ds/odd <i>&\"name'.txt", HOSTILE_CAPTION);
    ctx
}

/// Adds detected faces and framing classes to every decoded record, as a face scan would,
/// so the page has boxes, framing and angles without a detector model.
fn add_faces(ctx: &TestContext) {
    let path = ctx.path("ds/.zcurate/manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let classes = [
        "close-up",
        "head-shoulders",
        "upper-body",
        "close-up",
        "knee-up",
    ];
    let angles = [
        "front",
        "three-quarter-left",
        "three-quarter-right",
        "profile-left",
    ];
    for (i, r) in m["images"].as_array_mut().unwrap().iter_mut().enumerate() {
        if r["width"].is_null() {
            continue;
        }
        let (w, h) = (r["width"].as_f64().unwrap(), r["height"].as_f64().unwrap());
        let face = |x: f64, y: f64, s: f64, angle: &str| {
            json!({
                "box": [x, y, s, s * 1.2], "score": 0.9,
                "landmarks": [[x + s * 0.3, y + s * 0.45], [x + s * 0.7, y + s * 0.45],
                              [x + s * 0.5, y + s * 0.7], [x + s * 0.35, y + s * 0.95],
                              [x + s * 0.65, y + s * 0.95]],
                "roll_deg": 0.0, "yaw": 0.0, "angle": angle, "pitch": null,
                "height_px": s * 1.2, "sharpness": 200.0, "border": "inside"
            })
        };
        let mut faces = vec![face(w * 0.3, h * 0.2, w * 0.35, angles[i % angles.len()])];
        if i == 2 {
            faces.push(face(w * 0.75, h * 0.1, w * 0.12, "front"));
        }
        r["face_summary"] = json!({ "main": 0, "others": faces.len() - 1 });
        r["faces"] = json!(faces);
        r["framing"] = json!({
            "class": classes[i % classes.len()], "confidence": 0.8, "evidence": null
        });
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), stderr)
}

/// Scans, reports, adds faces, reports again from the cache; returns the report's path.
fn write_report(ctx: &TestContext) -> PathBuf {
    let (ok, stderr) = run(ctx.command().args([
        "report",
        "ds",
        "--out",
        "out/report.html",
        "--no-faces",
        "--trigger",
        "zq",
    ]));
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Report written to out/report.html"),
        "{stderr}"
    );
    // 9 decodable files, one of them a copy: 8 thumbnails made.
    assert!(stderr.contains("8 thumbnails made, 0 cached"), "{stderr}");
    assert!(stderr.contains("fails the face profile"), "{stderr}");

    add_faces(ctx);
    let (ok, stderr) = run(ctx.command().args([
        "report",
        "ds",
        "-o",
        "out/report.html",
        "--no-scan",
        "--trigger",
        "zq",
    ]));
    assert!(ok, "{stderr}");
    assert!(stderr.contains("0 thumbnails made, 8 cached"), "{stderr}");
    let cached = std::fs::read_dir(ctx.path("ds/.zcurate/thumbs/v1-320px"))
        .unwrap()
        .count();
    assert_eq!(cached, 8);
    ctx.path("out/report.html")
}

#[test]
fn report_exits_zero_on_a_failing_dataset_and_escapes_user_text() {
    let ctx = dataset();
    let html = std::fs::read_to_string(write_report(&ctx)).unwrap();
    assert_eq!(html.matches(r#"<figure class="cell"#).count(), 10);
    assert_eq!(html.matches("data:image/jpeg;base64,").count(), 9);
    assert!(html.contains("odd &lt;i&gt;&amp;&quot;name&#39;.png"));
    assert!(!html.contains("<img src=x"));
    // The page links the originals relative to itself.
    assert!(
        html.contains(r#""originals_href":"../ds""#),
        "originals link"
    );
}

#[test]
fn report_errors_exit_two() {
    let ctx = TestContext::new();
    std::fs::create_dir(ctx.path("ds")).unwrap();
    let out = ctx
        .command()
        .args(["report", "ds", "--out", "r.html", "--no-scan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no manifest"));
    assert!(!ctx.path("r.html").exists());
}

/// The browser, or a failure that says how to get it: a broken page must fail CI, so this
/// test never skips.
fn chromium() -> &'static Path {
    let path = Path::new(CHROMIUM);
    assert!(
        path.exists(),
        "{CHROMIUM} is missing: the report's browser test needs Debian's chromium. \
         Install it with `apt-get install chromium` (CI does this in .ci/run)."
    );
    path
}

/// What a browser run printed.
struct Browsed {
    stdout: String,
}

/// Runs headless chromium on `url` with `args`, in a fresh profile, with no network
/// chatter; fails the test when it hangs or fails. Output goes to files: a DOM dump is far
/// larger than a pipe's buffer, and a full pipe would stall the browser.
fn browse(url: &str, args: &[&str]) -> Browsed {
    let work = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (work.path().join("stdout"), work.path().join("stderr"));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    assert!(status.success(), "chromium failed: {}", read(&err_path));
    Browsed {
        stdout: read(&out_path),
    }
}

#[test]
fn report_renders_in_a_real_browser() {
    chromium();
    let ctx = dataset();
    let report = write_report(&ctx);
    let url = format!("file://{}", report.display());

    // The DOM after the script ran.
    let dom = browse(&url, &["--dump-dom"]).stdout;
    assert!(
        dom.contains(r#"data-ready="1""#),
        "the script did not finish:\n{dom:.2000}"
    );
    for chart in ["framing", "entropy", "angles"] {
        assert!(
            dom.contains(&format!(r#"<svg class="chart chart-{chart}""#)),
            "{chart} chart"
        );
    }
    assert!(
        dom.matches(r#"<rect class="share""#).count() >= 3,
        "target bars"
    );
    assert!(
        dom.matches(r#"<rect class="face main""#).count() >= 8,
        "face boxes"
    );
    // 9 thumbnails on the sheet, and the findings' small thumbnails the script filled in.
    let sheet = dom.matches(r#"decoding="async""#).count();
    assert_eq!(sheet, 9);
    let filled = dom.matches(r#"src="data:image/jpeg;base64,"#).count();
    assert!(
        filled > sheet,
        "the script filled no finding thumbnails ({filled})"
    );
    // Filters: the script added one option per rule and per framing class.
    for rule in ["IMG001", "DUP001", "QLT001"] {
        assert!(
            dom.contains(&format!(r#"<option value="{rule}">"#)),
            "{rule} filter"
        );
    }
    assert!(dom.contains(r#"<option value="close-up">close-up (3)</option>"#));
    assert!(dom.contains("Showing all 10 images"));
    assert!(dom.contains("show on sheet"));
    // The broken file is there with its error, the hostile caption is text, not markup.
    assert!(
        dom.contains(r#"<div class="broken">corrupt: "#),
        "broken image"
    );
    assert!(!dom.contains("<img src=\"x\""), "caption became markup");

    // The detail view of one image, opened from the address.
    let dom = browse(&format!("{url}#detail-2"), &["--dump-dom"]).stdout;
    assert!(
        dom.contains(r#"<dialog id="detail" aria-label="Image details" open="""#),
        "detail"
    );
    assert!(dom.contains("Recorded fields") && dom.contains("<td>sha256</td>"));
    assert!(dom.contains(r#"class="detail-findings""#));

    // Pixels: a screenshot that decodes and is not blank.
    let shots = tempfile::tempdir().unwrap();
    let png = shots.path().join("report.png");
    browse(
        &url,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,2000",
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    let shot = zcurate_image::decode_bytes(&bytes, &zcurate_image::DecodeLimits::default())
        .expect("the screenshot decodes")
        .image
        .to_rgb8();
    assert_eq!(shot.dimensions(), (1280, 2000));
    let mut colours: Vec<[u8; 3]> = shot.pixels().map(|p| p.0.map(|c| c & 0xf0)).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(
        colours.len() >= 50,
        "only {} colours: blank page?",
        colours.len()
    );
    // The failing verdict's red is on screen.
    assert!(
        shot.pixels().any(|p| p.0 == [0xd6, 0x45, 0x45]),
        "no verdict colour in the screenshot"
    );
}

/// `--out` naming a photo of the dataset (or any file inside it), or a file of the user's
/// elsewhere, is refused before anything runs: exit 2, the file untouched.
#[test]
fn out_never_replaces_a_users_file() {
    let ctx = TestContext::new();
    let ds = ctx.path("ds");
    std::fs::create_dir(&ds).unwrap();
    let photo = ds.join("a.jpg");
    pattern(64, 64, 1).save(&photo).unwrap();
    let before = std::fs::read(&photo).unwrap();
    ctx.write("notes.html", "<p>my notes</p>");
    for (out, says) in [
        ("ds/a.jpg", "is inside the dataset"),
        ("ds/report.html", "is inside the dataset"),
        ("notes.html", "is not a report zcurate wrote"),
    ] {
        let o = ctx
            .command()
            .args(["report", "ds", "--no-faces", "--out", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{out}: {stderr}");
        assert!(stderr.contains(says), "{out}: {stderr}");
    }
    assert_eq!(std::fs::read(&photo).unwrap(), before);
    assert_eq!(
        std::fs::read_to_string(ctx.path("notes.html")).unwrap(),
        "<p>my notes</p>"
    );
    assert!(!ds.join("report.html").exists());
    assert!(
        !ds.join(".zcurate").exists(),
        "nothing may be scanned or written"
    );
}
