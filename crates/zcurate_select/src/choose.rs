//! The choice: a deterministic greedy pick over the candidates that are left.
//!
//! 1. The profile's lower bounds first (face: 3 upper-body shots, then 70 % close-up and
//!    head-shoulders), each time the best candidate of the classes still short.
//! 2. Then the best candidate overall until the set has its size, never past an upper bound
//!    (face: 5 upper-body shots).
//! 3. When the folder runs out before the size is reached, share bounds are judged against
//!    the smaller set, and the least valuable images of an over-represented class go.
//!
//! "Best" is the candidate that adds the most variety to what is chosen (a photo not yet in
//! the set counts most, then an angle, expression, lighting and framing seen less often),
//! then the better quality; ties go to the smaller id, so the same folder gives the same set.

use std::collections::{BTreeMap, HashSet};

use zcurate_lint::FramingTarget;

use crate::candidates::Candidate;
use crate::settings::SelectSettings;

/// Weight of a photo not yet in the set: more than every other variety term together, so
/// that a second crop of a photo comes only when no other photo can fill the place.
const NEW_PHOTO: f64 = 4.0;
/// Weights of an angle, an expression and a lighting seen `n` times already: `w / (1 + n)`.
const ANGLE: f64 = 1.0;
const EXPRESSION: f64 = 1.0;
const LIGHTING: f64 = 1.0;
/// Framing within a target's classes (close-ups against head-and-shoulders).
const FRAMING: f64 = 0.5;
/// Quality (0 to 1) counts at half the weight of one variety step: it decides between
/// candidates that add the same variety.
const QUALITY: f64 = 0.5;

/// What the choice gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Indices of the chosen candidates, in the order they were picked.
    pub chosen: Vec<usize>,
    /// The size the choice aimed for.
    pub goal: usize,
    /// Why each candidate in play was left out.
    pub spare: BTreeMap<usize, String>,
}

/// Fewest images of `t`'s classes a set of `n` needs.
pub fn lower(t: &FramingTarget, n: usize) -> usize {
    let share = t
        .min
        .map_or(0, |m| (m * n as f64 - 1e-9).ceil().max(0.0) as usize);
    share.max(t.min_count.unwrap_or(0))
}

/// Most images of `t`'s classes a set of `n` may have.
pub fn upper(t: &FramingTarget, n: usize) -> usize {
    let share = t
        .max
        .map_or(usize::MAX, |m| (m * n as f64 + 1e-9).floor() as usize);
    share.min(t.max_count.unwrap_or(usize::MAX))
}

fn in_target(t: &FramingTarget, c: &Candidate) -> bool {
    t.classes.contains(&c.framing)
}

fn count_in(t: &FramingTarget, set: &[usize], cands: &[Candidate]) -> usize {
    set.iter().filter(|&&i| in_target(t, &cands[i])).count()
}

/// How much `c` adds to `set`.
pub fn score(c: &Candidate, set: &[usize], cands: &[Candidate]) -> f64 {
    let seen = |same: &dyn Fn(&Candidate) -> bool| set.iter().filter(|&&i| same(&cands[i])).count();
    let mut v = 0.0;
    if seen(&|o| o.shot == c.shot) == 0 {
        v += NEW_PHOTO;
    }
    v += ANGLE / (1 + seen(&|o| o.angle == c.angle)) as f64;
    v += EXPRESSION / (1 + seen(&|o| o.expression == c.expression)) as f64;
    v += LIGHTING / (1 + seen(&|o| o.lighting == c.lighting)) as f64;
    v += FRAMING / (1 + seen(&|o| o.framing == c.framing)) as f64;
    v + QUALITY * c.quality
}

