//! Each trainer's own format, as its source reads it: one module per trainer states the keys,
//! their types and the values the trainer accepts for Z-Image (citing the file and commit it
//! was read from), and checks every file zcurate emits for that trainer against them:
//! unknown keys, missing required keys, wrong types, rejected values.
//!
//! The same exports were also fed to each trainer's own loading code (its config classes,
//! sanitizers and argument parsers, heavy imports stubbed): `docs/export.md` lists what was
//! run and at which commit. These modules keep that check in the test suite.

pub(crate) mod ai_toolkit;
pub(crate) mod diffusion_pipe;
pub(crate) mod musubi_tuner;
pub(crate) mod onetrainer;
pub(crate) mod sd_scripts;
pub(crate) mod simpletuner;

use std::path::PathBuf;

use serde_json::Value;
use zcurate_manifest::FramingClass;
use zcurate_train::{Model, PlanOptions, Trainer};

use super::{Dataset, export_to, out_dir, plan_with};

/// The type a trainer reads a key as.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ty {
    /// Read, but its type is not stated here (zcurate does not write it).
    Any,
    Bool,
    Int,
    /// A float field: the trainer reads an integer just as well (Python `float`, `x * y`).
    Num,
    Str,
    /// One of these strings (an enum's member names, a choices list).
    OneOf(&'static [&'static str]),
    /// Exactly this integer (a format version).
    IntEq(i64),
    /// A list of items of this type.
    List(&'static Ty),
    /// A table with these keys.
    Table(&'static [Key]),
    /// A list of tables with these keys.
    Tables(&'static [Key]),
    /// Either type (voluptuous `Any(int, [int, int])`).
    Either(&'static Ty, &'static Ty),
}

/// One key a trainer reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) ty: Ty,
    pub(crate) required: bool,
}

impl Key {
    pub(crate) const fn new(name: &'static str, ty: Ty) -> Self {
        Self {
            name,
            ty,
            required: false,
        }
    }

    /// A key the trainer fails without.
    pub(crate) const fn required(name: &'static str, ty: Ty) -> Self {
        Self {
            name,
            ty,
            required: true,
        }
    }
}

/// Every violation of `keys` in the table `v`, each as `file: key.path: what`.
pub(crate) fn check(file: &str, v: &Value, keys: &[Key]) -> Vec<String> {
    let mut out = Vec::new();
    table(file, "", v, keys, &mut out);
    out
}

fn table(file: &str, at: &str, v: &Value, keys: &[Key], out: &mut Vec<String>) {
    let Some(map) = v.as_object() else {
        out.push(format!("{file}: {}: not a table: {v}", name(at)));
        return;
    };
    for (k, val) in map {
        let path = join(at, k);
        match keys.iter().find(|key| key.name == k) {
            Some(key) => value(file, &path, val, key.ty, out),
            None => out.push(format!("{file}: {path}: unknown key")),
        }
    }
    for key in keys.iter().filter(|k| k.required) {
        if !map.contains_key(key.name) {
            out.push(format!(
                "{file}: {}: missing required key",
                join(at, key.name)
            ));
        }
    }
}

fn value(file: &str, path: &str, v: &Value, ty: Ty, out: &mut Vec<String>) {
    let ok = match ty {
        Ty::Any => true,
        Ty::Bool => v.is_boolean(),
        Ty::Int => v.is_i64() || v.is_u64(),
        Ty::Num => v.is_number(),
        Ty::Str => v.is_string(),
        Ty::IntEq(n) => v.as_i64() == Some(n),
        Ty::OneOf(allowed) => v.as_str().is_some_and(|s| allowed.contains(&s)),
        Ty::List(item) => match v.as_array() {
            Some(items) => {
                for (i, it) in items.iter().enumerate() {
                    value(file, &format!("{path}[{i}]"), it, *item, out);
                }
                true
            }
            None => false,
        },
        Ty::Table(keys) => {
            table(file, path, v, keys, out);
            true
        }
        Ty::Tables(keys) => match v.as_array() {
            Some(items) => {
                for (i, it) in items.iter().enumerate() {
                    table(file, &format!("{path}[{i}]"), it, keys, out);
                }
                true
            }
            None => false,
        },
        Ty::Either(a, b) => {
            let mut ea = Vec::new();
            let mut eb = Vec::new();
            value(file, path, v, *a, &mut ea);
            value(file, path, v, *b, &mut eb);
            ea.is_empty() || eb.is_empty()
        }
    };
    if !ok {
        out.push(format!("{file}: {path}: {v} is not {}", describe(ty)));
    }
}

fn describe(ty: Ty) -> String {
    match ty {
        Ty::Any => "anything".into(),
        Ty::Bool => "a bool".into(),
        Ty::Int => "an integer".into(),
        Ty::Num => "a number".into(),
        Ty::Str => "a string".into(),
        Ty::IntEq(n) => format!("{n}"),
        Ty::OneOf(allowed) => format!("one of {}", allowed.join(", ")),
        Ty::List(item) => format!("a list of {}", describe(*item)),
        Ty::Table(_) => "a table".into(),
        Ty::Tables(_) => "a list of tables".into(),
        Ty::Either(a, b) => format!("{} or {}", describe(*a), describe(*b)),
    }
}

fn join(at: &str, k: &str) -> String {
    if at.is_empty() {
        k.to_owned()
    } else {
        format!("{at}.{k}")
    }
}

fn name(at: &str) -> &str {
    if at.is_empty() { "(top level)" } else { at }
}

/// Exports for one trainer covering what changes its files: every model on a clean face
/// set, a set with one image below the resolution, a set with bleed risks (which fails the
/// gate; the library exports it as `--force` would), the character profile, and a
/// `--resolution` override.
pub(crate) struct Exports {
    _sets: Vec<Dataset>,
    pub(crate) outs: Vec<(String, PathBuf)>,
}

pub(crate) fn exports(trainer: Trainer) -> Exports {
    let clean = Dataset::clean(20);
    let mut small = Dataset::clean(20);
    small.resize(7, 600, 600);
    let mut broad = Dataset::clean(45);
    for r in broad.manifest.images.iter_mut().step_by(3) {
        r.framing.as_mut().unwrap().class = FramingClass::FullBody;
    }
    let mut outs = Vec::new();
    let mut one =
        |ds: &Dataset, label: String, model: Model, profile: &str, options: PlanOptions| {
            let out = out_dir(ds, &format!("{trainer} {label}"));
            let plan = plan_with(ds, profile, trainer, model, &options).unwrap();
            export_to(ds, &plan, &out).unwrap();
            outs.push((format!("{trainer} export ({label})"), out));
        };
    for model in Model::ALL.iter().copied() {
        one(
            &clean,
            format!("{model}"),
            model,
            "face",
            PlanOptions::default(),
        );
    }
    one(
        &small,
        "one 600 px image".into(),
        Model::ZImageTurbo,
        "face",
        PlanOptions::default(),
    );
    one(
        &broad,
        "bleed risks".into(),
        Model::ZImage,
        "face",
        PlanOptions::default(),
    );
    one(
        &clean,
        "character".into(),
        Model::ZImageDeturbo,
        "character",
        PlanOptions::default(),
    );
    one(
        &clean,
        "--resolution 768".into(),
        Model::ZImage,
        "face",
        PlanOptions {
            resolution: Some(768),
            ..PlanOptions::default()
        },
    );
    Exports {
        _sets: vec![clean, small, broad],
        outs,
    }
}

/// Fails with every violation, one per line.
#[track_caller]
pub(crate) fn assert_clean(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what} does not match the trainer's format:\n  {}",
        problems.join("\n  ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const INNER: &[Key] = &[Key::required("path", Ty::Str), Key::new("n", Ty::Int)];
    const KEYS: &[Key] = &[
        Key::required("version", Ty::IntEq(2)),
        Key::new("rate", Ty::Num),
        Key::new("kind", Ty::OneOf(&["a", "b"])),
        Key::new("sizes", Ty::List(&Ty::Int)),
        Key::new("res", Ty::Either(&Ty::Int, &Ty::List(&Ty::Int))),
        Key::new("dirs", Ty::Tables(INNER)),
    ];

    #[test]
    fn the_checker_finds_each_kind_of_violation() {
        let good = json!({"version": 2, "rate": 1, "kind": "a", "sizes": [1, 2], "res": [1, 1],
                          "dirs": [{"path": "x", "n": 3}]});
        assert!(check("f", &good, KEYS).is_empty());
        let bad = json!({"rate": "high", "kind": "c", "sizes": [1.5], "res": "big",
                         "dirs": [{"n": 3, "extra": true}], "other": 1});
        let problems = check("f", &bad, KEYS);
        for expected in [
            "f: version: missing required key",
            "f: rate: \"high\" is not a number",
            "f: kind: \"c\" is not one of a, b",
            "f: sizes[0]: 1.5 is not an integer",
            "f: res: \"big\" is not an integer or a list of an integer",
            "f: dirs[0].extra: unknown key",
            "f: dirs[0].path: missing required key",
            "f: other: unknown key",
        ] {
            assert!(
                problems.iter().any(|p| p == expected),
                "{expected}\n{problems:#?}"
            );
        }
        assert_eq!(problems.len(), 8, "{problems:#?}");
    }
}
