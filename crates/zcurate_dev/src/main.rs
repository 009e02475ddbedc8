//! Developer tools: build the example and benchmark datasets from the pinned real photos,
//! and run the decode-only baseline that scan speed is measured against.

mod bench_set;
mod decode_only;
mod example;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The same allocator as `zcurate`, so the decode-only floor is measured like the scan.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "zcurate_dev")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the example dataset (a broad, flawed face set) from the fetched real photos.
    Example {
        /// Output folder; must not exist or be empty.
        out: PathBuf,
    },
    /// Generate N JPEGs of 1–2 MP from the real photos by crops, scales and re-encoding.
    BenchSet {
        out: PathBuf,
        #[arg(long, default_value_t = 500)]
        count: usize,
    },
    /// Build the README tour's broad face set: 24 chest-to-thigh shots of one man, captions
    /// naming clothes and places.
    TourSet {
        /// Output folder; must not exist or be empty.
        out: PathBuf,
    },
    /// Build the messy folder of the README tour and the select tests: three photos of one
    /// man among their copies, duplicates, a blurry and a tiny copy, and other people.
    MessySet {
        /// Output folder; must not exist or be empty.
        out: PathBuf,
    },
    /// Build the `zcurate evaluate` stand-in dataset: COUNT shots of one man, captioned.
    SampleDataset {
        out: PathBuf,
        #[arg(long, default_value_t = 6)]
        count: u32,
    },
    /// Write stand-in sample images into an export folder RUN (its zcurate-export.json gives
    /// the prompts), in a trainer's sample layout: one checkpoint every `--every` steps per
    /// stage of `--schedule` (unlearned, learned, bleeding).
    SampleRun {
        run: PathBuf,
        #[arg(long)]
        layout: String,
        #[arg(long, value_delimiter = ',', required = true)]
        schedule: Vec<zcurate_dev::sample_run::Stage>,
        #[arg(long, default_value_t = 250)]
        every: u64,
        /// Longest side of each sample.
        #[arg(long, default_value_t = 1024)]
        side: u32,
    },
    /// Read and decode every image of a folder once, and nothing else: the speed floor.
    DecodeOnly {
        dir: PathBuf,
        #[arg(long, short, default_value_t = 2)]
        jobs: usize,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Example { out } => example::run(&out),
        Command::BenchSet { out, count } => bench_set::run(&out, count),
        Command::TourSet { out } => zcurate_dev::broad_set::write_tour_set(&out),
        Command::MessySet { out } => zcurate_dev::messy_set::write_messy_set(&out).map(|_| ()),
        Command::DecodeOnly { dir, jobs } => decode_only::run(&dir, jobs),
        Command::SampleDataset { out, count } => zcurate_dev::sample_run::Photos::load()
            .and_then(|p| zcurate_dev::sample_run::write_dataset(&out, &p, count)),
        Command::SampleRun {
            run,
            layout,
            schedule,
            every,
            side,
        } => sample_run(&run, &layout, &schedule, every, side),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

fn sample_run(
    run: &std::path::Path,
    layout: &str,
    schedule: &[zcurate_dev::sample_run::Stage],
    every: u64,
    side: u32,
) -> anyhow::Result<()> {
    use zcurate_dev::sample_run::{record_prompts, write_samples};
    let prompts = record_prompts(run)?;
    let steps: Vec<_> = schedule
        .iter()
        .enumerate()
        .map(|(k, s)| ((k as u64 + 1) * every, *s))
        .collect();
    let n = write_samples(run, layout, &prompts, &steps, side)?;
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{n} samples written to {}", run.display());
    }
    Ok(())
}