/// Chooses from `cands` (those without an exclusion), with `forced` (`--keep`) in the set
/// whatever it costs.
pub fn choose(cands: &[Candidate], settings: &SelectSettings, forced: &[usize]) -> Choice {
    let t = &settings.thresholds;
    let goal = settings.count.unwrap_or(t.target_max_images);
    let targets = &t.framing_targets;
    let mut chosen: Vec<usize> = Vec::new();
    for &f in forced {
        if !chosen.contains(&f) {
            chosen.push(f);
        }
    }
    let forced_set: HashSet<usize> = chosen.iter().copied().collect();
    let mut pool: Vec<usize> = (0..cands.len())
        .filter(|i| cands[*i].exclusion.is_none() && !forced_set.contains(i))
        .collect();

    let fits = |c: &Candidate, chosen: &[usize]| {
        targets
            .iter()
            .filter(|tg| in_target(tg, c))
            .all(|tg| count_in(tg, chosen, cands) < upper(tg, goal))
    };
    let pick = |chosen: &[usize], pool: &[usize], want: &dyn Fn(&Candidate) -> bool| {
        pool.iter()
            .copied()
            .filter(|&i| want(&cands[i]) && fits(&cands[i], chosen))
            .max_by(|&a, &b| {
                score(&cands[a], chosen, cands)
                    .total_cmp(&score(&cands[b], chosen, cands))
                    .then(cands[b].id.cmp(&cands[a].id))
            })
    };

    // 1. Lower bounds, in the profile's order.
    for tg in targets {
        while chosen.len() < goal && count_in(tg, &chosen, cands) < lower(tg, goal) {
            let Some(i) = pick(&chosen, &pool, &|c| in_target(tg, c)) else {
                break;
            };
            chosen.push(i);
            pool.retain(|&p| p != i);
        }
    }
    // 2. Fill.
    while chosen.len() < goal {
        let Some(i) = pick(&chosen, &pool, &|_| true) else {
            break;
        };
        chosen.push(i);
        pool.retain(|&p| p != i);
    }
    // 3. Share bounds against the set the folder could give, never below the target size.
    let floor = settings.count.unwrap_or(t.target_min_images);
    repair(&mut chosen, cands, targets, &forced_set, floor);

    let mut spare = BTreeMap::new();
    let n = chosen.len();
    for i in (0..cands.len()).filter(|i| cands[*i].exclusion.is_none() && !chosen.contains(i)) {
        let c = &cands[i];
        let full = targets
            .iter()
            .find(|tg| in_target(tg, c) && count_in(tg, &chosen, cands) >= upper(tg, n.max(goal)));
        let why = match full {
            Some(tg) => format!(
                "the set already has {} {} (target {})",
                count_in(tg, &chosen, cands),
                tg.label(),
                tg.range_label()
            ),
            None => format!(
                "not needed: the set has its {n} images, and they add more variety or quality"
            ),
        };
        spare.insert(i, why);
    }
    Choice {
        chosen,
        goal,
        spare,
    }
}

/// Removes the least valuable images until every share bound holds for the set's own size,
/// where removing helps: only when the bound can be met with at least `floor` images, never
/// a `--keep` image, never below a class's own lower bound. A set too small for the target
/// size is not made smaller still for a share: the miss is reported instead.
fn repair(
    chosen: &mut Vec<usize>,
    cands: &[Candidate],
    targets: &[FramingTarget],
    forced: &HashSet<usize>,
    floor: usize,
) {
    for _ in 0..cands.len() {
        let n = chosen.len();
        let broken = targets.iter().find_map(|tg| {
            let k = count_in(tg, chosen, cands);
            // The largest set in which the bound holds, keeping the images it counts.
            let reachable = if tg.max.is_some() && k > upper(tg, n) {
                let max = tg.max.unwrap_or(1.0);
                (max < 1.0)
                    .then(|| ((n - k) as f64 / (1.0 - max) + 1e-9).floor() as usize)
                    .map(|m| (m, true))
            } else if tg.min.is_some() && k < lower(tg, n) {
                let min = tg.min.unwrap_or(0.0);
                (min > 0.0)
                    .then(|| (k as f64 / min + 1e-9).floor() as usize)
                    .map(|m| (m, false))
            } else {
                None
            };
            reachable
                .filter(|(m, _)| *m >= floor)
                .map(|(_, over)| (tg, over))
        });
        let Some((tg, over)) = broken else {
            return;
        };
        // Over: drop from the target's classes. Under: drop from the other classes, as
        // long as their own lower bounds (counted on the smaller set) still hold.
        let removable = |i: usize| {
            let c = &cands[i];
            if forced.contains(&i) || in_target(tg, c) != over {
                return false;
            }
            over || targets
                .iter()
                .filter(|o| in_target(o, c))
                .all(|o| count_in(o, chosen, cands) > lower(o, n - 1))
        };
        let victim = chosen
            .iter()
            .copied()
            .filter(|&i| removable(i))
            .min_by(|&a, &b| {
                let without = |i: usize| -> Vec<usize> {
                    chosen.iter().copied().filter(|&j| j != i).collect()
                };
                score(&cands[a], &without(a), cands)
                    .total_cmp(&score(&cands[b], &without(b), cands))
                    .then(cands[b].id.cmp(&cands[a].id))
            });
        match victim {
            Some(v) => chosen.retain(|&i| i != v),
            None => return,
        }
    }
}
