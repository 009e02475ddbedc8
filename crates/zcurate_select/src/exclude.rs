//! Exclusions: what cannot go into the set, and why, in words a person can act on.
//!
//! Three passes over the candidates, in this order:
//! 1. each candidate on its own (scan errors, faces, blur, size, exposure, identity, framing);
//! 2. duplicates among the source images that are left (same bytes, near pHash, or a pHash
//!    near the other's mirrored pHash): the best of each group stays;
//! 3. photos: sources whose main faces have near face pHashes show one photo (a crop, a
//!    mirrored or grey copy of it). One photo gives at most one candidate per framing class,
//!    so the set never holds two near-identical close-ups cut from two copies of one photo.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Serialize;
use zcurate_image::hamming;
use zcurate_manifest::{BorderContact, FramingClass, ImageRecord, Manifest};

use crate::candidates::{Candidate, Kind, main_face, wanted_classes};
use crate::settings::SelectSettings;

/// Why a candidate cannot go into the set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Exclusion {
    /// `--drop FILE`.
    Dropped,
    /// The scan recorded a problem with the file (unreadable, corrupt, caption not UTF-8).
    ScanError {
        message: String,
    },
    NoFace,
    SeveralFaces {
        faces: usize,
    },
    FaceCut,
    BlurryFace {
        sharpness: f64,
        min: f64,
    },
    BlurryImage {
        sharpness: f64,
        min: f64,
    },
    TooSmall {
        side: u32,
        min: u32,
        resolution: u32,
    },
    FaceTooSmall {
        px: f64,
        min: f64,
        resolution: u32,
    },
    Dark {
        p99: f64,
        max: f64,
    },
    Overexposed {
        p05: f64,
        min: f64,
    },
    LowContrast {
        contrast: f64,
        min: f64,
    },
    LowInformation {
        entropy: f64,
        min: f64,
    },
    Grey,
    ExtremeAspect {
        ratio: f64,
        max: f64,
    },
    OtherPerson {
        similarity: f32,
        min: f64,
    },
    FramingNotWanted {
        framing: FramingClass,
        profile: String,
    },
    ExactCopy {
        of: String,
    },
    NearDuplicate {
        of: String,
        distance: u32,
    },
    MirroredCopy {
        of: String,
        distance: u32,
    },
    /// Another candidate shows the same photo at the same framing, and is better.
    SamePhoto {
        of: String,
        framing: FramingClass,
    },
}

