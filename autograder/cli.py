"""The `autograder` command: grade, check, parts, and the Gradescope entry point."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from autograder import __version__
from autograder.assignment import assignments_help, available_assignments, load_assignment
from autograder.config import DEFAULT_ASSIGNMENT, load_settings
from autograder.display import render
from autograder.engine import grade
from autograder.errors import CommandError, report
from autograder.metadata import read_metadata
from autograder.results import read_results, write_results
from autograder.stopping import exit_status, stop_signals_raise
from autograder.template import render_template

GRADESCOPE_SUBMISSION = Path("/autograder/submission")
GRADESCOPE_RESULTS = Path("/autograder/results/results.json")
GRADESCOPE_METADATA = Path("/autograder/submission_metadata.json")


def detect_assignments(folder: Path, requested: str | None, *, fallback: bool = False) -> list[str]:
    """The assignment(s) to grade: as requested, else by the answer files present, else as the settings say.

    `fallback`: with none of these, grade DEFAULT_ASSIGNMENT (student-facing commands) instead of refusing.
    """
    if requested:
        if requested not in available_assignments():
            raise CommandError(f"unknown assignment {requested!r}; choose from {', '.join(available_assignments())}")
        return [requested]
    configured = load_settings().assignment
    names = {p.name for p in folder.rglob("*") if p.is_file() and not p.is_symlink()} if folder.is_dir() else set()
    found = [
        a for a in available_assignments() if any(form in names for f in load_assignment(a).files for form in f.forms)
    ]
    if not found and configured:
        return [configured]
    if not found and fallback:
        return [DEFAULT_ASSIGNMENT]
    if not found:
        forms = sorted({form for a in available_assignments() for f in load_assignment(a).files for form in f.forms})
        raise CommandError(f"no answer file found in {folder}; expected one of: {', '.join(forms)}")
    return found


def select_parts(assignment_id: str, only: str | None) -> set[str] | None:
    """Part ids matching comma-separated prefixes (`hw4.p1,hw4.p3c`), or None for all parts."""
    if not only:
        return None
    prefixes = [p.strip() for p in only.split(",") if p.strip()]
    chosen = {p.id for p in load_assignment(assignment_id).parts if any(p.id.startswith(x) for x in prefixes)}
    if not chosen:
        raise CommandError(f"--only {only!r} matches no part of {assignment_id}; see `autograder parts`")
    return chosen


def command_grade(args: argparse.Namespace) -> int:
    folder = Path(args.directory)
    assignments = detect_assignments(folder, args.assignment)
    if args.results and len(assignments) > 1:
        raise CommandError("this folder holds answers for several assignments; choose one with --assignment")
    for assignment_id in assignments:
        run = grade(folder, assignment_id, parts=select_parts(assignment_id, args.only))
        if args.results:
            write_results(run.results, Path(args.results))
        print(render(run.results, title=f"{run.assignment.title}: {folder}"))
        if run.staff_notes:
            print("\nStaff notes:\n" + "\n".join(f"- {n}" for n in run.staff_notes))
        if args.results:
            print(f"\nresults.json written to {args.results}")
    return 0


def command_check(args: argparse.Namespace) -> int:
    folder = Path(args.directory)
    failing = False
    if args.format_only:  # no reference needed: what the student kit runs (autograder/formatcheck.py)
        from autograder.formatcheck import NO_VERDICT, format_check, render_format_report

        from autograder.sandbox.runner import PORTABLE_NOTE, for_format_check

        if for_format_check() == "portable":
            print(PORTABLE_NOTE + "\n")
        for assignment_id in detect_assignments(folder, args.assignment, fallback=True):
            report = format_check(folder, assignment_id)
            print(render_format_report(report) + "\n")
            failing |= report.failing
        print(NO_VERDICT)
        return 1 if failing else 0
    for assignment_id in detect_assignments(folder, args.assignment, fallback=True):
        run = grade(folder, assignment_id, public_only=True)
        print(render(run.results, title=f"Pre-submission check, {run.assignment.title} (public checks only)", hints=True))
        print()
        print(run.results.output)
        print()
        failing |= any(t.status == "failed" for t in run.results.tests)
    print("Some checks fail: see the hints above." if failing else "All public checks pass. Hidden checks run on Gradescope.")
    return 1 if failing else 0


def command_parts(args: argparse.Namespace) -> int:
    assignments = [args.assignment] if args.assignment else available_assignments()
    rows = []
    for assignment_id in assignments:
        assignment = load_assignment(assignment_id)
        settings = load_settings()
        for part in assignment.parts:
            answer_file = assignment.answer_file(part.file)
            rows.append(
                {
                    "id": part.id,
                    "assignment": assignment.id,
                    "file": answer_file.forms[0],
                    "answer": part.answer,
                    "kind": part.kind,
                    "points": part.points,
                    "visibility": part.effective_visibility(settings),
                    "grading": "manual" if part.manual else "auto",
                    "title": part.title,
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'id':<18} {'file':<24} {'answer':<22} {'kind':<15} {'pts':>4}  {'visibility':<15} grading")
    for row in rows:
        print(
            f"{row['id']:<18} {row['file']:<24} {row['answer']:<22} {row['kind']:<15} {row['points']:>4g}  {row['visibility']:<15} {row['grading']}"
        )
    return 0


def command_gradescope(args: argparse.Namespace) -> int:
    """What run_autograder calls: Gradescope's paths by default, any paths when given."""
    submission = Path(args.submission or GRADESCOPE_SUBMISSION)
    results_path = Path(args.results or GRADESCOPE_RESULTS)
    # Gradescope's metadata file only in Gradescope's layout: a run given its own paths reads only what it is given.
    metadata_path = Path(args.metadata) if args.metadata else (None if args.submission else GRADESCOPE_METADATA)
    metadata = read_metadata(metadata_path) if metadata_path else None
    # The zip's settings.toml names its assignment: a submission without any answer file is still graded (all zero).
    assignment_id = args.assignment or load_settings().assignment or detect_assignments(submission, None, fallback=True)[0]
    run = grade(submission, assignment_id)
    results = run.results
    if metadata is not None and metadata.users:
        who = ", ".join(u.name for u in metadata.users if u.name)
        results = results.model_copy(update={"output": f"Submission by {who}.\n" + results.output})
    write_results(results, results_path)
    print(render(results, title=f"{run.assignment.title}: {submission}"))
    for note in run.staff_notes:
        print(f"staff note: {note}")
    return 0


