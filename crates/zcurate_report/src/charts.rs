//! The charts, as inline SVG written here: no script library, nothing to fetch, and the same
//! bytes for the same data (so they are snapshot-tested).
//!
//! Bar charts are rows: a label column, a track of [`TRACK_W`] units standing for 0–100 %
//! (or the entropy scale), and a value column. Colours are attributes, so a chart copied out
//! of the page still looks the same.

use std::fmt::Write;

use crate::escape::Html;
use zcurate_lint::TargetVerdict;

use crate::model::{AngleBar, ClassBar, SlotBar};

/// One line of a [`line_chart`]: a value (0 to 1) per x position, `None` where there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    pub values: Vec<Option<f64>>,
    /// Drawn dashed (a share rather than a measure, say).
    pub dashed: bool,
}

/// A horizontal guide across a [`line_chart`]: a threshold at `at` (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guide<'a> {
    pub label: &'a str,
    pub at: f64,
    pub colour: &'a str,
}

/// Colours for callers' series, from this chart palette.
pub const SERIES_GOOD: &str = OK;
pub const SERIES_BAD: &str = MISSED;
pub const SERIES_NEUTRAL: &str = NEUTRAL;
pub const SERIES_WARN: &str = UNWANTED;

/// Width of the label column, in SVG units (CSS pixels at full size).
const LABEL_W: f64 = 240.0;
/// Width of the bar track.
const TRACK_W: f64 = 300.0;
/// Width of the value column.
const VALUE_W: f64 = 180.0;
/// Height of one row.
const ROW_H: f64 = 28.0;
/// Height of a bar inside its row.
const BAR_H: f64 = 16.0;
/// Width of the whole chart.
const CHART_W: f64 = LABEL_W + TRACK_W + VALUE_W;

const TRACK: &str = "#e8eaef";
const BAND: &str = "#bfe6cc";
const OK: &str = "#2e9d5b";
const MISSED: &str = "#d64545";
const NEUTRAL: &str = "#4d6fd1";
const UNWANTED: &str = "#d99a2b";
const INK: &str = "#1f2330";
const MUTED: &str = "#6b7280";

/// One colour per framing class, from tight (dark) to wide (light), no-face grey.
const CLASS_COLOURS: [&str; 6] = [
    "#3b4cc0", "#5a78e0", "#7ea3f0", "#a9c4f5", "#d2defa", "#b8bcc6",
];

fn open(out: &mut String, class: &str, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart chart-{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = Html(title),
    );
}

fn label(out: &mut String, y: f64, text: &str, bold: bool) {
    let weight = if bold { r#" font-weight="600""# } else { "" };
    let _ = write!(
        out,
        r#"<text x="{x}" y="{ty:.1}" text-anchor="end" font-size="13" fill="{INK}"{weight}>{t}</text>"#,
        x = LABEL_W - 10.0,
        ty = y + ROW_H / 2.0 + 4.5,
        t = Html(text),
    );
}

fn value(out: &mut String, y: f64, text: &str, colour: &str) {
    let _ = write!(
        out,
        r#"<text x="{x}" y="{ty:.1}" font-size="13" fill="{colour}">{t}</text>"#,
        x = LABEL_W + TRACK_W + 10.0,
        ty = y + ROW_H / 2.0 + 4.5,
        t = Html(text),
    );
}

/// A bar from `from` to `to` (fractions of the track) with a tooltip.
fn bar(out: &mut String, y: f64, from: f64, to: f64, fill: &str, class: &str, tip: &str) {
    let (from, to) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{x:.1}" y="{by:.1}" width="{w:.1}" height="{BAR_H}" rx="2" fill="{fill}"><title>{t}</title></rect>"#,
        x = LABEL_W + from * TRACK_W,
        by = y + (ROW_H - BAR_H) / 2.0,
        w = (to - from) * TRACK_W,
        t = Html(tip),
    );
}

fn track(out: &mut String, y: f64) {
    let _ = write!(
        out,
        r#"<rect x="{LABEL_W}" y="{by:.1}" width="{TRACK_W}" height="{BAR_H}" rx="2" fill="{TRACK}"/>"#,
        by = y + (ROW_H - BAR_H) / 2.0,
    );
}

