#!/usr/bin/env python3
"""Side-by-side timing on a noisy machine: runs each command once per round, in turn, for
several rounds, so slow spells hit every command alike; prints min and median wall time per
command, their ratios to the first command (the baseline), and the median of the per-round
ratios (each run against the baseline run of the same round).

usage: interleave.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]
"""

import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    times: dict[str, list[float]] = {name: [] for name, _ in commands}
    for name, cmd in commands:  # warm-up: file cache, model plans on disk
        subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    for _ in range(rounds):
        for name, cmd in commands:
            start = time.perf_counter()
            subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    base = commands[0][0]
    base_min, base_med = min(times[base]), statistics.median(times[base])
    print("| command | min [s] | median [s] | min ratio | median ratio | paired ratio |")
    print("|:---|---:|---:|---:|---:|---:|")
    for name, _ in commands:
        t = times[name]
        lo, med = min(t), statistics.median(t)
        # Each round's ratio to the baseline run just before it, so drift between rounds
        # cancels; the median of those is the steadiest figure on a noisy machine.
        paired = statistics.median(x / b for x, b in zip(t, times[base]))
        print(
            f"| `{name}` | {lo:.3f} | {med:.3f} | {lo / base_min:.2f} | {med / base_med:.2f}"
            f" | {paired:.2f} |"
        )
    print(f"\n{rounds} interleaved rounds after one warm-up run each.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
