use std::path::{Path, PathBuf};
use std::process::Command;

use image::{ImageBuffer, Rgb, RgbImage};

/// A temporary dataset folder and a `zcurate` command pointed at it.
pub(crate) struct TestContext {
    pub(crate) dir: tempfile::TempDir,
}

impl TestContext {
    pub(crate) fn new() -> Self {
        warm_cache();
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// `zcurate` with colour off and no config discovery outside the test folder.
    pub(crate) fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zcurate"));
        cmd.current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("ZCURATE_CONFIG")
            .arg("--isolated");
        cmd
    }

    /// `zcurate` reading the folder's own `zcurate.toml` (no `--isolated`), with the
    /// environment variables that would override it removed.
    pub(crate) fn command_with_config(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zcurate"));
        cmd.current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("ZCURATE_CONFIG")
            .env_remove("ZCURATE_PROFILE")
            .env_remove("ZCURATE_OUTPUT_FORMAT");
        cmd
    }

    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub(crate) fn write_image(&self, rel: &str, img: &RgbImage) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        img.save(p).unwrap();
    }

    pub(crate) fn manifest(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path(".zcurate/manifest.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

/// Fetches, once per test process, what every scan loads (the default detector and ONNX
/// Runtime), so that no command under test prints a first-use "fetching" line into a
/// snapshot, and a machine that cannot fetch fails here with the reason.
fn warm_cache() {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        zcurate_models::test_model("yunet");
        zcurate_models::test_model("onnxruntime");
    });
}

/// Runs `cmd` and fails the test, showing its stderr, unless it exits 0.
pub(crate) fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A textured colour image whose content depends on `seed`.
pub(crate) fn pattern(w: u32, h: u32, seed: u32) -> RgbImage {
    ImageBuffer::from_fn(w, h, |x, y| {
        let v = x.wrapping_mul(31 + seed) ^ y.wrapping_mul(17 + 3 * seed);
        Rgb([
            (v % 251) as u8,
            ((v / 3) % 241) as u8,
            ((x + y + seed * 40) % 256) as u8,
        ])
    })
}

/// The record of `path` in a manifest.
pub(crate) fn record<'a>(manifest: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    manifest["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in manifest"))
}

/// Filters that make CLI output stable: timings and temporary paths.
pub(crate) fn filters(ctx: &TestContext) -> Vec<(String, String)> {
    vec![
        (
            regex_escape(&ctx.root().display().to_string()),
            "[ROOT]".into(),
        ),
        (r"in \d+\.\d+s".into(), "in [TIME]".into()),
    ]
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
