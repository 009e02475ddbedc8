//! The report for people: findings grouped by rule, then a one-screen summary.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};

use super::RenderContext;
use crate::diagnostic::Finding;
use crate::report::Report;
use crate::rules::Rule;
use crate::severity::Severity;
use crate::util::{pct, plural};

/// Files listed under a dataset-level finding before "and N more".
const MAX_FILES: usize = 8;

struct Paint {
    colour: bool,
}

impl Paint {
    fn style(&self, s: &str, style: Style) -> String {
        if self.colour {
            s.style(style).to_string()
        } else {
            s.to_owned()
        }
    }

    fn severity(sev: Severity) -> Style {
        match sev {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().cyan().bold(),
        }
    }
}

pub(super) fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let p = Paint { colour: cx.colour };
    let mut i = 0;
    while i < report.findings.len() {
        let rule = report.findings[i].rule;
        let group: Vec<&Finding> = report.findings[i..]
            .iter()
            .take_while(|f| f.rule == rule)
            .collect();
        i += group.len();
        write_group(&p, cx, rule, &group, out)?;
    }
    if report.findings.is_empty() {
        writeln!(
            out,
            "{}",
            p.style("No findings.", Style::new().green().bold())
        )?;
    }
    writeln!(out)?;
    write_summary(&p, report, cx, out)
}

fn write_group(
    p: &Paint,
    cx: &RenderContext<'_>,
    rule: Rule,
    group: &[&Finding],
    out: &mut dyn Write,
) -> io::Result<()> {
    let sev = group[0].severity;
    let files = group.iter().filter(|f| f.path.is_some()).count();
    let scope = if files == 0 {
        "dataset".to_owned()
    } else {
        plural(files, "file", "files")
    };
    writeln!(
        out,
        "{} {}: {}",
        p.style(&format!("{sev}[{}]", rule.code()), Paint::severity(sev)),
        p.style(rule.name(), Style::new().bold()),
        scope
    )?;
    let shared_fix = group
        .iter()
        .all(|f| f.fix == group[0].fix)
        .then(|| group[0].fix.clone())
        .flatten();
    let limit = if cx.show_all {
        usize::MAX
    } else {
        super::HUMAN_FILES_PER_RULE
    };
    let mut listed = 0;
    for f in group {
        if f.path.is_some() {
            if listed == limit {
                continue;
            }
            listed += 1;
        }
        match &f.path {
            Some(path) => writeln!(out, "  {}: {}", cx.location(path), f.message)?,
            None => writeln!(out, "  {}", f.message)?,
        }
        if f.path.is_none() && !f.files.is_empty() {
            let shown: Vec<String> = f
                .files
                .iter()
                .take(MAX_FILES)
                .map(|x| cx.location(x))
                .collect();
            let more = f.files.len().saturating_sub(MAX_FILES);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            writeln!(out, "    {}{tail}", shown.join(", "))?;
        }
        if shared_fix.is_none()
            && let Some(fix) = &f.fix
        {
            writeln!(out, "    {} {fix}", p.style("fix:", Style::new().green()))?;
        }
    }
    if files > listed {
        writeln!(
            out,
            "  ... and {} more (`--show-all` lists them)",
            plural(files - listed, "file", "files")
        )?;
    }
    if let Some(fix) = shared_fix {
        writeln!(out, "  {} {fix}", p.style("fix:", Style::new().green()))?;
    }
    Ok(())
}

fn list<T>(items: impl IntoIterator<Item = T>, f: impl Fn(T) -> String) -> String {
    items.into_iter().map(f).collect::<Vec<_>>().join(", ")
}

