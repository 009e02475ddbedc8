//! `--format junit`: JUnit XML for CI dashboards. One suite per file (and one for the
//! dataset); findings at or above the failing severity are failures, lower ones pass with
//! their message in `system-out`, so the dashboard agrees with the exit status.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::RenderContext;
use crate::diagnostic::Finding;
use crate::report::Report;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut suites: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let key = f
            .path
            .as_deref()
            .map_or_else(|| cx.dataset_location(), |p| cx.location(p));
        suites.entry(key).or_default().push(f);
    }
    let failing = |f: &Finding| f.severity >= report.fail_on;
    let total = report.findings.len().max(1);
    let failures = report.findings.iter().filter(|f| failing(f)).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="zcurate lint" tests="{total}" failures="{failures}">"#
    )?;
    if suites.is_empty() {
        let name = xml(&cx.dataset_location());
        writeln!(out, r#"  <testsuite name="{name}" tests="1" failures="0">"#)?;
        writeln!(
            out,
            r#"    <testcase name="zcurate lint" classname="{name}"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for (name, findings) in &suites {
        let name = xml(name);
        let fails = findings.iter().filter(|f| failing(f)).count();
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{fails}">"#,
            findings.len()
        )?;
        for f in findings {
            let case = xml(&format!("{} {}", f.rule.code(), f.rule.name()));
            let body = match &f.fix {
                Some(fix) => format!("{}\nfix: {fix}", f.message),
                None => f.message.clone(),
            };
            writeln!(out, r#"    <testcase name="{case}" classname="{name}">"#)?;
            if failing(f) {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(&f.message),
                    f.severity,
                    xml(&body)
                )?;
            } else {
                writeln!(
                    out,
                    "      <system-out>{}: {}</system-out>",
                    f.severity,
                    xml(&body)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
