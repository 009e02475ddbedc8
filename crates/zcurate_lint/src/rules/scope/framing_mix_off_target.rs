use zcurate_manifest::FramingClass;

use crate::context::{Context, framing_class};
use crate::registry::declare_rule;
use crate::util::pct_vs;

declare_rule! {
    /// ## What it does
    /// Compares the dataset's framing mix (close-up, head-shoulders, upper-body, knee-up,
    /// full-body, among images with a face) with the profile's `framing-targets`, and
    /// reports each target missed, naming the images of over-represented classes.
    ///
    /// The face profile wants at least 70 % close-up or head-shoulders, 3 to 5 upper-body
    /// shots and at most 5 % knee-up or full-body; the character profile wants each of face,
    /// upper-body and knee-up/full-body represented. A target is a share range of the
    /// images with a face, a count range, or both.
    ///
    /// ## Why is this bad?
    /// A face LoRA trained on mixed framings learns framing, clothing and bodies alongside
    /// the face, learns the face slower, and bleeds: neutral prompts pull in the outfit and
    /// other people start to resemble the subject. A look LoRA without body shots cannot
    /// render the outfit.
    ///
    /// ## How to fix
    /// `zcurate select DIR --profile face --out FACE` builds a set that meets the targets
    /// from what the folder has (cropping wide shots where that helps). By hand: crop wide
    /// shots to the face with `zcurate crop --framing head-shoulders` (or `close-up`), or
    /// remove them; add the missing framings. Classes come
    /// from the scan's face geometry, with a confidence in the manifest; check doubtful
    /// ones by eye.
    ///
    /// ## Options
    /// - `framing-targets`
    code: "SET002",
    name: "framing-mix-off-target",
    group: Scope,
    severity: Warning,
    summary: "Framing mix misses the profile's targets",
    options: ["framing-targets"],
    requires: Faces,
}

/// SET002
pub(crate) fn check(cx: &mut Context<'_>) {
    let total = cx.facts.with_face;
    if total == 0 {
        return;
    }
    let profile = cx.profile().to_owned();
    for verdict in cx.facts.targets.clone() {
        if verdict.ok() {
            continue;
        }
        let t = &verdict.target;
        let over = verdict.over();
        let files: Vec<String> = if over {
            cx.images()
                .filter(|(_, r)| framing_class(r).is_some_and(|c| t.classes.contains(&c)))
                .map(|(_, r)| r.path.clone())
                .collect()
        } else {
            Vec::new()
        };
        let tight = t
            .classes
            .iter()
            .all(|c| matches!(c, FramingClass::CloseUp | FramingClass::HeadShoulders));
        let fix = if over && tight {
            "remove some of these, or add wider shots (upper-body, knee-up, full-body)".to_owned()
        } else if over {
            "crop these with `zcurate crop --framing head-shoulders` (or `close-up`), or remove them"
                .to_owned()
        } else {
            format!("add {} images, or crop wider shots to them", t.label())
        };
        let measured = if t.by_count() {
            format!("{} of {total} images with a face", verdict.count)
        } else {
            format!(
                "{} of {total} images with a face ({})",
                verdict.count,
                pct_vs(verdict.share, verdict.bound())
            )
        };
        cx.report(
            None,
            format!(
                "{}: {measured}, {} profile target {}",
                t.label(),
                profile,
                t.range_label()
            ),
        )
        .measured(verdict.measured(), verdict.bound())
        .files(files)
        .fix(fix);
    }
}
