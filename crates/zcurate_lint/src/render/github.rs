//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//! Images have no lines, so only `file` is set; dataset-level findings have no file.

use std::io::{self, Write};

use super::RenderContext;
use crate::report::Report;

/// Escapes the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn render(
    report: &Report,
    cx: &RenderContext<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for f in &report.findings {
        let title = escape_property(&format!("zcurate {} {}", f.rule.code(), f.rule.name()));
        let file = f
            .path
            .as_deref()
            .map(|p| format!(",file={}", escape_property(&cx.location(p))))
            .unwrap_or_default();
        let text = match &f.fix {
            Some(fix) => format!("{} (fix: {fix})", f.message),
            None => f.message.clone(),
        };
        writeln!(
            out,
            "::{} title={title}{file}::{}",
            f.severity.github_command(),
            escape_data(&text)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