impl Exclusion {
    /// A short code for tables, filters and badges (`blurry-face`, `near-duplicate`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dropped => "dropped",
            Self::ScanError { .. } => "scan-error",
            Self::NoFace => "no-face",
            Self::SeveralFaces { .. } => "several-faces",
            Self::FaceCut => "face-cut",
            Self::BlurryFace { .. } => "blurry-face",
            Self::BlurryImage { .. } => "blurry-image",
            Self::TooSmall { .. } => "too-small",
            Self::FaceTooSmall { .. } => "face-too-small",
            Self::Dark { .. } => "dark",
            Self::Overexposed { .. } => "overexposed",
            Self::LowContrast { .. } => "low-contrast",
            Self::LowInformation { .. } => "low-information",
            Self::Grey => "grey",
            Self::ExtremeAspect { .. } => "extreme-aspect",
            Self::OtherPerson { .. } => "other-person",
            Self::FramingNotWanted { .. } => "framing-not-wanted",
            Self::ExactCopy { .. } => "exact-copy",
            Self::NearDuplicate { .. } => "near-duplicate",
            Self::MirroredCopy { .. } => "mirrored-copy",
            Self::SamePhoto { .. } => "same-photo",
        }
    }

    /// Reasons that `--keep` cannot lift: there is nothing to train on.
    fn is_fatal(&self) -> bool {
        matches!(self, Self::ScanError { .. } | Self::NoFace)
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dropped => f.write_str("dropped with --drop"),
            Self::ScanError { message } => write!(f, "the scan could not use it: {message}"),
            Self::NoFace => f.write_str("no face found"),
            Self::SeveralFaces { faces } => write!(
                f,
                "{faces} faces: the LoRA would learn the other people too"
            ),
            Self::FaceCut => f.write_str("the face is cut by the frame edge"),
            Self::BlurryFace { sharpness, min } => {
                write!(f, "blurry face (sharpness {sharpness:.0}, below {min:.0})")
            }
            Self::BlurryImage { sharpness, min } => {
                write!(f, "blurry image (sharpness {sharpness:.0}, below {min:.0})")
            }
            Self::TooSmall {
                side,
                min,
                resolution,
            } => write!(
                f,
                "too small: short side {side} px, under {min} px (trainers do not upscale; the profile trains at {resolution} px)"
            ),
            Self::FaceTooSmall {
                px,
                min,
                resolution,
            } => write!(
                f,
                "face too small: {px:.0} px tall at the {resolution} px training resolution, under {min:.0} px"
            ),
            Self::Dark { p99, max } => {
                write!(
                    f,
                    "too dark (99th-percentile luma {p99:.2}, below {max:.2})"
                )
            }
            Self::Overexposed { p05, min } => write!(
                f,
                "overexposed (5th-percentile luma {p05:.2}, above {min:.2})"
            ),
            Self::LowContrast { contrast, min } => {
                write!(f, "low contrast ({contrast:.2}, below {min:.2})")
            }
            Self::LowInformation { entropy, min } => write!(
                f,
                "little information (luma entropy {entropy:.1} bits, below {min:.1})"
            ),
            Self::Grey => f.write_str("greyscale in a colour set"),
            Self::ExtremeAspect { ratio, max } => write!(
                f,
                "aspect ratio {ratio:.2}:1, beyond {max}:1: trainer buckets would crop it (its crops are candidates)"
            ),
            Self::OtherPerson { similarity, min } => write!(
                f,
                "another person? identity similarity {similarity:.2} to the set's main face, below {min:.2}"
            ),
            Self::FramingNotWanted { framing, profile } => write!(
                f,
                "{}: the {profile} profile takes no {} shots (its crops are candidates)",
                framing.as_str(),
                framing.as_str()
            ),
            Self::ExactCopy { of } => write!(f, "exact copy of {of}"),
            Self::NearDuplicate { of, distance } => {
                write!(f, "near duplicate of {of} (pHash distance {distance})")
            }
            Self::MirroredCopy { of, distance } => write!(
                f,
                "mirrored copy of {of} (pHash distance {distance} to its mirror image)"
            ),
            Self::SamePhoto { of, framing } => write!(
                f,
                "same photo as {of}, which gives a better {}",
                framing.as_str()
            ),
        }
    }
}

fn parse_hash(s: Option<&str>) -> Option<u64> {
    u64::from_str_radix(s?, 16).ok()
}

/// Applies every exclusion. `kept` holds the records of `--keep`: only a scan error or a
/// missing face excludes them, and they win their duplicate group and their photo.
pub(crate) fn apply(
    candidates: &mut [Candidate],
    manifest: &Manifest,
    settings: &SelectSettings,
    kept: &HashSet<usize>,
) {
    let dropped: HashSet<&str> = settings.drop.iter().map(String::as_str).collect();
    let colour_set = colour_set(manifest, settings);
    let wanted = wanted_classes(settings);
    for c in candidates.iter_mut() {
        let r = &manifest.images[c.record];
        let why = if dropped.contains(c.source.as_str()) {
            Some(Exclusion::Dropped)
        } else {
            single(c, r, settings, &wanted)
        };
        c.exclusion = why.filter(|e| e.is_fatal() || !kept.contains(&c.record));
    }
    duplicates(candidates, manifest, settings, kept);
    // After duplicates: a grey copy of a colour photo is named as the copy it is.
    if colour_set {
        for c in candidates.iter_mut() {
            if c.exclusion.is_none() && c.grey && !kept.contains(&c.record) {
                c.exclusion = Some(Exclusion::Grey);
            }
        }
    }
    photos(candidates, manifest, settings, kept);
}

