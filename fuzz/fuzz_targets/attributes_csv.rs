//! The attributes CSV reader (`zcurate caption --attributes FILE.csv`) against the face
//! schema, for a small dataset. Must hold: no panic; every problem names the file, and a line
//! it names exists in the input; every value found is for an image of the dataset.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zcurate_caption::{Catalog, parse_csv};

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::builtin);
const IMAGES: &[&str] = &["a.jpg", "b.png", "sub/a.jpg", "10_ohwx/c d.webp"];
const FILE: &str = "attrs.csv";

fuzz_target!(|data: &[u8]| {
    let schema = CATALOG.get("face").expect("the face schema is built in");
    // A line number may point one past the last newline (an unterminated last line).
    let lines = data.split(|&b| b == b'\n').count() as u64;
    let problems = match parse_csv(data, FILE, schema, IMAGES) {
        Ok(loaded) => {
            let slots: Vec<&str> = schema.slots.iter().map(|s| s.name.as_str()).collect();
            let found = IMAGES
                .iter()
                .flat_map(|i| slots.iter().map(move |s| (i, s)))
                .filter(|(i, s)| loaded.attributes.get(i, s).is_some())
                .count();
            assert!(
                found >= loaded.attributes.len(),
                "values for unknown images"
            );
            loaded.warnings
        }
        Err(e) => match e {
            zcurate_caption::CaptionError::Attributes { problems, .. } => problems,
            other => panic!("parse_csv failed without a located problem: {other}"),
        },
    };
    for p in &problems {
        assert_eq!(p.file, FILE);
        assert!(!p.message.is_empty());
        if let Some(line) = p.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {p:?}");
        }
    }
});
