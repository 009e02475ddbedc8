pub(crate) mod caption;
pub(crate) mod crop;
pub(crate) mod evaluate;
pub(crate) mod export;
pub(crate) mod faces;
pub(crate) mod lint;
pub(crate) mod manifest;
pub(crate) mod models;
pub(crate) mod report;
pub(crate) mod rule;
pub(crate) mod scan;
pub(crate) mod select;
pub(crate) mod train;

use anyhow::Result;

use crate::ExitStatus;
use crate::args::{Args, Command};

// Each subcommand's module holds its `*Args`, its `run`, and what only it prints; settings
// are resolved in `crate::settings`, shared steps live in `crate::pipeline`.

pub(crate) fn run(args: Args) -> Result<ExitStatus> {
    match args.command {
        Command::Scan(a) => scan::run(&a, &args.global),
        Command::Caption(a) => caption::run(&a, &args.global),
        Command::Faces(a) => faces::run(&a, &args.global),
        Command::Crop(a) => crop::run(&a, &args.global),
        Command::Lint(a) => lint::run(&a, &args.global),
        Command::Report(a) => report::run(&a, &args.global),
        Command::Select(a) => select::run(&a, &args.global),
        Command::Export(a) => export::run(&a, &args.global),
        Command::Train(a) => train::run(&a, &args.global),
        Command::Evaluate(a) => evaluate::run(&a, &args.global),
        Command::Rule(a) => rule::run(&a),
        Command::Manifest(c) => manifest::run(c),
        Command::Models(c) => models::run(c),
    }
}
