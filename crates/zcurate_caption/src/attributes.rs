//! Per-image slot values given by the user: a CSV file with a `file` column and one column
//! per slot, or JSON sidecars (`<image stem>.json`, an object of slot → value).
//!
//! Every problem names its file and line. Problems that leave the user's intent unclear
//! (a missing `file` column, conflicting rows, a value outside a closed vocabulary) are
//! errors; problems zcurate can safely step over (an unknown column, a row for an image that
//! is not in the dataset, a repeated identical row) are warnings.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::error::{CaptionError, Problem};
use crate::options::Presence;
use crate::schema::Schema;

/// A value the user gave for one slot of one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Given {
    /// Canonical value.
    pub value: String,
    /// Where it was given: `attrs.csv line 3` or `a.json`.
    pub origin: String,
}

/// User-given values by image path (relative to the root) and slot name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    by_image: BTreeMap<String, BTreeMap<String, Given>>,
}

impl Attributes {
    pub fn get(&self, image: &str, slot: &str) -> Option<&Given> {
        self.by_image.get(image)?.get(slot)
    }

    /// Number of images with at least one value.
    pub fn len(&self) -> usize {
        self.by_image.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_image.is_empty()
    }

    /// `self` with the values of `lower` added where `self` has none; a value given in both
    /// places with different text is a warning (and `self` wins).
    #[must_use]
    pub fn merged_over(mut self, lower: Self, warnings: &mut Vec<Problem>) -> Self {
        for (image, slots) in lower.by_image {
            let mine = self.by_image.entry(image.clone()).or_default();
            for (slot, given) in slots {
                match mine.get(&slot) {
                    Some(m) if m.value != given.value => warnings.push(Problem {
                        file: given.origin.clone(),
                        line: None,
                        column: Some(slot.clone()),
                        message: format!(
                            "`{}` for {image} is overridden by `{}` from {}",
                            given.value, m.value, m.origin
                        ),
                    }),
                    Some(_) => {}
                    None => {
                        mine.insert(slot, given);
                    }
                }
            }
        }
        self
    }
}

/// Attributes read from files, with the warnings found on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub attributes: Attributes,
    pub warnings: Vec<Problem>,
}

/// Finds images by what a user writes in a `file` cell: the relative path, or a file name or
/// stem that is unique in the dataset.
struct ImageIndex<'a> {
    exact: HashMap<&'a str, &'a str>,
    by_name: HashMap<&'a str, Vec<&'a str>>,
    by_stem: HashMap<&'a str, Vec<&'a str>>,
}

