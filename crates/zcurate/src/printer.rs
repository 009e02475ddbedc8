//! Messages for people, on stderr. stdout carries only data.
//!
//! Colour goes through `anstream`, which strips it when stderr is not a terminal or
//! `NO_COLOR` is set; every message reads the same without colour.

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

use owo_colors::OwoColorize;

use crate::args::{ColorChoice, GlobalArgs};

const QUIET: u8 = 0;
const NORMAL: u8 = 1;
const VERBOSE: u8 = 2;

static LEVEL: AtomicU8 = AtomicU8::new(NORMAL);

pub(crate) fn init(global: &GlobalArgs) {
    let level = if global.quiet {
        QUIET
    } else if global.verbose {
        VERBOSE
    } else {
        NORMAL
    };
    LEVEL.store(level, Ordering::Relaxed);
    let choice = match global.color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

pub(crate) fn is_quiet() -> bool {
    LEVEL.load(Ordering::Relaxed) == QUIET
}

pub(crate) fn is_verbose() -> bool {
    LEVEL.load(Ordering::Relaxed) == VERBOSE
}

pub(crate) fn error_prefix() -> String {
    "error:".red().bold().to_string()
}

pub(crate) fn cause_prefix() -> String {
    "cause:".red().to_string()
}

fn line(prefix: &str, msg: &dyn Display) {
    let _ = writeln!(anstream::stderr().lock(), "{prefix} {msg}");
}

/// A problem the run survived (a corrupt file). Shown even with `--quiet`.
pub(crate) fn error(msg: impl Display) {
    line(&error_prefix(), &msg);
}

pub(crate) fn warning(msg: impl Display) {
    if !is_quiet() {
        line(&"warning:".yellow().bold().to_string(), &msg);
    }
}

/// Status for people: summaries, what was written where.
pub(crate) fn status(msg: impl Display) {
    if !is_quiet() {
        let _ = writeln!(anstream::stderr().lock(), "{msg}");
    }
}

pub(crate) fn verbose(msg: impl Display) {
    if is_verbose() {
        let _ = writeln!(anstream::stderr().lock(), "{}", msg.dimmed());
    }
}

/// Bold, for headings in status lines.
pub(crate) fn bold(s: impl Display) -> String {
    s.bold().to_string()
}