/// Whether grey images stand out: the profile's `colour-set-min-share` of the usable images
/// are in colour (lint's QLT006 judges the same).
fn colour_set(manifest: &Manifest, settings: &SelectSettings) -> bool {
    let (mut colour, mut total) = (0usize, 0usize);
    for r in manifest.ok_images() {
        total += 1;
        colour += usize::from(r.grey == Some(false));
    }
    total > 0 && colour as f64 / total as f64 >= settings.thresholds.colour_set_min_share
}

/// The first rule a candidate breaks on its own.
fn single(
    c: &Candidate,
    r: &ImageRecord,
    settings: &SelectSettings,
    wanted: &[FramingClass],
) -> Option<Exclusion> {
    let t = &settings.thresholds;
    if let Some(e) = &r.error {
        return Some(Exclusion::ScanError {
            message: e.message.clone(),
        });
    }
    if !r.is_decoded() {
        return Some(Exclusion::NoFace);
    }
    let Some(face) = main_face(r) else {
        return Some(Exclusion::NoFace);
    };
    let others = r.face_summary.map_or(0, |s| s.others);
    if others > 0 {
        return Some(Exclusion::SeveralFaces { faces: others + 1 });
    }
    let cut = face.border == BorderContact::Cut
        || r.framing
            .as_ref()
            .and_then(|f| f.evidence.as_ref())
            .is_some_and(|e| e.face_cut);
    if cut {
        return Some(Exclusion::FaceCut);
    }
    if settings.identity
        && let Some(s) = c.identity
        && f64::from(s) < t.min_identity_similarity
    {
        return Some(Exclusion::OtherPerson {
            similarity: s,
            min: t.min_identity_similarity,
        });
    }
    let min_side = settings.min_side();
    if c.short_side() < min_side {
        return Some(Exclusion::TooSmall {
            side: c.short_side(),
            min: min_side,
            resolution: t.training_resolution,
        });
    }
    if c.face_px < t.min_face_px {
        return Some(Exclusion::FaceTooSmall {
            px: c.face_px,
            min: t.min_face_px,
            resolution: t.training_resolution,
        });
    }
    if face.sharpness < t.min_face_sharpness {
        return Some(Exclusion::BlurryFace {
            sharpness: face.sharpness,
            min: t.min_face_sharpness,
        });
    }
    if let Some(s) = c.sharpness
        && s < t.min_sharpness
    {
        return Some(Exclusion::BlurryImage {
            sharpness: s,
            min: t.min_sharpness,
        });
    }
    if let Some(p99) = r.luma_p99
        && p99 < t.dark_p99_max
    {
        return Some(Exclusion::Dark {
            p99,
            max: t.dark_p99_max,
        });
    }
    if let Some(p05) = r.luma_p05
        && p05 > t.bright_p05_min
    {
        return Some(Exclusion::Overexposed {
            p05,
            min: t.bright_p05_min,
        });
    }
    if let Some(contrast) = r.contrast
        && contrast < t.min_contrast
    {
        return Some(Exclusion::LowContrast {
            contrast,
            min: t.min_contrast,
        });
    }
    if let Some(entropy) = r.entropy
        && entropy < t.min_entropy
    {
        return Some(Exclusion::LowInformation {
            entropy,
            min: t.min_entropy,
        });
    }
    let (long, short) = (c.width.max(c.height), c.short_side().max(1));
    let ratio = f64::from(long) / f64::from(short);
    if c.kind == Kind::Original && ratio > t.max_aspect_ratio {
        return Some(Exclusion::ExtremeAspect {
            ratio,
            max: t.max_aspect_ratio,
        });
    }
    if c.kind == Kind::Original && !wanted.contains(&c.framing) {
        return Some(Exclusion::FramingNotWanted {
            framing: c.framing,
            profile: settings.profile.clone(),
        });
    }
    None
}

/// Union-find over record indices.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller index leads, so groups do not depend on the order of unions.
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            self.parent[hi] = lo;
        }
    }

    /// Members of each group of more than one, in index order.
    fn groups(&mut self, members: &[usize]) -> Vec<Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in members {
            let root = self.find(i);
            by_root.entry(root).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}

