//! A debugging aid for testing interrupted runs: with `ZCURATE_FAULT_ABORT_AFTER_WRITES=N`
//! in the environment, the process aborts (as `kill -9` would end it) during its (N+1)-th
//! file write, after the temporary file is written and before it is renamed into place.
//! Tests use it to kill a command at a chosen point instead of racing it with a timer; a user
//! can use it to check that a run survives being interrupted. Unset, it costs one relaxed
//! atomic load per write.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that arms the fault.
pub const ABORT_AFTER_WRITES_ENV: &str = "ZCURATE_FAULT_ABORT_AFTER_WRITES";

static DONE: AtomicU64 = AtomicU64::new(0);

fn limit() -> Option<u64> {
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var(ABORT_AFTER_WRITES_ENV)
            .ok()?
            .trim()
            .parse()
            .ok()
    })
}

/// Called by every write just before it commits: aborts when the armed count is reached.
pub fn before_commit() {
    if let Some(limit) = limit()
        && DONE.fetch_add(1, Ordering::SeqCst) >= limit
    {
        std::process::abort();
    }
}
