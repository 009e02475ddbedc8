use zcurate_manifest::ErrorKind;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags image files that cannot be read or decoded: unreadable from disk, empty,
    /// corrupt or truncated, or over the decode limits (a decompression bomb or a huge
    /// image). Folders that cannot be listed are reported here too.
    ///
    /// ## Why is this bad?
    /// Trainers crash on such a file or skip it silently, so the dataset you checked is not
    /// the dataset that trains.
    ///
    /// ## How to fix
    /// Re-export or re-download the file, or remove it, then run `zcurate scan` again.
    ///
    /// ## Options
    /// None. The decode limits are the scan's.
    code: "IMG001",
    name: "unreadable-image",
    group: Image,
    severity: Error,
    summary: "Image file cannot be read or decoded",
    options: [],
    requires: Manifest,
}

/// IMG001
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.records() {
        let Some(e) = &r.error else { continue };
        let what = match e.kind {
            ErrorKind::Io => "cannot be read",
            ErrorKind::Empty => "is empty",
            ErrorKind::Corrupt => "is corrupt or truncated",
            ErrorKind::Limits => "exceeds the decode limits",
            ErrorKind::Name => "is refused",
            _ => continue,
        };
        // The decoder's own message may already open with the same words.
        let detail = e
            .message
            .strip_prefix("exceeds decode limits: ")
            .unwrap_or(&e.message);
        cx.report(Some(&r.path), format!("file {what}: {detail}"))
            .fix("re-export or re-download it, or remove it; then `zcurate scan`");
    }
    for d in &cx.manifest.dir_errors {
        cx.report(
            Some(&d.path),
            format!("folder cannot be read: {}", d.message),
        )
        .fix("fix its permissions, or move it out of the dataset");
    }
}
