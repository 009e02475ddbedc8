//! The page's stylesheet and script, kept as real files (editable with a CSS/JS editor's
//! help) and compiled into the binary, so a report never fetches anything.

/// The stylesheet, inlined in `<style>`.
pub(crate) const CSS: &str = include_str!("../assets/report.css");

/// The script, inlined in `<script>`: filters, badges' thumbnails, the detail view.
pub(crate) const JS: &str = include_str!("../assets/report.js");
