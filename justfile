# zcurate development recipes. `just --list` shows them all.
set shell := ["bash", "-euo", "pipefail", "-c"]

alias t := test

# run every test (the same command CI and the README use)
[group('test')]
test *args:
    cargo test --workspace --all-features {{args}}

# review changed insta snapshots
[group('test')]
review:
    cargo insta review

# everything CI runs, in the same order
[group('check')]
ci:
    bash .ci/run

[group('check')]
fmt:
    cargo fmt --all

[group('check')]
lint:
    cargo clippy --workspace --all-targets --all-features -- -D warnings

# regenerate docs/manifest.schema.json from the Rust types
[group('docs')]
schema:
    ZCURATE_UPDATE_SCHEMA=1 cargo test -p zcurate_manifest --test schema

# fetch the default detector and every test photo into the cache
[group('models')]
fetch:
    cargo run --release -p zcurate -- models fetch --all

# build the example dataset from the test photos and scan it
[group('demo')]
example:
    bash scripts/example.sh

# scan vs decode-only and incremental re-scan on the 500-image benchmark set
[group('bench')]
bench-scan:
    bash scripts/bench-scan.sh

# zcurate crop vs autocrop 2.0.0 on 200 generated photos (installs autocrop into target/)
[group('bench')]
bench-crop:
    bash scripts/bench-crop.sh

# regenerate the README tour from a real run (CI checks it with --check)
[group('docs')]
tour:
    bash scripts/tour.sh --write

# zcurate against cleanvision, autocrop and ONNX Runtime, side by side (docs/benchmarks.md)
[group('bench')]
bench-compare *what:
    bash scripts/bench-compare.sh {{what}}

# fuzz every parser for SECONDS each on one core (nightly + cargo-fuzz; not in CI): docs/reliability.md
[group('test')]
fuzz seconds="120" *targets:
    bash scripts/fuzz.sh {{seconds}} {{targets}}
