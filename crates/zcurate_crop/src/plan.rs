//! Where to cut: the crop geometry of one face, from the head-height model of the framing
//! classifier. No pixels are touched here.

use std::fmt;

use serde::{Deserialize, Serialize};
use zcurate_framing::{FaceGeom, FramingInput};
use zcurate_manifest::Face;

use crate::geometry::{CropBox, Frame, HalfPlane, P, feasible, nearest, quad_half_planes};
use crate::manifest::FramingOutcome;
use crate::options::CropOptions;

/// How the crop met the photo's edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// The ideal frame fits as it is.
    Ideal,
    /// Moved inside the photo, same size.
    Shifted,
    /// The ideal frame is larger than the photo allows: the largest crop of the aspect that
    /// fits and holds the face. The framing is looser than asked (see `framing.reached`).
    Shrunk,
    /// Part of the crop lies outside the photo and was filled (`--pad`).
    Padded,
}

/// Why a face (or an image) gives no crop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Skip {
    /// No face was detected.
    NoFace,
    /// A face too small or degenerate to measure.
    Unusable,
    /// The face box is shorter than `--min-face`.
    FaceTooSmall { height_px: f32, min_px: f32 },
    /// No crop of the aspect fits inside the photo and holds the whole face.
    FaceDoesNotFit,
    /// The crop is smaller than one `--multiple` and enlarging is not allowed.
    CropTooSmall { side_px: f64, multiple: u32 },
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoFace => f.write_str("no face found"),
            Self::Unusable => f.write_str("the face is too small or degenerate to measure"),
            Self::FaceTooSmall { height_px, min_px } => write!(
                f,
                "face is {height_px:.0} px tall, below --min-face {min_px:.0}"
            ),
            Self::FaceDoesNotFit => {
                f.write_str("no crop of this aspect fits inside the photo and holds the whole face")
            }
            Self::CropTooSmall { side_px, multiple } => write!(
                f,
                "the crop is {side_px:.0} px, smaller than one --multiple ({multiple}); --allow-upscale would enlarge it"
            ),
        }
    }
}

/// The crop of one face.
#[derive(Debug, Clone, PartialEq)]
pub struct CropPlan {
    /// Index of the face in the image's face list.
    pub face: usize,
    /// Face box `[x, y, w, h]` in source pixels.
    pub face_box: [f32; 4],
    pub crop: CropBox,
    /// Output size.
    pub width: u32,
    pub height: u32,
    /// Output pixels per source pixel.
    pub scale: f64,
    pub upscaled: bool,
    /// The target `[w, h]` when it was not reached (no enlarging).
    pub shortfall: Option<[u32; 2]>,
    pub fit: Fit,
    /// The crop reaches past the photo (only with `--pad`).
    pub outside: bool,
    pub framing: FramingOutcome,
    /// The face box in output pixels.
    pub face_box_out: [f32; 4],
}

/// The crops of one image, and the faces that gave none.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImagePlan {
    pub plans: Vec<CropPlan>,
    /// `(face index, reason)`; the index is `None` for "no face at all".
    pub skipped: Vec<(Option<usize>, Skip)>,
}

/// Plans the main subject's crop, or every face's with `all_faces`.
pub fn plan_image(
    width: u32,
    height: u32,
    faces: &[Face],
    main: Option<usize>,
    options: &CropOptions,
) -> ImagePlan {
    let mut out = ImagePlan::default();
    let chosen: Vec<usize> = if options.all_faces {
        (0..faces.len()).collect()
    } else {
        main.into_iter().filter(|&i| i < faces.len()).collect()
    };
    if chosen.is_empty() {
        out.skipped.push((None, Skip::NoFace));
    }
    for i in chosen {
        match plan_face(width, height, &faces[i], i, options) {
            Ok(p) => out.plans.push(p),
            Err(s) => out.skipped.push((Some(i), s)),
        }
    }
    out
}

fn round_to(v: f64, m: u32) -> u32 {
    ((v / f64::from(m)).round().max(0.0) as u32) * m
}

