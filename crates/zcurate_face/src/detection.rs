//! One detected face, and the per-face helpers that need only the image size.

/// One face found in an image.
///
/// All coordinates are in pixels of the image that was passed to the detector (the decoded,
/// EXIF-oriented original, not the model input). `x, y` is the top-left corner of the box,
/// clamped to the image; `unclamped` keeps the box as the model predicted it, which may reach
/// past the image edge when the face is cut by the frame.
///
/// Landmarks use one canonical order for every model (see the `*_EYE`, `NOSE` and `MOUTH_*`
/// constants). They are not clamped: a landmark outside the image means that part of the face
/// is outside the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    /// Model confidence in 0..=1 (YuNet: sqrt(cls·obj); CenterFace: heatmap peak;
    /// RetinaFace: softmax face probability).
    pub score: f32,
    /// Five points as `[x, y]`, in the order given by the index constants.
    pub landmarks: [[f32; 2]; 5],
    /// The box before clamping, as `[x, y, w, h]`.
    pub unclamped: [f32; 4],
}

impl Detection {
    /// The subject's right eye, which is on the viewer's left in a frontal face.
    pub const RIGHT_EYE: usize = 0;
    /// The subject's left eye (viewer's right).
    pub const LEFT_EYE: usize = 1;
    /// The tip of the nose.
    pub const NOSE: usize = 2;
    /// The right corner of the subject's mouth (viewer's left).
    pub const MOUTH_RIGHT: usize = 3;
    /// The left corner of the subject's mouth (viewer's right).
    pub const MOUTH_LEFT: usize = 4;

    /// Box area in square pixels.
    pub fn area(&self) -> f32 {
        self.w * self.h
    }

    /// Centre of the box.
    pub fn center(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }

    /// Builds a detection from an unclamped `x1, y1, x2, y2` box, clamping it to the image.
    pub(crate) fn from_corners(
        corners: [f32; 4],
        score: f32,
        landmarks: [[f32; 2]; 5],
        img_w: f32,
        img_h: f32,
    ) -> Self {
        let [x1, y1, x2, y2] = corners;
        let cx1 = x1.clamp(0.0, img_w);
        let cy1 = y1.clamp(0.0, img_h);
        let cx2 = x2.clamp(0.0, img_w);
        let cy2 = y2.clamp(0.0, img_h);
        Self {
            x: cx1,
            y: cy1,
            w: (cx2 - cx1).max(0.0),
            h: (cy2 - cy1).max(0.0),
            score,
            landmarks,
            unclamped: [x1, y1, x2 - x1, y2 - y1],
        }
    }
}

/// Whether the (clamped) box comes within `margin_px` pixels of any image edge.
///
/// A face that touches the border is usually fine for training but bad for cropping, since
/// the crop cannot be centred on it.
pub fn touches_border(det: &Detection, img_w: u32, img_h: u32, margin_px: f32) -> bool {
    let (w, h) = (img_w as f32, img_h as f32);
    det.x <= margin_px
        || det.y <= margin_px
        || det.x + det.w >= w - margin_px
        || det.y + det.h >= h - margin_px
}

/// How far, as a share of the box side, the predicted box may reach past the image edge
/// before the face counts as cut; boxes of faces that merely touch the edge overshoot by a
/// fraction of a pixel to a few pixels.
pub const CUT_TOLERANCE: f32 = 0.01;

/// How far a face extends sideways beyond each eye, in inter-eye distances, at least.
///
/// Measured on the test portraits with all three models: 0.5–0.6 on frontal faces, down to
/// 0.34 on the side a turned head points to. Detectors shrink the box of a face cut by the
/// frame to its visible part (YuNet puts obama_partial_face's box exactly at x = 0), so the
/// eyes tell better than the box whether the face goes on past the edge.
pub const EYE_TO_FACE_SIDE: f32 = 0.35;

/// Whether the face is cut by the image border: the unclamped box reaches past an edge by more
/// than [`CUT_TOLERANCE`] of its side, a landmark lies outside the image, or the face side
/// implied by the eyes ([`EYE_TO_FACE_SIDE`]) lies past the left or right edge.
pub fn cut_by_border(det: &Detection, img_w: u32, img_h: u32) -> bool {
    let (w, h) = (img_w as f32, img_h as f32);
    let [x, y, bw, bh] = det.unclamped;
    let (tx, ty) = (CUT_TOLERANCE * bw.abs(), CUT_TOLERANCE * bh.abs());
    let box_cut = x < -tx || y < -ty || x + bw > w + tx || y + bh > h + ty;
    let landmark_out = det
        .landmarks
        .iter()
        .any(|&[lx, ly]| lx < 0.0 || ly < 0.0 || lx > w || ly > h);
    let [re, le] = [
        det.landmarks[Detection::RIGHT_EYE],
        det.landmarks[Detection::LEFT_EYE],
    ];
    let margin = EYE_TO_FACE_SIDE * (le[0] - re[0]).hypot(le[1] - re[1]);
    let side_out = re[0].min(le[0]) - margin < 0.0 || re[0].max(le[0]) + margin > w;
    box_cut || landmark_out || side_out
}

