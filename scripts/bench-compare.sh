#!/usr/bin/env bash
# The speed comparison of docs/benchmarks.md, in one run on one folder, with ratios:
#
#  1. zcurate scan --no-faces + lint (the image checks cleanvision also makes) against
#     cleanvision 0.3.7's default issue checks (`Imagelab(data_path=...).find_issues()`),
#     with the decode-only pass as the floor;
#  2. the full face-profile scan + lint (YuNet on ONNX Runtime, the default) on the same folder;
#  3. zcurate crop against autocrop 2.0.0 (scripts/bench-crop.sh);
#  4. detection per image on ONNX Runtime vs tract (divan, one thread).
#
# The set: ZCURATE_BENCH_COUNT (default 1000) JPEGs of 1–2 MP made from the pinned real
# photos by `zcurate_dev bench-set`. Every zcurate run starts cold (no manifest in the set).
# Needs Python 3 with venv and pip; hyperfine for part 3 (Debian: apt-get install hyperfine).
# Bar (issue 8): part 1 at least 10× cleanvision's images per second on a 2-core machine.
#
#   bash scripts/bench-compare.sh [cleanvision|faces|crop|backends|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
count="${ZCURATE_BENCH_COUNT:-1000}"
rounds="${ZCURATE_BENCH_ROUNDS:-3}"
set_dir="${ZCURATE_BENCH_SET:-target/bench-set-$count}"
venv="target/bench-venv-cleanvision"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release -p zcurate -p zcurate_dev
z=target/release/zcurate
$z models fetch yunet onnxruntime >/dev/null
if [ ! -d "$set_dir" ] || [ "$(find "$set_dir" -maxdepth 1 -name '*.jpg' | wc -l)" -lt "$count" ]; then
  rm -rf "$set_dir"
  target/release/zcurate_dev bench-set "$set_dir" --count "$count"
fi
rm -rf "$set_dir/.zcurate"
echo "set: $set_dir ($(find "$set_dir" -maxdepth 1 -name '*.jpg' | wc -l) JPEGs, $(du -sh "$set_dir" | cut -f1))"

# A fresh manifest every run: the scan must analyse every image, as on first contact.
zscan() { echo "rm -rf $set_dir/.zcurate && $z scan $set_dir -j 2 --quiet $1 && $z lint $set_dir --profile face --no-scan --exit-zero --quiet"; }

if [ "$what" = all ] || [ "$what" = cleanvision ]; then
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import cleanvision' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check cleanvision==0.3.7
  fi
  cat >"$work/cleanvision_run.py" <<'PY'
"""cleanvision's default checks on a folder, as its README shows them."""
import sys

from cleanvision import Imagelab

imagelab = Imagelab(data_path=sys.argv[1])
imagelab.find_issues()
print(imagelab.issue_summary.to_string(), file=sys.stderr)
PY
  "$venv/bin/python" -c 'import cleanvision; print("cleanvision", cleanvision.__version__)'
  echo "== 1. scan + lint without faces vs cleanvision ($rounds rounds)"
  python3 scripts/interleave.py "$rounds" \
    "decode-only=target/release/zcurate_dev decode-only $set_dir -j 2" \
    "zcurate-no-faces=$(zscan --no-faces)" \
    "cleanvision=$venv/bin/python $work/cleanvision_run.py $set_dir 2>/dev/null"
fi

if [ "$what" = all ] || [ "$what" = faces ]; then
  echo "== 2. the full face-profile scan + lint ($rounds rounds)"
  python3 scripts/interleave.py "$rounds" \
    "decode-only=target/release/zcurate_dev decode-only $set_dir -j 2" \
    "zcurate-no-faces=$(zscan --no-faces)" \
    "zcurate-faces=$(zscan '')"
fi
rm -rf "$set_dir/.zcurate"

if [ "$what" = all ] || [ "$what" = crop ]; then
  echo "== 3. zcurate crop vs autocrop"
  bash scripts/bench-crop.sh
fi

if [ "$what" = all ] || [ "$what" = backends ]; then
  echo "== 4. detection per image, ONNX Runtime vs tract (one thread)"
  cargo bench -p zcurate_face --bench detect -- backends
fi
