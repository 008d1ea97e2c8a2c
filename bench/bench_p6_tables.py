"""What Problem 6's curve tables save: the cost of a full-marks grade with and without them, and of building them.

Grades the full-marks example and the starter with `autograder grade` (as
bench_grade.py does: median CPU and wall seconds of the whole process tree),
with the curve store (AUTOGRADER_CURVE_CACHE) in three states:

    hit      the tables built (`python -m problems.hw4.p6_inductive_bias.tables build`)
    cold     an empty store: the first grading on a machine computes the lattice
             runs it needs (every epoch of them) and stores them
    off      no store: every grading trains the draws it needs (as before the tables)

then, with --build, builds the whole lattice in an empty folder on one process
(--jobs 1) and prints its CPU and wall seconds: what setup.sh adds to the image build.

    .venv/bin/python bench/bench_p6_tables.py [--runs 3] [--tables BUILT_STORE] [--build] [--skip-grades]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grade import ROOT, grade_command, summarise  # noqa: E402
from treemeter import measure  # noqa: E402

sys.path.insert(0, str(ROOT))
from problems.hw4.p6_inductive_bias import curvestore, tables  # noqa: E402

BUILD = [str(ROOT / ".venv" / "bin" / "python"), "-m", "problems.hw4.p6_inductive_bias.tables", "build"]


def environment(store: Path | str) -> dict[str, str]:
    return {**os.environ, curvestore.ENVIRONMENT_VARIABLE: str(store)}


def build_tables(store: Path, jobs: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of building the lattice into ``store``."""
    before = os.times()
    start = time.monotonic()
    subprocess.run([*BUILD, "--jobs", str(jobs)], cwd=ROOT, env=environment(store), check=True)
    after = os.times()
    return after.children_user + after.children_system - before.children_user - before.children_system, time.monotonic() - start


def bench_grades(runs: int, scratch: Path, built: Path | None) -> None:
    full = ROOT / "submissions_examples" / "hw4" / "full_marks"
    starter = ROOT / "problems" / "hw4" / "template"
    if built is None:
        built = scratch / "built"
        print("building the tables for the hit case ...", flush=True)
        build_tables(built, os.cpu_count() or 1)
    print(f"\nmachine: {os.cpu_count()} cores; {runs} runs each; HW4 with its notebooks")
    hit = [measure(grade_command(full, "hw4", None), environment(built)) for _ in range(runs)]
    cold = []
    for index in range(runs):
        empty = scratch / f"cold{index}"
        cold.append(measure(grade_command(full, "hw4", None), environment(empty)))
    off = [measure(grade_command(full, "hw4", None), environment(curvestore.OFF)) for _ in range(runs)]
    start = [measure(grade_command(starter, "hw4", None), environment(curvestore.OFF)) for _ in range(runs)]
    print(summarise("full marks, tables built (hit)", hit))
    print(summarise("full marks, empty store (cold)", cold))
    print(summarise("full marks, no store (off)", off))
    print(summarise("starter", start))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also time the whole build on one process")
    parser.add_argument("--skip-grades", action="store_true")
    parser.add_argument("--tables", type=Path, help="a store already built (default: build one first)")
    options = parser.parse_args()
    print(f"lattice: {len(tables.lattice_runs())} runs (setting x draw): " + "; ".join(
        f"{part}: learning rates {list(l.learning_rates)}, kernels {list(l.kernel_sizes)}, epochs 1-{l.epochs}"
        for part, l in tables.LATTICE.items()
    ))
    scratch = Path(tempfile.mkdtemp(prefix="bench-p6-tables-"))
    try:
        if not options.skip_grades:
            bench_grades(options.runs, scratch, options.tables)
        if options.build:
            cpu, wall = build_tables(scratch / "one-core", 1)
            print(f"\nbuilding every lattice run on one process: {cpu:.0f} CPU s, {wall:.0f} s wall")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
