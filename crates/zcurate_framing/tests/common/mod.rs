//! The labelled framing set (fixtures/framing/): parsing, crops, scoring. Shared by the
//! hand-measured test and the real-detector test.

#![allow(dead_code, unreachable_pub)] // each test binary uses a different part

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use zcurate_framing::{FaceGeom, FramingResult};
use zcurate_manifest::FramingClass;

const LANDMARKS: &str = include_str!("../../../../fixtures/framing/landmarks.toml");
const CASES: &str = include_str!("../../../../fixtures/framing/cases.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Landmarks {
    pub photo: Vec<Photo>,
    pub subject: Vec<Subject>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    /// Registry name in fixtures/photos.toml.
    pub name: String,
    pub file: String,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub id: String,
    pub photo: String,
    pub looked_at: String,
    pub frame_ends: String,
    pub head_top: f32,
    pub chin: f32,
    pub face_box: [f32; 4],
    pub face_landmarks: [[f32; 2]; 5],
    pub body: BTreeMap<String, f32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    pub case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub subject: String,
    pub crop: [u32; 4],
    pub expected: FramingClass,
    pub cut: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl Case {
    pub fn orientation(&self) -> &'static str {
        match self.crop[2].cmp(&self.crop[3]) {
            std::cmp::Ordering::Greater => "landscape",
            std::cmp::Ordering::Less => "portrait",
            std::cmp::Ordering::Equal => "square",
        }
    }
}

pub struct Fixtures {
    pub landmarks: Landmarks,
    pub cases: Vec<Case>,
}

impl Fixtures {
    pub fn load() -> Self {
        let landmarks: Landmarks = toml::from_str(LANDMARKS).expect("landmarks.toml parses");
        let cases: Cases = toml::from_str(CASES).expect("cases.toml parses");
        Self {
            landmarks,
            cases: cases.case,
        }
    }

    pub fn subject(&self, id: &str) -> &Subject {
        self.landmarks
            .subject
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("subject `{id}` is not in landmarks.toml"))
    }

    pub fn photo(&self, name: &str) -> &Photo {
        self.landmarks
            .photo
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("photo `{name}` is not in landmarks.toml"))
    }
}

/// The subject's hand-measured face as seen in a crop: box clipped to the crop (as a detector
/// that clips would give it), `None` when the eyes are outside the crop.
pub fn hand_face_in_crop(subject: &Subject, crop: [u32; 4]) -> Option<FaceGeom> {
    let [cx, cy, cw, ch] = crop.map(|v| v as f32);
    let shift = |[x, y]: [f32; 2]| [x - cx, y - cy];
    let landmarks = subject.face_landmarks.map(shift);
    let inside = |[x, y]: [f32; 2]| (0.0..=cw).contains(&x) && (0.0..=ch).contains(&y);
    if !(inside(landmarks[0]) && inside(landmarks[1])) {
        return None;
    }
    let [bx, by, bw, bh] = subject.face_box;
    let (x0, y0) = ((bx - cx).max(0.0), (by - cy).max(0.0));
    let (x1, y1) = ((bx + bw - cx).min(cw), (by + bh - cy).min(ch));
    let [re, le, ..] = landmarks;
    Some(FaceGeom {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
        landmarks: Some(landmarks),
        roll_deg: (le[1] - re[1]).atan2(le[0] - re[0]).to_degrees(),
    })
}

/// One case's outcome.
pub struct Outcome<'a> {
    pub case: &'a Case,
    pub result: FramingResult,
    /// Free text for the report (e.g. which detection was used).
    pub remark: String,
}

impl Outcome<'_> {
    pub fn exact(&self) -> bool {
        self.result.class == self.case.expected
    }

    /// Classes apart on the close-up..full-body scale; `no-face` against anything else is far.
    pub fn distance(&self) -> u8 {
        match (self.result.class.rank(), self.case.expected.rank()) {
            (Some(a), Some(b)) => a.abs_diff(b),
            _ if self.exact() => 0,
            _ => u8::MAX,
        }
    }
}

/// The bar: exact on at least 90 % of the cases, never more than one class off.
pub struct Score {
    pub total: usize,
    pub exact: usize,
    pub far: Vec<String>,
    pub report: String,
}

impl Score {
    pub fn of(outcomes: &[Outcome<'_>]) -> Self {
        let mut report = String::new();
        let _ = writeln!(
            report,
            "{:<34} {:<10} {:<15} {:<15} {:>6} {:>5} {:>6}  remark",
            "case", "frame", "expected", "got", "below", "conf", "share"
        );
        let mut per_class: BTreeMap<(FramingClass, &str), (usize, usize)> = BTreeMap::new();
        let mut far = Vec::new();
        for o in outcomes {
            let e = &o.result.evidence;
            let mark = if o.exact() { ' ' } else { '*' };
            let _ = writeln!(
                report,
                "{mark}{:<33} {:<10} {:<15} {:<15} {:>6.2} {:>5.2} {:>6.2}  {}",
                o.case.name,
                o.case.orientation(),
                o.case.expected.as_str(),
                o.result.class.as_str(),
                e.below_chin_heads,
                o.result.confidence,
                e.share_below_chin_heads,
                o.remark,
            );
            let slot = per_class
                .entry((o.case.expected, o.case.orientation()))
                .or_default();
            slot.0 += 1;
            slot.1 += usize::from(o.exact());
            if o.distance() > 1 {
                far.push(format!(
                    "{}: expected {}, got {}",
                    o.case.name, o.case.expected, o.result.class
                ));
            }
        }
        let exact = outcomes.iter().filter(|o| o.exact()).count();
        let _ = writeln!(report, "\nper class and frame (exact / cases):");
        for ((class, orientation), (n, ok)) in &per_class {
            let _ = writeln!(
                report,
                "  {:<15} {:<10} {ok} / {n}",
                class.as_str(),
                orientation
            );
        }
        let _ = writeln!(
            report,
            "exact {exact} / {} = {:.1} %",
            outcomes.len(),
            100.0 * exact as f32 / outcomes.len().max(1) as f32
        );
        Self {
            total: outcomes.len(),
            exact,
            far,
            report,
        }
    }

    pub fn assert_bar(&self) {
        assert!(
            self.far.is_empty(),
            "framing more than one class off:\n  {}\n\n{}",
            self.far.join("\n  "),
            self.report
        );
        assert!(
            self.exact * 10 >= self.total * 9,
            "framing exact on {} of {} cases, below 90 %\n\n{}",
            self.exact,
            self.total,
            self.report
        );
    }
}
