#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (docs/reliability.md), each for a fixed budget, one after
# the other on one core. Not part of CI: it needs the nightly toolchain and cargo-fuzz.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    (default: 120 s each, every target)
#
# The corpus each run grows is kept in fuzz/corpus/TARGET (not committed), so a later run
# goes on from it; the committed seeds in fuzz/seeds/TARGET start it. A crashing input is
# written to fuzz/artifacts/TARGET/; turn it into a regression test of the crate it broke.
# Prints one line per target (executions, corpus size, crash or not); exits 1 if any crashed.
set -euo pipefail

budget=${1:-120}
shift || true
cd "$(dirname "$0")/../fuzz"

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build --features records
mkdir -p logs
failed=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    echo "== $t: ${budget}s" >&2
    # One process on one core (no -jobs/-workers); -print_final_stats for the count.
    if cargo +nightly fuzz run --features records "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$budget" -print_final_stats=1 >"logs/$t.log" 2>&1; then
        result="no crash"
    else
        result="CRASH (see fuzz/logs/$t.log and fuzz/artifacts/$t/)"
        failed=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo "?")
    corpus=$(find "corpus/$t" -type f | wc -l)
    summary+=("$(printf '%-16s %12s executions  %6s corpus inputs  %s' "$t" "$execs" "$corpus" "$result")")
done
printf '%s\n' "${summary[@]}"
exit "$failed"
