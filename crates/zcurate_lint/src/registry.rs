//! Rule metadata: codes, names, groups, default severities and the docs they carry.
//!
//! Each rule file declares its metadata with [`declare_rule!`], whose doc comment is the single
//! source of `zcurate rule CODE`, `docs/rules/<CODE>.md` and the SARIF rule descriptions.

use std::fmt;

use serde::Serialize;

use crate::Severity;

/// A family of rules, named by its code prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    Image,
    Quality,
    Duplicate,
    Face,
    Scope,
    Caption,
    Plan,
    Identity,
}

impl Group {
    pub const ALL: [Group; 8] = [
        Self::Image,
        Self::Quality,
        Self::Duplicate,
        Self::Face,
        Self::Scope,
        Self::Caption,
        Self::Plan,
        Self::Identity,
    ];

    /// The code prefix: selecting it selects the whole group.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Image => "IMG",
            Self::Quality => "QLT",
            Self::Duplicate => "DUP",
            Self::Face => "FACE",
            Self::Scope => "SET",
            Self::Caption => "CAP",
            Self::Plan => "PLAN",
            Self::Identity => "ID",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Quality => "quality",
            Self::Duplicate => "duplicate",
            Self::Face => "face",
            Self::Scope => "scope",
            Self::Caption => "caption",
            Self::Plan => "plan",
            Self::Identity => "identity",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Image => "files and image formats",
            Self::Quality => "exposure, sharpness and colour of each image",
            Self::Duplicate => "exact and near-duplicate images",
            Self::Face => "the subject's face in each image",
            Self::Scope => "the dataset as a whole, against the profile",
            Self::Caption => "caption sidecars and their consistency",
            Self::Plan => "the training plan (base model, steps, dropout)",
            Self::Identity => "same person in every image (opt-in, --identity)",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule needs besides the manifest; without it the rule is skipped and the summary
/// says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requires {
    /// Only the manifest.
    Manifest,
    /// Face detection results in the manifest.
    Faces,
    /// A training plan (`[plan]` table or plan flags).
    Plan,
    /// Face embeddings (`--identity`).
    Identity,
}

/// Everything about a rule except its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, group prefix plus three digits; never reused.
    pub code: &'static str,
    /// Kebab-case name describing the problem.
    pub name: &'static str,
    pub group: Group,
    /// Severity unless a profile or the config changes it.
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// The rule's doc comment, one `#[doc]` line per line (each with rustdoc's leading space).
    pub(crate) raw_doc: &'static str,
    /// Profile and config keys the rule reads.
    pub options: &'static [&'static str],
    pub requires: Requires,
}

impl RuleMeta {
    /// The doc comment as Markdown.
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.raw_doc.len());
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// Path of the generated doc page, relative to the repository root.
    pub fn doc_path(&self) -> String {
        format!("docs/rules/{}.md", self.code)
    }
}

/// Declares a rule's metadata as `pub(crate) const META`. The doc comment must have the
/// sections `## What it does`, `## Why is this bad?`, `## How to fix` and `## Options`
/// (checked by a test).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        code: $code:literal,
        name: $name:literal,
        group: $group:ident,
        severity: $severity:ident,
        summary: $summary:literal,
        options: [$($option:literal),* $(,)?],
        requires: $requires:ident $(,)?
    ) => {
        pub(crate) const META: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            code: $code,
            name: $name,
            group: $crate::registry::Group::$group,
            severity: $crate::Severity::$severity,
            summary: $summary,
            raw_doc: concat!($($doc, "\n"),+),
            options: &[$($option),*],
            requires: $crate::registry::Requires::$requires,
        };
    };
}

pub(crate) use declare_rule;
