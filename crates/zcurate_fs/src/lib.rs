//! The file-system steps every zcurate command shares, written once:
//!
//! - [`write_atomic`] and friends: a temporary file in the same folder, flushed, renamed over
//!   the target, so a kill at any point leaves the old file or the new one, never half of one.
//!   Temporary names are short and fixed in length, so a 250-byte file name still fits.
//! - [`remove_stale_temps`]: temporary files of runs that were killed are removed by the next
//!   run (only files named as zcurate names them, only when their process is gone).
//! - [`DatasetLock`]: one writer per dataset (or output folder) at a time, with a message
//!   naming the other process; the kernel releases it when a process dies, so it never goes
//!   stale.
//! - [`confined`]: a relative path read from a file we did not write ourselves (a manifest, a
//!   crop or export record) is resolved only when it stays inside its folder.
//! - [`sha256_hex`] and [`sha256_file`]: content hashes as the manifest records them.
//! - [`fault`]: a debugging aid that aborts the process after a chosen number of writes, to
//!   test that every command survives being killed.

mod atomic;
mod confine;
pub mod fault;
mod hash;
mod lock;
mod temp;

pub use atomic::{WriteOptions, write_atomic, write_atomic_creating_dirs, write_new, write_with};
pub use confine::{PathError, confined, is_confined};
pub use hash::{Sha256Writer, sha256_file, sha256_hex};
pub use lock::{DatasetLock, LOCK_FILE, LockError};
pub use temp::{TEMP_PREFIX, is_temp_name, remove_stale_temps, temp_path};
