use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes images whose EXIF orientation tag is not "upright" (1). zcurate measures them
    /// turned upright, as cameras intend.
    ///
    /// ## Why is this bad?
    /// A trainer or cropping tool that ignores the tag sees the image sideways or mirrored,
    /// and learns a rotated subject. Most loaders apply the tag; some pipelines do not.
    ///
    /// ## How to fix
    /// Write the pixels upright and drop the tag: re-save the image in an editor, or use a
    /// lossless tool such as `exiftran -ai` or `jpegtran`.
    ///
    /// ## Options
    /// None.
    code: "IMG005",
    name: "exif-rotated-image",
    group: Image,
    severity: Info,
    summary: "Image relies on an EXIF orientation tag",
    options: [],
    requires: Manifest,
}

fn describe(tag: u8) -> &'static str {
    match tag {
        2 => "mirrored",
        3 => "rotated 180°",
        4 => "flipped vertically",
        5 => "mirrored and rotated 270° clockwise",
        6 => "rotated 90° clockwise",
        7 => "mirrored and rotated 90° clockwise",
        8 => "rotated 270° clockwise",
        _ => "an unknown orientation",
    }
}

/// IMG005
pub(crate) fn check(cx: &mut Context<'_>) {
    for (_, r) in cx.images() {
        let Some(tag) = r.exif_orientation.filter(|t| *t > 1) else {
            continue;
        };
        cx.report(
            Some(&r.path),
            format!(
                "EXIF orientation {tag} ({}); a tool that ignores the tag sees it turned",
                describe(tag)
            ),
        )
        .fix("re-save it upright without the tag (an editor, or `exiftran -ai`)");
    }
}
