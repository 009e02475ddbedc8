use std::collections::BTreeMap;

use zcurate_image::hamming;

use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Groups images whose 64-bit perceptual hashes (pHash) differ in at most
    /// `near-duplicate-max-distance` bits, linking groups transitively, and reports every
    /// image of a group but the best one (colour over a greyscale copy, then largest, then
    /// sharpest: a grey copy carries less of the subject). Exact copies count once here;
    /// `exact-duplicate` reports them.
    ///
    /// ## Why is this bad?
    /// Burst shots, resized or re-encoded copies and light crops train the same picture
    /// several times: the LoRA memorises that shot (pose, background, expression) instead
    /// of the identity.
    ///
    /// The default distance is 5, czkawka's "medium" preset at hash size 8. cleanvision
    /// groups only identical hashes (distance 0), which misses re-encodes; a 90 % resize
    /// plus JPEG re-encode measures 0 to 2, different shots of one person 20 or more.
    ///
    /// ## How to fix
    /// Keep the best image of each group (the one named in the message) and remove the
    /// others, or replace them with genuinely different shots.
    ///
    /// ## Options
    /// - `near-duplicate-max-distance`
    code: "DUP002",
    name: "near-duplicate",
    group: Duplicate,
    severity: Warning,
    summary: "Image is a near-duplicate of another",
    options: ["near-duplicate-max-distance"],
    requires: Manifest,
}

struct Item<'a> {
    path: &'a str,
    hash: u64,
    /// Not a greyscale copy.
    colour: bool,
    area: u64,
    sharpness: f64,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// DUP002
pub(crate) fn check(cx: &mut Context<'_>) {
    let max = cx.t.near_duplicate_max_distance;
    // One item per distinct content: exact copies are DUP001's.
    let mut by_sha: BTreeMap<&str, Item<'_>> = BTreeMap::new();
    let mut unhashed = Vec::new();
    for (_, r) in cx.images() {
        let Some(hash) = r
            .phash
            .as_deref()
            .and_then(|h| u64::from_str_radix(h, 16).ok())
        else {
            continue;
        };
        let item = Item {
            path: &r.path,
            hash,
            colour: r.grey != Some(true),
            area: u64::from(r.width.unwrap_or(0)) * u64::from(r.height.unwrap_or(0)),
            sharpness: r.sharpness.unwrap_or(0.0),
        };
        match r.sha256.as_deref() {
            Some(sha) => {
                by_sha.entry(sha).or_insert(item);
            }
            None => unhashed.push(item),
        }
    }
    let mut items: Vec<Item<'_>> = by_sha.into_values().chain(unhashed).collect();
    items.sort_by(|a, b| a.path.cmp(b.path));
    let n = items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // All pairs: 1,000 images are 500,000 popcounts, well under a millisecond.
    for a in 0..n {
        for b in a + 1..n {
            if hamming(items[a].hash, items[b].hash) <= max {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    for members in groups.into_values().filter(|g| g.len() > 1) {
        let keep = *members
            .iter()
            .max_by(|&&a, &&b| {
                (items[a].colour, items[a].area, items[a].sharpness)
                    .partial_cmp(&(items[b].colour, items[b].area, items[b].sharpness))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(items[b].path.cmp(items[a].path))
            })
            .expect("a group has members");
        let files: Vec<String> = members.iter().map(|&i| items[i].path.to_owned()).collect();
        for &i in &members {
            if i == keep {
                continue;
            }
            // The nearest other member explains why it is in the group (groups are
            // transitive, so the keeper itself may be further than the threshold).
            let (d, near) = members
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| (hamming(items[i].hash, items[j].hash), j))
                .min_by_key(|&(d, j)| (d, j != keep, items[j].path))
                .expect("a group has two members");
            let message = if near == keep {
                format!(
                    "near-duplicate of {} (pHash distance {d}, threshold {max}; group of {})",
                    items[keep].path,
                    members.len()
                )
            } else {
                format!(
                    "near-duplicate of {} (pHash distance {d}, threshold {max}; group of {} around {})",
                    items[near].path,
                    members.len(),
                    items[keep].path
                )
            };
            cx.report(Some(items[i].path), message)
                .measured(f64::from(d), f64::from(max))
                .files(files.clone())
                .fix(format!(
                    "keep {} (colour, largest, sharpest) and remove this one, or replace it with a different shot",
                    items[keep].path
                ));
        }
    }
}
