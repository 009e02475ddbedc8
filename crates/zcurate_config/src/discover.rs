use std::path::{Path, PathBuf};

use crate::{ConfigError, Options};

/// A key renamed for one name per concept: the old spelling still reads, with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecated {
    /// `[caption] class`
    pub old: &'static str,
    /// `[caption] class-word`
    pub new: &'static str,
}

/// Old spellings still read, by table and key (the serde alias reads them; this list names
/// them in the warning).
const DEPRECATED_KEYS: [(&str, &str, Deprecated); 1] = [(
    "caption",
    "class",
    Deprecated {
        old: "[caption] class",
        new: "[caption] class-word",
    },
)];

/// The config of a run: the options, the file they came from (none: defaults only) and the
/// deprecated spellings that file used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    pub options: Options,
    pub path: Option<PathBuf>,
    pub deprecated: Vec<Deprecated>,
}

/// File names searched for, in order, in each directory.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["zcurate.toml", ".zcurate.toml"];

/// Finds the nearest config file in `start` or its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    // Canonicalise so a relative `.` still walks up through real parents.
    let start = start.canonicalize().unwrap_or_else(|_| start.to_owned());
    start.ancestors().find_map(|dir| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Reads and strictly parses one config file.
pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    let parse_error = |e: toml::de::Error| ConfigError::Parse {
        path: path.to_owned(),
        key: e.span().and_then(|span| key_at(&text, span.start)),
        message: e.to_string(),
    };
    let options = toml::from_str(&text).map_err(parse_error)?;
    // The typed parse succeeded, so the untyped one does too; it only looks for old keys.
    let table: toml::Table = toml::from_str(&text).map_err(parse_error)?;
    let deprecated = DEPRECATED_KEYS
        .iter()
        .filter(|(section, key, _)| {
            table
                .get(*section)
                .and_then(toml::Value::as_table)
                .is_some_and(|t| t.contains_key(*key))
        })
        .map(|(_, _, d)| *d)
        .collect();
    Ok(ConfigFile {
        options,
        path: Some(path.to_owned()),
        deprecated,
    })
}

/// The key on the line of byte `at`, with its table: `[crop] framing`. `None` when the line
/// holds no `key =` (an error in a table header, a multi-line value).
fn key_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or_default();
    let key = line.split_once('=')?.0.trim();
    if key.is_empty() || key.starts_with('[') {
        return None;
    }
    let table = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default()
                .trim()
        });
    Some(match table {
        Some(t) => format!("[{t}] {key}"),
        None => key.to_owned(),
    })
}

/// Loads `explicit` if given, else the config discovered from `start`, else defaults.
pub fn load_discovered(explicit: Option<&Path>, start: &Path) -> Result<ConfigFile, ConfigError> {
    match explicit.map(Path::to_owned).or_else(|| discover(start)) {
        Some(path) => load(&path),
        None => Ok(ConfigFile::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_config_in_a_parent() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            dir.path().join("zcurate.toml"),
            "[scan]\nrecursive = true\n",
        )
        .unwrap();
        let file = load_discovered(None, &sub).unwrap();
        assert!(file.path.unwrap().ends_with("zcurate.toml"));
        assert_eq!(file.options.scan.unwrap().recursive, Some(true));
    }

    #[test]
    fn old_spelling_reads_and_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zcurate.toml");
        std::fs::write(&p, "[caption]\nclass = \"woman\"\n").unwrap();
        let file = load(&p).unwrap();
        let caption = file.options.caption.unwrap();
        assert_eq!(caption.class_word.as_deref(), Some("woman"));
        assert_eq!(file.deprecated.len(), 1);
        assert_eq!(file.deprecated[0].new, "[caption] class-word");

        std::fs::write(&p, "[caption]\nclass-word = \"woman\"\n").unwrap();
        assert!(load(&p).unwrap().deprecated.is_empty());
        std::fs::write(&p, "[caption]\nclass = \"man\"\nclass-word = \"woman\"\n").unwrap();
        assert!(load(&p).is_err(), "both spellings at once are a conflict");
    }

    #[test]
    fn enum_values_are_checked_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zcurate.toml");
        std::fs::write(&p, "[crop]\nformat = \"jpeg\"\npad = \"color\"\n").unwrap();
        let crop = load(&p).unwrap().options.crop.unwrap();
        assert_eq!(crop.format, Some(zcurate_crop::OutputFormat::Jpeg));
        assert_eq!(crop.pad, Some(zcurate_crop::PadMode::Colour));
        for (text, named) in [
            ("[crop]\nframing = \"sideways\"\n", "sideways"),
            ("[crop]\naspect = \"wide\"\n", "wide"),
            ("[faces]\ndetector = \"scrfd\"\n", "scrfd"),
            ("[faces]\nbackend = \"cuda\"\n", "cuda"),
        ] {
            std::fs::write(&p, text).unwrap();
            let e = load(&p).unwrap_err().to_string();
            assert!(e.contains(named) && e.contains("zcurate.toml"), "{e}");
            let section = &text[1..text.find(']').unwrap()];
            assert!(
                e.contains(&format!("([{section}] ")),
                "the key is named: {e}"
            );
        }
    }

    #[test]
    fn unknown_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zcurate.toml");
        std::fs::write(&p, "[scan]\nrecursiv = true\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("recursiv"), "{e}");
        assert!(e.contains("zcurate.toml"), "{e}");
    }

    #[test]
    fn unknown_section_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zcurate.toml");
        std::fs::write(&p, "[scna]\n").unwrap();
        let e = load(&p).unwrap_err().to_string();
        assert!(e.contains("scna"), "{e}");
    }

    #[test]
    fn bad_type_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("zcurate.toml");
        std::fs::write(&p, "[scan]\njobs = \"many\"\n").unwrap();
        assert!(load(&p).is_err());
    }
}
