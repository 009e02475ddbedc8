//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, VS Code).

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{REPOSITORY, RenderContext, doc_url};
use crate::report::Report;
use crate::rules::Rule;

pub(super) fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Only rules that fired are described, in code order; results point at them by index.
    let rules: Vec<Rule> = report
        .findings
        .iter()
        .map(|f| f.rule)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            let m = r.meta();
            let doc = m.doc();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": doc.trim() },
                "help": { "text": doc.trim(), "markdown": doc.trim() },
                "helpUri": doc_url(m.code),
                "defaultConfiguration": { "level": m.severity.sarif_level() },
                "properties": { "group": m.group.as_str() },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let uri = f
                .path
                .as_deref()
                .map_or_else(|| cx.dataset_location(), |p| cx.location(p));
            let text = match &f.fix {
                Some(fix) => format!("{} (fix: {fix})", f.message),
                None => f.message.clone(),
            };
            let mut properties = serde_json::Map::new();
            if let Some(v) = f.value {
                properties.insert("value".into(), json!(crate::report::round4(v)));
            }
            if let Some(t) = f.threshold {
                properties.insert("threshold".into(), json!(t));
            }
            if !f.files.is_empty() {
                properties.insert("files".into(), json!(f.files));
            }
            properties.insert("datasetLevel".into(), json!(f.path.is_none()));
            json!({
                "ruleId": f.rule.code(),
                "ruleIndex": rules.iter().position(|r| *r == f.rule).unwrap_or(0),
                "level": f.severity.sarif_level(),
                "message": { "text": text },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
                "properties": properties,
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "zcurate",
                "version": cx.version,
                "informationUri": REPOSITORY,
                "rules": descriptors,
            }},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}
