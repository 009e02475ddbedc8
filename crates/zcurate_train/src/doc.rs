//! Config documents as data, with a comment per key, rendered to YAML, TOML or JSON.
//!
//! Trainer configs are written from this small tree instead of through serde so that every
//! non-obvious value can carry the comment citing where it comes from (YAML and TOML keep
//! it in the file; JSON has no comments, so the README lists them). Scalars are escaped by
//! the format's own rules; the tests parse every emitted file with a real parser.

use std::fmt::Write as _;

/// A config value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Map),
}

/// An ordered map whose entries may carry a comment.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Map(Vec<Entry>);

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    key: String,
    value: Value,
    comment: Option<String>,
}

impl Map {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `key` (builder style).
    pub(crate) fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.push(key, value, None);
        self
    }

    /// Adds `key` with a comment saying why the value is what it is.
    pub(crate) fn note(mut self, key: &str, value: impl Into<Value>, comment: &str) -> Self {
        self.push(key, value, Some(comment));
        self
    }

    pub(crate) fn push(&mut self, key: &str, value: impl Into<Value>, comment: Option<&str>) {
        debug_assert!(
            key.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "config keys are bare words: {key}"
        );
        self.0.push(Entry {
            key: key.to_owned(),
            value: value.into(),
            comment: comment.map(str::to_owned),
        });
    }

    /// Every comment with the dotted path of its key (list items as `key[]`).
    pub(crate) fn comments(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        collect_comments(self, "", &mut out);
        out
    }

    pub(crate) fn to_yaml(&self) -> String {
        let mut out = String::new();
        yaml_map(&mut out, self, 0);
        out
    }

    pub(crate) fn to_toml(&self) -> String {
        let mut out = String::new();
        toml_table(&mut out, &[], self);
        out
    }

    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        json_value(&mut out, &Value::Map(self.clone()), 0);
        out.push('\n');
        out
    }
}