/// A vertical tick across one row at `at` (a fraction of the track).
fn tick(out: &mut String, y: f64, at: f64, colour: &str, dashed: bool) {
    let dash = if dashed {
        r#" stroke-dasharray="3 2""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<line x1="{x:.1}" x2="{x:.1}" y1="{y1:.1}" y2="{y2:.1}" stroke="{colour}" stroke-width="2"{dash}/>"#,
        x = LABEL_W + at.clamp(0.0, 1.0) * TRACK_W,
        y1 = y + 3.0,
        y2 = y + ROW_H - 3.0,
    );
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// The framing mix: each profile target (the share of face images in its classes, the
/// allowed range shaded, green when met and red when missed), then each class's count.
pub fn framing_chart(targets: &[TargetVerdict], classes: &[ClassBar]) -> String {
    let rows = targets.len() + classes.len();
    let gap = if targets.is_empty() { 0.0 } else { ROW_H / 2.0 };
    let height = rows as f64 * ROW_H + gap + 8.0;
    let mut out = String::new();
    open(
        &mut out,
        "framing",
        "Framing mix against the profile's targets",
        height,
    );
    let mut y = 4.0;
    for t in targets {
        let (name, range) = (t.target.label(), t.target.range_label());
        label(&mut out, y, &name, true);
        track(&mut out, y);
        let (lo, hi) = (t.target.min.unwrap_or(0.0), t.target.max.unwrap_or(1.0));
        bar(
            &mut out,
            y,
            lo,
            hi,
            BAND,
            "band",
            &format!("target {range}"),
        );
        let colour = if t.ok() { OK } else { MISSED };
        let state = if t.ok() { "met" } else { "missed" };
        let _ = write!(out, r#"<g class="target {state}">"#);
        let inner = BAR_H / 2.0;
        let _ = write!(
            out,
            r#"<rect class="share" x="{LABEL_W}" y="{by:.1}" width="{w:.1}" height="{inner}" fill="{colour}"><title>{t}</title></rect>"#,
            by = y + (ROW_H - inner) / 2.0,
            w = t.share.clamp(0.0, 1.0) * TRACK_W,
            t = Html(&format!(
                "{name}: {} images, {} of images with a face",
                t.count,
                pct(t.share)
            )),
        );
        out.push_str("</g>");
        for limit in [t.target.min, t.target.max].into_iter().flatten() {
            tick(&mut out, y, limit, INK, false);
        }
        value(
            &mut out,
            y,
            &format!(
                "{} {} target {range}",
                pct(t.share),
                if t.ok() { "✓" } else { "✗" },
            ),
            colour,
        );
        y += ROW_H;
    }
    y += gap;
    for (k, c) in classes.iter().enumerate() {
        label(&mut out, y, c.class, false);
        track(&mut out, y);
        bar(
            &mut out,
            y,
            0.0,
            c.share,
            CLASS_COLOURS[k % CLASS_COLOURS.len()],
            "class",
            &format!("{}: {} images ({})", c.class, c.count, pct(c.share)),
        );
        value(
            &mut out,
            y,
            &format!("{} · {}", c.count, pct(c.share)),
            MUTED,
        );
        y += ROW_H;
    }
    out.push_str("</svg>");
    out
}

/// Caption slot entropy: one bar per slot in bits, unwanted slots in amber (red over the
/// profile's maximum) with the maximum as a dashed line.
pub fn entropy_chart(slots: &[SlotBar], max_unwanted: f64) -> String {
    let top = slots.iter().map(|s| s.entropy).fold(0.0, f64::max);
    // Whole bits, at least one past the maximum line, so the line never sits at the edge.
    let scale = top.max(max_unwanted + 1.0).max(1.0).ceil();
    let height = (slots.len() as f64 + 1.0) * ROW_H + 8.0;
    let mut out = String::new();
    open(&mut out, "entropy", "Caption slot entropy (bits)", height);
    let mut y = 4.0;
    for s in slots {
        let name = if s.unwanted {
            format!("{} *", s.slot)
        } else {
            s.slot.clone()
        };
        label(&mut out, y, &name, false);
        track(&mut out, y);
        let colour = match (s.unwanted, s.over) {
            (_, true) => MISSED,
            (true, false) => UNWANTED,
            (false, false) => NEUTRAL,
        };
        bar(
            &mut out,
            y,
            0.0,
            s.entropy / scale,
            colour,
            if s.over { "slot over" } else { "slot" },
            &format!(
                "{}: {:.2} bits over {} captions, {} distinct values",
                s.slot, s.entropy, s.captions, s.distinct
            ),
        );
        if s.unwanted {
            tick(&mut out, y, max_unwanted / scale, MISSED, true);
        }
        value(
            &mut out,
            y,
            &format!(
                "{:.2} bits{} · {} caption{}",
                s.entropy,
                if s.over { " !" } else { "" },
                s.captions,
                if s.captions == 1 { "" } else { "s" }
            ),
            if s.over { MISSED } else { MUTED },
        );
        y += ROW_H;
    }
    // The axis: 0 and the scale's end, whole bits between.
    let steps = scale as u32;
    for b in 0..=steps {
        let x = LABEL_W + f64::from(b) / scale * TRACK_W;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{ty:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{b}</text>"#,
            ty = y + 16.0,
        );
    }
    let _ = write!(
        out,
        r#"<text x="{x}" y="{ty:.1}" font-size="11" fill="{MUTED}">bits; * unwanted, max {max_unwanted:.2}</text>"#,
        x = LABEL_W + TRACK_W + 10.0,
        ty = y + 16.0,
    );
    out.push_str("</svg>");
    out
}

/// Head angle spread: one column per angle, from the camera's left to its right.
pub fn angle_chart(angles: &[AngleBar]) -> String {
    const H: f64 = 190.0;
    const PLOT_TOP: f64 = 24.0;
    const PLOT_H: f64 = 120.0;
    let n = angles.len().max(1) as f64;
    let col = CHART_W / n;
    let top = angles.iter().map(|a| a.count).max().unwrap_or(0).max(1) as f64;
    let total: usize = angles.iter().map(|a| a.count).sum();
    let mut out = String::new();
    open(&mut out, "angles", "Head angles of the main faces", H);
    let base = PLOT_TOP + PLOT_H;
    let _ = write!(
        out,
        r#"<line x1="0" x2="{CHART_W}" y1="{base}" y2="{base}" stroke="{TRACK}" stroke-width="2"/>"#
    );
    for (k, a) in angles.iter().enumerate() {
        let cx = col * (k as f64 + 0.5);
        let h = a.count as f64 / top * PLOT_H;
        let w = (col * 0.5).min(90.0);
        let share = if total == 0 {
            String::new()
        } else {
            format!(" · {}", pct(a.count as f64 / total as f64))
        };
        let _ = write!(
            out,
            r#"<rect class="angle" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="2" fill="{NEUTRAL}"><title>{t}</title></rect>"#,
            x = cx - w / 2.0,
            y = base - h,
            t = Html(&format!("{}: {} faces{share}", a.angle, a.count)),
        );
        let _ = write!(
            out,
            r#"<text x="{cx:.1}" y="{y:.1}" text-anchor="middle" font-size="13" fill="{INK}">{c}</text>"#,
            y = base - h - 6.0,
            c = a.count,
        );
        let _ = write!(
            out,
            r#"<text x="{cx:.1}" y="{y:.1}" text-anchor="middle" font-size="12" fill="{MUTED}">{t}</text>"#,
            y = base + 20.0,
            t = Html(a.angle),
        );
    }
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">← face turned to the image's left · to its right →</text>"#,
        x = CHART_W / 2.0,
        y = H - 8.0,
    );
    out.push_str("</svg>");
    out
}

/// Values from 0 to 1 against evenly spaced x positions (checkpoints), one polyline with
/// dots per series, thresholds as dashed guides, the x labels under the axis and the
/// `highlight` position (a recommended checkpoint) shaded.
pub fn line_chart(
    title: &str,
    x_labels: &[String],
    series: &[Series<'_>],
    guides: &[Guide<'_>],
    highlight: Option<usize>,
) -> String {
    const H: f64 = 260.0;
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 150.0;
    const TOP: f64 = 16.0;
    const PLOT_H: f64 = 190.0;
    let plot_w = CHART_W - LEFT - RIGHT;
    let n = x_labels.len().max(1);
    let x_at = |k: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + k as f64 / (n - 1) as f64 * plot_w
        }
    };
    let y_at = |v: f64| TOP + (1.0 - v.clamp(0.0, 1.0)) * PLOT_H;
    let mut out = String::new();
    open(&mut out, "line", title, H);
    if let Some(k) = highlight.filter(|&k| k < n) {
        let half = if n == 1 {
            20.0
        } else {
            (plot_w / (n - 1) as f64 / 2.0).min(20.0)
        };
        let _ = write!(
            out,
            r#"<rect class="highlight" x="{x:.1}" y="{TOP}" width="{w:.1}" height="{PLOT_H}" fill="{BAND}"/>"#,
            x = x_at(k) - half,
            w = 2.0 * half,
        );
    }
    for v in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = y_at(v);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{TRACK}" stroke-width="1"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{MUTED}">{v:.2}</text>"#,
            x2 = LEFT + plot_w,
            tx = LEFT - 6.0,
            ty = y + 4.0,
        );
    }
    for g in guides {
        let y = y_at(g.at);
        let _ = write!(
            out,
            r#"<line class="guide" x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{c}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{tx:.1}" y="{ty:.1}" font-size="11" fill="{c}">{t}</text>"#,
            x2 = LEFT + plot_w,
            c = Html(g.colour),
            tx = LEFT + plot_w + 8.0,
            ty = y + 4.0,
            t = Html(&format!("{} {:.2}", g.label, g.at)),
        );
    }
    for (k, l) in x_labels.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="11" fill="{MUTED}">{t}</text>"#,
            x = x_at(k),
            y = TOP + PLOT_H + 18.0,
            t = Html(l),
        );
    }
    for (row, s) in series.iter().enumerate() {
        let colour = Html(s.colour);
        let dash = if s.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        // A gap (no value) breaks the line; each run of values is one polyline.
        let mut runs: Vec<Vec<(usize, f64)>> = vec![Vec::new()];
        for (k, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().expect("never empty").push((k, *v)),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let points: Vec<String> = run
                .iter()
                .map(|&(k, v)| format!("{:.1},{:.1}", x_at(k), y_at(v)))
                .collect();
            let _ = write!(
                out,
                r#"<polyline class="series" points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
                points.join(" ")
            );
        }
        for (k, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{colour}"><title>{t}</title></circle>"#,
                    x = x_at(k),
                    y = y_at(*v),
                    t = Html(&format!(
                        "{}: {v:.2} at {}",
                        s.name,
                        x_labels.get(k).map_or("", String::as_str)
                    )),
                );
            }
        }
        // The legend, right of the plot at the top, clear of guides at the usual thresholds.
        let ly = TOP + 6.0 + 16.0 * row as f64;
        let lx = LEFT + plot_w + 8.0;
        let _ = write!(
            out,
            r#"<line x1="{lx:.1}" x2="{x2:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="2"{dash}/><text x="{tx:.1}" y="{ty:.1}" font-size="11" fill="{INK}">{t}</text>"#,
            x2 = lx + 16.0,
            tx = lx + 20.0,
            ty = ly + 4.0,
            t = Html(s.name),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One element per line, so a snapshot diff shows what moved.
    fn lines(svg: &str) -> String {
        svg.replace("><", ">\n<")
    }

    fn targets() -> Vec<TargetVerdict> {
        use zcurate_lint::FramingTarget;
        use zcurate_manifest::FramingClass::{CloseUp, FullBody, HeadShoulders, KneeUp};
        let target = |classes, min, max| FramingTarget {
            classes,
            min,
            max,
            min_count: None,
            max_count: None,
        };
        vec![
            // 11 of 20 against at least 70 %: missed.
            target(vec![CloseUp, HeadShoulders], Some(0.7), None).judge(11, 20),
            // None against at most 5 %: met.
            target(vec![KneeUp, FullBody], None, Some(0.05)).judge(0, 20),
        ]
    }

    fn classes() -> Vec<ClassBar> {
        [("close-up", 6), ("head-shoulders", 5), ("upper-body", 9)]
            .into_iter()
            .map(|(class, count)| ClassBar {
                class,
                count,
                share: count as f64 / 20.0,
            })
            .collect()
    }

    #[test]
    fn line_chart_snapshot() {
        let labels: Vec<String> = ["0", "250", "500"].map(str::to_owned).to_vec();
        let series = [
            Series {
                name: "likeness",
                colour: SERIES_GOOD,
                values: vec![Some(0.1), Some(0.62), Some(0.7)],
                dashed: false,
            },
            Series {
                name: "bleed",
                colour: SERIES_BAD,
                values: vec![Some(0.0), None, Some(0.5)],
                dashed: true,
            },
        ];
        let guides = [Guide {
            label: "max bleed",
            at: 0.2,
            colour: SERIES_BAD,
        }];
        let svg = line_chart("Likeness <and> bleed", &labels, &series, &guides, Some(1));
        // The gap leaves the bleed line as two dots and no polyline; the title is escaped.
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("Likeness &lt;and&gt; bleed"));
        insta::assert_snapshot!(lines(&svg));
    }

    #[test]
    fn framing_chart_snapshot() {
        insta::assert_snapshot!(lines(&framing_chart(&targets(), &classes())));
    }

    #[test]
    fn entropy_chart_snapshot() {
        let slots = vec![
            SlotBar {
                slot: "framing".into(),
                entropy: 1.52,
                captions: 20,
                distinct: 3,
                unwanted: false,
                over: false,
            },
            SlotBar {
                slot: "clothing".into(),
                entropy: 2.81,
                captions: 14,
                distinct: 7,
                unwanted: true,
                over: true,
            },
        ];
        insta::assert_snapshot!(lines(&entropy_chart(&slots, 1.0)));
    }

    #[test]
    fn angle_chart_snapshot() {
        let angles = [
            ("profile-left", 0),
            ("front", 10),
            ("three-quarter-right", 5),
        ]
        .into_iter()
        .map(|(angle, count)| AngleBar { angle, count })
        .collect::<Vec<_>>();
        insta::assert_snapshot!(lines(&angle_chart(&angles)));
    }

    #[test]
    fn labels_are_escaped() {
        let class = ClassBar {
            class: "<script>",
            count: 1,
            share: 1.0,
        };
        let svg = framing_chart(&[], &[class]);
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
    }
}