fn write_summary(
    p: &Paint,
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = &report.summary;
    let label = |l: &str| p.style(&format!("  {l:<9}"), Style::new().bold());
    let manifest = cx
        .manifest
        .map(|m| format!(", manifest {m}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} {} profile, {} ({} usable), {} captioned{manifest}",
        p.style("Summary:", Style::new().bold()),
        s.profile,
        plural(s.images, "image", "images"),
        s.usable,
        s.captioned
    )?;
    if s.faces_detected {
        writeln!(
            out,
            "{}{}",
            label("framing"),
            list(&s.framing, |(c, n)| format!("{} {n}", c.as_str()))
        )?;
        if s.with_face > 0 && !s.targets.is_empty() {
            writeln!(
                out,
                "{}{}",
                label("targets"),
                list(&s.targets, |t| {
                    let state = if t.ok() {
                        p.style("ok", Style::new().green())
                    } else {
                        p.style("missed", Style::new().red())
                    };
                    format!(
                        "{} {} (target {}) {state}",
                        t.target.label(),
                        t.value_label(),
                        t.target.range_label()
                    )
                })
            )?;
        }
        if !s.angles.is_empty() {
            writeln!(
                out,
                "{}{}",
                label("angles"),
                list(&s.angles, |(a, n)| format!("{} {n}", a.as_str()))
            )?;
        }
    } else {
        writeln!(out, "{}not detected in this manifest", label("faces"))?;
    }
    if s.captioned > 0 {
        let trigger = match &s.trigger {
            Some(t) => format!(
                "`{}`{} first in {}/{} captions",
                t.text,
                if t.inferred { " (inferred)" } else { "" },
                s.trigger_first,
                s.captioned
            ),
            None => "none".to_owned(),
        };
        let class = if s.class_words.is_empty() {
            "no class word".to_owned()
        } else {
            format!(
                "class words {}",
                list(&s.class_words, |(w, n)| format!("`{w}` {n}"))
            )
        };
        writeln!(out, "{}{trigger}; {class}", label("trigger"))?;
        let described: Vec<_> = s
            .slots
            .iter()
            .filter(|v| v.filled > 0 && !v.identity)
            .collect();
        if described.is_empty() {
            writeln!(
                out,
                "{}none filled besides trigger and class",
                label("slots")
            )?;
        } else {
            writeln!(
                out,
                "{}{} (entropy, bits; unwanted max {})",
                label("slots"),
                list(described, |v| {
                    let unwanted = s.unwanted_slots.contains(&v.name);
                    let text = format!("{} {:.2}", v.name, v.entropy_bits);
                    if unwanted && v.entropy_bits > s.max_unwanted_slot_entropy + 1e-9 {
                        p.style(&format!("{text}!"), Style::new().red())
                    } else if unwanted {
                        format!("{text}*")
                    } else {
                        text
                    }
                }),
                s.max_unwanted_slot_entropy
            )?;
        }
        if let Some(share) = s.unwanted_word_share
            && !s.unwanted_slots.is_empty()
        {
            writeln!(
                out,
                "{}{} of caption words in unwanted slots ({}; * marks them, ! over the max)",
                label(""),
                pct(share),
                list(&s.unwanted_slots, Clone::clone)
            )?;
        }
    }
    if let Some(id) = &s.identity {
        let medoid = id
            .medoid
            .as_deref()
            .map_or_else(|| "none".to_owned(), |m| cx.location(m));
        writeln!(
            out,
            "{}{} embedded, medoid {medoid}, {} below {}",
            label("identity"),
            plural(id.embedded, "face", "faces"),
            id.outliers,
            id.threshold
        )?;
    }
    for skipped in &s.skipped {
        writeln!(
            out,
            "{}{}: {}",
            label("not run"),
            list(&skipped.rules, |r| r.code().to_owned()),
            skipped.reason
        )?;
    }
    if s.suppressed > 0 {
        writeln!(
            out,
            "{}{} by per-file-ignores",
            label("ignored"),
            plural(s.suppressed, "finding", "findings")
        )?;
    }
    let verdict = if report.failed() {
        p.style("fails", Style::new().red().bold())
    } else {
        p.style("passes", Style::new().green().bold())
    };
    writeln!(
        out,
        "{}{}, {}, {}: {verdict} (fail-on {})",
        label("result"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        report.fail_on
    )
}