enum Found<'a> {
    One(&'a str),
    None,
    Many(Vec<&'a str>),
}

impl<'a> ImageIndex<'a> {
    fn new(images: &[&'a str]) -> Self {
        let mut index = Self {
            exact: HashMap::new(),
            by_name: HashMap::new(),
            by_stem: HashMap::new(),
        };
        for &path in images {
            index.exact.insert(path, path);
            let name = path.rsplit('/').next().unwrap_or(path);
            index.by_name.entry(name).or_default().push(path);
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            index.by_stem.entry(stem).or_default().push(path);
        }
        index
    }

    fn find(&self, key: &str) -> Found<'a> {
        let key = key.replace('\\', "/");
        let key = key.trim_start_matches("./");
        if let Some(p) = self.exact.get(key) {
            return Found::One(p);
        }
        for map in [&self.by_name, &self.by_stem] {
            match map.get(key).map(Vec::as_slice) {
                Some([one]) => return Found::One(one),
                Some(many) if many.len() > 1 => return Found::Many(many.to_vec()),
                _ => {}
            }
        }
        Found::None
    }
}

/// What a CSV column or JSON key feeds.
enum Target {
    Slot(usize),
    Ignored,
}

/// Maps a column or key name to a slot, with a warning when it feeds nothing.
fn target(
    schema: &Schema,
    name: &str,
    file: &str,
    line: Option<u64>,
    warnings: &mut Vec<Problem>,
) -> Target {
    let key = name.trim().to_lowercase().replace('_', "-");
    let problem = |message: String| Problem {
        file: file.to_owned(),
        line,
        column: Some(name.trim().to_owned()),
        message,
    };
    match schema.slot_index(&key) {
        Some(i) if schema.slots[i].presence == Presence::Forbidden => {
            warnings.push(problem(format!(
                "slot {key} is forbidden in schema {}; its values are ignored",
                schema.name
            )));
            Target::Ignored
        }
        Some(i) => Target::Slot(i),
        None => {
            let names: Vec<&str> = schema.slots.iter().map(|s| s.name.as_str()).collect();
            warnings.push(problem(format!(
                "not a slot of schema {} ({}); ignored",
                schema.name,
                names.join(", ")
            )));
            Target::Ignored
        }
    }
}

/// Reads a CSV attributes file for the images of a dataset.
pub fn read_csv(path: &Path, schema: &Schema, images: &[&str]) -> Result<Loaded, CaptionError> {
    let bytes = std::fs::read(path).map_err(|source| CaptionError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_csv(&bytes, &path.display().to_string(), schema, images)
}

/// Parses CSV attributes; `file` names the file in messages.
pub fn parse_csv(
    bytes: &[u8],
    file: &str,
    schema: &Schema,
    images: &[&str],
) -> Result<Loaded, CaptionError> {
    // A UTF-8 BOM is common from spreadsheet exports and is not part of the first header.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The csv reader ends a record at the `\r` of a CRLF and counts the `\n` in the next
    // record's position, which puts every line number one short; plain LF avoids that.
    let bytes = crlf_to_lf(bytes);
    check_quotes(&bytes, file)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let problem = |line: u64, column: Option<&str>, message: String| Problem {
        file: file.to_owned(),
        line: Some(line),
        column: column.map(str::to_owned),
        message,
    };

    let mut records = reader.byte_records();
    let Some(header) = records.next() else {
        errors.push(problem(
            1,
            None,
            "the file is empty; it needs a header with a `file` column".to_owned(),
        ));
        return Err(CaptionError::Attributes { problems: errors });
    };
    let header = header.map_err(|e| csv_error(file, &e))?;
    let mut names = Vec::new();
    for (i, field) in header.iter().enumerate() {
        if let Ok(s) = std::str::from_utf8(field) {
            names.push(s.trim().to_owned());
        } else {
            errors.push(problem(
                1,
                None,
                format!("header field {} is not valid UTF-8", i + 1),
            ));
            names.push(String::new());
        }
    }
    let file_col = names.iter().position(|n| n.eq_ignore_ascii_case("file"));
    let Some(file_col) = file_col else {
        errors.push(problem(
            1,
            None,
            format!(
                "no `file` column (the header has: {}); the first row must name the columns, one of them `file`",
                names.join(", ")
            ),
        ));
        return Err(CaptionError::Attributes { problems: errors });
    };
    let mut targets = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i == file_col {
            targets.push(Target::Ignored);
        } else if name.is_empty() {
            warnings.push(problem(
                1,
                None,
                format!("column {} has no name; ignored", i + 1),
            ));
            targets.push(Target::Ignored);
        } else if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
            errors.push(problem(
                1,
                Some(name),
                "the column appears twice".to_owned(),
            ));
            targets.push(Target::Ignored);
        } else {
            targets.push(target(schema, name, file, Some(1), &mut warnings));
        }
    }

    let index = ImageIndex::new(images);
    let mut attributes = Attributes::default();
    // Image → (line, its values), to tell a repeated row from a conflicting one.
    let mut seen: HashMap<&str, (u64, BTreeMap<String, String>)> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != names.len() {
            errors.push(problem(
                line,
                None,
                format!(
                    "{} fields, but the header has {} (a comma inside a value needs quotes)",
                    record.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let mut cells = Vec::new();
        let mut bad = false;
        for (i, field) in record.iter().enumerate() {
            if let Ok(s) = std::str::from_utf8(field) {
                cells.push(s.trim().to_owned());
            } else {
                errors.push(problem(line, Some(&names[i]), "not valid UTF-8".to_owned()));
                bad = true;
                cells.push(String::new());
            }
        }
        if bad {
            continue;
        }
        let key = &cells[file_col];
        if key.is_empty() {
            errors.push(problem(
                line,
                Some(&names[file_col]),
                "empty file name".to_owned(),
            ));
            continue;
        }
        let image = match index.find(key) {
            Found::One(p) => p,
            Found::None => {
                warnings.push(problem(
                    line,
                    None,
                    format!("no image `{key}` in the dataset's manifest; row ignored"),
                ));
                continue;
            }
            Found::Many(paths) => {
                errors.push(problem(
                    line,
                    None,
                    format!(
                        "`{key}` matches several images ({}); give the path relative to the dataset",
                        paths.join(", ")
                    ),
                ));
                continue;
            }
        };
        let mut values = BTreeMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let Target::Slot(s) = targets[i] else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            let slot = &schema.slots[s];
            match slot.canonicalize(cell, &schema.separator) {
                Ok(v) => {
                    values.insert(slot.name.clone(), v);
                }
                Err(m) => errors.push(problem(line, Some(&names[i]), m)),
            }
        }
        if let Some((first, earlier)) = seen.get(image) {
            if *earlier == values {
                warnings.push(problem(
                    line,
                    None,
                    format!("repeats line {first} for `{image}`; ignored"),
                ));
            } else {
                errors.push(problem(
                    line,
                    None,
                    format!("`{image}` already has a row on line {first}, with different values"),
                ));
            }
            continue;
        }
        let slots = attributes.by_image.entry(image.to_owned()).or_default();
        for (slot, value) in &values {
            slots.insert(
                slot.clone(),
                Given {
                    value: value.clone(),
                    origin: format!("{file} line {line}"),
                },
            );
        }
        if slots.is_empty() {
            attributes.by_image.remove(image);
        }
        seen.insert(image, (line, values));
    }
    if errors.is_empty() {
        Ok(Loaded {
            attributes,
            warnings,
        })
    } else {
        Err(CaptionError::Attributes { problems: errors })
    }
}

/// The csv reader is lenient about quotes: a quote left open reads every row after it into
/// one value, and text after a closing quote is glued to the value. A slot value is one line,
/// so a quoted value that crosses a line end, is never closed, or has text after its closing
/// quote is an error naming the line where the quote opened.
const UNCLOSED: &str = "the quote opened on this line is not closed on it (a quote inside a quoted value is written twice: \"\")";

fn check_quotes(bytes: &[u8], file: &str) -> Result<(), CaptionError> {
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let error = |line: u64, message: String| CaptionError::Attributes {
        problems: vec![Problem {
            file: file.to_owned(),
            line: Some(line),
            column: None,
            message,
        }],
    };
    let mut state = State::FieldStart;
    let (mut line, mut opened) = (1u64, 1u64);
    for &b in bytes {
        let end_of_line = b == b'\n' || b == b'\r';
        state = match state {
            State::FieldStart | State::Unquoted if b == b',' || end_of_line => State::FieldStart,
            State::FieldStart if b == b'"' => {
                opened = line;
                State::Quoted
            }
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted if end_of_line => return Err(error(opened, UNCLOSED.to_owned())),
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::QuoteInQuoted if b == b',' || end_of_line => State::FieldStart,
            State::QuoteInQuoted => {
                return Err(error(
                    opened,
                    format!(
                        "text after the closing quote of a value (`{}`); quote the whole value, and write a quote inside it twice",
                        char::from(b).escape_default()
                    ),
                ));
            }
        };
        if b == b'\n' {
            line += 1;
        }
    }
    if matches!(state, State::Quoted) {
        return Err(error(opened, UNCLOSED.to_owned()));
    }
    Ok(())
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

fn csv_error(file: &str, e: &csv::Error) -> CaptionError {
    CaptionError::Attributes {
        problems: vec![Problem {
            file: file.to_owned(),
            line: e.position().map(csv::Position::line),
            column: None,
            message: e.to_string(),
        }],
    }
}

/// The JSON sidecar of an image: the same folder and stem, extension `json`.
pub fn sidecar_path(image: &str) -> String {
    match image.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => format!("{stem}.json"),
        _ => format!("{image}.json"),
    }
}

/// Reads the JSON sidecars of `images` under `root` (images without one are skipped).
pub fn read_json_sidecars(
    root: &Path,
    schema: &Schema,
    images: &[&str],
) -> Result<Loaded, CaptionError> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut attributes = Attributes::default();
    for &image in images {
        let rel = sidecar_path(image);
        let path = root.join(&rel);
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| CaptionError::Read {
            path: path.clone(),
            source,
        })?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let problem = |line: Option<u64>, column: Option<&str>, message: String| Problem {
            file: rel.clone(),
            line,
            column: column.map(str::to_owned),
            message,
        };
        let value: serde_json::Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                errors.push(problem(
                    Some(e.line() as u64),
                    None,
                    format!("invalid JSON: {e}"),
                ));
                continue;
            }
        };
        let serde_json::Value::Object(map) = value else {
            errors.push(problem(
                None,
                None,
                "expected an object of slot names to values".to_owned(),
            ));
            continue;
        };
        let mut slots = BTreeMap::new();
        for (key, v) in &map {
            let Target::Slot(s) = target(schema, key, &rel, None, &mut warnings) else {
                continue;
            };
            let slot = &schema.slots[s];
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) if s.trim().is_empty() => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) if slot.multiple => {
                    let parts: Option<Vec<&str>> =
                        items.iter().map(serde_json::Value::as_str).collect();
                    if let Some(p) = parts {
                        p.join(&schema.separator)
                    } else {
                        errors.push(problem(
                            None,
                            Some(key),
                            "expected a string or a list of strings".to_owned(),
                        ));
                        continue;
                    }
                }
                _ => {
                    errors.push(problem(None, Some(key), "expected a string".to_owned()));
                    continue;
                }
            };
            match slot.canonicalize(&text, &schema.separator) {
                Ok(v) => {
                    slots.insert(
                        slot.name.clone(),
                        Given {
                            value: v,
                            origin: rel.clone(),
                        },
                    );
                }
                Err(m) => errors.push(problem(None, Some(key), m)),
            }
        }
        if !slots.is_empty() {
            attributes.by_image.insert(image.to_owned(), slots);
        }
    }
    if errors.is_empty() {
        Ok(Loaded {
            attributes,
            warnings,
        })
    } else {
        Err(CaptionError::Attributes { problems: errors })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Catalog;

    const IMAGES: &[&str] = &["a.png", "b.jpg", "sub/c.png", "x/d.png", "y/d.png"];

    fn load(text: &[u8]) -> Result<Loaded, CaptionError> {
        let c = Catalog::builtin();
        parse_csv(text, "attrs.csv", c.get("face").unwrap(), IMAGES)
    }

    fn messages(e: CaptionError) -> Vec<String> {
        match e {
            CaptionError::Attributes { problems } => {
                problems.iter().map(ToString::to_string).collect()
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn quoted_fields_bom_and_crlf() {
        let text = b"\xEF\xBB\xBFfile,expression,accessories\r\na.png,Grinning,\"eyeglasses, earring\"\r\n\"sub/c.png\",\"neutral\",\r\n";
        let l = load(text).unwrap();
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        let a = l.attributes.get("a.png", "expression").unwrap();
        assert_eq!(a.value, "smiling");
        assert_eq!(a.origin, "attrs.csv line 2");
        assert_eq!(
            l.attributes.get("a.png", "accessories").unwrap().value,
            "glasses, earrings"
        );
        assert_eq!(
            l.attributes.get("sub/c.png", "expression").unwrap().value,
            "neutral expression"
        );
        // Without BOM and with LF endings the result is the same.
        let plain = b"file,expression,accessories\na.png,Grinning,\"eyeglasses, earring\"\nsub/c.png,neutral,\n";
        assert_eq!(load(plain).unwrap().attributes, l.attributes);
    }

    #[test]
    fn unterminated_quotes_are_errors_naming_the_line_they_open_on() {
        // Unclosed to the end: every later row would be one value.
        let e =
            messages(load(b"file,expression\na.png,smiling\nb.jpg,sad\nc.png,\"sad").unwrap_err());
        assert_eq!(e, [format!("attrs.csv line 4: {UNCLOSED}")]);
        // Closed by a stray quote rows later: the rows between would be swallowed.
        let e = messages(
            load(b"file,expression\n\"a.png,smiling\nb.jpg,sad\nc.png,\"x\"\n").unwrap_err(),
        );
        assert_eq!(e, [format!("attrs.csv line 2: {UNCLOSED}")]);
        let e = messages(load(b"file,expression\na.png,\"sad\"dy\n").unwrap_err());
        assert!(
            e[0].starts_with("attrs.csv line 2: text after the closing quote"),
            "{e:?}"
        );
        // Quotes used properly are fine.
        load(b"file,expression\n\"a.png\",\"smiling\"\r\nb.jpg,sad\n").unwrap();
    }

    #[test]
    fn images_are_found_by_name_or_stem() {
        let l = load(b"file,expression\nb,smiling\nc.png,sad\n./a.png,sad\n").unwrap();
        assert_eq!(l.attributes.len(), 3);
        assert!(l.attributes.get("sub/c.png", "expression").is_some());
        let e = messages(load(b"file,expression\nd.png,sad\n").unwrap_err());
        assert_eq!(
            e,
            [
                "attrs.csv line 2: `d.png` matches several images (x/d.png, y/d.png); give the path relative to the dataset"
            ]
        );
    }

    #[test]
    fn missing_file_column_is_an_error() {
        let e = messages(load(b"image,expression\na.png,smiling\n").unwrap_err());
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("attrs.csv line 1: no `file` column"),
            "{e:?}"
        );
        assert!(e[0].contains("image, expression"), "{e:?}");
    }

    #[test]
    fn unknown_file_and_columns_are_warnings() {
        let l =
            load(b"file,expression,mood,clothing\nzzz.png,smiling,,\na.png,smiling,happy,dress\n")
                .unwrap();
        let w: Vec<String> = l.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "attrs.csv line 1, column `mood`: not a slot of schema face (trigger, class, framing, angle, tilt, expression, hair, accessories, lighting, clothing, location, background, pose); ignored",
                "attrs.csv line 1, column `clothing`: slot clothing is forbidden in schema face; its values are ignored",
                "attrs.csv line 2: no image `zzz.png` in the dataset's manifest; row ignored",
            ]
        );
        assert_eq!(l.attributes.len(), 1);
    }

    #[test]
    fn duplicate_rows() {
        let l = load(b"file,expression\na.png,smiling\nb.jpg,sad\na.png,smile\n").unwrap();
        let w: Vec<String> = l.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(w, ["attrs.csv line 4: repeats line 2 for `a.png`; ignored"]);
        let e = messages(load(b"file,expression\na.png,smiling\na.png,sad\n").unwrap_err());
        assert_eq!(
            e,
            ["attrs.csv line 3: `a.png` already has a row on line 2, with different values"]
        );
    }

    #[test]
    fn bad_values_and_rows_are_errors_naming_line_and_column() {
        let e =
            messages(load(b"file,expression\na.png,smirk\nb.jpg,sad,extra\n,sad\n").unwrap_err());
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("attrs.csv line 2, column `expression`: `smirk` is not in the vocabulary `expression`"), "{e:?}");
        assert_eq!(
            e[1],
            "attrs.csv line 3: 3 fields, but the header has 2 (a comma inside a value needs quotes)"
        );
        assert_eq!(e[2], "attrs.csv line 4, column `file`: empty file name");
        let e = messages(load(b"file,expression\na.png,\xff\n").unwrap_err());
        assert_eq!(
            e,
            ["attrs.csv line 2, column `expression`: not valid UTF-8"]
        );
        let e = messages(load(b"").unwrap_err());
        assert!(e[0].contains("empty"), "{e:?}");
    }

    #[test]
    fn json_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            r#"{"expression": "grin", "accessories": ["hat", "earring"], "mood": "x"}"#,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.json"), r#"{"expression": 3}"#).unwrap();
        let c = Catalog::builtin();
        let face = c.get("face").unwrap();
        let e = messages(read_json_sidecars(dir.path(), face, IMAGES).unwrap_err());
        assert_eq!(e, ["sub/c.json, column `expression`: expected a string"]);
        std::fs::write(dir.path().join("sub/c.json"), "{\n  \"expression\": \n").unwrap();
        let e = messages(read_json_sidecars(dir.path(), face, IMAGES).unwrap_err());
        assert!(e[0].starts_with("sub/c.json line 3: invalid JSON"), "{e:?}");
        std::fs::remove_file(dir.path().join("sub/c.json")).unwrap();
        let l = read_json_sidecars(dir.path(), face, IMAGES).unwrap();
        assert_eq!(
            l.attributes.get("a.png", "expression").unwrap().value,
            "smiling"
        );
        assert_eq!(
            l.attributes.get("a.png", "accessories").unwrap().value,
            "hat, earrings"
        );
        assert_eq!(l.warnings.len(), 1);

        // CSV values win over sidecars, with a warning when they differ.
        let csv = parse_csv(b"file,expression\na.png,sad\n", "attrs.csv", face, IMAGES).unwrap();
        let mut warnings = Vec::new();
        let merged = csv.attributes.merged_over(l.attributes, &mut warnings);
        assert_eq!(merged.get("a.png", "expression").unwrap().value, "sad");
        assert_eq!(
            merged.get("a.png", "accessories").unwrap().value,
            "hat, earrings"
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .to_string()
                .contains("overridden by `sad` from attrs.csv line 2")
        );
    }

    #[test]
    fn sidecar_paths() {
        assert_eq!(sidecar_path("a.png"), "a.json");
        assert_eq!(sidecar_path("sub/a.b.png"), "sub/a.b.json");
        assert_eq!(sidecar_path("sub/.png"), "sub/.png.json");
    }
}
