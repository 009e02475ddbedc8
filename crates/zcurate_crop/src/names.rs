//! Output file names: stable (the same sources always give the same names), unique within
//! their folder without regard to letter case (macOS and Windows file systems ignore it), and
//! never equal to another source's face-numbered names.

use std::collections::{HashMap, HashSet};

/// The output names of a list of sources.
#[derive(Debug, Clone)]
pub struct OutputNames {
    /// Per source: folder (with a trailing `/`, or empty) and base name.
    dirs: Vec<String>,
    bases: Vec<String>,
    /// Per source: what joins the base and a face number with `--all-faces`.
    face_seps: Vec<String>,
}

fn split(rel: &str) -> (&str, &str, &str) {
    let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
    let (stem, ext) = match file.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (file, ""),
    };
    (dir, stem, ext)
}

impl OutputNames {
    /// Names for `sources` (paths relative to the source root, `/`-separated, in a fixed
    /// order: the first of two sources wanting one name keeps it).
    ///
    /// A source keeps its stem unless another source in its folder has the same stem
    /// (`a.jpg` and `a.png`): those become `a_jpg`, `a_png`. Anything still equal gets `_2`,
    /// `_3`, ... in order.
    pub fn new(sources: &[&str]) -> Self {
        let mut stems: HashMap<(String, String), usize> = HashMap::new();
        for rel in sources {
            let (dir, stem, _) = split(rel);
            *stems
                .entry((dir.to_lowercase(), stem.to_lowercase()))
                .or_default() += 1;
        }
        let mut taken: HashSet<(String, String)> = HashSet::new();
        let mut dirs = Vec::with_capacity(sources.len());
        let mut bases = Vec::with_capacity(sources.len());
        for rel in sources {
            let (dir, stem, ext) = split(rel);
            let key = (dir.to_lowercase(), stem.to_lowercase());
            let wanted = if stems[&key] > 1 && !ext.is_empty() {
                format!("{stem}_{}", ext.to_lowercase())
            } else {
                stem.to_owned()
            };
            let mut base = wanted.clone();
            let mut n = 2;
            while !taken.insert((key.0.clone(), base.to_lowercase())) {
                base = format!("{wanted}_{n}");
                n += 1;
            }
            dirs.push(if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            });
            bases.push(base);
        }
        let face_seps = (0..bases.len())
            .map(|i| face_sep(&dirs, &bases, i))
            .collect();
        Self {
            dirs,
            bases,
            face_seps,
        }
    }

    /// The output path of source `i` (relative to the output folder), for one face when
    /// `face` is given (`--all-faces`; numbered from 1 in the face list's order).
    pub fn output(&self, i: usize, face: Option<usize>, ext: &str) -> String {
        let mut s = format!("{}{}", self.dirs[i], self.bases[i]);
        if let Some(f) = face {
            s.push_str(&self.face_seps[i]);
            s.push_str(&(f + 1).to_string());
        }
        s.push('.');
        s.push_str(ext);
        s
    }
}

/// `_face`, or more underscores before it while another base in the folder looks like one of
/// this base's face names (`a_face1` beside `a`).
fn face_sep(dirs: &[String], bases: &[String], i: usize) -> String {
    let mut sep = "_face".to_owned();
    let dir = dirs[i].to_lowercase();
    loop {
        let prefix = format!("{}{sep}", bases[i]).to_lowercase();
        let clash = bases.iter().enumerate().any(|(j, b)| {
            j != i
                && dirs[j].to_lowercase() == dir
                && b.to_lowercase().strip_prefix(&prefix).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_digit())
                })
        });
        if !clash {
            return sep;
        }
        sep.insert(0, '_');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(sources: &[&str], face: Option<usize>) -> Vec<String> {
        let n = OutputNames::new(sources);
        (0..sources.len())
            .map(|i| n.output(i, face, "jpg"))
            .collect()
    }

    #[test]
    fn plain_names_keep_their_stem_and_folder() {
        assert_eq!(
            all(&["a.png", "10_zq/b.JPG", "c"], None),
            ["a.jpg", "10_zq/b.jpg", "c.jpg"]
        );
    }

    #[test]
    fn same_stems_get_their_extension() {
        assert_eq!(
            all(&["a.jpg", "a.png", "A.webp", "sub/a.jpg"], None),
            ["a_jpg.jpg", "a_png.jpg", "A_webp.jpg", "sub/a.jpg"]
        );
    }

    #[test]
    fn leftover_clashes_are_numbered_in_order() {
        assert_eq!(
            all(&["a.jpg", "a.png", "a_png.jpg"], None),
            ["a_jpg.jpg", "a_png.jpg", "a_png_2.jpg"]
        );
    }

    #[test]
    fn face_numbers_never_hit_another_source() {
        let sources = ["x.jpg", "x_face2.jpg"];
        let names = OutputNames::new(&sources);
        assert_eq!(names.output(0, Some(1), "png"), "x__face2.png");
        assert_eq!(names.output(1, Some(0), "png"), "x_face2_face1.png");
        assert_eq!(names.output(0, None, "png"), "x.png");
    }

    #[test]
    fn names_are_stable() {
        let s = ["b.jpg", "a.jpg", "a.png"];
        assert_eq!(all(&s, Some(0)), all(&s, Some(0)));
    }
}