/// The main subject: the largest face (by box area) whose score is at least `min_score`.
///
/// Returns its index in `detections`, so callers can also tell the other faces apart.
pub fn main_subject(detections: &[Detection], min_score: f32) -> Option<usize> {
    detections
        .iter()
        .enumerate()
        .filter(|(_, d)| d.score >= min_score)
        .max_by(|(_, a), (_, b)| {
            a.area()
                .total_cmp(&b.area())
                .then(a.score.total_cmp(&b.score))
        })
        .map(|(i, _)| i)
}

/// Sorts detections largest first (ties: higher score first). The detectors return this order.
pub(crate) fn sort_by_area(dets: &mut [Detection]) {
    dets.sort_by(|a, b| {
        b.area()
            .total_cmp(&a.area())
            .then(b.score.total_cmp(&a.score))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(x: f32, y: f32, w: f32, h: f32, score: f32) -> Detection {
        let lm = [
            [x + w * 0.3, y + h * 0.4],
            [x + w * 0.7, y + h * 0.4],
            [x + w * 0.5, y + h * 0.6],
            [x + w * 0.35, y + h * 0.8],
            [x + w * 0.65, y + h * 0.8],
        ];
        Detection::from_corners([x, y, x + w, y + h], score, lm, 1000.0, 800.0)
    }

    #[test]
    fn clamping_keeps_the_unclamped_box() {
        let d = det(-20.0, 10.0, 100.0, 120.0, 0.9);
        assert_eq!((d.x, d.y, d.w, d.h), (0.0, 10.0, 80.0, 120.0));
        assert_eq!(d.unclamped, [-20.0, 10.0, 100.0, 120.0]);
        assert!(cut_by_border(&d, 1000, 800));
        assert!(touches_border(&d, 1000, 800, 2.0));
    }

    #[test]
    fn inner_face_is_neither_cut_nor_touching() {
        let d = det(300.0, 200.0, 100.0, 120.0, 0.9);
        assert!(!cut_by_border(&d, 1000, 800));
        assert!(!touches_border(&d, 1000, 800, 2.0));
        assert!(touches_border(&d, 1000, 800, 300.0));
    }

    #[test]
    fn small_overshoot_is_not_a_cut_but_an_outside_landmark_is() {
        let d = det(-0.5, 200.0, 100.0, 120.0, 0.9);
        assert!(!cut_by_border(&d, 1000, 800));
        let mut d2 = det(5.0, 200.0, 100.0, 120.0, 0.9);
        d2.landmarks[Detection::MOUTH_RIGHT][1] = 801.0;
        assert!(cut_by_border(&d2, 1000, 800));
    }

    #[test]
    fn eyes_near_the_edge_mean_a_cut_face_even_inside_the_box() {
        // Box at the edge, eyes 40 px apart, the right eye 10 px from the edge: the face side
        // would be at 10 - 0.35·40 = -4.
        let mut d = det(0.0, 200.0, 80.0, 120.0, 0.9);
        d.landmarks[Detection::RIGHT_EYE] = [10.0, 240.0];
        d.landmarks[Detection::LEFT_EYE] = [50.0, 240.0];
        assert!(cut_by_border(&d, 1000, 800));
        d.landmarks[Detection::RIGHT_EYE] = [20.0, 240.0];
        d.landmarks[Detection::LEFT_EYE] = [60.0, 240.0];
        assert!(!cut_by_border(&d, 1000, 800));
    }

    #[test]
    fn main_subject_is_the_largest_confident_face() {
        let dets = [
            det(0.0, 0.0, 300.0, 300.0, 0.4),
            det(500.0, 100.0, 100.0, 100.0, 0.9),
            det(700.0, 100.0, 50.0, 50.0, 0.95),
        ];
        assert_eq!(main_subject(&dets, 0.5), Some(1));
        assert_eq!(main_subject(&dets, 0.3), Some(0));
        assert_eq!(main_subject(&dets, 0.99), None);
        let mut sorted = dets;
        sort_by_area(&mut sorted);
        assert!(sorted.windows(2).all(|p| p[0].area() >= p[1].area()));
    }
}
