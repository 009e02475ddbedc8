use crate::context::Context;
use crate::registry::declare_rule;
use crate::util::pct;

declare_rule! {
    /// ## What it does
    /// Flags greyscale (or nearly colourless) images in a dataset that is mostly colour:
    /// when at least `colour-set-min-share` of the images are colour.
    ///
    /// ## Why is this bad?
    /// A few black-and-white shots in a colour set teach the LoRA that the subject is
    /// sometimes colourless, and outputs drift grey. An all-greyscale set is a deliberate
    /// style and is not flagged.
    ///
    /// ## How to fix
    /// Remove it, or caption it (`black and white photo`) so the look stays a prompt choice.
    ///
    /// ## Options
    /// - `colour-set-min-share`
    code: "QLT006",
    name: "greyscale-in-colour-set",
    group: Quality,
    severity: Warning,
    summary: "Greyscale image in a colour dataset",
    options: ["colour-set-min-share"],
    requires: Manifest,
}

/// QLT006
pub(crate) fn check(cx: &mut Context<'_>) {
    let known: Vec<(&str, bool)> = cx
        .images()
        .filter_map(|(_, r)| r.grey.map(|g| (r.path.as_str(), g)))
        .collect();
    let colour = known.iter().filter(|(_, g)| !g).count();
    if known.is_empty() {
        return;
    }
    let total = known.len();
    let share = colour as f64 / total as f64;
    let min = cx.t.colour_set_min_share;
    if share < min {
        return;
    }
    for (path, grey) in known {
        if grey {
            cx.report(
                Some(path),
                format!(
                    "greyscale in a colour set ({colour} of {total} images, {}, are colour)",
                    pct(share)
                ),
            )
            .measured(share, min)
            .fix("remove it, or caption it `black and white photo`");
        }
    }
}
