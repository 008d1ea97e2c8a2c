"""Cost of grading one submission end to end, as Gradescope runs it.

Grades a full-marks submission N times with `autograder grade` and prints the
median wall seconds, CPU seconds (engine and sandbox children) and peak RSS of
the whole process tree; the harness overhead is the same for the untouched
starter, where no student computation happens.

    .venv/bin/python bench/bench_grade.py [--runs 5] [--assignment hw4] [--only hw4.p1] [SUBMISSION]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treemeter import Measurement, measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def grade_command(folder: Path, assignment: str, only: str | None) -> list[str]:
    command = [str(ROOT / ".venv" / "bin" / "autograder"), "grade", str(folder), "--assignment", assignment]
    return command + (["--only", only] if only else [])


def summarise(label: str, runs: list[Measurement]) -> str:
    wall = statistics.median(r.wall_seconds for r in runs)
    cpu = statistics.median(r.cpu_seconds for r in runs)
    rss = max(r.peak_rss_mb for r in runs)
    failures = sum(r.returncode != 0 for r in runs)
    return f"{label:<34} median wall {wall:6.2f} s   median CPU {cpu:6.2f} s   peak tree RSS {rss:7.1f} MB" + (
        f"   ({failures} runs failed)" if failures else ""
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submission", nargs="?", help="folder to grade (default: the assignment's full-marks example)")
    parser.add_argument("--assignment", default="hw4")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="grade only these part-id prefixes, e.g. hw4.p1 (Problem 1 alone)")
    args = parser.parse_args()
    full = Path(args.submission) if args.submission else ROOT / "submissions_examples" / args.assignment / "full_marks"
    starter = ROOT / "problems" / args.assignment / "template"
    env = dict(os.environ)
    scope = f"parts {args.only}" if args.only else "all parts"
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs each; assignment {args.assignment}, {scope}")
    full_runs = [measure(grade_command(full, args.assignment, args.only), env) for _ in range(args.runs)]
    starter_runs = [measure(grade_command(starter, args.assignment, args.only), env) for _ in range(args.runs)]
    print(summarise(f"full marks ({full.relative_to(ROOT) if full.is_relative_to(ROOT) else full})", full_runs))
    print(summarise("harness overhead (starter)", starter_runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
