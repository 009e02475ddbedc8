//! Small helpers shared by rules.

pub(crate) use zcurate_caption::edit_distance;

/// `n` with the singular or plural noun.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A share as a whole percentage.
pub(crate) fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A share shown next to a limit it missed: one decimal when whole percents would make them
/// look equal (1 of 19 is 5.3%, not "5%" against a 5% limit).
pub(crate) fn pct_vs(share: f64, limit: f64) -> String {
    if pct(share) == pct(limit) && (share - limit).abs() > 1e-9 {
        format!("{:.1}%", share * 100.0)
    } else {
        pct(share)
    }
}
