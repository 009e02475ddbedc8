//! Greedy non-maximum suppression over candidate boxes.

/// A candidate before NMS: unclamped `x1, y1, x2, y2` in model-input pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub corners: [f32; 4],
    pub score: f32,
    pub landmarks: [[f32; 2]; 5],
}

/// Intersection over union of two `x1, y1, x2, y2` boxes; 0 when either is empty.
pub fn iou(a: [f32; 4], b: [f32; 4]) -> f32 {
    let iw = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = iw * ih;
    let area = |r: [f32; 4]| (r[2] - r[0]).max(0.0) * (r[3] - r[1]).max(0.0);
    let union = area(a) + area(b) - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// Keeps the highest-scoring candidates, dropping any whose IoU with an already kept one is
/// above `iou_threshold` (the rule of OpenCV's `NMSBoxes`). Returns the kept ones, best first.
pub(crate) fn nms(mut candidates: Vec<Candidate>, iou_threshold: f32) -> Vec<Candidate> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        if kept
            .iter()
            .all(|k| iou(k.corners, c.corners) <= iou_threshold)
        {
            kept.push(c);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(x1: f32, y1: f32, x2: f32, y2: f32, score: f32) -> Candidate {
        Candidate {
            corners: [x1, y1, x2, y2],
            score,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn iou_of_known_boxes() {
        assert_eq!(iou([0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0]), 1.0);
        assert_eq!(iou([0.0, 0.0, 10.0, 10.0], [10.0, 0.0, 20.0, 10.0]), 0.0);
        // Half overlap: inter 50, union 150.
        assert!((iou([0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0]) - 1.0 / 3.0).abs() < 1e-6);
        assert_eq!(iou([0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]), 0.0);
    }

    #[test]
    fn suppresses_overlaps_and_keeps_separate_faces() {
        let kept = nms(
            vec![
                cand(0.0, 0.0, 10.0, 10.0, 0.8),
                cand(1.0, 1.0, 11.0, 11.0, 0.9),
                cand(50.0, 50.0, 60.0, 60.0, 0.7),
                cand(5.0, 0.0, 15.0, 10.0, 0.6),
            ],
            0.4,
        );
        let scores: Vec<f32> = kept.iter().map(|c| c.score).collect();
        // 0.8 overlaps 0.9 (IoU 0.68) and goes; 0.6 overlaps 0.9 by 0.29 and stays.
        assert_eq!(scores, vec![0.9, 0.7, 0.6]);
    }

    #[test]
    fn threshold_is_exclusive_and_empty_input_is_fine() {
        let a = cand(0.0, 0.0, 10.0, 10.0, 0.9);
        let b = cand(5.0, 0.0, 15.0, 10.0, 0.8);
        assert_eq!(nms(vec![a, b], 1.0 / 3.0).len(), 2);
        assert_eq!(nms(vec![a, b], 0.3).len(), 1);
        assert!(nms(Vec::new(), 0.3).is_empty());
    }
}
