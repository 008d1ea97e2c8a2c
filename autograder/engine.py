"""The grading engine: one submission in, one validated Results out. All three front ends call `grade`.

Steps: stage the submission's files into scratch; open a lazy child session per
answer file; run the assignment's checks with our pytest plugin; turn every part
of the assignment's data into exactly one test in the results, whatever happened.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from autograder import feedback
from autograder.answer_choice import choose_answer_file
from autograder.answers import AnswerSheet
from autograder.assignment import AnswerFile, Assignment, load_assignment
from autograder.checking import defaults
from autograder.config import Settings, load_settings
from autograder.paths import project_root
from autograder.plugin import GradingPlugin
from autograder.results import Results
from autograder.sandbox import runner as sandbox_runner
from autograder.sandbox.identity import Identity
from autograder.sandbox.session import ChildSession
from autograder.submission import StagedSubmission, stage


@dataclass
class GradingRun:
    """Everything a front end may want besides results.json (student output, staff notes, timings)."""

    results: Results
    assignment: Assignment
    staff_notes: list[str] = field(default_factory=list)
    pytest_log: str = ""
    seconds: float = 0.0


def load_references(assignment: Assignment) -> dict[str, ModuleType]:
    """The reference solution of each answer file written in Python, by file name, imported in the trusted process.

    It is our code, never the student's. A file whose first form is a notebook has no module
    here: its parts are checked by the problem's own checks.
    """
    references = {}
    for answer_file in assignment.files:
        form = answer_file.forms[0]
        if not form.endswith(".py"):
            continue
        path = project_root() / assignment.reference / form
        spec = importlib.util.spec_from_file_location(f"reference_{assignment.id}_{answer_file.name}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load reference solution {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        references[answer_file.name] = module
    return references


def load_reference(assignment: Assignment) -> ModuleType:
    """The reference of the assignment's first Python answer file (the one a notebook part's check reads)."""
    return next(iter(load_references(assignment).values()))


#: Folders under the project root that hold answers (references, checks, examples, history).
PRIVATE_FOLDERS = ("reference", "problems", "submissions_examples", "tests", "bench", ".git")


def lock_private_folders() -> list[str]:
    """Under root, make the folders that hold answers unreadable to the sandbox user; name what changed.

    The child can find the project through the `autograder` package it imports, so
    these folders must be closed by permission, not by obscurity. On Gradescope
    setup.sh has closed them already and nothing changes. In a developer's checkout
    the change is stated on stderr, with the command that undoes it, never made silently.
    Idempotent.
    """
    if os.geteuid() != 0:
        return []
    changed = []
    for name in PRIVATE_FOLDERS:
        path = project_root() / name
        if path.is_dir() and not path.is_symlink() and (mode := stat.S_IMODE(path.stat().st_mode)) & 0o077:
            os.chmod(path, 0o700)
            changed.append(f"{name}/ ({mode:o} -> 700)")
    if changed:
        print(
            f"autograder: grading as root, so student code runs as another user; made {', '.join(changed)} "
            f"in {project_root()} owner-only so that it cannot read the answers there "
            f"(`chmod 755 <folder>` restores a folder once no grading is running).",
            file=sys.stderr,
        )
    return changed


def file_mode(relative: str, notebook_file: bool) -> str:
    if relative.endswith(".ipynb"):
        return "notebook"
    return "cells" if notebook_file else "module"


def _name_key(name: str) -> tuple[str, str]:
    """(letters and digits of the stem, rest after the first dot), lower case: `hw4 (1).py` -> ('hw41', 'py')."""
    stem, _, rest = Path(name).name.lower().partition(".")
    return re.sub(r"[^a-z0-9]", "", stem), rest


def near_misses(answer_file: AnswerFile, files: list[str]) -> list[str]:
    """Submitted files that look like a misnamed answer file (`hw4 (1).py`, `HW4.PY`, `sub/hw4.py` twice)."""
    found = []
    for relative in files:
        stem, rest = _name_key(relative)
        for form in answer_file.forms:
            form_stem, form_rest = _name_key(form)
            if relative != form and stem.startswith(form_stem) and (rest == form_rest or rest.startswith(form_rest + ".")):
                found.append(relative)
                break
    return found


def absent_reason(answer_file: AnswerFile, files: list[str]) -> str:
    """Why a file has no answers, naming what the student probably meant to hand in."""
    label = " or ".join(answer_file.forms)
    reason = f"No {label} found in your submission."
    candidates = near_misses(answer_file, files)
    if candidates:
        _, rest = _name_key(candidates[0])
        name = next((f for f in answer_file.forms if rest.startswith(_name_key(f)[1])), answer_file.forms[0])
        shown = ", ".join(candidates[:3]) + (f" and {len(candidates) - 3} more" if len(candidates) > 3 else "")
        which = "which is" if len(candidates) == 1 else "which are"
        reason += f" Found {shown} instead, {which} not read: name your answer file exactly {name} (one such file) and submit again."
    return reason


def open_sheets(
    assignment: Assignment,
    staged: StagedSubmission,
    settings: Settings,
    deadline: float,
    identity: Identity,
    runner: sandbox_runner.Kind = "posix",
) -> dict[str, AnswerSheet]:
    sheets: dict[str, AnswerSheet] = {}
    for answer_file in assignment.files:
        names = sorted({n for p in assignment.parts if p.file == answer_file.name for n in p.answer_names})
        found, choice = choose_answer_file(staged, answer_file, names)
        label = " or ".join(answer_file.forms)
        if found is None:
            sheets[answer_file.name] = AnswerSheet(label, names, None, absent_reason(answer_file, staged.files))
            continue
        relative, form = found
        notebook_file = answer_file.forms[0].endswith(".ipynb")
        session = ChildSession(staged.workdir, relative, file_mode(relative, notebook_file), settings.sandbox, identity, deadline, runner)
        sheets[answer_file.name] = AnswerSheet(relative, names, session, None, choice=choice)
    return sheets


def run_checks(assignment: Assignment, plugin: GradingPlugin) -> str:
    """Run pytest over the check modules of problems with selected parts, and the default check, in this (trusted) process.

    The default check (checking/defaults.py) grades the selected parts that are data
    alone; the plugin gives it its parts and leaves it the ones no course check claims.
    """
    problems = [pr for pr in assignment.problems if any(p.id in plugin.selected for p in pr.parts)]
    check_files = sorted(str(p) for problem in problems for p in problem.folder.glob("check_*.py"))
    if any(defaults.has_default(p) for p in assignment.parts if p.id in plugin.selected):
        check_files.append(str(Path(defaults.__file__).resolve()))
    if not check_files:
        return "no check modules"
    arguments = [
        *check_files,
        "-c", str(Path(__file__).with_name("pytest_engine.ini")),
        "--rootdir", str(project_root()),
        "--import-mode=importlib",
        "--continue-on-collection-errors",  # one broken check module must not cost the other problems
        "--assert=plain",  # rewritten asserts would print the compared values: the reference among them
        "-p", "no:cacheprovider",
        "-p", "no:pytester",
        "-q",
        "--no-header",
        "-W", "ignore::DeprecationWarning",
    ]
    root = str(project_root())
    if root not in sys.path:
        sys.path.insert(0, root)
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        pytest.main(arguments, plugins=[plugin])
    return log.getvalue()


@contextlib.contextmanager
def opened_submission(
    folder: Path, assignment: Assignment, settings: Settings, deadline: float, runner: sandbox_runner.Kind = "posix"
) -> Iterator[tuple[StagedSubmission, dict[str, AnswerSheet]]]:
    """The staged copy of a submission and a (lazy) answer sheet per answer file, for one grading.

    Student code runs as a sandbox uid this grading holds alone (see `pool`). Afterwards, in
    this order: every child session is closed, the uid is swept of whatever escaped them (see
    reclaim), the staged copy is removed, and the uid is given back. The grader and the
    students' format check share this; only the format check may pass `runner="portable"`
    (see `sandbox.runner`), which runs the children as ourselves, with nothing claimed.
    """
    answer_names = {form for answer_file in assignment.files for form in answer_file.forms}
    with sandbox_runner.claimed(settings.sandbox, runner) as claim:
        staged = stage(
            folder,
            max_total_mb=settings.max_submission_mb,
            max_files=settings.max_submission_files,
            identity=claim.identity,
            answer_names=answer_names,
        )
        try:
            sheets = open_sheets(assignment, staged, settings, deadline, claim.identity, runner)
            try:
                yield staged, sheets
            finally:
                for sheet in sheets.values():
                    if sheet.session is not None:
                        sheet.session.close()
                claim.sweep()
        finally:
            staged.cleanup()


def isolation_notes(sheets: dict[str, AnswerSheet]) -> list[str]:
    """Isolation the sandbox could not give on this machine (said once per grading, for the staff's log)."""
    notes: list[str] = []
    for sheet in sheets.values():
        for gap in sheet.session.isolation_gaps if sheet.session is not None else []:
            if f"sandbox: {gap}" not in notes:
                notes.append(f"sandbox: {gap}")
    return notes


def grade(
    submission_dir: Path,
    assignment_id: str,
    *,
    settings: Settings | None = None,
    public_only: bool = False,
    parts: set[str] | None = None,
) -> GradingRun:
    runner = sandbox_runner.for_grading()  # POSIX, or a one-line refusal: never the kit's portable runner
    settings = settings or load_settings()
    lock_private_folders()
    started = time.monotonic()
    deadline = started + settings.deadline_seconds
    assignment = load_assignment(assignment_id)
    selected = {p.id for p in assignment.parts if not p.manual}
    if public_only:
        selected = {pid for pid in selected if assignment.part(pid).is_public(settings)}
    if parts is not None:
        selected &= parts
    with opened_submission(Path(submission_dir), assignment, settings, deadline, runner) as (staged, sheets):
        plugin = GradingPlugin(assignment, sheets, load_references(assignment), selected, deadline, settings)
        log = run_checks(assignment, plugin)
        if plugin.interrupted:  # stopped from outside: report what was reached, start no new child
            for sheet in sheets.values():
                sheet.stop("grading was stopped before this answer was read")
        results = feedback.assemble(assignment, settings, plugin, sheets, staged, selected, public_only=public_only, part_filter=parts)
    seconds = time.monotonic() - started
    results = results.model_copy(update={"execution_time": round(seconds, 3)}).with_total()
    return GradingRun(results, assignment, feedback.staff_notes(plugin) + isolation_notes(sheets), log, seconds)
