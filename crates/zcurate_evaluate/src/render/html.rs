//! One self-contained HTML page: the verdict, likeness and bleed plotted against the
//! checkpoints (the report's SVG line chart), the table, and the sample grid (a row per
//! checkpoint, a column per prompt; thumbnails made from the decode that was scored).

use std::fmt::Write as _;
use std::path::Path;

use zcurate_report::base64::encode_into;
use zcurate_report::charts::{self, Guide, Series};
use zcurate_report::escape::Html;

use super::{num, pct};
use crate::Evaluation;
use crate::metrics::label;

/// Inline style and images only: the page never reaches the network.
const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;color:#1f2330;margin:0;background:#f6f7f9}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}
h1{font-size:20px;margin:0}h2{font-size:16px;margin:0 0 10px}
.meta{color:#6b7280;margin:4px 0 0}
.card{background:#fff;border:1px solid #e3e5ea;border-radius:8px;padding:16px;margin:0 0 16px;overflow-x:auto}
.verdict.ok{border-left:5px solid #2e9d5b}.verdict.fail{border-left:5px solid #d64545}
table{border-collapse:collapse}th,td{padding:4px 10px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}td.flags{text-align:left;color:#d64545}
tr.chosen td{background:#e6f5ec;font-weight:600}tr.chosen td.flags{color:#2e9d5b}
.grid td{vertical-align:top;text-align:center}.grid th.prompt{max-width:200px;white-space:normal;font-weight:normal;font-size:12px;text-align:left}
.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:11px;font-weight:600;color:#fff}
.tag.trigger{background:#4d6fd1}.tag.neutral{background:#6b7280}
figure{margin:0 0 6px;display:inline-block}
.thumb{position:relative;width:150px;height:150px;display:flex;align-items:center;justify-content:center;background:#eef0f3}
.thumb img{max-width:150px;max-height:150px;display:block}
.thumb svg{position:absolute;pointer-events:none}
.thumb rect{fill:none;stroke-width:2}
figcaption{font-size:12px}.subject{color:#2e9d5b;font-weight:600}.bleed{color:#d64545;font-weight:600}.other{color:#6b7280}
ul.notes{margin:0;padding-left:18px}";

/// The page; `thumbs` in the order of `e.samples` (`None` where there is none).
pub fn render(e: &Evaluation, thumbs: &[Option<Vec<u8>>]) -> String {
    let mut out = String::with_capacity(64 * 1024 + thumbs.len() * 24 * 1024);
    let _ = write!(
        out,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>zcurate evaluate · {run}</title>
<style>
{CSS}
</style>
</head>
<body>
<header><h1>zcurate evaluate</h1><p class="meta"><code>{run}</code> · {layout} samples · identity of <code>{dataset}</code> (medoid {medoid}, {faces} faces)</p></header>
<main>
"#,
        run = Html(&e.run),
        layout = e.layout,
        dataset = Html(&e.dataset),
        medoid = Html(&e.centre.medoid),
        faces = e.centre.faces,
    );
    verdict(&mut out, e);
    chart(&mut out, e);
    table(&mut out, e);
    grid(&mut out, e, thumbs);
    if !e.notes.is_empty() {
        out.push_str(r#"<section class="card"><h2>Notes</h2><ul class="notes">"#);
        for n in &e.notes {
            let _ = write!(out, "<li>{}</li>", Html(&n.message));
        }
        out.push_str("</ul></section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Writes the page through a temporary file ([`zcurate_fs::write_atomic`]), so an
/// interrupted run leaves no half page.
pub fn write(e: &Evaluation, thumbs: &[Option<Vec<u8>>], path: &Path) -> std::io::Result<()> {
    zcurate_fs::write_atomic(path, render(e, thumbs).as_bytes())
}

fn verdict(out: &mut String, e: &Evaluation) {
    let t = &e.thresholds;
    let (class, text) = match (&e.recommended, &e.verdict) {
        (Some(r), _) => ("ok", format!("Recommended: {}", r.reason)),
        (None, Some(v)) => ("fail", v.clone()),
        (None, None) => ("fail", String::new()),
    };
    let _ = writeln!(
        out,
        r#"<section class="card verdict {class}"><h2>{title}</h2><p>{text}</p><p class="meta">A face is the subject from similarity {sim:.2} to the dataset's medoid face; a checkpoint qualifies when at least {act} of trigger samples show the subject and at most {bleed} of neutral faces pass as the subject; of those, the earliest within {tol} of the best likeness.</p></section>"#,
        title = e.recommended.as_ref().map_or_else(
            || "No checkpoint qualifies".to_owned(),
            |r| format!("Keep {}", label(r.checkpoint))
        ),
        text = Html(&text),
        sim = t.min_similarity,
        act = pct(Some(t.min_activation)),
        bleed = pct(Some(t.max_bleed)),
        tol = t.likeness_tolerance,
    );
}

fn chart(out: &mut String, e: &Evaluation) {
    let labels: Vec<String> = e
        .checkpoints
        .iter()
        .map(|c| c.checkpoint.to_string())
        .collect();
    let values = |f: fn(&crate::metrics::CheckpointScore) -> Option<f64>| {
        e.checkpoints.iter().map(f).collect::<Vec<_>>()
    };
    let series = [
        Series {
            name: "likeness",
            colour: charts::SERIES_GOOD,
            values: values(|c| c.likeness),
            dashed: false,
        },
        Series {
            name: "activation",
            colour: charts::SERIES_NEUTRAL,
            values: values(|c| c.activation),
            dashed: true,
        },
        Series {
            name: "bleed",
            colour: charts::SERIES_BAD,
            values: values(|c| c.bleed),
            dashed: false,
        },
        Series {
            name: "neutral sim.",
            colour: charts::SERIES_WARN,
            values: values(|c| c.bleed_similarity),
            dashed: true,
        },
    ];
    let t = &e.thresholds;
    let guides = [
        Guide {
            label: "subject from",
            at: t.min_similarity,
            colour: charts::SERIES_GOOD,
        },
        Guide {
            label: "max bleed",
            at: t.max_bleed,
            colour: charts::SERIES_BAD,
        },
    ];
    let highlight = e.recommended.as_ref().and_then(|r| {
        e.checkpoints
            .iter()
            .position(|c| c.checkpoint == r.checkpoint)
    });
    out.push_str(r#"<section class="card"><h2>Likeness and bleed by checkpoint</h2>"#);
    out.push_str(&charts::line_chart(
        "Likeness, activation and bleed by checkpoint",
        &labels,
        &series,
        &guides,
        highlight,
    ));
    out.push_str("</section>\n");
}

fn table(out: &mut String, e: &Evaluation) {
    out.push_str(r#"<section class="card"><h2>Checkpoints</h2><table><thead><tr><th>checkpoint</th><th>likeness</th><th>activation</th><th>bleed</th><th>neutral sim.</th><th>no face</th><th></th></tr></thead><tbody>"#);
    for c in &e.checkpoints {
        let chosen = e
            .recommended
            .as_ref()
            .is_some_and(|r| r.checkpoint == c.checkpoint);
        let flags: Vec<&str> = c.flags.iter().map(|f| f.as_str()).collect();
        let _ = write!(
            out,
            r#"<tr{cls}><td>{cp}</td><td>{l}</td><td>{a} of {ta}</td><td>{b} of {nf} faces</td><td>{bs}</td><td>{nf0}</td><td class="flags">{flags}</td></tr>"#,
            cls = if chosen { r#" class="chosen""# } else { "" },
            cp = Html(&label(c.checkpoint)),
            l = num(c.likeness),
            a = pct(c.activation),
            ta = c.trigger_samples,
            b = pct(c.bleed),
            nf = c.neutral_faces,
            bs = num(c.bleed_similarity),
            nf0 = c.no_face,
            flags = if chosen {
                "recommended".to_owned()
            } else {
                flags.join(", ")
            },
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn grid(out: &mut String, e: &Evaluation, thumbs: &[Option<Vec<u8>>]) {
    out.push_str(
        r#"<section class="card grid"><h2>Samples</h2><table><thead><tr><th>checkpoint</th>"#,
    );
    for (i, p) in e.prompts.prompts.iter().enumerate() {
        let _ = write!(
            out,
            r#"<th class="prompt"><span class="tag {kind}">{i} · {kind}</span> {text}</th>"#,
            kind = if p.with_trigger { "trigger" } else { "neutral" },
            text = Html(&p.text),
        );
    }
    out.push_str("</tr></thead><tbody>");
    let sim_t = e.thresholds.min_similarity as f32;
    for c in &e.checkpoints {
        let _ = write!(out, "<tr><td>{}</td>", Html(&label(c.checkpoint)));
        for p in 0..e.prompts.prompts.len() {
            out.push_str("<td>");
            for (k, s) in e.samples.iter().enumerate() {
                if s.checkpoint != c.checkpoint || s.prompt != p {
                    continue;
                }
                out.push_str(r#"<figure><div class="thumb">"#);
                if let Some(Some(bytes)) = thumbs.get(k) {
                    out.push_str(r#"<img alt="" src="data:image/jpeg;base64,"#);
                    encode_into(bytes, out);
                    out.push_str(r#"">"#);
                    boxes(out, s, sim_t);
                }
                out.push_str("</div><figcaption>");
                caption(out, s, sim_t);
                let _ = write!(out, "</figcaption></figure>");
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>\n");
}

/// Face boxes over the thumbnail: green when the face passes as the subject, grey otherwise.
fn boxes(out: &mut String, s: &crate::SampleScore, sim_t: f32) {
    if s.faces.is_empty() || s.width == 0 || s.height == 0 {
        return;
    }
    let (w, h) = (s.width, s.height);
    let scale = 150.0 / w.max(h) as f32;
    let _ = write!(
        out,
        r#"<svg width="{sw:.0}" height="{sh:.0}" viewBox="0 0 {w} {h}" preserveAspectRatio="none">"#,
        sw = w as f32 * scale,
        sh = h as f32 * scale,
    );
    for f in &s.faces {
        let [x, y, bw, bh] = f.bbox;
        let colour = if f.similarity.is_some_and(|v| v >= sim_t) {
            "#2e9d5b"
        } else {
            "#9aa1ad"
        };
        let _ = write!(
            out,
            r#"<rect x="{x:.0}" y="{y:.0}" width="{bw:.0}" height="{bh:.0}" stroke="{colour}" vector-effect="non-scaling-stroke"/>"#
        );
    }
    out.push_str("</svg>");
}

fn caption(out: &mut String, s: &crate::SampleScore, sim_t: f32) {
    if let Some(err) = &s.error {
        let _ = write!(out, r#"<span class="bleed">{}</span>"#, Html(err));
        return;
    }
    let sims: Vec<f32> = s.faces.iter().filter_map(|f| f.similarity).collect();
    if sims.is_empty() {
        out.push_str(r#"<span class="other">no face</span>"#);
        return;
    }
    // Trigger samples: the main face; neutral ones: every embedded face.
    let shown: Vec<f32> = if s.with_trigger {
        s.main_similarity().into_iter().collect()
    } else {
        sims
    };
    for (k, v) in shown.iter().enumerate() {
        let class = match (v >= &sim_t, s.with_trigger) {
            (true, true) => "subject",
            (true, false) => "bleed",
            _ => "other",
        };
        let _ = write!(
            out,
            r#"{sep}<span class="{class}">{v:.2}</span>"#,
            sep = if k > 0 { " " } else { "" }
        );
    }
}
