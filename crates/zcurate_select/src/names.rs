//! Output names: the source's own name for an original (hard-linked), the source's name and
//! the framing for a crop (`img_03_close-up.jpg`), so every file says where it came from.
//! Stable for the same sources, and unique within a folder regardless of letter case.

use std::collections::{BTreeMap, HashSet};

use zcurate_crop::OutputNames;

use crate::candidates::{Candidate, Kind};

/// Output path (relative to the output folder) of each chosen candidate.
pub(crate) fn assign(
    cands: &[Candidate],
    chosen: &[usize],
    sources: &[String],
    crop_ext: &str,
) -> BTreeMap<usize, String> {
    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
    let bases = OutputNames::new(&refs);
    let index: BTreeMap<&str, usize> = refs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut order: Vec<usize> = chosen.to_vec();
    order.sort_by(|&a, &b| cands[a].id.cmp(&cands[b].id));
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = BTreeMap::new();
    for i in order {
        let c = &cands[i];
        let k = index[c.source.as_str()];
        let stem_of = |p: String| p.rsplit_once('.').map_or(p.clone(), |(s, _)| s.to_owned());
        let (stem, ext) = match c.kind {
            Kind::Original => {
                let ext = c
                    .source
                    .rsplit_once('.')
                    .map_or(String::new(), |(_, e)| e.to_owned());
                (stem_of(bases.output(k, None, "x")), ext)
            }
            Kind::Crop => (
                format!(
                    "{}_{}",
                    stem_of(bases.output(k, None, "x")),
                    c.framing.as_str()
                ),
                crop_ext.to_owned(),
            ),
        };
        let name = |s: &str| {
            if ext.is_empty() {
                s.to_owned()
            } else {
                format!("{s}.{ext}")
            }
        };
        // Stems, not paths, must differ: the caption sidecar is named after the stem.
        let mut unique = stem.clone();
        let mut n = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = format!("{stem}_{n}");
            n += 1;
        }
        out.insert(i, name(&unique));
    }
    out
}
