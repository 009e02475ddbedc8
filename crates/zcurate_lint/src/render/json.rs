//! `--format json`: one object, stable and documented in `docs/lint.md`. Fields are only
//! ever added; `format_version` changes if one changes meaning or goes.

use std::io::{self, Write};

use serde::Serialize;

use super::{RenderContext, doc_url};
use crate::report::{Report, Summary};

/// Version of the JSON report format.
pub(crate) const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    format_version: u32,
    tool: Tool<'a>,
    /// The dataset folder as given.
    root: &'a str,
    /// The manifest that was linted.
    manifest: Option<&'a str>,
    profile: &'a str,
    fail_on: &'a str,
    failed: bool,
    counts: Counts,
    findings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    /// Relative to the dataset root; null for dataset-level findings.
    path: Option<&'a str>,
    /// `root` joined with `path` (or the root itself).
    location: String,
    message: &'a str,
    fix: Option<&'a str>,
    value: Option<f64>,
    threshold: Option<f64>,
    files: &'a [String],
    doc: String,
}

pub(super) fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = &report.summary;
    let json = Json {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "zcurate",
            version: cx.version,
        },
        root: cx.root,
        manifest: cx.manifest,
        profile: &s.profile,
        fail_on: report.fail_on.as_str(),
        failed: report.failed(),
        counts: Counts {
            error: s.errors,
            warning: s.warnings,
            info: s.infos,
        },
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                code: f.rule.code(),
                name: f.rule.name(),
                severity: f.severity.as_str(),
                path: f.path.as_deref(),
                location: f
                    .path
                    .as_deref()
                    .map_or_else(|| cx.dataset_location(), |p| cx.location(p)),
                message: &f.message,
                fix: f.fix.as_deref(),
                value: f.value.map(crate::report::round4),
                threshold: f.threshold,
                files: &f.files,
                doc: doc_url(f.rule.code()),
            })
            .collect(),
        summary: s,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