def command_verify(args: argparse.Namespace) -> int:
    """Exit 0 only if a results.json scores the assignment's full marks (used by setup.sh and the zip build)."""
    results = read_results(Path(args.results))
    expected = load_assignment(args.assignment).max_score
    shortfall = [t for t in results.tests if t.score < t.max_score]
    for test in shortfall:
        print(f"not full marks: {test.name}: {test.score:g}/{test.max_score:g}: {test.output.splitlines()[0] if test.output else ''}")
    if abs(results.score - expected) > 1e-9 or shortfall:
        print(f"score {results.score:g} of {expected:g}")
        return 1
    print(f"full marks: {results.score:g} of {expected:g}")
    return 0


def command_template(args: argparse.Namespace) -> int:
    assignment = load_assignment(args.assignment)
    for answer_file in assignment.files:
        if answer_file.forms[0].endswith(".py"):
            text = render_template(assignment, answer_file.name)
            if args.out:
                Path(args.out).mkdir(parents=True, exist_ok=True)
                (Path(args.out) / answer_file.forms[0]).write_text(text, encoding="utf-8")
                print(f"wrote {Path(args.out) / answer_file.forms[0]}")
            else:
                print(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder",
        description="Autograder for Homework 4 and Discussion 4: grade submissions, check before submitting, list parts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    assignments = assignments_help()
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade_parser = commands.add_parser("grade", help="grade a submission folder with every check, as Gradescope does")
    grade_parser.add_argument("directory", help="folder holding the answer files (hw4.py, disc4.py, notebooks)")
    grade_parser.add_argument("--results", help="also write Gradescope's results.json to this file")
    grade_parser.add_argument("--assignment", help=f"{assignments} (default: found from the files)")
    grade_parser.add_argument("--only", metavar="PREFIXES", help="grade only parts whose id starts with one of these (comma-separated), e.g. hw4.p1")
    grade_parser.set_defaults(handler=command_grade)

    check_parser = commands.add_parser("check", help="student pre-submission check: public checks only, with hints")
    check_parser.add_argument("directory", nargs="?", default=".", help="folder with your answer files (default: here)")
    check_parser.add_argument("--assignment", help=f"{assignments} (default: found from the files)")
    check_parser.add_argument("--format-only", action="store_true", help="only check that every public answer is present and readable (no reference needed)")
    check_parser.set_defaults(handler=command_check)

    parts_parser = commands.add_parser("parts", help="list every gradable part: id, file, answer name, kind, points")
    parts_parser.add_argument("--json", action="store_true", help="machine-readable output")
    parts_parser.add_argument("--assignment", help="only this assignment")
    parts_parser.set_defaults(handler=command_parts)

    gs_parser = commands.add_parser("gradescope", help="Gradescope entry point used by run_autograder")
    gs_parser.add_argument("--submission", help=f"submission folder (default {GRADESCOPE_SUBMISSION})")
    gs_parser.add_argument("--results", help=f"results file (default {GRADESCOPE_RESULTS})")
    gs_parser.add_argument("--metadata", help=f"submission metadata (default {GRADESCOPE_METADATA})")
    gs_parser.add_argument("--assignment", help=f"{assignments} (default: settings.toml, else found from the files)")
    gs_parser.set_defaults(handler=command_gradescope)

    template_parser = commands.add_parser("template", help="print (or write) the starter answer file made from the parts list")
    template_parser.add_argument("--assignment", required=True, help=assignments)
    template_parser.add_argument("--out", help="folder to write the template into")
    template_parser.set_defaults(handler=command_template)

    verify_parser = commands.add_parser("verify", help="exit 0 only if a results.json has full marks (reference self-test)")
    verify_parser.add_argument("results", help="a results.json written by the grader")
    verify_parser.add_argument("--assignment", required=True, help=assignments)
    verify_parser.set_defaults(handler=command_verify)

    from autograder.staff import commands as staff_commands  # batch, diff, build: the course-staff tools

    staff_commands.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the one place where its errors become a message and an exit status.

    A CommandError (a mistake the person can correct) is one line on stderr and exit
    status 2; output piped into a reader that closed early (`| head`) ends quietly with 1.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    # SIGTERM (run_autograder's hard stop, a TA's kill) is handled like Ctrl-C (see autograder.stopping).
    try:
        with stop_signals_raise():
            status = int(args.handler(args))
            sys.stdout.flush()  # here, so that a closed pipe is met inside the try
            return status
    except CommandError as error:
        return report(error, "autograder")
    except BrokenPipeError:
        # The reader has all it wanted: no traceback, and no second error when Python
        # flushes stdout at exit (the pipe's end is swapped for /dev/null).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt as stop:
        print(f"autograder: stopped ({stop or 'interrupted'})", file=sys.stderr)
        return exit_status(stop)