/// Records that still have a candidate in play.
fn live_records(candidates: &[Candidate]) -> Vec<usize> {
    let mut out: Vec<usize> = candidates
        .iter()
        .filter(|c| c.exclusion.is_none())
        .map(|c| c.record)
        .collect();
    out.dedup();
    out
}

/// A record's pHash and mirrored pHash, parsed once.
type Hashes = (Option<u64>, Option<u64>);

fn hashes(r: &ImageRecord) -> Hashes {
    (
        parse_hash(r.phash.as_deref()),
        parse_hash(r.phash_mirror.as_deref()),
    )
}

/// The plain and mirrored pHash distance between two records.
fn distances(a: Hashes, b: Hashes) -> Option<(u32, u32)> {
    let (ha, hb) = (a.0?, b.0?);
    let plain = hamming(ha, hb);
    // Either way round: one's hash against the other's mirrored hash.
    let mirror = |h: u64, m: Option<u64>| m.map_or(u32::MAX, |m| hamming(h, m));
    Some((plain, mirror(ha, b.1).min(mirror(hb, a.1))))
}

/// Orders records by how well they serve as their group's copy: `--keep` first, colour,
/// more pixels, sharper, then path.
fn better_record<'a>(
    manifest: &'a Manifest,
    kept: &'a HashSet<usize>,
) -> impl Fn(&usize, &usize) -> Ordering + 'a {
    move |&a, &b| {
        let (ra, rb) = (&manifest.images[a], &manifest.images[b]);
        let area =
            |r: &ImageRecord| u64::from(r.width.unwrap_or(0)) * u64::from(r.height.unwrap_or(0));
        kept.contains(&b)
            .cmp(&kept.contains(&a))
            .then(ra.grey.unwrap_or(false).cmp(&rb.grey.unwrap_or(false)))
            .then(area(rb).cmp(&area(ra)))
            .then(sharper(rb.sharpness, ra.sharpness))
            .then(ra.path.cmp(&rb.path))
    }
}

/// Compares sharpness where the difference means something: copies of one photo measure
/// within a few per cent of each other (JPEG noise), and then the path decides.
fn sharper(a: Option<f64>, b: Option<f64>) -> Ordering {
    let (a, b) = (a.unwrap_or(0.0), b.unwrap_or(0.0));
    if (a - b).abs() <= 0.05 * a.max(b) {
        Ordering::Equal
    } else {
        a.total_cmp(&b)
    }
}

/// Pass 2: exact, near and mirrored duplicates among the sources still in play.
fn duplicates(
    candidates: &mut [Candidate],
    manifest: &Manifest,
    settings: &SelectSettings,
    kept: &HashSet<usize>,
) {
    let live = live_records(candidates);
    let max = settings.thresholds.near_duplicate_max_distance;
    let mut groups = Groups::new(manifest.images.len());
    let parsed: Vec<Hashes> = manifest.images.iter().map(hashes).collect();
    for (k, &a) in live.iter().enumerate() {
        for &b in &live[k + 1..] {
            let (ra, rb) = (&manifest.images[a], &manifest.images[b]);
            let same_bytes = ra.sha256.is_some() && ra.sha256 == rb.sha256;
            let near = distances(parsed[a], parsed[b]).is_some_and(|(p, m)| p <= max || m <= max);
            if same_bytes || near {
                groups.union(a, b);
            }
        }
    }
    let mut verdicts: BTreeMap<usize, Exclusion> = BTreeMap::new();
    for mut group in groups.groups(&live) {
        if group.len() < 2 {
            continue;
        }
        group.sort_by(better_record(manifest, kept));
        let lead = group[0];
        let rl = &manifest.images[lead];
        for &i in &group[1..] {
            if kept.contains(&i) {
                continue;
            }
            let r = &manifest.images[i];
            let of = rl.path.clone();
            let why = if r.sha256.is_some() && r.sha256 == rl.sha256 {
                Exclusion::ExactCopy { of }
            } else {
                let (plain, mirror) =
                    distances(parsed[i], parsed[lead]).unwrap_or((u32::MAX, u32::MAX));
                if plain <= mirror {
                    Exclusion::NearDuplicate {
                        of,
                        distance: plain,
                    }
                } else {
                    Exclusion::MirroredCopy {
                        of,
                        distance: mirror,
                    }
                }
            };
            verdicts.insert(i, why);
        }
    }
    for c in candidates.iter_mut() {
        if c.exclusion.is_none()
            && let Some(why) = verdicts.get(&c.record)
        {
            c.exclusion = Some(why.clone());
        }
    }
}

