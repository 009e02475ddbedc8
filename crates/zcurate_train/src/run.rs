//! `zcurate train`: start the trainer as a child process, stream its output, outlive a
//! Ctrl-C so the child can stop cleanly, return its exit status, and write a run record.
//!
//! The child shares our terminal and process group, so a Ctrl-C (or the hang-up of a closed
//! terminal) reaches it directly; we only stop dying of it, so the run is still recorded. A
//! SIGINT, SIGTERM or SIGHUP sent to us alone (by `kill`, a job scheduler, an SSH session
//! that ends) is passed on to the child, which would otherwise never hear of it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use zcurate_manifest::Tool;

use crate::error::TrainError;

/// Folder of OUT holding one run record per run.
pub const RUNS_FOLDER: &str = "runs";
/// Format version of run records.
pub const RUN_FORMAT_VERSION: u32 = 1;
/// ARGS placeholder replaced by the main config's path.
pub const CONFIG_PLACEHOLDER: &str = "{config}";
/// ARGS placeholder replaced by the export folder.
pub const OUT_PLACEHOLDER: &str = "{out}";
/// Environment variable giving the child the main config's path.
pub const CONFIG_ENV: &str = "ZCURATE_TRAIN_CONFIG";
/// Environment variable giving the child the export folder.
pub const OUT_ENV: &str = "ZCURATE_TRAIN_OUT";
/// Exit code base for a child killed by a signal (shell convention: 128 + signal).
const SIGNAL_EXIT_BASE: i32 = 128;

/// What to run, against which export.
#[derive(Debug, Clone)]
pub struct Launch<'a> {
    pub program: &'a str,
    pub args: &'a [String],
    pub out: &'a Path,
    pub main_config: &'a Path,
    pub config_files: &'a [PathBuf],
    pub dataset: String,
    pub dataset_manifest_sha256: String,
    pub trainer: String,
    pub model: String,
    pub forced: bool,
}

/// A config file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedFile {
    pub path: String,
    pub sha256: String,
}

/// `OUT/runs/<start>.json`: one training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub format_version: u32,
    pub tool: Tool,
    pub trainer: String,
    pub model: String,
    /// The command as run, placeholders replaced.
    pub command: Vec<String>,
    pub main_config: String,
    /// sha256 over every config file (sorted by path: name, NUL, content, NUL).
    pub config_sha256: String,
    pub config_files: Vec<HashedFile>,
    pub dataset: String,
    pub dataset_manifest_sha256: String,
    /// The gate failed and the export was forced.
    pub forced: bool,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub ended_at: String,
    pub duration_s: f64,
    /// The child's exit code, or `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// The signal that ended the child, if one did.
    pub signal: Option<i32>,
    /// What zcurate exits with: the child's code, or 128 + signal.
    pub exit_status: i32,
}

/// ARGS with the placeholders replaced.
pub fn substitute(args: &[String], main_config: &Path, out: &Path) -> Vec<String> {
    let config = main_config.display().to_string();
    let out = out.display().to_string();
    args.iter()
        .map(|a| {
            a.replace(CONFIG_PLACEHOLDER, &config)
                .replace(OUT_PLACEHOLDER, &out)
        })
        .collect()
}

