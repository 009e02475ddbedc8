//! `zcurate rule CODE|NAME` prints a lint rule's documentation; `--all` lists every rule.

use std::io::Write;

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use serde::Serialize;
use zcurate_lint::Rule;

use crate::ExitStatus;

#[derive(Debug, ClapArgs)]
pub(crate) struct RuleArgs {
    /// Rule code or name, e.g. `FACE002` or `multiple-faces`.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub(crate) rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    pub(crate) all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RuleFormat::Text)]
    pub(crate) format: RuleFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RuleFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct RuleJson {
    code: &'static str,
    name: &'static str,
    group: &'static str,
    severity: &'static str,
    summary: &'static str,
    options: &'static [&'static str],
    doc: String,
}

fn json(rule: Rule) -> RuleJson {
    let m = rule.meta();
    RuleJson {
        code: m.code,
        name: m.name,
        group: m.group.as_str(),
        severity: m.severity.as_str(),
        summary: m.summary,
        options: m.options,
        doc: zcurate_lint::docs::rule_markdown(rule),
    }
}

pub(crate) fn run(args: &RuleArgs) -> Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    if args.all {
        match args.format {
            RuleFormat::Json => {
                let all: Vec<RuleJson> = Rule::ALL.iter().map(|r| json(*r)).collect();
                serde_json::to_writer_pretty(&mut out, &all)?;
                writeln!(out)?;
            }
            RuleFormat::Text => {
                for rule in Rule::ALL {
                    let m = rule.meta();
                    writeln!(
                        out,
                        "{:<8} {:<28} {:<8} {}",
                        m.code, m.name, m.severity, m.summary
                    )?;
                }
            }
        }
        return Ok(ExitStatus::Success);
    }
    let query = args.rule.as_deref().unwrap_or_default();
    let Some(rule) = Rule::from_code_or_name(query) else {
        // Reuse the selector's message, which suggests the closest rule.
        let err = zcurate_lint::RuleSelector::parse(query, "`zcurate rule`")
            .err()
            .map_or_else(
                || {
                    format!(
                        "`{query}` is a prefix, not one rule; `zcurate rule --all` lists the rules"
                    )
                },
                |e| e.to_string(),
            );
        anyhow::bail!(err);
    };
    match args.format {
        RuleFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &json(rule))?;
            writeln!(out)?;
        }
        RuleFormat::Text => out.write_all(zcurate_lint::docs::rule_markdown(rule).as_bytes())?,
    }
    Ok(ExitStatus::Success)
}
