//! Plane geometry for crop planning: rotated frames, half-planes, convex polygons.
//!
//! A crop is an axis-aligned rectangle in a frame that may be turned against the image (by a
//! quarter turn for a body on its side, by the head's roll with `--level-eyes`). Keeping it
//! inside a photo is then a set of linear constraints on its top-left corner, so "move it as
//! little as possible" is the nearest point of a convex polygon.

use serde::{Deserialize, Serialize};

pub(crate) type P = [f64; 2];

pub(crate) fn add(a: P, b: P) -> P {
    [a[0] + b[0], a[1] + b[1]]
}

pub(crate) fn sub(a: P, b: P) -> P {
    [a[0] - b[0], a[1] - b[1]]
}

pub(crate) fn scale(a: P, k: f64) -> P {
    [a[0] * k, a[1] * k]
}

pub(crate) fn dot(a: P, b: P) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

fn dist(a: P, b: P) -> f64 {
    let d = sub(a, b);
    d[0].hypot(d[1])
}

/// Unit vectors of a frame turned `angle_deg` clockwise (y points down): its x axis and its y
/// axis in image coordinates. Quarter turns are exact, so a turned crop of a sideways photo
/// stays pixel-aligned.
pub(crate) fn axes(angle_deg: f64) -> (P, P) {
    let a = angle_deg.rem_euclid(360.0);
    let quarter = (a / 90.0).round();
    let (sin, cos) = if (a - quarter * 90.0).abs() < 1e-9 {
        match quarter as i64 % 4 {
            0 => (0.0, 1.0),
            1 => (1.0, 0.0),
            2 => (0.0, -1.0),
            _ => (-1.0, 0.0),
        }
    } else {
        a.to_radians().sin_cos()
    };
    ([cos, sin], [-sin, cos])
}

/// An orthonormal frame in image pixels: an origin and the image directions of its axes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub(crate) origin: P,
    pub(crate) x: P,
    pub(crate) y: P,
}

impl Frame {
    pub(crate) fn new(origin: P, angle_deg: f64) -> Self {
        let (x, y) = axes(angle_deg);
        Self { origin, x, y }
    }

    pub(crate) fn local_of(&self, p: P) -> P {
        let d = sub(p, self.origin);
        [dot(d, self.x), dot(d, self.y)]
    }

    pub(crate) fn image_of(&self, l: P) -> P {
        add(self.origin, add(scale(self.x, l[0]), scale(self.y, l[1])))
    }

    /// The bounding box `[x0, y0, x1, y1]`, in this frame, of image points.
    pub(crate) fn bbox_of(&self, points: &[P]) -> [f64; 4] {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for &p in points {
            let l = self.local_of(p);
            b[0] = b[0].min(l[0]);
            b[1] = b[1].min(l[1]);
            b[2] = b[2].max(l[0]);
            b[3] = b[3].max(l[1]);
        }
        b
    }
}

/// A crop in source pixels: the rectangle with top-left corner `origin` whose sides run along
/// the output's axes, turned `angle_deg` clockwise from the image axes (0 unless the eyes are
/// levelled). `width` runs along the output's x axis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CropBox {
    pub origin: [f64; 2],
    pub width: f64,
    pub height: f64,
    pub angle_deg: f64,
}

impl CropBox {
    pub(crate) fn frame(&self) -> Frame {
        Frame::new(self.origin, self.angle_deg)
    }

    /// Top-left, top-right, bottom-right, bottom-left, in image pixels.
    pub fn corners(&self) -> [[f64; 2]; 4] {
        let f = self.frame();
        [
            f.image_of([0.0, 0.0]),
            f.image_of([self.width, 0.0]),
            f.image_of([self.width, self.height]),
            f.image_of([0.0, self.height]),
        ]
    }