/// Pass 3: photos (face pHash groups) and one candidate per photo and framing.
fn photos(
    candidates: &mut [Candidate],
    manifest: &Manifest,
    settings: &SelectSettings,
    kept: &HashSet<usize>,
) {
    let live = live_records(candidates);
    let max = settings.same_shot_max_distance;
    let face_hashes = |r: &ImageRecord| -> Option<(u64, u64)> {
        let f = r.face_phash.as_ref()?;
        Some((parse_hash(Some(&f.phash))?, parse_hash(Some(&f.mirror))?))
    };
    let hashes: BTreeMap<usize, (u64, u64)> = live
        .iter()
        .filter_map(|&i| Some((i, face_hashes(&manifest.images[i])?)))
        .collect();
    let mut groups = Groups::new(manifest.images.len());
    for (k, &a) in live.iter().enumerate() {
        let Some(&(ha, _)) = hashes.get(&a) else {
            continue;
        };
        for &b in &live[k + 1..] {
            let Some(&(hb, mb)) = hashes.get(&b) else {
                continue;
            };
            if hamming(ha, hb) <= max || hamming(ha, mb) <= max {
                groups.union(a, b);
            }
        }
    }
    let mut shot_of: BTreeMap<usize, String> = BTreeMap::new();
    for group in groups.groups(&live) {
        let lead = manifest.images[group[0]].path.clone();
        for i in group {
            shot_of.insert(i, lead.clone());
        }
    }
    for c in candidates.iter_mut() {
        if let Some(s) = shot_of.get(&c.record) {
            c.shot.clone_from(s);
        }
    }
    // The best candidate of each photo and framing stays.
    let mut best: BTreeMap<(String, FramingClass), usize> = BTreeMap::new();
    for (k, c) in candidates.iter().enumerate() {
        if c.exclusion.is_some() {
            continue;
        }
        let key = (c.shot.clone(), c.framing);
        match best.get(&key) {
            Some(&j)
                if better_candidate(&candidates[j], c, settings, kept) != Ordering::Greater => {}
            _ => {
                best.insert(key, k);
            }
        }
    }
    let winners: HashSet<usize> = best.values().copied().collect();
    let names: BTreeMap<(String, FramingClass), String> = best
        .iter()
        .map(|(k, &v)| (k.clone(), candidates[v].id.clone()))
        .collect();
    for (k, c) in candidates.iter_mut().enumerate() {
        if c.exclusion.is_some() || winners.contains(&k) || kept.contains(&c.record) {
            continue;
        }
        let of = names[&(c.shot.clone(), c.framing)].clone();
        c.exclusion = Some(Exclusion::SamePhoto {
            of,
            framing: c.framing,
        });
    }
}

/// `Less` when `a` is the better candidate of one photo and framing: `--keep` first, then
/// resolution up to what the profile asks, an original over a crop (no resampling), a sharper
/// face, then the id.
fn better_candidate(
    a: &Candidate,
    b: &Candidate,
    settings: &SelectSettings,
    kept: &HashSet<usize>,
) -> Ordering {
    let full = settings.thresholds.min_short_side;
    kept.contains(&b.record)
        .cmp(&kept.contains(&a.record))
        .then(a.grey.cmp(&b.grey))
        .then(b.short_side().min(full).cmp(&a.short_side().min(full)))
        .then((a.kind == Kind::Crop).cmp(&(b.kind == Kind::Crop)))
        .then(b.face_sharpness.total_cmp(&a.face_sharpness))
        .then(a.id.cmp(&b.id))
}
