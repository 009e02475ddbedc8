//! A profile's framing targets and the one verdict on each: judged once ([`FramingTarget::judge`])
//! and shown by the rule (SET002), the summary (human and JSON) and the HTML report.

use serde::{Deserialize, Serialize};
use zcurate_manifest::FramingClass;

use crate::util::pct_vs;

/// A target for a set of framing classes: a share range of the images with a face, a count
/// range, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FramingTarget {
    /// The classes counted together.
    pub classes: Vec<FramingClass>,
    /// Smallest share (0 to 1) of images with a face those classes should have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest share (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Fewest images of those classes (a few upper-body shots: 3 to 5 whatever the total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_count: Option<usize>,
    /// Most images of those classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_count: Option<usize>,
}

impl FramingTarget {
    /// `close-up + head-shoulders`.
    pub fn label(&self) -> String {
        self.classes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// True when the target is a count range and sets no share.
    pub fn by_count(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }

    /// The verdict on `count` images of the target's classes among `with_face` images with a
    /// face (none with a face: a share of 0).
    pub fn judge(&self, count: usize, with_face: usize) -> TargetVerdict {
        let share = if with_face == 0 {
            0.0
        } else {
            count as f64 / with_face as f64
        };
        // Shares are compared with a little slack, so 7 of 10 meets `min = 0.7`.
        let over =
            self.max.is_some_and(|m| share > m + 1e-9) || self.max_count.is_some_and(|m| count > m);
        let under =
            self.min.is_some_and(|m| share < m - 1e-9) || self.min_count.is_some_and(|m| count < m);
        let state = if over {
            TargetState::Over
        } else if under {
            TargetState::Under
        } else {
            TargetState::Met
        };
        TargetVerdict {
            target: self.clone(),
            count,
            share,
            state,
        }
    }

    /// `≥ 70%`, `≤ 5%`, `10–30%`, `3–5 images`, or both kinds joined.
    pub fn range_label(&self) -> String {
        let pct = |v: f64| format!("{:.0}%", v * 100.0);
        let shares = match (self.min, self.max) {
            (Some(lo), Some(hi)) => Some(format!("{}–{}", pct(lo), pct(hi))),
            (Some(lo), None) => Some(format!("≥ {}", pct(lo))),
            (None, Some(hi)) => Some(format!("≤ {}", pct(hi))),
            (None, None) => None,
        };
        let counts = match (self.min_count, self.max_count) {
            (Some(lo), Some(hi)) => Some(format!("{lo}–{hi} images")),
            (Some(lo), None) => Some(format!("≥ {lo} images")),
            (None, Some(hi)) => Some(format!("≤ {hi} images")),
            (None, None) => None,
        };
        match (shares, counts) {
            (Some(s), Some(c)) => format!("{s}, {c}"),
            (Some(s), None) => s,
            (None, Some(c)) => c,
            (None, None) => "any".to_owned(),
        }
    }
}

/// Where a set stands against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    Met,
    /// Below a lower bound (and above no upper one).
    Under,
    /// Above an upper bound.
    Over,
}

/// A framing target judged against a set's mix.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetVerdict {
    pub target: FramingTarget,
    /// Images with a face in the target's classes.
    pub count: usize,
    /// `count` over images with a face.
    pub share: f64,
    pub state: TargetState,
}

impl TargetVerdict {
    /// The target is met.
    pub fn ok(&self) -> bool {
        self.state == TargetState::Met
    }

    /// The set has more of the target's classes than it allows.
    pub fn over(&self) -> bool {
        self.state == TargetState::Over
    }

    /// The figure a missed target is reported with: the count for a count range, else the
    /// share.
    pub fn measured(&self) -> f64 {
        if self.target.by_count() {
            self.count as f64
        } else {
            self.share
        }
    }

    /// The bound a missed target is reported against, in the unit of [`Self::measured`]: the
    /// upper one when over, else the lower one.
    pub fn bound(&self) -> f64 {
        let t = &self.target;
        let over = self.over();
        if t.by_count() {
            if over { t.max_count } else { t.min_count }.unwrap_or(0) as f64
        } else {
            if over { t.max } else { t.min }.unwrap_or(0.0)
        }
    }

    /// The measured value as the summary shows it: the share (`33%`, with a decimal where
    /// whole percents would look equal to the bound), or the count for a target set in images
    /// (`2 images`).
    pub fn value_label(&self) -> String {
        if self.target.by_count() {
            format!(
                "{} image{}",
                self.count,
                if self.count == 1 { "" } else { "s" }
            )
        } else {
            pct_vs(self.share, self.shown_limit())
        }
    }

    /// The bound the summary sets a share beside: the maximum when above it, else the minimum.
    fn shown_limit(&self) -> f64 {
        let t = &self.target;
        t.max
            .filter(|m| self.share > *m)
            .or(t.min)
            .or(t.max)
            .unwrap_or(self.share)
    }
}

/// The JSON summary's form (`zcurate lint --format json`): the target's classes and share
/// range, the count, the share to four decimals, and whether it is met.
impl Serialize for TargetVerdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            classes: &'a [FramingClass],
            #[serde(skip_serializing_if = "Option::is_none")]
            min: Option<f64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            max: Option<f64>,
            count: usize,
            share: f64,
            ok: bool,
        }
        Json {
            classes: &self.target.classes,
            min: self.target.min,
            max: self.target.max,
            count: self.count,
            share: crate::report::round4(self.share),
            ok: self.ok(),
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(
        min: Option<f64>,
        max: Option<f64>,
        counts: (Option<usize>, Option<usize>),
    ) -> FramingTarget {
        FramingTarget {
            classes: vec![FramingClass::UpperBody],
            min,
            max,
            min_count: counts.0,
            max_count: counts.1,
        }
    }

    #[test]
    fn shares_meet_their_bounds_with_slack() {
        let t = target(Some(0.7), None, (None, None));
        assert!(t.judge(7, 10).ok());
        let v = t.judge(6, 10);
        assert_eq!(
            (v.state, v.measured(), v.bound()),
            (TargetState::Under, 0.6, 0.7)
        );
        assert_eq!(v.value_label(), "60%");
        let t = target(None, Some(0.05), (None, None));
        let v = t.judge(1, 19);
        assert!(v.over());
        assert_eq!((v.bound(), v.value_label()), (0.05, "5.3%".to_owned()));
        assert!(t.judge(0, 0).ok());
    }

    #[test]
    fn counts_are_judged_in_images() {
        let t = target(None, None, (Some(3), Some(5)));
        let v = t.judge(2, 20);
        assert_eq!(
            (v.state, v.measured(), v.bound()),
            (TargetState::Under, 2.0, 3.0)
        );
        assert_eq!(v.value_label(), "2 images");
        let v = t.judge(6, 20);
        assert_eq!((v.state, v.bound()), (TargetState::Over, 5.0));
        assert_eq!(t.judge(1, 1).value_label(), "1 image");
    }

    #[test]
    fn json_keeps_the_summary_form() {
        let v = target(Some(0.7), None, (Some(1), None)).judge(2, 3);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"classes":["upper-body"],"min":0.7,"count":2,"share":0.6667,"ok":false}"#
        );
    }
}