    /// True when the crop lies inside a `width × height` image, give or take `eps` pixels.
    pub fn inside(&self, width: u32, height: u32, eps: f64) -> bool {
        self.corners().iter().all(|c| {
            (-eps..=f64::from(width) + eps).contains(&c[0])
                && (-eps..=f64::from(height) + eps).contains(&c[1])
        })
    }

    /// `[x, y, w, h]` of the axis-aligned box, when the crop is not turned.
    pub fn rect(&self) -> Option<[f64; 4]> {
        (self.angle_deg == 0.0).then_some([self.origin[0], self.origin[1], self.width, self.height])
    }
}

/// `n · p <= c`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HalfPlane {
    pub(crate) n: P,
    pub(crate) c: f64,
}

impl HalfPlane {
    fn excess(&self, p: P) -> f64 {
        dot(self.n, p) - self.c
    }
}

/// Points within this distance of a boundary count as on it: crops that exactly fill the
/// photo on one side make the feasible set a segment, which exact clipping would lose to
/// rounding.
const EPS: f64 = 1e-6;

/// Sutherland-Hodgman: the part of a convex polygon inside a half-plane.
fn clip(poly: &[P], hp: &HalfPlane) -> Vec<P> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let (da, db) = (hp.excess(a), hp.excess(b));
        if da <= EPS {
            out.push(a);
        }
        if (da <= EPS) != (db <= EPS) && (da - db).abs() > f64::MIN_POSITIVE {
            let t = da / (da - db);
            out.push(add(a, scale(sub(b, a), t)));
        }
    }
    out
}

/// The convex polygon of points satisfying every half-plane (empty when none does). `around`
/// is any point; the search box spans a million pixels around it, far beyond any photo.
pub(crate) fn feasible(half_planes: &[HalfPlane], around: P) -> Vec<P> {
    let r = 1e6;
    let mut poly = vec![
        [around[0] - r, around[1] - r],
        [around[0] + r, around[1] - r],
        [around[0] + r, around[1] + r],
        [around[0] - r, around[1] + r],
    ];
    for hp in half_planes {
        poly = clip(&poly, hp);
        if poly.is_empty() {
            break;
        }
    }
    poly
}

