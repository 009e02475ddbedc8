//! The `zcurate` command. Thin: parse arguments, resolve settings, run one command, map
//! its outcome to an exit status.

mod args;
mod commands;
mod env;
mod pipeline;
mod printer;
mod progress;
mod settings;

use std::io::Write;
use std::process::ExitCode;

/// mimalloc rather than the system allocator. Face detection on tract allocates every
/// intermediate tensor afresh for each image, several megabytes each; glibc hands such blocks
/// back to the kernel on free and faults them in again for the next image (445,000 page
/// faults for 200 detections at 640 px). mimalloc keeps them: about 20 % less time per
/// detection, measured side by side (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How a command ended. Lint-style convention: 0 clean, 1 findings or a failed gate,
/// 2 zcurate itself failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    Success,
    Failure,
    Error,
    /// `zcurate train` passes on its trainer's exit status.
    Child(u8),
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
            ExitStatus::Child(code) => ExitCode::from(code),
        }
    }
}

fn main() -> ExitCode {
    let args = args::parse();
    printer::init(&args.global);
    match commands::run(args) {
        Ok(status) => status.into(),
        Err(err) => report_error(&err),
    }
}

/// Prints an error and its causes. A closed pipe (`zcurate ... | head`) is not a failure.
fn report_error(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
    }
    let mut stderr = anstream::stderr().lock();
    let _ = writeln!(stderr, "{} {err}", printer::error_prefix());
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  {} {cause}", printer::cause_prefix());
    }
    ExitStatus::Error.into()
}
