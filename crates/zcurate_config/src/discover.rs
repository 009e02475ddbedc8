use std::path::{Path, PathBuf};

use crate::{ConfigError, Options};

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
pub fn load(path: &Path) -> Result<Options, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Loads `explicit` if given, else the config discovered from `start`, else defaults.
/// Returns the options and the file they came from.
pub fn load_discovered(
    explicit: Option<&Path>,
    start: &Path,
) -> Result<(Options, Option<PathBuf>), ConfigError> {
    match explicit.map(Path::to_owned).or_else(|| discover(start)) {
        Some(path) => Ok((load(&path)?, Some(path))),
        None => Ok((Options::default(), None)),
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
        let (opts, found) = load_discovered(None, &sub).unwrap();
        assert!(found.unwrap().ends_with("zcurate.toml"));
        assert_eq!(opts.scan.unwrap().recursive, Some(true));
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
