"""Throughput of `autograder batch`: --jobs 1 vs --jobs 2 vs a local Dask cluster, and batch cost per submission vs `autograder grade`.

    .venv/bin/python bench/bench_batch.py [--count 40] [--jobs 1,2] [--cluster-workers 2] [--grade-samples 3]

Builds a batch of COUNT submissions by copying the example folders
(submissions_examples/*/*, the reference and the starter template) round-robin,
grades it once per --jobs value into a fresh run folder (wall clock of the whole
command, so start-up and the report are included), and times `autograder grade`
on single submissions for comparison. Prints figures only: timings are never
asserted (the machine may be busy). Uses the examples' settings (short sandbox
limits), like the tests.

The cluster run starts `dask scheduler` and --cluster-workers `dask worker --nthreads 1`
on this machine first (not timed) and times `autograder batch --cluster`: the same
gradings plus sending each submission as a zip, and each worker's first task pays
for importing the engine and torch once (a local run's fork server does that too).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.staff.local_cluster starts the cluster the tests use
SETTINGS = ROOT / "submissions_examples" / "settings.toml"


def sources(assignment: str) -> list[Path]:
    examples = sorted(p for p in (ROOT / "submissions_examples" / assignment).glob("*") if p.is_dir() and p.name != "expected")
    return [ROOT / "reference" / assignment, ROOT / "problems" / assignment / "template", *examples]


def build_batch(folder: Path, count: int, assignment: str) -> list[str]:
    pool = sources(assignment)
    names = []
    for index in range(count):
        source = pool[index % len(pool)]
        name = f"{index:03d}_{source.name}"
        shutil.copytree(source, folder / name, symlinks=True)
        names.append(name)
    return names


def run(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "AUTOGRADER_SETTINGS": str(SETTINGS)})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds


def grading_phase(out: Path) -> tuple[float, float]:
    """(wall seconds from the first worker's start to the last one's end, sum of the workers' seconds)."""
    metas = [json.loads(p.read_text()) for p in (out / "meta").glob("*.json") if not p.name.endswith(".notes.json")]
    return max(m["finished"] for m in metas) - min(m["started"] for m in metas), sum(m["seconds"] for m in metas)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="submissions in the batch (at least 10)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time")
    parser.add_argument("--cluster-workers", type=int, default=2, help="workers of the local Dask cluster to time (0: no cluster run)")
    parser.add_argument("--grade-samples", type=int, default=0, help="`autograder grade` runs to average (default 0: every submission of the batch, the same mix as the batch)")
    parser.add_argument("--assignment", default="hw4")
    args = parser.parse_args()
    autograder = str(Path(sys.executable).with_name("autograder"))
    with tempfile.TemporaryDirectory(prefix="ag-bench-") as tmp:
        batch = Path(tmp) / "batch"
        batch.mkdir()
        names = build_batch(batch, max(10, args.count), args.assignment)
        pool = len(sources(args.assignment))
        print(f"batch: {len(names)} submissions, copies of {pool} distinct folders (reference, starter, examples); {os.cpu_count()} CPUs")
        timings: dict[int, float] = {}
        phases: dict[int, float] = {}
        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = Path(tmp) / f"run-j{jobs}"
            seconds = run([autograder, "batch", str(batch), "--out", str(out), "--jobs", str(jobs), "--assignment", args.assignment, "--settings", str(SETTINGS)])
            timings[jobs] = seconds
            phases[jobs], busy = grading_phase(out)
            print(
                f"--jobs {jobs}: {seconds:7.1f} s  {len(names) / seconds * 60:6.1f} submissions/min  {seconds / len(names):5.2f} s/submission"
                f"  (grading phase {phases[jobs]:.1f} s, workers busy {busy:.1f} s; the rest is start-up and report)"
            )
        if args.cluster_workers:
            from tests.staff.local_cluster import local_cluster

            with local_cluster(args.cluster_workers, Path(tmp) / "cluster-logs") as cluster:
                out = Path(tmp) / "run-cluster"
                seconds = run([autograder, "batch", str(batch), "--out", str(out), "--cluster", cluster.address, "--assignment", args.assignment, "--settings", str(SETTINGS)])
            phase, busy = grading_phase(out)
            print(
                f"--cluster ({args.cluster_workers} local workers x 1 thread): {seconds:7.1f} s  {len(names) / seconds * 60:6.1f} submissions/min  {seconds / len(names):5.2f} s/submission"
                f"  (grading phase {phase:.1f} s, workers busy {busy:.1f} s)"
            )
        if 1 in timings and 2 in timings:
            print(f"speed-up --jobs 2 / --jobs 1: {timings[1] / timings[2]:.2f}x whole command, {phases[1] / phases[2]:.2f}x grading phase (target >= 1.8x on 2 cores)")
        samples = [batch / name for name in (names[: args.grade_samples] if args.grade_samples else names)]
        grade_times = [run([autograder, "grade", str(s), "--assignment", args.assignment]) for s in samples]
        mean_grade = statistics.fmean(grade_times)
        print(f"autograder grade, one process per submission: {mean_grade:.2f} s per submission (mean over {len(samples)} submissions)")
        if 1 in timings:
            per_submission = timings[1] / len(names)
            print(f"batch --jobs 1 cost per submission / autograder grade: {per_submission / mean_grade:.2f} (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
