//! One writer per dataset: commands that change a dataset's `.zcurate/` folder or its captions
//! (or an output folder) hold an exclusive lock on a file in it while they run.
//!
//! The lock is an advisory `flock(2)`: the kernel releases it when the process ends, however
//! it ends, so a killed run never leaves a stale lock behind. The file itself stays (removing
//! it would race with the next process opening it) and holds the pid and command of the last
//! holder, only to name them in the message a second process gets.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside the locked folder.
pub const LOCK_FILE: &str = "lock";

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another zcurate ({holder}) is working on {folder} right now; wait for it to finish, \
         or stop it, then run this again",
        folder = .folder.display()
    )]
    Held { folder: PathBuf, holder: String },
    #[error("cannot lock {path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An exclusive lock on a folder, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct DatasetLock {
    _file: std::fs::File,
    path: PathBuf,
}

impl DatasetLock {
    /// Locks `folder` (created if missing) for `command`, a short description such as
    /// `zcurate caption --write`, shown to any other process that tries meanwhile.
    pub fn acquire(folder: &Path, command: &str) -> Result<Self, LockError> {
        let path = folder.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(folder).map_err(io)?;
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Held {
                    folder: folder.to_owned(),
                    holder: if holder.is_empty() {
                        "another process".to_owned()
                    } else {
                        holder.to_owned()
                    },
                });
            }
            Err(e) => return Err(io(e.into())),
        }
        // Ours now: say who holds it. Failing to write this only weakens a message.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "pid {}, `{command}`", std::process::id());
        Ok(Self { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_named() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(".zcurate");
        let first = DatasetLock::acquire(&folder, "zcurate scan").unwrap();
        // flock locks belong to the open file, so a second open in this process conflicts
        // just as another process would.
        let e = DatasetLock::acquire(&folder, "zcurate caption --write").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("`zcurate scan`"), "{text}");
        drop(first);
        let again = DatasetLock::acquire(&folder, "zcurate caption --write").unwrap();
        assert!(again.path().ends_with(".zcurate/lock"));
    }
}
