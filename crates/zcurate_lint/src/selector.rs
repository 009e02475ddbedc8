//! Rule selectors: `ALL`, a code prefix (`FACE`, `CAP0`), a code (`FACE002`) or a name
//! (`multiple-faces`), as in ruff.

use std::fmt;

use crate::error::LintError;
use crate::rules::Rule;
use crate::util::edit_distance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSelector {
    All,
    Prefix(String),
    Rule(Rule),
}

impl RuleSelector {
    /// Parses a selector; `context` names where it came from for the error message.
    pub fn parse(s: &str, context: &str) -> Result<Self, LintError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("ALL") {
            return Ok(Self::All);
        }
        if let Some(rule) = Rule::from_code_or_name(s) {
            return Ok(Self::Rule(rule));
        }
        let upper = s.to_ascii_uppercase();
        if !upper.is_empty() && Rule::ALL.iter().any(|r| r.code().starts_with(&upper)) {
            return Ok(Self::Prefix(upper));
        }
        let hint = Rule::ALL
            .iter()
            .flat_map(|r| [r.code(), r.name()])
            .map(|c| {
                (
                    edit_distance(&c.to_ascii_lowercase(), &s.to_ascii_lowercase()),
                    c,
                )
            })
            .min()
            .filter(|(d, _)| *d <= 3)
            .map(|(_, c)| format!(" (did you mean `{c}`?)"))
            .unwrap_or_default();
        Err(LintError::Config(format!(
            "unknown rule `{s}` in {context}{hint}; `zcurate rule --all` lists the rules"
        )))
    }

    pub fn matches(&self, rule: Rule) -> bool {
        match self {
            Self::All => true,
            Self::Prefix(p) => rule.code().starts_with(p.as_str()),
            Self::Rule(r) => *r == rule,
        }
    }

    /// More specific selectors win over less specific ones (ruff's rule).
    pub fn specificity(&self) -> usize {
        match self {
            Self::All => 0,
            Self::Prefix(p) => p.len(),
            Self::Rule(_) => usize::MAX,
        }
    }
}

impl fmt::Display for RuleSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("ALL"),
            Self::Prefix(p) => f.write_str(p),
            Self::Rule(r) => f.write_str(r.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(RuleSelector::parse("ALL", "t").unwrap(), RuleSelector::All);
        assert_eq!(
            RuleSelector::parse("face", "t").unwrap(),
            RuleSelector::Prefix("FACE".into())
        );
        assert_eq!(
            RuleSelector::parse("FACE002", "t").unwrap(),
            RuleSelector::Rule(Rule::MultipleFaces)
        );
        assert_eq!(
            RuleSelector::parse("multiple-faces", "t").unwrap(),
            RuleSelector::Rule(Rule::MultipleFaces)
        );
    }

    #[test]
    fn unknown_selector_suggests() {
        let e = RuleSelector::parse("multiple-face", "--select")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `multiple-faces`"), "{e}");
        assert!(e.contains("--select"), "{e}");
        let e = RuleSelector::parse("XYZ", "--select")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown rule `XYZ`"), "{e}");
    }
}
