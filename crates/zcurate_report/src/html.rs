//! The HTML page: one file with inline CSS, JS, SVG charts and thumbnails as `data:` URIs.
//!
//! Everything a person reads is rendered here, in Rust, with user text escaped; the script
//! only adds behaviour (filters, the detail view) and fills the findings' small thumbnails
//! from the contact sheet's, so each thumbnail is in the file once.

use std::fmt::Write;

use crate::assets;
use crate::base64;
use crate::charts;
use crate::escape::{Html, json_for_script};
use crate::model::{FindingView, ImageView, Page};
use crate::thumbs::{Thumb, Thumbnails};

/// Rule groups with more findings than this start collapsed.
const OPEN_GROUP_MAX: usize = 30;
/// Small thumbnails shown for the files of one dataset-level finding.
const FILES_SHOWN: usize = 24;

/// Content-Security-Policy of the page: inline style and script only, images only from the
/// page itself. A report never reaches the network, even if a caption tried to.
const CSP: &str =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/// Renders the page.
pub fn render(page: &Page, thumbs: &Thumbnails) -> String {
    let mut out = String::with_capacity(64 * 1024 + page.images.len() * 30 * 1024);
    let _ = write!(
        out,
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="zcurate {version}">
<title>zcurate report · {root}</title>
<style>
{css}</style>
</head>
<body>
<header class="top"><h1>zcurate report</h1><p class="meta"><code>{root}</code> · profile <b>{profile}</b> · {images} images · zcurate {version}</p></header>
<main>
"#,
        version = Html(&page.tool_version),
        root = Html(&page.root),
        profile = Html(&page.profile),
        images = page.dataset.images,
        css = assets::CSS,
    );
    summary(&mut out, page);
    charts_section(&mut out, page);
    findings(&mut out, page);
    sheet(&mut out, page, thumbs);
    let json = serde_json::to_string(page).unwrap_or_else(|_| "{}".to_owned());
    let _ = write!(
        out,
        r#"</main>
<dialog id="detail" aria-label="Image details"><form method="dialog"><button class="close" aria-label="Close">×</button></form><div class="detail-body"></div></dialog>
<script type="application/json" id="zc-data">{json}</script>
<script>
{js}</script>
</body>
</html>
"#,
        json = json_for_script(&json),
        js = assets::JS,
    );
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(out: &mut String, page: &Page) {
    let v = &page.verdict;
    let (class, word) = if v.failed {
        ("fail", "fails")
    } else {
        ("pass", "passes")
    };
    let _ = write!(
        out,
        r#"<section id="summary" class="card verdict {class}">
<div class="gate"><span class="word">{word_upper}</span><span class="why">The dataset {word} the <b>{profile}</b> profile: findings at <b>{fail_on}</b> or above fail.</span></div>
<ul class="counts"><li class="sev error">{errors}</li><li class="sev warning">{warnings}</li><li class="sev info">{infos}</li></ul>
<dl class="facts">"#,
        word_upper = word.to_uppercase(),
        profile = Html(&page.profile),
        fail_on = v.fail_on,
        errors = plural(v.errors, "error", "errors"),
        warnings = plural(v.warnings, "warning", "warnings"),
        infos = plural(v.infos, "info", "infos"),
    );
    let d = &page.dataset;
    let mut fact = |k: &str, v: String| {
        let _ = write!(out, "<div><dt>{}</dt><dd>{}</dd></div>", Html(k), Html(&v));
    };
    fact("images", d.images.to_string());
    fact("decoded", d.usable.to_string());
    fact("captioned", d.captioned.to_string());
    fact(
        "with a face",
        if d.faces_detected {
            d.with_face.to_string()
        } else {
            "not detected (scanned with --no-faces)".to_owned()
        },
    );
    if let Some(t) = &page.trigger {
        fact("trigger", format!("{t} (first in {})", page.trigger_first));
    }
    if let Some(c) = &page.class_word {
        fact("class word", c.clone());
    }
    if d.suppressed > 0 {
        fact(
            "suppressed",
            format!("{} by per-file ignores", d.suppressed),
        );
    }
    out.push_str("</dl>");
    if !page.skipped.is_empty() {
        out.push_str(r#"<ul class="skipped">"#);
        for s in &page.skipped {
            let _ = write!(
                out,
                "<li>not run: {}: {}</li>",
                Html(&s.rules.join(", ")),
                Html(&s.reason)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

fn charts_section(out: &mut String, page: &Page) {
    out.push_str(r#"<section id="charts">"#);
    out.push_str(r#"<div class="card"><h2>Framing mix</h2>"#);
    if page.dataset.faces_detected {
        out.push_str(&charts::framing_chart(&page.targets, &page.framing));
    } else {
        out.push_str(r#"<p class="empty">No face detection in the manifest: scan without <code>--no-faces</code> to see the framing mix.</p>"#);
    }
    out.push_str("</div>");
    out.push_str(r#"<div class="card"><h2>Caption slot entropy</h2>"#);
    if page.slots.iter().any(|s| s.captions > 0) {
        out.push_str(&charts::entropy_chart(
            &page.slots,
            page.max_unwanted_slot_entropy,
        ));
        if let Some(share) = page.unwanted_word_share {
            let _ = write!(
                out,
                r#"<p class="note">{:.0}% of caption words are in slots the profile does not want.</p>"#,
                share * 100.0
            );
        }
    } else {
        out.push_str(r#"<p class="empty">No captions yet.</p>"#);
    }
    out.push_str("</div>");
    out.push_str(r#"<div class="card"><h2>Head angles</h2>"#);
    if page.dataset.faces_detected {
        out.push_str(&charts::angle_chart(&page.angles));
    } else {
        out.push_str(r#"<p class="empty">No face detection in the manifest.</p>"#);
    }
    out.push_str("</div></section>\n");
}

fn findings(out: &mut String, page: &Page) {
    let _ = write!(
        out,
        r#"<section id="findings" class="card"><h2>Findings by rule <span class="n">{}</span></h2>"#,
        page.findings.len()
    );
    if page.rules.is_empty() {
        out.push_str(r#"<p class="empty">No findings.</p>"#);
    }
    for group in &page.rules {
        let _ = write!(
            out,
            r#"<details class="rule sev-{sev}" id="rule-{code}" data-rule="{code}"{open}><summary><span class="badge {sev}">{code}</span> <b>{name}</b> <span class="n">{n}</span> <span class="what">{what}</span></summary><ul>"#,
            sev = group.severity,
            code = group.code,
            name = group.name,
            n = group.findings.len(),
            what = Html(group.summary),
            open = if group.findings.len() <= OPEN_GROUP_MAX {
                " open"
            } else {
                ""
            },
        );
        for &k in &group.findings {
            finding(out, &page.findings[k]);
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>\n");
}

fn finding(out: &mut String, f: &FindingView) {
    match f.image {
        Some(i) => {
            let _ = write!(
                out,
                r#"<li class="finding" data-i="{i}"><img class="mini" data-thumb="{i}" alt=""><div><code class="path">{path}</code> {msg}"#,
                path = Html(f.path.as_deref().unwrap_or_default()),
                msg = Html(&f.message),
            );
        }
        None => {
            let _ = write!(
                out,
                r#"<li class="finding dataset"><div><code class="path">{path}</code> {msg}"#,
                path = Html(f.path.as_deref().unwrap_or("dataset")),
                msg = Html(&f.message),
            );
        }
    }
    if let Some(fix) = &f.fix {
        let _ = write!(out, r#"<div class="fix">fix: {}</div>"#, Html(fix));
    }
    if !f.file_images.is_empty() {
        out.push_str(r#"<div class="files">"#);
        for &i in f.file_images.iter().take(FILES_SHOWN) {
            let _ = write!(
                out,
                r#"<img class="mini" data-i="{i}" data-thumb="{i}" alt="">"#
            );
        }
        if f.file_images.len() > FILES_SHOWN {
            let _ = write!(
                out,
                r#"<span class="more">+{}</span>"#,
                f.file_images.len() - FILES_SHOWN
            );
        }
        out.push_str("</div>");
    }
    out.push_str("</div></li>");
}

fn sheet(out: &mut String, page: &Page, thumbs: &Thumbnails) {
    let _ = write!(
        out,
        r#"<section id="sheet" class="card"><h2>Contact sheet</h2>
<div id="filters" class="filters"><label>Rule <select id="filter-rule"><option value="">all rules</option></select></label><label>Framing <select id="filter-framing"><option value="">all framings</option></select></label>{select_filter}<label class="check"><input type="checkbox" id="filter-flagged"> only images with findings</label><span id="shown" aria-live="polite">{n} images</span></div>
<p class="legend"><span class="key main"></span>main face <span class="key other"></span>other faces · badges: findings{select_legend} (click an image for details)</p>
{select_summary}<div class="grid">"#,
        n = page.images.len(),
        select_filter = if page.select.is_some() {
            r#"<label>Select <select id="filter-select"><option value="">any</option></select></label>"#
        } else {
            ""
        },
        select_legend = if page.select.is_some() {
            "; keep, crop, drop, spare: what <code>zcurate select</code> would do with the image"
        } else {
            ""
        },
        select_summary = select_summary(page),
    );
    for (i, img) in page.images.iter().enumerate() {
        cell(out, page, i, img, thumbs.get(i));
    }
    out.push_str("</div></section>\n");
}

/// One line on the set `zcurate select` would make, above the sheet.
fn select_summary(page: &Page) -> String {
    let Some(s) = &page.select else {
        return String::new();
    };
    let mut line = format!(
        r#"<p class="select-summary"><code>zcurate select --profile {profile}</code> would choose <b>{n}</b> images ({o} as they are, {c} crops){met}"#,
        profile = Html(&page.profile),
        n = s.chosen,
        o = s.originals,
        c = s.crops,
        met = if s.met {
            ", meeting the profile's targets"
        } else {
            ", missing a target"
        },
    );
    if !s.missing.is_empty() {
        line.push_str(": ");
        let missing: Vec<String> = s.missing.iter().map(|m| Html(m).to_string()).collect();
        line.push_str(&missing.join("; "));
    }
    line.push_str("</p>\n");
    line
}

fn cell(out: &mut String, page: &Page, i: usize, img: &ImageView, thumb: &Thumb) {
    let mut rules: Vec<&str> = img
        .findings
        .iter()
        .map(|&k| page.findings[k].code)
        .collect();
    rules.dedup();
    let _ = write!(
        out,
        r#"<figure class="cell{worst}" id="img-{i}" data-i="{i}" data-framing="{framing}" data-rules=" {rules} " data-select="{select}" tabindex="0">"#,
        select = img.select.as_ref().map_or("", |s| s.decision),
        worst = img.worst.map(|w| format!(" sev-{w}")).unwrap_or_default(),
        framing = img.framing.unwrap_or(if img.undecoded {
            "unreadable"
        } else {
            "unknown"
        }),
        rules = rules.join(" "),
    );
    out.push_str(r#"<div class="frame">"#);
    match (thumb, img.width.zip(img.height)) {
        (Thumb::Jpeg(bytes), Some((w, h))) => {
            let size = if w >= h { "width:100%" } else { "height:100%" };
            let _ = write!(
                out,
                r#"<div class="thumb" style="{size};aspect-ratio:{w}/{h}"><img src="data:image/jpeg;base64,"#
            );
            base64::encode_into(bytes, out);
            let _ = write!(
                out,
                r#"" alt="{alt}" decoding="async">"#,
                alt = Html(&img.path)
            );
            if !img.faces.is_empty() {
                let _ = write!(
                    out,
                    r#"<svg class="boxes" viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-hidden="true">"#
                );
                for f in &img.faces {
                    let [x, y, bw, bh] = f.bbox;
                    let _ = write!(
                        out,
                        r#"<rect class="{}" x="{x:.0}" y="{y:.0}" width="{bw:.0}" height="{bh:.0}" vector-effect="non-scaling-stroke"/>"#,
                        if f.main { "face main" } else { "face other" },
                    );
                }
                out.push_str("</svg>");
            }
            out.push_str("</div>");
        }
        (Thumb::Failed(why), _) => {
            let _ = write!(
                out,
                r#"<div class="broken">no thumbnail: {}</div>"#,
                Html(why)
            );
        }
        _ => {
            let why = img.error.as_deref().unwrap_or("not decoded");
            let _ = write!(out, r#"<div class="broken">{}</div>"#, Html(why));
        }
    }
    out.push_str("</div><figcaption>");
    let _ = write!(
        out,
        r#"<span class="name" title="{p}">{p}</span>"#,
        p = Html(&img.path)
    );
    if let Some(f) = img.framing {
        let _ = write!(out, r#"<span class="framing f-{f}">{f}</span>"#);
    }
    if let Some(s) = &img.select {
        let _ = write!(
            out,
            r#"<span class="sel sel-{d}" title="{reason}">{label}</span>"#,
            d = s.decision,
            reason = Html(&s.reason),
            label = Html(&s.label),
        );
    }
    if !rules.is_empty() {
        out.push_str(r#"<span class="badges">"#);
        for code in &rules {
            let sev = img
                .findings
                .iter()
                .map(|&k| &page.findings[k])
                .find(|f| f.code == *code)
                .map_or("info", |f| f.severity);
            let _ = write!(out, r#"<span class="badge {sev}">{code}</span>"#);
        }
        out.push_str("</span>");
    }
    out.push_str("</figcaption></figure>\n");
}