/// Runs the trainer and writes its record. Returns the record and where it was written.
pub fn launch(l: &Launch<'_>) -> Result<(RunRecord, PathBuf), TrainError> {
    let args = substitute(l.args, l.main_config, l.out);
    let (config_sha256, config_files) = hash_configs(l.config_files)?;
    let mut command = vec![l.program.to_owned()];
    command.extend(args.iter().cloned());

    let started = SystemTime::now();
    // Registered before the spawn so no signal slips between spawn and wait.
    let guard = SignalGuard::install();
    let mut child = Command::new(l.program)
        .args(&args)
        .env(CONFIG_ENV, l.main_config)
        .env(OUT_ENV, l.out)
        .spawn()
        .map_err(|source| TrainError::Spawn {
            command: command.join(" "),
            source,
        })?;
    let guard = guard.map(|g| g.forward_to(child.id()));
    let status = child.wait().map_err(|source| TrainError::Spawn {
        command: command.join(" "),
        source,
    })?;
    drop(guard);
    let ended = SystemTime::now();

    let (exit_code, signal) = exit_parts(status);
    let exit_status = exit_code.unwrap_or_else(|| SIGNAL_EXIT_BASE + signal.unwrap_or(0));
    let record = RunRecord {
        format_version: RUN_FORMAT_VERSION,
        tool: Tool::current(),
        trainer: l.trainer.clone(),
        model: l.model.clone(),
        command,
        main_config: l.main_config.display().to_string(),
        config_sha256,
        config_files,
        dataset: l.dataset.clone(),
        dataset_manifest_sha256: l.dataset_manifest_sha256.clone(),
        forced: l.forced,
        started_at: rfc3339(started),
        ended_at: rfc3339(ended),
        duration_s: ended
            .duration_since(started)
            .map_or(0.0, |d| (d.as_secs_f64() * 1000.0).round() / 1000.0),
        exit_code,
        signal,
        exit_status,
    };
    let dir = l.out.join(RUNS_FOLDER);
    std::fs::create_dir_all(&dir).map_err(|source| TrainError::Write {
        path: dir.clone(),
        source,
    })?;
    let stamp = compact_stamp(started);
    let mut text = serde_json::to_string_pretty(&record).expect("a run record serialises");
    text.push('\n');
    // A new name for each run, never replacing an earlier record (two runs can start in the
    // same second).
    let mut n = 1;
    loop {
        let path = if n == 1 {
            dir.join(format!("{stamp}.json"))
        } else {
            dir.join(format!("{stamp}-{n}.json"))
        };
        match zcurate_fs::write_new(&path, text.as_bytes()) {
            Ok(()) => return Ok((record, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(source) => return Err(TrainError::Write { path, source }),
        }
    }
}

fn hash_configs(files: &[PathBuf]) -> Result<(String, Vec<HashedFile>), TrainError> {
    let mut sorted: Vec<&PathBuf> = files.iter().collect();
    sorted.sort();
    let mut all = zcurate_fs::Sha256Writer::default();
    let mut out = Vec::new();
    for f in sorted {
        let bytes = std::fs::read(f).map_err(|source| TrainError::Read {
            path: f.clone(),
            source,
        })?;
        let name = f.display().to_string();
        all.update(name.as_bytes());
        all.update(&[0]);
        all.update(&bytes);
        all.update(&[0]);
        out.push(HashedFile {
            path: name,
            sha256: zcurate_fs::sha256_hex(&bytes),
        });
    }
    Ok((all.finish(), out))
}

#[cfg(unix)]
fn exit_parts(status: std::process::ExitStatus) -> (Option<i32>, Option<i32>) {
    use std::os::unix::process::ExitStatusExt;
    (status.code(), status.signal())
}

#[cfg(not(unix))]
fn exit_parts(status: std::process::ExitStatus) -> (Option<i32>, Option<i32>) {
    (status.code(), None)
}

/// SIGINT, SIGTERM and SIGHUP handling while the child runs: while installed, they no longer kill
/// us; once the child is known, a signal sent by another process is passed on to it.
#[cfg(unix)]
struct SignalGuard {
    handle: signal_hook::iterator::backend::Handle,
    signals:
        Option<signal_hook::iterator::SignalsInfo<signal_hook::iterator::exfiltrator::WithOrigin>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[cfg(unix)]
impl SignalGuard {
    fn install() -> Option<Self> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let signals = signal_hook::iterator::SignalsInfo::<
            signal_hook::iterator::exfiltrator::WithOrigin,
        >::new([SIGINT, SIGTERM, SIGHUP])
        .ok()?;
        Some(Self {
            handle: signals.handle(),
            signals: Some(signals),
            thread: None,
        })
    }

    fn forward_to(mut self, child: u32) -> Self {
        let Some(mut signals) = self.signals.take() else {
            return self;
        };
        let own = std::process::id();
        self.thread = Some(std::thread::spawn(move || {
            for origin in signals.forever() {
                // A terminal's Ctrl-C comes from the kernel and already reached the child
                // (same process group); only a signal some process sent to us is passed on.
                let sent_by_process = origin
                    .process
                    .is_some_and(|p| p.pid as u32 != own && p.pid as u32 != child);
                if !sent_by_process {
                    continue;
                }
                let signal = match origin.signal {
                    signal_hook::consts::SIGTERM => rustix::process::Signal::TERM,
                    signal_hook::consts::SIGHUP => rustix::process::Signal::HUP,
                    _ => rustix::process::Signal::INT,
                };
                if let Some(pid) = rustix::process::Pid::from_raw(child as i32) {
                    let _ = rustix::process::kill_process(pid, signal);
                }
            }
        }));
        self
    }
}

#[cfg(unix)]
impl Drop for SignalGuard {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(not(unix))]
struct SignalGuard;

#[cfg(not(unix))]
impl SignalGuard {
    fn install() -> Option<Self> {
        None
    }

    fn forward_to(self, _child: u32) -> Self {
        self
    }
}

/// Seconds and nanoseconds since the epoch as a civil UTC date and time.
fn civil(t: SystemTime) -> (i64, u32, u32, u32, u32, u32, u32) {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (rem / 3600) as u32,
        ((rem % 3600) / 60) as u32,
        (rem % 60) as u32,
        d.subsec_millis(),
    )
}

/// `2026-08-21T14:03:09.512Z`
pub fn rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, ms) = civil(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// `20260821T140309Z`, for file names.
fn compact_stamp(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, _) = civil(t);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn timestamps_are_utc_rfc3339() {
        let t = UNIX_EPOCH + Duration::from_millis(1_787_400_189_512);
        assert_eq!(rfc3339(t), "2026-08-22T12:03:09.512Z");
        assert_eq!(compact_stamp(t), "20260822T120309Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // A leap day.
        let leap = UNIX_EPOCH + Duration::from_hours(264_384);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn placeholders_are_replaced() {
        let args = vec![
            "--config".to_owned(),
            "{config}".to_owned(),
            "{out}/x".to_owned(),
        ];
        assert_eq!(
            substitute(&args, Path::new("/o/config.yaml"), Path::new("/o")),
            vec!["--config", "/o/config.yaml", "/o/x"]
        );
    }
}
