#!/usr/bin/env bash
# `zcurate evaluate` speed (issue 19): 100 sample images (20 checkpoints × 5 prompts, 1024 px
# JPEGs in ai-toolkit's layout, made from the pinned photos by `zcurate_dev sample-run`)
# scored end to end (models loaded, every image decoded, detected, embedded), side by side
# with the decode-only floor of the same images (scripts/interleave.py). Bar: under 5 s.
#
#   bash scripts/bench-evaluate.sh            (ZCURATE_BENCH_ROUNDS rounds, default 5)
#
# The ArcFace identity model is licensed for non-commercial research only; this script
# fetches it (`--identity`), as benchmarking is research use.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${ZCURATE_BENCH_ROUNDS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release -p zcurate -p zcurate_dev
z=target/release/zcurate
d=target/release/zcurate_dev
$d sample-dataset "$work/data"
$z scan "$work/data" --quiet
$z export "$work/data" --trainer ai-toolkit --model z-image-turbo --out "$work/run" \
  --trigger ohwx --class-word man --force --quiet >/dev/null
schedule="unlearned$(printf ',learned%.0s' $(seq 18)),bleeding"
$d sample-run "$work/run" --layout ai-toolkit --schedule "$schedule" --side 1024
samples="$work/run/output/zcurate_run/samples"
echo "samples: $(find "$samples" -name '*.jpg' | wc -l) JPEGs, $(du -sh "$samples" | cut -f1)"

# Once with its status lines: the dataset's faces are embedded here (and cached in its
# manifest), and "Scored N sample images in T" is the scoring alone, without model loading.
$z evaluate "$work/run" --identity >/dev/null

python3 scripts/interleave.py "$rounds" \
  "decode-only=$d decode-only $samples -j 2" \
  "evaluate=$z evaluate $work/run --identity --quiet"
