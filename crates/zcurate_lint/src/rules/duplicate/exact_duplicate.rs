use std::collections::BTreeMap;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags files with identical content (the same sha256), wherever they are in the
    /// dataset. The first file of each group, by path, is the one to keep; every other one is
    /// reported.
    ///
    /// ## Why is this bad?
    /// A copy trains twice as often as the other images, so the LoRA overfits that shot.
    /// cleanvision's `exact_duplicates` check does the same with md5 of the pixels.
    ///
    /// ## How to fix
    /// Delete the copies. To weight an image on purpose, use the trainer's repeats instead.
    ///
    /// ## Options
    /// None.
    code: "DUP001",
    name: "exact-duplicate",
    group: Duplicate,
    severity: Error,
    summary: "Image is an exact copy of another",
    options: [],
    requires: Manifest,
}

/// DUP001
pub(crate) fn check(cx: &mut Context<'_>) {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (_, r) in cx.images() {
        if let Some(h) = &r.sha256 {
            groups.entry(h.as_str()).or_default().push(&r.path);
        }
    }
    let mut groups: Vec<Vec<&str>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort();
    for group in groups {
        let keep = group[0];
        let files: Vec<String> = group.iter().map(|p| (*p).to_owned()).collect();
        for dup in &group[1..] {
            cx.report(
                Some(dup),
                format!("identical to {keep} (same sha256); it trains twice as often"),
            )
            .files(files.clone())
            .fix(format!(
                "delete it and keep {keep}; use repeats to weight an image"
            ));
        }
    }
}
