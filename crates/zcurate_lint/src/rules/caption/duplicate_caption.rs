use std::collections::BTreeMap;

use super::caption_path;
use crate::captions::normalised;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes captions identical (ignoring case and spacing) to another image's caption,
    /// when the images themselves differ. Exact copies of images are `exact-duplicate`'s.
    ///
    /// ## Why is this bad?
    /// Identical captions give the LoRA nothing to tell the images apart by, so whatever
    /// differs between them (expression, light, angle) is learned as part of the subject
    /// instead of as a promptable choice. With a template schema some repeats are expected,
    /// hence `info`.
    ///
    /// ## How to fix
    /// Describe what differs (expression, angle, lighting) in each caption.
    ///
    /// ## Options
    /// None.
    code: "CAP011",
    name: "duplicate-caption",
    group: Caption,
    severity: Info,
    summary: "Caption is identical to another image's",
    options: [],
    requires: Manifest,
}

/// CAP011
pub(crate) fn check(cx: &mut Context<'_>) {
    // Per normalised caption: (image path, caption path, content hash) of each image.
    type Member<'a> = (&'a str, &'a str, Option<&'a str>);
    let mut groups: BTreeMap<String, Vec<Member<'_>>> = BTreeMap::new();
    for (i, r) in cx.manifest.images.iter().enumerate() {
        if cx.facts.captions.parsed[i].is_none() {
            continue;
        }
        let Some(text) = r.caption.as_deref() else {
            continue;
        };
        groups.entry(normalised(text)).or_default().push((
            r.path.as_str(),
            caption_path(r),
            r.sha256.as_deref(),
        ));
    }
    for members in groups.into_values() {
        // Distinct images only: one entry per content hash.
        let mut seen = std::collections::BTreeSet::new();
        let distinct: Vec<_> = members
            .into_iter()
            .filter(|(p, _, h)| seen.insert(h.unwrap_or(p)))
            .collect();
        if distinct.len() < 2 {
            continue;
        }
        let first = distinct[0].0;
        let files: Vec<String> = distinct.iter().map(|(_, c, _)| (*c).to_owned()).collect();
        for (_, cap, _) in &distinct[1..] {
            cx.report(
                Some(cap),
                format!(
                    "same caption as {first} ({} images share it)",
                    distinct.len()
                ),
            )
            .files(files.clone())
            .fix("describe what differs (expression, angle, lighting)");
        }
    }
}
