//! An exclusive lock file, so that parallel test processes download and extract a package once.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{Error, Result};

/// Holds an exclusive advisory lock on a file until dropped.
#[derive(Debug)]
pub(crate) struct FileLock {
    file: File,
}

impl FileLock {
    /// Blocks until the lock on `path` (created if needed) is ours.
    pub(crate) fn acquire(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io("create directory", parent))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(Error::io("open lock file", path))?;
        file.lock().map_err(Error::io("lock", path))?;
        Ok(Self { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock anyway; unlocking first just makes it explicit.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use std::fs::TryLockError;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pkg.lock");
        let held = FileLock::acquire(&path).unwrap();
        // A second open file description of the same path cannot take it (flock semantics).
        let other = File::options().write(true).open(&path).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop(held);
        other.try_lock().unwrap();
    }

    #[test]
    fn acquire_waits_for_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pkg.lock");
        let released = AtomicBool::new(false);
        let held = FileLock::acquire(&path).unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let _lock = FileLock::acquire(&path).unwrap();
                released.load(Ordering::SeqCst)
            });
            std::thread::sleep(Duration::from_millis(200));
            released.store(true, Ordering::SeqCst);
            drop(held);
            assert!(
                waiter.join().unwrap(),
                "the waiter got the lock before it was released"
            );
        });
    }
}
