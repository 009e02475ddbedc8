//! `CAP`: caption sidecars and their consistency across the dataset.

pub(crate) mod caption_too_long;
pub(crate) mod constant_caption_slot;
pub(crate) mod duplicate_caption;
pub(crate) mod empty_caption;
pub(crate) mod high_caption_slot_entropy;
pub(crate) mod missing_caption;
pub(crate) mod missing_trigger;
pub(crate) mod misspelled_trigger;
pub(crate) mod mixed_class_words;
pub(crate) mod orphan_caption;
pub(crate) mod trigger_not_first;
pub(crate) mod unreadable_caption;

use zcurate_manifest::ImageRecord;

use crate::context::Context;

/// Where a caption finding points: the sidecar, or the image when there is none.
pub(crate) fn caption_path(r: &ImageRecord) -> &str {
    r.caption_path.as_deref().unwrap_or(&r.path)
}

/// The `zcurate caption` command that rewrites captions to the profile's schema.
pub(crate) fn caption_command(cx: &Context<'_>) -> String {
    format!(
        "`zcurate caption --schema {} --write`",
        cx.settings.schema.name
    )
}
