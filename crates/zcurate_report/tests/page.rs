//! The page of a small hand-made dataset: its data JSON (snapshot), escaping of hostile file
//! names and captions, and the HTML's structure. The real-browser test is the CLI's
//! (`crates/zcurate/tests/cli/report.rs`).

use zcurate_lint::{ConfigTables, LintSettings, Overrides};
use zcurate_manifest::{
    AngleLabel, BorderContact, ErrorKind, Face, FaceSummary, Framing, FramingClass, ImageRecord,
    Manifest, RecordError,
};
use zcurate_report::{Page, PageContext, Thumb, Thumbnails, html};

const HOSTILE_NAME: &str = "<b>\"it's\" & co</b>.jpg";
const HOSTILE_CAPTION: &str = "zq woman, close-up, </script><script>alert(1)</script>";

fn face(x: f32, h: f32, angle: AngleLabel) -> Face {
    Face {
        bbox: [x, 200.0, h * 0.8, h],
        score: 0.93,
        landmarks: [[0.0; 2]; 5],
        roll_deg: Some(0.0),
        yaw: Some(0.0),
        angle: Some(angle),
        pitch: None,
        height_px: h,
        sharpness: 250.0,
        border: BorderContact::Inside,
        expression: None,
    }
}

fn record(i: usize, class: FramingClass, caption: &str) -> ImageRecord {
    let angle = [
        AngleLabel::Front,
        AngleLabel::ThreeQuarterLeft,
        AngleLabel::ProfileRight,
    ][i % 3];
    let with_face = class != FramingClass::NoFace;
    ImageRecord {
        path: format!("img_{i:02}.jpg"),
        bytes: 300_000,
        sha256: Some(format!("{:064x}", i + 1)),
        format: Some("jpeg".into()),
        width: Some(1024),
        height: Some(1280),
        phash: Some(format!(
            "{:016x}",
            (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        )),
        sharpness: Some(if i == 2 { 4.0 } else { 400.0 }),
        brightness: Some(0.45),
        contrast: Some(0.2),
        clipped_dark: Some(0.0),
        clipped_bright: Some(0.0),
        luma_p05: Some(0.08),
        luma_p99: Some(0.95),
        entropy: Some(7.0),
        colourfulness: Some(0.2),
        chromatic_share: Some(0.8),
        grey: Some(false),
        caption_path: Some(format!("img_{i:02}.txt")),
        caption: Some(caption.to_owned()),
        faces: Some(if with_face {
            vec![face(300.0, 500.0, angle), face(800.0, 120.0, angle)]
        } else {
            Vec::new()
        }),
        face_summary: Some(FaceSummary {
            main: with_face.then_some(0),
            others: usize::from(with_face),
        }),
        framing: Some(Framing {
            class,
            confidence: 0.85,
            evidence: None,
        }),
        ..ImageRecord::default()
    }
}

fn manifest() -> Manifest {
    let mut m = Manifest::new("data", zcurate_manifest::testing::scan_settings());
    m.images = vec![
        record(0, FramingClass::CloseUp, "zq woman, close-up, smiling"),
        record(
            1,
            FramingClass::HeadShoulders,
            "zq woman, head and shoulders, red dress, beach",
        ),
        record(
            2,
            FramingClass::UpperBody,
            "zq woman, upper body, blue jeans, city street",
        ),
        record(
            3,
            FramingClass::FullBody,
            "zq woman, full body, leather jacket, forest",
        ),
        record(4, FramingClass::NoFace, "zq woman"),
        ImageRecord {
            path: "broken.jpg".into(),
            bytes: 10,
            sha256: Some("f".repeat(64)),
            error: Some(RecordError {
                kind: ErrorKind::Corrupt,
                message: "the JPEG data ends early".into(),
            }),
            ..ImageRecord::default()
        },
        ImageRecord {
            path: HOSTILE_NAME.into(),
            ..record(6, FramingClass::CloseUp, HOSTILE_CAPTION)
        },
    ];
    m
}

fn page() -> Page {
    let settings = LintSettings::resolve(
        ConfigTables {
            lint: None,
            profiles: None,
            plan: None,
            caption: None,
        },
        &Overrides {
            profile: Some("face".into()),
            trigger: Some("zq".into()),
            ..Overrides::default()
        },
    )
    .unwrap();
    let m = manifest();
    let report = zcurate_lint::lint(&m, &settings);
    Page::build(
        &m,
        &report,
        &PageContext {
            root: "data",
            version: "0.0.0-test",
            originals_href: Some("../data"),
        },
    )
}

/// A real 2×2 JPEG, so the markup is that of a real thumbnail.
fn tiny_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(2, 2, image::Rgb([200, 100, 50]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn thumbs(page: &Page) -> Thumbnails {
    Thumbnails::from_thumbs(
        page.images
            .iter()
            .map(|i| {
                if i.undecoded {
                    Thumb::NotDecoded
                } else {
                    Thumb::Jpeg(tiny_jpeg())
                }
            })
            .collect(),
    )
}

#[test]
fn page_data_snapshot() {
    let mut page = page();
    // Every recorded field is in the detail view; the snapshot keeps one record of them.
    for img in page.images.iter_mut().skip(1) {
        img.record = serde_json::Value::Null;
    }
    insta::assert_json_snapshot!(page);
}

#[test]
fn verdict_counts_and_groups_match_the_lint_report() {
    let page = page();
    assert!(page.verdict.failed, "a corrupt image is an error");
    let grouped: usize = page.rules.iter().map(|r| r.findings.len()).sum();
    assert_eq!(grouped, page.findings.len());
    assert_eq!(
        page.verdict.errors + page.verdict.warnings + page.verdict.infos,
        page.findings.len()
    );
    let broken = page.images.iter().find(|i| i.path == "broken.jpg").unwrap();
    assert!(broken.undecoded);
    assert_eq!(
        broken.error.as_deref(),
        Some("corrupt: the JPEG data ends early")
    );
    assert!(
        broken
            .findings
            .iter()
            .any(|&k| page.findings[k].code == "IMG001")
    );
}

#[test]
fn user_text_is_escaped_everywhere() {
    let page = page();
    let html = html::render(&page, &thumbs(&page));
    assert!(!html.contains("<b>\"it's\""), "raw file name in the page");
    assert!(html.contains("&lt;b&gt;&quot;it&#39;s&quot; &amp; co&lt;/b&gt;.jpg"));
    // The caption's `</script>` must not end the data element: only the page's own two
    // script elements close.
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<script>alert"));
    let data_start = html
        .find(r#"<script type="application/json" id="zc-data">"#)
        .unwrap();
    let data_end = data_start + html[data_start..].find("</script>").unwrap();
    let json = &html[data_start + 45..data_end];
    let back: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(back["images"][6]["caption"], HOSTILE_CAPTION);
}

#[test]
fn html_has_every_part() {
    let page = page();
    let html = html::render(&page, &thumbs(&page));
    assert_eq!(
        html.matches(r#"<figure class="cell"#).count(),
        page.images.len()
    );
    // One thumbnail per decoded image; the broken one shows its error instead.
    assert_eq!(
        html.matches("data:image/jpeg;base64,").count(),
        page.images.len() - 1
    );
    assert!(html.contains(r#"<div class="broken">corrupt: the JPEG data ends early</div>"#));
    for class in ["framing", "entropy", "angles"] {
        assert!(
            html.contains(&format!(r#"<svg class="chart chart-{class}""#)),
            "{class}"
        );
    }
    assert!(html.contains(r#"<rect class="face main""#));
    assert!(html.contains(r#"<rect class="face other""#));
    assert!(html.contains(r#"id="filter-rule""#) && html.contains(r#"id="filter-framing""#));
    assert!(html.contains(r#"<section id="summary" class="card verdict fail">"#));
    // Nothing is fetched: no external URL except the SVG namespace.
    let external = html
        .match_indices("://")
        .filter(|(i, _)| html[..*i].ends_with("http") || html[..*i].ends_with("https"))
        .map(|(i, m)| (i - 4, m))
        .filter(|(i, _)| !html[*i..].starts_with("http://www.w3.org/2000/svg"))
        .count();
    assert_eq!(external, 0);
}
