//! The gate: a dataset whose lint report fails (findings at or above the failing severity)
//! is not exported unless forced, and a forced export says so wherever it is read.

use serde::{Deserialize, Serialize};
use zcurate_lint::Report;

/// One finding that fails the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateFinding {
    pub code: String,
    pub name: String,
    pub severity: String,
    /// Image or caption path relative to the dataset; `None` for dataset-level findings.
    pub path: Option<String>,
    pub message: String,
}

/// The lint verdict on the dataset, as the export sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// No finding at or above `fail_on`.
    pub passed: bool,
    /// Lowest severity that fails (`error` unless configured otherwise).
    pub fail_on: String,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The findings that fail the gate.
    pub failing: Vec<GateFinding>,
}

impl Gate {
    pub fn from_report(report: &Report) -> Self {
        let failing = report
            .findings
            .iter()
            .filter(|f| f.severity >= report.fail_on)
            .map(|f| {
                let meta = f.rule.meta();
                GateFinding {
                    code: meta.code.to_owned(),
                    name: meta.name.to_owned(),
                    severity: f.severity.to_string(),
                    path: f.path.clone(),
                    message: f.message.clone(),
                }
            })
            .collect();
        Self {
            passed: !report.failed(),
            fail_on: report.fail_on.to_string(),
            errors: report.summary.errors,
            warnings: report.summary.warnings,
            infos: report.summary.infos,
            failing,
        }
    }
}

impl GateFinding {
    /// `error[CAP005] missing-trigger: img_07.txt: no trigger ...`
    pub fn line(&self) -> String {
        let place = self
            .path
            .as_ref()
            .map_or_else(String::new, |p| format!(" {p}:"));
        format!(
            "{}[{}] {}:{place} {}",
            self.severity, self.code, self.name, self.message
        )
    }
}