fn floor_to(v: f64, m: u32) -> u32 {
    ((v / f64::from(m) + 1e-9).floor().max(0.0) as u32) * m
}

/// The output size before any shortfall: long side `size` (rounded down to the multiple), the
/// other side the nearest multiple to the aspect, at least one multiple.
pub(crate) fn nominal_size(options: &CropOptions) -> (u32, u32) {
    let m = options.multiple;
    let long = floor_to(f64::from(options.size), m).max(m);
    let r = options.aspect.ratio();
    if r >= 1.0 {
        (long, round_to(f64::from(long) / r, m).max(m))
    } else {
        (round_to(f64::from(long) * r, m).max(m), long)
    }
}

/// Angle in degrees wrapped to (-180, 180].
fn wrap180(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    if r > 180.0 { r - 360.0 } else { r }
}

fn face_corners(b: [f32; 4]) -> [P; 4] {
    let [x, y, w, h] = b.map(f64::from);
    [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
}

/// Plans the crop of `face` in a `width × height` (EXIF-oriented) photo.
///
/// 1. The classifier's measurement gives the head height, the chin and the roll.
/// 2. In the body's frame (the roll snapped to a quarter turn; with `--level-eyes` the roll
///    itself), the ideal frame runs from `headroom` above the top of the head to the rule's
///    depth below the chin, centred on the face box, at the output aspect; it is made wider
///    (and taller) when the face box and its side margins would not fit.
/// 3. It is moved as little as possible to lie inside the photo and hold the face box; when
///    no position works it is padded (`--pad`), or shrunk to the largest crop that works,
///    keeping its bottom as low as the face allows.
/// 4. The output size follows; without `--allow-upscale` a crop smaller than the target
///    keeps its size, rounded down to the multiple, and is trimmed to that exact aspect.
///
/// With `--level-eyes`, a face whose turned crop cannot fit (a face at the photo's edge) gets
/// the unturned crop instead of none.
pub fn plan_face(
    width: u32,
    height: u32,
    face: &Face,
    index: usize,
    options: &CropOptions,
) -> Result<CropPlan, Skip> {
    match plan_face_at(width, height, face, index, options, options.level_eyes) {
        Err(Skip::FaceDoesNotFit | Skip::CropTooSmall { .. }) if options.level_eyes => {
            plan_face_at(width, height, face, index, options, false)
        }
        other => other,
    }
}

fn plan_face_at(
    width: u32,
    height: u32,
    face: &Face,
    index: usize,
    options: &CropOptions,
    level_eyes: bool,
) -> Result<CropPlan, Skip> {
    let t = &options.thresholds;
    if face.bbox[3] < options.min_face_px {
        return Err(Skip::FaceTooSmall {
            height_px: face.bbox[3],
            min_px: options.min_face_px,
        });
    }
    let geom = face_geom(face.bbox, face.landmarks, face.roll_deg.unwrap_or(0.0));
    let input = FramingInput {
        image_width: width,
        image_height: height,
        face: Some(geom),
    };
    let ev = zcurate_framing::measure(&input, t).ok_or(Skip::Unusable)?;
    let head = f64::from(ev.head_height_px);
    let roll = f64::from(ev.roll_deg);
    let quarter = f64::from(ev.body_axis_deg);
    let residual = wrap180(roll - quarter);
    // Below half a degree a rotation only resamples (and softens) the whole image.
    let phi = if level_eyes && residual.abs() > 0.5 {
        residual
    } else {
        0.0
    };
    let chin = [f64::from(ev.chin[0]), f64::from(ev.chin[1])];
    let body = Frame::new(chin, quarter + phi);
    let crop_frame = Frame::new(chin, phi);
    // The head's remaining tilt inside the body frame.
    let gamma = wrap180(roll - quarter - phi).to_radians();

    let fbox = face_corners(face.bbox);
    let [fu0, fv0, fu1, fv1] = body.bbox_of(&fbox);

    let (wn, hn) = nominal_size(options);
    let exact = f64::from(wn) / f64::from(hn);
    let odd_quarter = (quarter / 90.0).round() as i64 % 2 != 0;
    // Width over height in the body frame: a body on its side swaps the output's axes.
    let aspect_body = if odd_quarter { 1.0 / exact } else { exact };

    let rule = options
        .composition
        .rule(options.framing)
        .expect("validated: a body class");
    let mut v0 = -head * gamma.cos() - f64::from(rule.headroom_heads) * head;
    let mut v1 = f64::from(rule.below_chin_heads) * head;
    // A hat or a loose box can reach above the estimated skull.
    v0 = v0.min(fv0);
    v1 = v1.max(fv1);
    let mut h = v1 - v0;
    let mut w = h * aspect_body;
    let min_w = (fu1 - fu0) * (1.0 + 2.0 * f64::from(options.composition.side_margin_faces));
    if w < min_w {
        // Too narrow for the face: grow taller, below the chin only up to halfway to the
        // class's upper boundary, the rest above the head.
        let extra = min_w / aspect_body - h;
        let upper = t
            .boundaries()
            .get(options.framing.rank().unwrap_or(0) as usize)
            .copied()
            .map_or(f64::INFINITY, f64::from);
        let limit = f64::midpoint(upper, f64::from(rule.below_chin_heads)) * head;
        let below = (extra / 2.0).min((limit - v1).max(0.0));
        v1 += below;
        v0 -= extra - below;
        h = v1 - v0;
        w = min_w;
    }
    let uc = f64::midpoint(fu0, fu1);
    let desired = [uc - w / 2.0, v0];

    // The photo as seen from the body frame, and the constraints on the crop's top-left.
    let quad = [
        [0.0, 0.0],
        [f64::from(width), 0.0],
        [f64::from(width), f64::from(height)],
        [0.0, f64::from(height)],
    ]
    .map(|c| body.local_of(c));
    let edges = quad_half_planes(&quad);
    let image_hps = |cw: f64, ch: f64| -> Vec<HalfPlane> {
        edges
            .iter()
            .map(|e| HalfPlane {
                n: e.n,
                c: e.c - (e.n[0] * cw).max(0.0) - (e.n[1] * ch).max(0.0),
            })
            .collect()
    };
    let face_hps = |cw: f64, ch: f64| -> Vec<HalfPlane> {
        vec![
            HalfPlane {
                n: [1.0, 0.0],
                c: fu0,
            },
            HalfPlane {
                n: [-1.0, 0.0],
                c: cw - fu1,
            },
            HalfPlane {
                n: [0.0, 1.0],
                c: fv0,
            },
            HalfPlane {
                n: [0.0, -1.0],
                c: ch - fv1,
            },
        ]
    };
    let both = |s: f64| -> Vec<HalfPlane> {
        let mut v = image_hps(s * w, s * h);
        v.extend(face_hps(s * w, s * h));
        v
    };

    let full = both(1.0);
    let poly = feasible(&full, desired);
    let (fit, top_left, s) = if let Some(p) = nearest(&poly, &full, desired) {
        let moved = (p[0] - desired[0]).hypot(p[1] - desired[1]);
        let fit = if moved < 1e-6 * head.max(1.0) {
            Fit::Ideal
        } else {
            Fit::Shifted
        };
        (fit, p, 1.0)
    } else if options.pad.is_some() {
        let hps = face_hps(w, h);
        let p = nearest(&feasible(&hps, desired), &hps, desired).unwrap_or(desired);
        let p = if phi == 0.0 {
            shift_into_photo(&body, p, w, h, width, height)
        } else {
            p
        };
        (Fit::Padded, p, 1.0)
    } else {
        let s_lo = ((fu1 - fu0) / w).max((fv1 - fv0) / h).min(1.0);
        let ok = |s: f64| !feasible(&both(s), desired).is_empty();
        if !ok(s_lo) {
            return Err(Skip::FaceDoesNotFit);
        }
        // Feasibility is monotone between the smallest crop that holds the face and the
        // full one (both sets are convex), so bisect for the largest.
        let (mut lo, mut hi) = (s_lo, 1.0);
        for _ in 0..50 {
            let mid = f64::midpoint(lo, hi);
            if ok(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // The bisection's answer may sit a rounding error outside; a hair smaller is inside.
        let s = (lo * (1.0 - 1e-8)).max(s_lo);
        // Keep the bottom where the rule wants it; the face constraint lifts it if needed.
        let want = [uc - s * w / 2.0, v1 - s * h];
        let hps = both(s);
        let p = nearest(&feasible(&hps, desired), &hps, want).ok_or(Skip::FaceDoesNotFit)?;
        (Fit::Shrunk, p, s)
    };
    let (cw, ch) = (s * w, s * h);

    // The crop in the output's frame (the body frame up to a quarter turn).
    let corners = [
        top_left,
        [top_left[0] + cw, top_left[1]],
        [top_left[0] + cw, top_left[1] + ch],
        [top_left[0], top_left[1] + ch],
    ]
    .map(|c| body.image_of(c));
    let [mut x0, mut y0, mut x1, mut y1] = crop_frame.bbox_of(&corners);
    let face_out = crop_frame.bbox_of(&fbox);

    let (ox, oy) = (x1 - x0, y1 - y0);
    let (out_w, out_h) = if options.allow_upscale || f64::from(wn) <= ox * (1.0 + 1e-9) {
        (wn, hn)
    } else {
        // The largest multiples inside the crop at the aspect; the crop is trimmed to their
        // exact aspect, around the face. A smaller size whose trim keeps the face is better
        // than none.
        let m = options.multiple;
        let mut chosen = None;
        for (ow, oh) in sizes_within(ox, oy, options.aspect.ratio(), m) {
            let e = f64::from(ow) / f64::from(oh);
            let trimmed = if ox / oy > e {
                trim(x0, x1, oy * e, face_out[0], face_out[2]).map(|(a, b)| (a, y0, b, y1))
            } else {
                trim(y0, y1, ox / e, face_out[1], face_out[3]).map(|(a, b)| (x0, a, x1, b))
            };
            if let Ok(t) = trimmed {
                chosen = Some((ow, oh, t));
                break;
            }
        }
        let Some((ow, oh, t)) = chosen else {
            return Err(Skip::CropTooSmall {
                side_px: ox.min(oy),
                multiple: m,
            });
        };
        (x0, y0, x1, y1) = t;
        (ow, oh)
    };
    let crop = CropBox {
        origin: crop_frame.image_of([x0, y0]),
        width: x1 - x0,
        height: y1 - y0,
        angle_deg: phi,
    };
    // Never a crop without its face, nor (unpadded) past the photo: a last check against
    // rounding in the geometry above.
    let face_in_crop = crop.frame().bbox_of(&fbox);
    if face_in_crop[0] < -0.01
        || face_in_crop[1] < -0.01
        || face_in_crop[2] > crop.width + 0.01
        || face_in_crop[3] > crop.height + 0.01
        || (options.pad.is_none() && !crop.inside(width, height, 0.01))
    {
        return Err(Skip::FaceDoesNotFit);
    }
    let scale = f64::from(out_w) / crop.width;
    let upscaled = scale > 1.0 + 1e-9;
    let shortfall = (out_w < wn || out_h < hn).then_some([wn, hn]);
    let outside = !crop.inside(width, height, 1e-3);

    // The classifier's view of the crop: the same face, mapped into output pixels.
    let local = crop.frame();
    let to_out = |p: P| {
        let l = local.local_of(p);
        [(l[0] * scale) as f32, (l[1] * scale) as f32]
    };
    let face_box_out = if phi == 0.0 {
        let a = to_out(fbox[0]);
        let b = to_out(fbox[2]);
        [a[0], a[1], b[0] - a[0], b[1] - a[1]]
    } else {
        // A detector reports the face's own extent, not the bounds of the turned box.
        let [x, y, bw, bh] = face.bbox.map(f64::from);
        let c = to_out([x + bw / 2.0, y + bh / 2.0]);
        let (sw, sh) = ((bw * scale) as f32, (bh * scale) as f32);
        [c[0] - sw / 2.0, c[1] - sh / 2.0, sw, sh]
    };
    let landmarks_out = face
        .landmarks
        .map(|p| to_out([f64::from(p[0]), f64::from(p[1])]));
    let result = zcurate_framing::classify(
        &FramingInput {
            image_width: out_w,
            image_height: out_h,
            face: Some(face_geom(
                face_box_out,
                landmarks_out,
                (f64::from(face.roll_deg.unwrap_or(0.0)) - phi) as f32,
            )),
        },
        t,
    );
    Ok(CropPlan {
        face: index,
        face_box: face.bbox,
        crop,
        width: out_w,
        height: out_h,
        scale,
        upscaled,
        shortfall,
        fit,
        outside,
        framing: FramingOutcome {
            requested: options.framing,
            expected: result.class,
            confidence: result.confidence,
            below_chin_heads: result.evidence.below_chin_heads,
            headroom_heads: result.evidence.headroom_heads,
            reached: result.class == options.framing,
        },
        face_box_out,
    })
}

/// Output sizes within `ox × oy`, largest first: sides multiples of `m`, the short side the
/// nearest multiple to the long side at aspect `r` (width over height).
fn sizes_within(ox: f64, oy: f64, r: f64, m: u32) -> impl Iterator<Item = (u32, u32)> {
    let (fw, fh) = (floor_to(ox, m), floor_to(oy, m));
    let long = if r >= 1.0 { fw } else { fh };
    (1..=long / m)
        .rev()
        .map(move |k| k * m)
        .filter_map(move |l| {
            if r >= 1.0 {
                let oh = round_to(f64::from(l) / r, m);
                (oh >= m && oh <= fh).then_some((l, oh))
            } else {
                let ow = round_to(f64::from(l) * r, m);
                (ow >= m && ow <= fw).then_some((ow, l))
            }
        })
}

fn face_geom(b: [f32; 4], landmarks: [[f32; 2]; 5], roll_deg: f32) -> FaceGeom {
    FaceGeom {
        x: b[0],
        y: b[1],
        w: b[2],
        h: b[3],
        landmarks: Some(landmarks),
        roll_deg,
    }
}

/// Shortens `[a, b]` to `len`, as centred as the face `[f0, f1]` allows.
fn trim(a: f64, b: f64, len: f64, f0: f64, f1: f64) -> Result<(f64, f64), Skip> {
    let (lo, hi) = ((f1 - len).max(a), f0.min(b - len));
    if lo > hi + 1e-6 {
        return Err(Skip::FaceDoesNotFit);
    }
    let start = (a + (b - a - len) / 2.0).clamp(lo, hi.max(lo));
    Ok((start, start + len))
}

/// Moves a crop along the photo's axes, on each axis where it fits, to lie inside: a padded
/// crop then pads only the axis that is too long.
fn shift_into_photo(body: &Frame, top_left: P, w: f64, h: f64, width: u32, height: u32) -> P {
    let corners = [
        top_left,
        [top_left[0] + w, top_left[1]],
        [top_left[0] + w, top_left[1] + h],
        [top_left[0], top_left[1] + h],
    ]
    .map(|c| body.image_of(c));
    let image = Frame::new([0.0, 0.0], 0.0);
    let [x0, y0, x1, y1] = image.bbox_of(&corners);
    let shift = |lo: f64, hi: f64, size: f64| {
        if hi - lo <= size {
            (-lo).max(0.0) - (hi - size).max(0.0)
        } else {
            0.0
        }
    };
    let d = [
        shift(x0, x1, f64::from(width)),
        shift(y0, y1, f64::from(height)),
    ];
    // The same displacement expressed in the body frame.
    [
        top_left[0] + d[0] * body.x[0] + d[1] * body.x[1],
        top_left[1] + d[0] * body.y[0] + d[1] * body.y[1],
    ]
}

#[cfg(test)]
mod tests;
