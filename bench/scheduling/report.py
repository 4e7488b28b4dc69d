"""Run the scheduling bench end to end and print the tables of docs/scheduling.md.

    /work/venv/bin/python bench/scheduling/report.py [--seeds 1 2 3] [--limits 1 5 10 20 30]

Generates pavilion and large instances for each seed into a temporary folder, runs
`run.py` on each in its own process (so peak memory is the run's own) with a 20 s limit,
then the limits table on seed 1 (the engine as shipped, and CP-SAT started from the plain
greedy without the LP-guided start, to show what each stage brings), and prints Markdown.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def run(path, seconds, *extra):
    out = subprocess.run(
        [PYTHON, str(HERE / "run.py"), str(path), "--seconds", str(seconds), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--limits", type=float, nargs="+", default=[1, 5, 10, 20, 30])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scheduling-bench-"))
    files = {}
    for kind in ("pavilion", "large"):
        for seed in args.seeds:
            path = folder / f"{kind}-{seed}.json"
            subprocess.run([PYTHON, str(HERE / "generate.py"), kind, "--seed", str(seed), "-o", str(path)], check=True)
            files[kind, seed] = path
    print(f"load before: {os.getloadavg()}")
    print()
    print(
        "| instance | pairs | slots | first-come | greedy start | value | bound | value/bound | s | peak MB | violations |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (kind, seed), path in files.items():
        r = run(path, 20)
        print(
            f"| {kind} {seed} | {r['pairs']} | {r['slots']} | {r['first_come']} | {r['greedy']} | {r['value']} | "
            f"{r['bound']:.0f} | {100 * r['ratio']:.2f} % | {r['seconds']} | {r['peak_mb']} | {r['violations']} |"
        )
    print()
    print("| instance | method | " + " | ".join(f"{limit:g} s" for limit in args.limits) + " |")
    print("|---|---|" + "---|" * len(args.limits))
    for kind in ("pavilion", "large"):
        path = files[kind, args.seeds[0]]
        for label, extra in (("engine", ()), ("CP-SAT from plain greedy", ("--no-lp-rounding",))):
            cells = []
            for limit in args.limits:
                r = run(path, limit, *extra)
                cells.append(f"{100 * r['ratio']:.2f} % ({r['seconds']} s)")
            print(f"| {kind} {args.seeds[0]} | {label} | " + " | ".join(cells) + " |")
    print()
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
