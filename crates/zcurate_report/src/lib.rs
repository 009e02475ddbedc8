//! The HTML report behind `zcurate report`: one self-contained page showing a dataset the
//! way the linter sees it.
//!
//! ```text
//! let thumbs = make_thumbnails(root, &manifest.images, &ThumbOptions { cache_dir, .. })?;
//! let page = Page::build(&manifest, &lint_report, &PageContext { root, version, .. });
//! write_report(&page, &thumbs, out_path)?;
//! ```
//!
//! - [`model`]: the page's data (verdict, chart series, findings by rule, per-image views),
//!   also embedded as JSON for the page's script.
//! - [`thumbs`]: thumbnails decoded with `zcurate_image`, resized with `fast_image_resize`,
//!   made in parallel and cached by sha256.
//! - [`charts`]: the SVG charts.
//! - [`html`]: the page, with inline CSS, JS, SVG and `data:` URI thumbnails; nothing is
//!   fetched when it is opened.

mod assets;
pub mod base64;
pub mod charts;
mod error;
pub mod escape;
pub mod html;
pub mod model;
mod out_path;
pub mod thumbs;

use std::path::{Component, Path};

pub use error::ReportError;
pub use model::{Page, PageContext};
pub use out_path::check_out_path;
pub use thumbs::{
    THUMB_MAX_SIDE, THUMB_QUALITY, Thumb, ThumbOptions, ThumbStats, Thumbnails, make_thumbnails,
    thumb_of,
};

/// Renders the page and writes it to `out` through a temporary file, so a failed or
/// interrupted run never leaves half a report. Returns the number of bytes written.
pub fn write_report(page: &Page, thumbs: &Thumbnails, out: &Path) -> Result<u64, ReportError> {
    let html = html::render(page, thumbs);
    let write_err = |source| ReportError::Write {
        path: out.to_path_buf(),
        source,
    };
    zcurate_fs::write_atomic(out, html.as_bytes()).map_err(write_err)?;
    Ok(html.len() as u64)
}

/// The URL of the dataset folder `root` relative to the folder the report `out` is written
/// to, for the detail view's "open the original" links: relative, so the report and the
/// dataset can move together. `None` when there is no relative path (another drive) or a
/// folder name is not UTF-8.
pub fn relative_href(out: &Path, root: &Path) -> Option<String> {
    let out_dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let from = std::fs::canonicalize(out_dir).ok()?;
    let to = std::fs::canonicalize(root).ok()?;
    let (from, to): (Vec<Component<'_>>, Vec<Component<'_>>) =
        (from.components().collect(), to.components().collect());
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    for c in &to[common..] {
        parts.push(c.as_os_str().to_str()?);
    }
    if parts.is_empty() {
        parts.push(".");
    }
    Some(escape::url_path(&parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::relative_href;

    #[test]
    fn href_from_the_report_folder_to_the_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("my data");
        let reports = dir.path().join("reports");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::create_dir_all(&reports).unwrap();
        assert_eq!(
            relative_href(&reports.join("r.html"), &data).as_deref(),
            Some("../my%20data")
        );
        assert_eq!(
            relative_href(&data.join("r.html"), &data).as_deref(),
            Some(".")
        );
    }
}
