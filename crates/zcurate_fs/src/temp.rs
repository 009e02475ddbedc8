//! Temporary files: how zcurate names them, and how a later run removes those of a killed one.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every temporary file zcurate writes starts with this. The rest is `<pid>-<counter>`, so
/// the name is at most 40 bytes whatever the target's name (a target named with 250 bytes
/// must still be writable), and a later run can tell whose it was.
pub const TEMP_PREFIX: &str = ".zcurate-tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh temporary path in `dir`, unique within this process and across processes.
pub fn temp_path(dir: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{TEMP_PREFIX}{}-{n}", std::process::id()))
}

/// The process id in a zcurate temporary file name, or `None` for any other name.
///
/// Besides today's names this knows those of earlier versions, which put the target's name
/// first: `.NAME.zcurate-tmp<pid>` (captions), `.NAME.zcurate-tmp<pid>-<n>` (crops) and
/// `.manifest.json.tmp<pid>` (the manifest).
pub fn is_temp_name(name: &OsStr) -> Option<u32> {
    let name = name.to_str()?;
    if let Some(rest) = name.strip_prefix(TEMP_PREFIX) {
        let (pid, n) = rest.split_once('-')?;
        return digits(n).and(digits(pid));
    }
    if !name.starts_with('.') {
        return None;
    }
    if let Some((_, tail)) = name.rsplit_once(".zcurate-tmp") {
        let pid = tail.split_once('-').map_or(
            tail,
            |(pid, n)| {
                if digits(n).is_some() { pid } else { "" }
            },
        );
        return digits(pid);
    }
    name.strip_prefix(".manifest.json.tmp").and_then(digits)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// True while process `pid` exists (ours or another user's).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // It exists but belongs to someone else: not ours to judge dead.
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Removes, from `dir` only (not below it), the temporary files that zcurate processes which
/// no longer exist left behind when they were killed. Returns how many were removed. A folder
/// that cannot be read removes nothing and is not an error: the run that follows will say
/// what is wrong with it.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let Some(pid) = is_temp_name(&entry.file_name()) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && !alive(pid) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pid that no process has: above the kernel's pid_max (at most 2^22).
    const DEAD: u32 = 4_194_305;

    #[test]
    fn names_are_short_and_recognised() {
        let p = temp_path(Path::new("d"));
        let name = p.file_name().unwrap();
        assert!(name.len() <= 40, "{name:?}");
        assert_eq!(is_temp_name(name), Some(std::process::id()));
        assert_ne!(temp_path(Path::new("d")), p);
    }

    #[test]
    fn earlier_versions_names_are_recognised() {
        for (name, pid) in [
            (".a.txt.zcurate-tmp123", Some(123)),
            (".photo 1.jpg.zcurate-tmp77-3", Some(77)),
            (".manifest.json.tmp4242", Some(4242)),
            (".zcurate-tmp-9-0", Some(9)),
        ] {
            assert_eq!(is_temp_name(OsStr::new(name)), pid, "{name}");
        }
        for name in [
            "a.jpg",
            "zcurate-tmp123",
            ".a.txt.zcurate-tmpx",
            ".a.txt.zcurate-tmp12-x",
            ".zcurate-tmp-9",
            ".manifest.json.tmp",
            ".notes.tmp12",
        ] {
            assert_eq!(is_temp_name(OsStr::new(name)), None, "{name}");
        }
    }

    #[test]
    fn only_dead_runs_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let dead = d.join(format!("{TEMP_PREFIX}{DEAD}-0"));
        let legacy = d.join(format!(".a.txt.zcurate-tmp{DEAD}"));
        let mine = temp_path(d);
        let user = d.join(".notes.tmp12");
        let folder = d.join(format!("{TEMP_PREFIX}{DEAD}-1"));
        for p in [&dead, &legacy, &mine, &user] {
            std::fs::write(p, b"x").unwrap();
        }
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(remove_stale_temps(d), 2);
        assert!(!dead.exists() && !legacy.exists());
        assert!(mine.exists() && user.exists() && folder.exists());
        // A folder that does not exist is not an error.
        assert_eq!(remove_stale_temps(&d.join("missing")), 0);
    }
}
