//! CLI tests: the `zcurate` binary run as a user runs it, on datasets made in the test.

mod caption;
mod caption_history;
mod caption_reading;
mod common;
mod crop;
mod crop_interrupted;
mod evaluate;
mod export;
mod lint;
mod lint_scenario;
mod manifest;
mod report;
mod scan;
mod scan_interrupted;
mod scan_names;
mod select;
mod settings;
mod train;
