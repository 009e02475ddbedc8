//! Caption text read against the built-in face schema, as `zcurate caption --audit` and the
//! caption statistics read a sidecar. Captions are read as UTF-8 (anything else is a CAP003
//! diagnostic before parsing), so only UTF-8 input reaches the parser.
//!
//! Must hold: no panic; token spans are in bounds on character boundaries; normalising twice
//! changes nothing; and a caption that fits the schema (no misfit, nothing missing) renders
//! from its values into text that reads back as the same values, the round trip `zcurate
//! caption` relies on when it proposes captions.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zcurate_caption::{Catalog, ParseContext, count_tokens, normalize, parse, token_spans};

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::builtin);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let schema = CATALOG.get("face").expect("the face schema is built in");
    let spans = token_spans(text);
    for s in &spans {
        assert!(
            text.get(s.clone()).is_some(),
            "token span {s:?} of {text:?}"
        );
    }
    assert_eq!(spans.len(), count_tokens(text));
    let once = normalize(text);
    assert_eq!(normalize(&once), once, "normalize is not idempotent");

    let ctx = ParseContext {
        trigger: Some("ohwx"),
        class: Some("man"),
    };
    let parsed = parse(schema, &ctx, text);
    assert_eq!(parsed.tokens, count_tokens(text));
    if parsed.misfits.is_empty() && parsed.missing.is_empty() {
        let rendered = schema.render(&parsed.values);
        let again = parse(schema, &ctx, &rendered);
        assert_eq!(
            again.values, parsed.values,
            "{text:?} renders as {rendered:?}, which reads back differently"
        );
    }
});
