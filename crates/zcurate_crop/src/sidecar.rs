//! Sidecars that travel with their image: the caption, with its framing slot rewritten to
//! the crop's framing, and the attribute file (`<stem>.json`), with its `framing` value.

use zcurate_caption::{Fact, Schema, Slot};
use zcurate_manifest::FramingClass;

/// The schema's framing slot: the one filled from the framing fact, else one named
/// `framing`.
fn framing_slot(schema: &Schema) -> Option<&Slot> {
    schema
        .slots
        .iter()
        .find(|s| s.fact == Some(Fact::Framing))
        .or_else(|| schema.slot("framing"))
}

/// `text` with its framing segment replaced by `framing`'s term, as the schema writes it
/// (`head and shoulders` in the built-in schemas), and whether anything changed. Only a
/// segment (text between the schema's separators) that is wholly a framing term or synonym
/// is replaced; every other byte of the caption stays as it was. A caption without a framing
/// segment is returned unchanged.
pub fn retarget_caption(text: &str, schema: &Schema, framing: FramingClass) -> (String, bool) {
    let Some(slot) = framing_slot(schema) else {
        return (text.to_owned(), false);
    };
    let Some(vocabulary) = slot.vocabulary.as_ref() else {
        return (text.to_owned(), false);
    };
    let Some(term) = vocabulary.for_fact(framing.as_str()) else {
        return (text.to_owned(), false);
    };
    let written = slot.template.apply(term);
    let mark = schema.separator.trim();
    let mark = if mark.is_empty() { "," } else { mark };
    let mut changed = false;
    let segments: Vec<String> = text
        .split(mark)
        .map(|segment| {
            let trimmed = segment.trim();
            let inner = slot.template.strip(trimmed).unwrap_or(trimmed);
            if trimmed.is_empty() || vocabulary.canonical(inner).is_none() {
                return segment.to_owned();
            }
            let start = segment.len() - segment.trim_start().len();
            let end = start + trimmed.len();
            let replaced = format!("{}{written}{}", &segment[..start], &segment[end..]);
            changed |= replaced != segment;
            replaced
        })
        .collect();
    (segments.join(mark), changed)
}

/// An attribute sidecar with its framing value (key: the framing slot's name) set to
/// `framing`'s term. `None` when the file is not a JSON object with a framing string, in
/// which case it travels unchanged.
pub fn retarget_attributes(text: &str, schema: &Schema, framing: FramingClass) -> Option<String> {
    let slot = framing_slot(schema)?;
    let term = slot.vocabulary.as_ref()?.for_fact(framing.as_str())?;
    let mut value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let entry = value.as_object_mut()?.get_mut(&slot.name)?;
    if entry.as_str()? == term {
        return None;
    }
    *entry = serde_json::Value::String(term.to_owned());
    let mut out = serde_json::to_string_pretty(&value).ok()?;
    out.push('\n');
    Some(out)
}

#[cfg(test)]
mod tests {
    use zcurate_caption::Catalog;

    use super::*;

    fn face_schema() -> Schema {
        Catalog::builtin().get("face").unwrap().clone()
    }

    #[test]
    fn the_framing_segment_is_replaced_and_nothing_else() {
        let s = face_schema();
        let (t, changed) = retarget_caption(
            "zq woman, upper body, front view,  smiling\n",
            &s,
            FramingClass::CloseUp,
        );
        assert!(changed);
        assert_eq!(t, "zq woman, close-up, front view,  smiling\n");
        // Synonyms are recognised; the canonical term is written.
        let (t, _) = retarget_caption(
            "zq woman,waist up,soft light",
            &s,
            FramingClass::HeadShoulders,
        );
        assert_eq!(t, "zq woman,head and shoulders,soft light");
    }

    #[test]
    fn captions_without_framing_or_already_right_are_unchanged() {
        let s = face_schema();
        let text = "zq woman, front view, smiling";
        assert_eq!(
            retarget_caption(text, &s, FramingClass::CloseUp),
            (text.to_owned(), false)
        );
        let text = "zq woman, close-up, smiling";
        assert_eq!(
            retarget_caption(text, &s, FramingClass::CloseUp),
            (text.to_owned(), false)
        );
        // A framing word inside a longer segment is not a slot value.
        let text = "zq woman in a close-up mood";
        assert!(!retarget_caption(text, &s, FramingClass::KneeUp).1);
    }

    #[test]
    fn attributes_get_the_new_framing() {
        let s = face_schema();
        let out = retarget_attributes(
            r#"{"framing": "upper body", "expression": "smiling"}"#,
            &s,
            FramingClass::CloseUp,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["framing"], "close-up");
        assert_eq!(v["expression"], "smiling");
        assert!(
            retarget_attributes(r#"{"expression": "smiling"}"#, &s, FramingClass::CloseUp)
                .is_none()
        );
        assert!(retarget_attributes("not json", &s, FramingClass::CloseUp).is_none());
        assert!(
            retarget_attributes(r#"{"framing": "close-up"}"#, &s, FramingClass::CloseUp).is_none()
        );
    }
}
