#!/usr/bin/env bash
# Scan speed against the decode-only floor, and an incremental re-scan against a first scan,
# and a scan with face detection against both, on the same 500 generated 1–2 MP JPEGs, 2 threads
# each, measured side by side by hyperfine.
# Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."

set_dir="${ZCURATE_BENCH_SET:-target/bench-set}"
count="${ZCURATE_BENCH_COUNT:-500}"
jobs="${ZCURATE_BENCH_JOBS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release -p zcurate -p zcurate_dev
if [ ! -d "$set_dir" ] || [ "$(ls "$set_dir" | wc -l)" -lt "$count" ]; then
  target/release/zcurate_dev bench-set "$set_dir" --count "$count"
fi

echo "## scan (no faces) vs decode-only, $count images, $jobs threads"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/scan.md" \
  -n decode-only "target/release/zcurate_dev decode-only $set_dir -j $jobs" \
  -n scan "target/release/zcurate scan $set_dir -j $jobs --no-faces --no-cache --quiet --manifest $work/full.json"
cat "$work/scan.md"

echo "## scan with faces (default YuNet on ONNX Runtime) vs decode-only, $count images, $jobs threads"
target/release/zcurate models fetch yunet onnxruntime
hyperfine --warmup 1 --runs 3 --export-markdown "$work/faces.md" \
  -n decode-only "target/release/zcurate_dev decode-only $set_dir -j $jobs" \
  -n scan-no-faces "target/release/zcurate scan $set_dir -j $jobs --no-faces --no-cache --quiet --manifest $work/nofaces.json" \
  -n scan-faces "target/release/zcurate scan $set_dir -j $jobs --no-cache --quiet --manifest $work/faces.json"
cat "$work/faces.md"

echo "## first scan vs re-scan of the unchanged set"
target/release/zcurate scan "$set_dir" -j "$jobs" --no-faces --quiet --manifest "$work/warm.json"
hyperfine --warmup 1 --runs 5 --export-markdown "$work/rescan.md" \
  -n first-scan "target/release/zcurate scan $set_dir -j $jobs --no-faces --no-cache --quiet --manifest $work/cold.json" \
  -n re-scan "target/release/zcurate scan $set_dir -j $jobs --no-faces --quiet --manifest $work/warm.json"
cat "$work/rescan.md"
