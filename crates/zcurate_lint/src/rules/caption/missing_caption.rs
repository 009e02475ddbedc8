use std::path::Path;

use zcurate_manifest::ErrorKind;

use super::caption_command;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags images without a caption sidecar (same name, the scan's caption extension,
    /// `.txt` by default).
    ///
    /// ## Why is this bad?
    /// Trainers then use an empty caption, the folder's class prompt, or skip the image,
    /// depending on the trainer (SimpleTuner, kohya and ai-toolkit all differ). Whichever
    /// it is, the image trains differently from the rest.
    ///
    /// ## How to fix
    /// Write captions from the profile's schema: `zcurate caption --schema face --write`
    /// (or `--schema character`), or add the sidecar by hand.
    ///
    /// ## Options
    /// None.
    code: "CAP001",
    name: "missing-caption",
    group: Caption,
    severity: Error,
    summary: "Image has no caption sidecar",
    options: [],
    requires: Manifest,
}

/// CAP001
pub(crate) fn check(cx: &mut Context<'_>) {
    let ext = cx.manifest.settings.caption_ext.clone();
    let fix = caption_command(cx);
    for (_, r) in cx.images() {
        let unreadable = r
            .error
            .as_ref()
            .is_some_and(|e| e.kind == ErrorKind::Caption);
        if r.caption_path.is_none() && !unreadable {
            let sidecar = Path::new(&r.path).with_extension(&ext);
            cx.report(
                Some(&r.path),
                format!("no caption sidecar ({})", sidecar.to_string_lossy()),
            )
            .fix(format!("{fix}, or write the sidecar by hand"));
        }
    }
}
