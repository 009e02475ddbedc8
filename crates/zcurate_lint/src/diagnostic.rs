use crate::Severity;
use crate::rules::Rule;

/// One problem found: a rule, where (an image, or the dataset when `path` is `None`), a
/// message naming the measured value against its threshold, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Image or caption path relative to the dataset root; `None` for dataset-level findings.
    pub path: Option<String>,
    pub message: String,
    /// What to do, naming the zcurate command where one exists.
    pub fix: Option<String>,
    /// The measured value, for scored rules (so JSON users can re-threshold).
    pub value: Option<f64>,
    /// The threshold the value was compared with.
    pub threshold: Option<f64>,
    /// Other files involved: the rest of a duplicate group, the images of an
    /// over-represented framing class.
    pub files: Vec<String>,
}

impl Finding {
    pub(crate) fn new(rule: Rule, severity: Severity, path: Option<&str>, message: String) -> Self {
        Self {
            rule,
            severity,
            path: path.map(str::to_owned),
            message,
            fix: None,
            value: None,
            threshold: None,
            files: Vec::new(),
        }
    }

    pub(crate) fn fix(&mut self, fix: impl Into<String>) -> &mut Self {
        self.fix = Some(fix.into());
        self
    }

    pub(crate) fn measured(&mut self, value: f64, threshold: f64) -> &mut Self {
        self.value = Some(value);
        self.threshold = Some(threshold);
        self
    }

    pub(crate) fn files(&mut self, files: Vec<String>) -> &mut Self {
        self.files = files;
        self
    }
}
