//! Progress bars: on a terminal only, never in pipes, logs or `--quiet`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar on stderr, or a hidden one when stderr is not a terminal or output is quiet.
pub(crate) fn bar(label: &'static str) -> ProgressBar {
    let visible = std::io::stderr().is_terminal() && !crate::printer::is_quiet();
    let bar = ProgressBar::with_draw_target(
        None,
        if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label);
    bar
}

/// Runs `f` with the bar cleared, so a message printed from a worker is not torn.
pub(crate) fn suspend<R>(bar: &ProgressBar, f: impl FnOnce() -> R) -> R {
    bar.suspend(f)
}
