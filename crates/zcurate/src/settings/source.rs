//! Where a setting's value came from, so that an invalid value is reported where the user
//! wrote it: `--det-size 16`, `ZCURATE_DET_SIZE=16 (environment)` or
//! `[faces] det-size = 16 in ./zcurate.toml`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;

/// One setting's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag, as `--det-size`.
    Flag(&'static str),
    /// An environment variable clap read for a flag.
    Env(&'static str),
    /// A key of the config file, as `[faces] det-size`, and the file as shown to the user.
    File { key: &'static str, path: String },
    /// The built-in default, named by its file key.
    Default(&'static str),
}

/// A resolved value and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Sourced<T> {
    pub(crate) value: T,
    pub(crate) source: Source,
}

impl<T: Text> Sourced<T> {
    /// The value as the user wrote it, with its source: the start of every error about it.
    pub(crate) fn located(&self) -> String {
        match &self.source {
            Source::Flag(flag) => format!("{flag} {}", self.value.as_flag()),
            Source::Env(var) => format!("{var}={} (environment)", self.value.as_flag()),
            Source::File { key, path } => {
                format!("{key} = {} in {path}", self.value.as_toml())
            }
            Source::Default(key) => format!("{key} = {} (default)", self.value.as_toml()),
        }
    }

    /// The error for this value: where it came from, then why it is wrong.
    pub(crate) fn invalid(&self, why: impl fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("{}: {why}", self.located())
    }

    /// Checks the value with its domain's rule, naming the source when it fails.
    pub(crate) fn check<U, E: fmt::Display>(
        self,
        rule: impl FnOnce(&T) -> Result<U, E>,
    ) -> anyhow::Result<U> {
        rule(&self.value).map_err(|e| self.invalid(e))
    }
}

/// How a value is written on the command line and in the config file.
pub(crate) trait Text {
    fn as_flag(&self) -> String;
    fn as_toml(&self) -> String {
        self.as_flag()
    }
}

macro_rules! plain_text {
    ($($t:ty),*) => {$(
        impl Text for $t {
            fn as_flag(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
plain_text!(u8, u32, u64, usize, f32, f64, bool);

/// Text values: bare on the command line, quoted in TOML.
macro_rules! quoted_text {
    ($($t:ty),*) => {$(
        impl Text for $t {
            fn as_flag(&self) -> String {
                self.to_string()
            }
            fn as_toml(&self) -> String {
                format!("{:?}", self.to_string())
            }
        }
    )*};
}
quoted_text!(
    String,
    zcurate_manifest::FramingClass,
    zcurate_face::DetectorKind,
    zcurate_face::Backend
);

/// The clap ids of the arguments whose value came from an environment variable rather than
/// the command line (clap reads both into the same field).
#[derive(Debug, Clone, Default)]
pub(crate) struct FromEnv(BTreeSet<String>);

impl FromEnv {
    /// Reads the sources from the matches of the subcommand that runs.
    pub(crate) fn of(matches: &ArgMatches) -> Self {
        let mut leaf = matches;
        while let Some((_, sub)) = leaf.subcommand() {
            leaf = sub;
        }
        Self(
            leaf.ids()
                .filter(|id| leaf.value_source(id.as_str()) == Some(ValueSource::EnvVariable))
                .map(|id| id.as_str().to_owned())
                .collect(),
        )
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }
}

/// A flag's identity for [`Layers::pick`]: its clap id, how it is written, and the
/// environment variable clap also reads for it, if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) env: Option<&'static str>,
}

impl Flag {
    pub(crate) const fn new(id: &'static str, name: &'static str) -> Self {
        Self {
            id,
            name,
            env: None,
        }
    }

    pub(crate) const fn with_env(self, var: &'static str) -> Self {
        Self {
            env: Some(var),
            ..self
        }
    }
}

/// What layers a value: the flags' sources and the config file's path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layers<'a> {
    pub(crate) from_env: &'a FromEnv,
    pub(crate) file: Option<&'a Path>,
}

impl Layers<'_> {
    /// Flag (or its environment variable) over the file's `key` over `default`.
    pub(crate) fn pick<T>(
        &self,
        flag: (Option<T>, Flag),
        file: (Option<T>, &'static str),
        default: T,
    ) -> Sourced<T> {
        let key = file.1;
        self.pick_opt(flag, file).unwrap_or(Sourced {
            value: default,
            source: Source::Default(key),
        })
    }

    /// As [`Layers::pick`], for a setting without a default.
    pub(crate) fn pick_opt<T>(
        &self,
        (flag_value, flag): (Option<T>, Flag),
        (file_value, key): (Option<T>, &'static str),
    ) -> Option<Sourced<T>> {
        if let Some(value) = flag_value {
            let source = match flag.env {
                Some(var) if self.from_env.contains(flag.id) => Source::Env(var),
                _ => Source::Flag(flag.name),
            };
            return Some(Sourced { value, source });
        }
        self.file(file_value, key)
    }

    /// A setting of the file alone (no flag), when the file sets it.
    pub(crate) fn file<T>(&self, value: Option<T>, key: &'static str) -> Option<Sourced<T>> {
        value.map(|value| Sourced {
            value,
            source: self.file_key(key),
        })
    }

    /// A setting of the file alone: its `key` over `default`.
    pub(crate) fn file_or<T>(&self, value: Option<T>, key: &'static str, default: T) -> Sourced<T> {
        self.file(value, key).unwrap_or(Sourced {
            value: default,
            source: Source::Default(key),
        })
    }

    /// The source of a value read from the file's `key`.
    pub(crate) fn file_key(&self, key: &'static str) -> Source {
        Source::File {
            key,
            path: self
                .file
                .map_or_else(|| "the config".to_owned(), shown_path),
        }
    }
}

/// A config file's path as the user would write it: `./zcurate.toml` under the current
/// folder, else as it is.
pub(crate) fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
    match full.strip_prefix(&cwd) {
        Ok(rel) if !cwd.as_os_str().is_empty() => format!("./{}", rel.display()),
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers<'a>(from_env: &'a FromEnv, file: &'a Path) -> Layers<'a> {
        Layers {
            from_env,
            file: Some(file),
        }
    }

    const DET_SIZE: Flag = Flag::new("det_size", "--det-size").with_env("ZCURATE_DET_SIZE");

    #[test]
    fn flag_wins_over_file_and_default() {
        let env = FromEnv::default();
        let l = layers(&env, Path::new("/nowhere/zcurate.toml"));
        let v = l.pick(
            (Some(480u32), DET_SIZE),
            (Some(320), "[faces] det-size"),
            640,
        );
        assert_eq!(v.value, 480);
        assert_eq!(v.located(), "--det-size 480");
    }

    #[test]
    fn environment_is_named_as_such() {
        let env = FromEnv(["det_size".to_owned()].into());
        let l = layers(&env, Path::new("/nowhere/zcurate.toml"));
        let v = l.pick((Some(16), DET_SIZE), (Some(320), "[faces] det-size"), 640);
        assert_eq!(
            v.check(|&px| zcurate_face::check_input_size(px))
                .unwrap_err()
                .to_string(),
            "ZCURATE_DET_SIZE=16 (environment): must be at least 32"
        );
    }

    #[test]
    fn file_then_default() {
        let env = FromEnv::default();
        let l = layers(&env, Path::new("/nowhere/zcurate.toml"));
        let v = l.pick((None, DET_SIZE), (Some(16u32), "[faces] det-size"), 640);
        assert_eq!(
            v.invalid("must be at least 32").to_string(),
            "[faces] det-size = 16 in /nowhere/zcurate.toml: must be at least 32"
        );
        let v = l.pick((None, DET_SIZE), (None, "[faces] det-size"), 640);
        assert_eq!(v.value, 640);
        assert_eq!(v.source, Source::Default("[faces] det-size"));
    }

    #[test]
    fn text_is_quoted_in_the_file_only() {
        let env = FromEnv::default();
        let l = layers(&env, Path::new("/nowhere/zcurate.toml"));
        let flag = Flag::new("profile", "--profile");
        let v = l.pick_opt((Some("nope".to_owned()), flag), (None, "[lint] profile"));
        assert_eq!(v.unwrap().located(), "--profile nope");
        let v = l.pick_opt((None, flag), (Some("nope".to_owned()), "[lint] profile"));
        assert_eq!(
            v.unwrap().located(),
            "[lint] profile = \"nope\" in /nowhere/zcurate.toml"
        );
    }
}
