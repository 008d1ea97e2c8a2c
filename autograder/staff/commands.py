"""Registers the staff subcommands on the `autograder` command line: build, batch, report, diff.

Handlers stay thin: they parse paths and call one module. A mistake the TA can
correct is a CommandError, which the command line's main turns into one line and
exit status 2 (autograder/errors.py); a diff that found changes exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from autograder.assignment import assignments_help
from autograder.stopping import exit_status


def command_build_gradescope(args: argparse.Namespace) -> int:
    from autograder.staff.gradescope_zip import build_gradescope_zip

    examples = [e for e in (args.examples or "").split(",") if e] or None
    build_gradescope_zip(
        assignment=args.assignment,
        out=Path(args.out) if args.out else None,
        prove=not args.no_proof,
        examples=examples,
        stream=sys.stdout,
    )
    return 0


def command_build_kit(args: argparse.Namespace) -> int:
    from autograder.staff.kit import build_student_kit

    build_student_kit(out=Path(args.out) if args.out else None, stream=sys.stdout)
    return 0


def command_batch(args: argparse.Namespace) -> int:
    from autograder.sandbox.runner import for_grading

    if not args.cluster:  # grading here: refuse a platform without the POSIX sandbox in one line, before importing it
        for_grading()
    from autograder.staff.batch import run_batch

    try:
        summary = run_batch(
            Path(args.submissions),
            Path(args.out),
            assignment=args.assignment,
            jobs=args.jobs,
            fresh=args.fresh,
            timeout=args.timeout,
            settings_path=Path(args.settings) if args.settings else None,
            cluster=args.cluster,
        )
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM/SIGHUP (autograder.stopping): the workers are already stopped
        why = f"stopped by {stop}" if str(stop) else "interrupted"
        print(f"\nautograder batch: {why}; the submissions graded so far are kept, and the same command resumes.", file=sys.stderr)
        return exit_status(stop)
    graded = ", ".join(f"{n} {status}" for status, n in sorted(summary.counts.items())) or "nothing new"
    print(f"{summary.assignment}: {summary.total} submissions, {summary.skipped} already done, graded now: {graded} ({summary.seconds:.1f} s)")
    out = summary.out
    print(f"results:  {out / 'results'}/<submission>.json\ngrades:   {out / 'grades.csv'}\nreport:   {out / 'report.html'}")
    return 0


def command_report(args: argparse.Namespace) -> int:
    from autograder.staff.grades import write_grades_csv
    from autograder.staff.report import write_report

    print(f"wrote {write_grades_csv(Path(args.run))}")
    print(f"wrote {write_report(Path(args.run))}")
    return 0


def command_diff(args: argparse.Namespace) -> int:
    from autograder.staff.diff import diff_json, diff_runs, render_diff

    result = diff_runs(Path(args.run_a), Path(args.run_b))
    print(diff_json(result) if args.json else render_diff(result))
    return 1 if result.changed else 0


def register(commands: Any) -> None:
    """Add the staff subcommands to the CLI's subparsers."""
    build = commands.add_parser("build", help="staff: build the Gradescope zip or the student kit")
    targets = build.add_subparsers(dest="target", required=True, metavar="TARGET")

    zip_parser = targets.add_parser("gradescope", help="the Gradescope autograder zip, proven by grading the reference and two examples from it")
    zip_parser.add_argument("--out", help="zip file to write (default: out/autograder-<assignment>.zip)")
    zip_parser.add_argument("--assignment", help="assignment the zip grades (default: settings.toml's, else hw4)")
    zip_parser.add_argument("--examples", help="comma-separated example names to prove the zip with (default: two chosen from submissions_examples/<assignment>)")
    zip_parser.add_argument("--no-proof", action="store_true", help="skip unpacking and grading (development only: the zip is not proven)")
    zip_parser.set_defaults(handler=command_build_gradescope)

    kit_parser = targets.add_parser("student-kit", help="what students download: templates, starter notebooks, the local format check")
    kit_parser.add_argument("--out", help="zip file to write (default: out/student-kit.zip)")
    kit_parser.set_defaults(handler=command_build_kit)

    batch = commands.add_parser("batch", help="staff: grade a folder of submissions or a Gradescope export; CSV and HTML report")
    batch.add_argument("submissions", help="folder of submission folders, or a Gradescope export (folder or .zip)")
    batch.add_argument("--out", required=True, help="run folder: results/, grades.csv, report.html (reused to resume)")
    batch.add_argument("--jobs", type=int, help="submissions graded in parallel on this machine (default 1; use the number of cores)")
    batch.add_argument("--assignment", help=f"{assignments_help()} (default: settings, else found from the files)")
    batch.add_argument("--fresh", action="store_true", help="start --out over: forget its results (needed to regrade, or to change settings, code or submissions)")
    batch.add_argument("--cluster", metavar="ADDRESS", help="grade on a Dask cluster, e.g. tcp://head:8786 (see README: Grading on a cluster)")
    batch.add_argument("--timeout", type=float, help="seconds per submission before its worker is stopped (default: engine deadline + 60)")
    batch.add_argument("--settings", help="settings.toml to grade with (default: the course settings)")
    batch.set_defaults(handler=command_batch)

    report = commands.add_parser("report", help="staff: rewrite grades.csv and report.html of a batch run folder")
    report.add_argument("run", help="a folder written by `autograder batch`")
    report.set_defaults(handler=command_report)

    diff = commands.add_parser("diff", help="staff: score changes between two batch runs (exit 1 if any)")
    diff.add_argument("run_a", help="the earlier batch run folder")
    diff.add_argument("run_b", help="the later batch run folder")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.set_defaults(handler=command_diff)
