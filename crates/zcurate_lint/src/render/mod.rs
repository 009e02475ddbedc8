//! Report formats: `human` for people, `json` (stable, documented in `docs/lint.md`),
//! `sarif` 2.1.0, `github` workflow annotations and `junit` for CI dashboards.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use crate::report::Report;

/// An output format of `zcurate lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

/// What a renderer needs besides the report.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// The dataset folder as given on the command line; CI formats join it to finding paths
    /// so annotations point at files from the working directory.
    pub root: &'a str,
    /// The manifest that was linted, as a path from the working directory.
    pub manifest: Option<&'a str>,
    /// ANSI colour in `human` output.
    pub colour: bool,
    /// The zcurate version.
    pub version: &'a str,
    /// List every file of every rule in `human` output; otherwise each rule shows its first
    /// [`HUMAN_FILES_PER_RULE`] files and a count, so the report fits a screen.
    pub show_all: bool,
}

/// Files listed per rule in `human` output unless `show_all`: enough to recognise the
/// pattern; the machine formats always list everything.
pub const HUMAN_FILES_PER_RULE: usize = 10;

impl RenderContext<'_> {
    /// `path` (relative to the dataset) as seen from the working directory.
    pub fn location(&self, path: &str) -> String {
        join(self.root, path)
    }

    /// The dataset folder itself, for dataset-level findings.
    pub fn dataset_location(&self) -> String {
        let root = self.root.trim_end_matches('/');
        if root.is_empty() {
            ".".to_owned()
        } else {
            root.to_owned()
        }
    }
}

/// Joins a dataset-relative path to the root with `/`, dropping a leading `./`.
fn join(root: &str, path: &str) -> String {
    let root = root.trim_end_matches(['/', '\\']);
    let joined = if root.is_empty() || root == "." {
        path.to_owned()
    } else {
        format!("{}/{path}", root.replace('\\', "/"))
    };
    joined
        .strip_prefix("./")
        .map(str::to_owned)
        .unwrap_or(joined)
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, cx, out),
        Format::Json => json::render(report, cx, out),
        Format::Sarif => sarif::render(report, cx, out),
        Format::Github => github::render(report, cx, out),
        Format::Junit => junit::render(report, cx, out),
    }
}

/// The repository the doc links point into: the workspace's `repository` metadata.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

// Without the metadata every link would be relative, which no SARIF or JSON viewer can open.
const _: () = assert!(
    !REPOSITORY.is_empty(),
    "set `repository.workspace = true` in zcurate_lint's Cargo.toml"
);

/// The doc page of a rule, as an absolute URL into the repository.
fn doc_url(code: &str) -> String {
    format!("{REPOSITORY}/blob/main/docs/rules/{code}.md")
}

#[cfg(test)]
mod tests {
    use super::{REPOSITORY, doc_url, join};

    #[test]
    fn doc_links_are_absolute() {
        let url = doc_url("IMG003");
        assert!(url.starts_with("https://"), "{url}");
        assert_eq!(url, format!("{REPOSITORY}/blob/main/docs/rules/IMG003.md"));
    }

    #[test]
    fn joins_paths() {
        assert_eq!(join(".", "a.jpg"), "a.jpg");
        assert_eq!(join("", "a.jpg"), "a.jpg");
        assert_eq!(join("data/", "a.jpg"), "data/a.jpg");
        assert_eq!(join("./data", "sub/a.jpg"), "data/sub/a.jpg");
    }
}