fn collect_comments(map: &Map, prefix: &str, out: &mut Vec<(String, String)>) {
    for e in &map.0 {
        let path = if prefix.is_empty() {
            e.key.clone()
        } else {
            format!("{prefix}.{}", e.key)
        };
        if let Some(c) = &e.comment {
            out.push((path.clone(), c.clone()));
        }
        match &e.value {
            Value::Map(m) => collect_comments(m, &path, out),
            Value::List(items) => {
                for item in items {
                    if let Value::Map(m) = item {
                        collect_comments(m, &format!("{path}[]"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A list of JSON-style values renders as a whole: a list of maps is an array of tables or
/// a block sequence, anything else is inline.
fn list_of_maps(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|v| matches!(v, Value::Map(_)))
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Self::Int(v as i64)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Str(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Str(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Str(v.clone())
    }
}
impl From<Map> for Value {
    fn from(v: Map) -> Self {
        Self::Map(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Self::List(v.into_iter().map(Into::into).collect())
    }
}

/// A float as every format (and PyYAML's YAML 1.1 resolver) reads it: plain decimal with a
/// point, never an exponent (`1e-4` is a *string* to PyYAML).
pub(crate) fn float(v: f64) -> String {
    // Display never uses an exponent for f64.
    let s = format!("{v}");
    if s.contains('.') || !v.is_finite() {
        s
    } else {
        format!("{s}.0")
    }
}

/// A string as a JSON string literal, which is also a valid YAML double-quoted scalar.
fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

fn inline_scalar(v: &Value, string: fn(&str) -> String) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float(*f),
        Value::Str(s) => string(s),
        Value::List(items) => {
            let parts: Vec<_> = items.iter().map(|i| inline_scalar(i, string)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(_) => unreachable!("maps render as blocks"),
    }
}

fn trailing(comment: Option<&String>) -> String {
    comment.map_or_else(String::new, |c| format!("  # {c}"))
}

fn yaml_map(out: &mut String, map: &Map, indent: usize) {
    for (i, e) in map.0.iter().enumerate() {
        let pad = " ".repeat(indent);
        // The first key of a sequence item follows its `- ` on the same line.
        let lead = if i == 0 && out.ends_with("- ") {
            String::new()
        } else {
            pad
        };
        let c = trailing(e.comment.as_ref());
        match &e.value {
            Value::Map(m) if !m.0.is_empty() => {
                let _ = writeln!(out, "{lead}{}:{c}", e.key);
                yaml_map(out, m, indent + 2);
            }
            Value::Map(_) => {
                let _ = writeln!(out, "{lead}{}: {{}}{c}", e.key);
            }
            Value::List(items) if list_of_maps(items) => {
                let _ = writeln!(out, "{lead}{}:{c}", e.key);
                for item in items {
                    let Value::Map(m) = item else { unreachable!() };
                    let _ = write!(out, "{}- ", " ".repeat(indent + 2));
                    yaml_map(out, m, indent + 4);
                }
            }
            v => {
                let _ = writeln!(out, "{lead}{}: {}{c}", e.key, inline_scalar(v, json_str));
            }
        }
    }
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn toml_comment(out: &mut String, comment: Option<&String>) {
    if let Some(c) = comment {
        let _ = writeln!(out, "# {c}");
    }
}

fn toml_table(out: &mut String, path: &[&str], map: &Map) {
    // Plain keys first: after a table header every key belongs to that table.
    for e in &map.0 {
        match &e.value {
            Value::Map(_) => {}
            Value::List(items) if list_of_maps(items) => {}
            v => {
                toml_comment(out, e.comment.as_ref());
                let _ = writeln!(out, "{} = {}", e.key, inline_scalar(v, toml_str));
            }
        }
    }
    for e in &map.0 {
        let mut sub: Vec<&str> = path.to_vec();
        sub.push(&e.key);
        match &e.value {
            Value::Map(m) => {
                out.push('\n');
                toml_comment(out, e.comment.as_ref());
                let _ = writeln!(out, "[{}]", sub.join("."));
                toml_table(out, &sub, m);
            }
            Value::List(items) if list_of_maps(items) => {
                for item in items {
                    let Value::Map(m) = item else { unreachable!() };
                    out.push('\n');
                    toml_comment(out, e.comment.as_ref());
                    let _ = writeln!(out, "[[{}]]", sub.join("."));
                    toml_table(out, &sub, m);
                }
            }
            _ => {}
        }
    }
}

fn json_value(out: &mut String, v: &Value, indent: usize) {
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Map(m) if m.0.is_empty() => out.push_str("{}"),
        Value::Map(m) => {
            out.push_str("{\n");
            for (i, e) in m.0.iter().enumerate() {
                let _ = write!(out, "{pad}{}: ", json_str(&e.key));
                json_value(out, &e.value, indent + 2);
                out.push_str(if i + 1 < m.0.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}}}", " ".repeat(indent));
        }
        Value::List(items) if list_of_maps(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                json_value(out, item, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}]", " ".repeat(indent));
        }
        v => out.push_str(&inline_scalar(v, json_str)),
    }
}

/// A top-level JSON array of maps (OneTrainer concepts, SimpleTuner backends).
pub(crate) fn json_list(items: &[Map]) -> String {
    let mut out = String::new();
    json_value(
        &mut out,
        &Value::List(items.iter().cloned().map(Value::Map).collect()),
        0,
    );
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Map {
        Map::new()
            .note("name", "a \"quoted\" näme: with # hash", "why")
            .set("lr", 0.0001)
            .set("steps", 2400_u32)
            .set("flag", true)
            .set("res", vec![512_u32, 1024])
            .set(
                "model",
                Map::new()
                    .note("path", "x y/z", "where")
                    .set("list", vec![Map::new().set("a", 1_u32).set("b", "c")]),
            )
            .set(
                "items",
                vec![
                    Map::new().note("folder", "/o/p", "first").set("n", 1_u32),
                    Map::new().set("folder", "q").set("n", 2_u32),
                ],
            )
    }

    #[test]
    fn floats_never_use_exponents() {
        assert_eq!(float(1e-4), "0.0001");
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1e-8), "0.00000001");
        assert_eq!(float(0.05), "0.05");
    }

    #[test]
    fn the_three_formats_parse_to_the_same_data() {
        let m = sample();
        let yaml: serde_json::Value = yaml_serde::from_str(&m.to_yaml()).unwrap();
        let toml: serde_json::Value = toml::from_str(&m.to_toml()).unwrap();
        let json: serde_json::Value = serde_json::from_str(&m.to_json()).unwrap();
        assert_eq!(yaml, json, "{}", m.to_yaml());
        assert_eq!(toml, json, "{}", m.to_toml());
        assert_eq!(json["name"], "a \"quoted\" näme: with # hash");
        assert_eq!(json["lr"], 0.0001);
        assert_eq!(json["items"][1]["folder"], "q");
        assert_eq!(json["model"]["list"][0]["b"], "c");
    }

    #[test]
    fn comments_are_kept_where_the_format_allows() {
        let m = sample();
        assert!(m.to_yaml().contains("# why"));
        assert!(m.to_toml().contains("# where"));
        assert_eq!(
            m.comments(),
            vec![
                ("name".to_owned(), "why".to_owned()),
                ("model.path".to_owned(), "where".to_owned()),
                ("items[].folder".to_owned(), "first".to_owned()),
            ]
        );
    }
}