/// The point of a convex polygon nearest to `p` (`p` itself when it is inside).
pub(crate) fn nearest(poly: &[P], half_planes: &[HalfPlane], p: P) -> Option<P> {
    if poly.is_empty() {
        return None;
    }
    if half_planes.iter().all(|hp| hp.excess(p) <= EPS) {
        return Some(p);
    }
    let mut best = poly[0];
    for (i, &a) in poly.iter().enumerate() {
        let b = poly[(i + 1) % poly.len()];
        let ab = sub(b, a);
        let len2 = dot(ab, ab);
        let t = if len2 > 0.0 {
            (dot(sub(p, a), ab) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let q = add(a, scale(ab, t));
        if dist(q, p) < dist(best, p) {
            best = q;
        }
    }
    Some(best)
}

/// Outward half-planes of a convex quadrilateral given in order (either orientation).
pub(crate) fn quad_half_planes(quad: &[P; 4]) -> [HalfPlane; 4] {
    let centre = scale(quad.iter().fold([0.0, 0.0], |acc, &q| add(acc, q)), 0.25);
    std::array::from_fn(|i| {
        let (a, b) = (quad[i], quad[(i + 1) % 4]);
        let mut n = [b[1] - a[1], a[0] - b[0]];
        let len = n[0].hypot(n[1]);
        n = scale(n, 1.0 / len);
        if dot(n, sub(centre, a)) > 0.0 {
            n = scale(n, -1.0);
        }
        HalfPlane { n, c: dot(n, a) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: P, b: P) -> bool {
        dist(a, b) < 1e-6
    }

    #[test]
    fn quarter_turns_are_exact() {
        assert_eq!(axes(90.0), ([0.0, 1.0], [-1.0, 0.0]));
        assert_eq!(axes(-90.0), ([0.0, -1.0], [1.0, 0.0]));
        assert_eq!(axes(0.0), ([1.0, 0.0], [0.0, 1.0]));
        let (x, y) = axes(30.0);
        assert!((dot(x, y)).abs() < 1e-12 && (dot(x, x) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn frame_round_trips() {
        let f = Frame::new([10.0, 20.0], 17.0);
        let p = [123.0, -45.0];
        assert!(close(f.image_of(f.local_of(p)), p));
        // Clockwise on screen: the frame's x axis points down-right.
        assert!(f.x[1] > 0.0);
    }

    #[test]
    fn feasible_region_of_a_box_and_its_nearest_point() {
        // 0 <= x <= 10, 0 <= y <= 5.
        let hps = [
            HalfPlane {
                n: [-1.0, 0.0],
                c: 0.0,
            },
            HalfPlane {
                n: [1.0, 0.0],
                c: 10.0,
            },
            HalfPlane {
                n: [0.0, -1.0],
                c: 0.0,
            },
            HalfPlane {
                n: [0.0, 1.0],
                c: 5.0,
            },
        ];
        let poly = feasible(&hps, [3.0, 3.0]);
        assert_eq!(poly.len(), 4);
        assert!(close(nearest(&poly, &hps, [3.0, 3.0]).unwrap(), [3.0, 3.0]));
        assert!(close(
            nearest(&poly, &hps, [-4.0, 2.0]).unwrap(),
            [0.0, 2.0]
        ));
        assert!(close(
            nearest(&poly, &hps, [14.0, 9.0]).unwrap(),
            [10.0, 5.0]
        ));
    }

    #[test]
    fn a_degenerate_region_survives_rounding() {
        // x == 7 exactly (a crop as wide as the photo), 0 <= y <= 5.
        let hps = [
            HalfPlane {
                n: [-1.0, 0.0],
                c: -7.0,
            },
            HalfPlane {
                n: [1.0, 0.0],
                c: 7.0 + 1e-12,
            },
            HalfPlane {
                n: [0.0, -1.0],
                c: 0.0,
            },
            HalfPlane {
                n: [0.0, 1.0],
                c: 5.0,
            },
        ];
        let poly = feasible(&hps, [0.0, 0.0]);
        assert!(!poly.is_empty());
        let p = nearest(&poly, &hps, [0.0, 2.0]).unwrap();
        assert!(
            (p[0] - 7.0).abs() < 1e-6 && (p[1] - 2.0).abs() < 1e-6,
            "{p:?}"
        );
    }

    #[test]
    fn contradictory_constraints_leave_nothing() {
        let hps = [
            HalfPlane {
                n: [1.0, 0.0],
                c: 1.0,
            },
            HalfPlane {
                n: [-1.0, 0.0],
                c: -2.0,
            },
        ];
        assert!(feasible(&hps, [0.0, 0.0]).is_empty());
    }

    #[test]
    fn quad_half_planes_point_outwards_for_either_orientation() {
        let cw = [[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0]];
        let mut ccw = cw;
        ccw.reverse();
        for q in [cw, ccw] {
            let hps = quad_half_planes(&q);
            assert!(hps.iter().all(|h| h.excess([2.0, 1.0]) < 0.0));
            assert!(hps.iter().any(|h| h.excess([5.0, 1.0]) > 0.0));
        }
    }

    #[test]
    fn crop_box_corners_and_inside() {
        let b = CropBox {
            origin: [10.0, 10.0],
            width: 20.0,
            height: 30.0,
            angle_deg: 0.0,
        };
        assert_eq!(b.corners()[2], [30.0, 40.0]);
        assert!(b.inside(30, 40, 1e-9));
        assert!(!b.inside(29, 40, 1e-9));
        let turned = CropBox {
            angle_deg: 10.0,
            ..b
        };
        assert!(turned.rect().is_none());
        assert!(!turned.inside(30, 40, 1e-9));
    }
}
