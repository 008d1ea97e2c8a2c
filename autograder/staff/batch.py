"""Batch runs: grade many submissions in parallel, one isolated worker process each, resumable.

The workers and their time limits are the scheduler's (scheduler.py on this
machine, cluster.py on a Dask cluster); this module finds the submissions, checks
everything that can fail before grading, and writes grades.csv and report.html.

Resuming: a submission is done once its meta/<key>.json exists (written after its
results.json); a second run skips those. Runs never mix: run.json records what
decides the grades (assignment, submissions folder, autograder version and source
hash, the whole settings, the time limit), and a rerun into the folder with any of
them different stops and says what differs; `--fresh` starts the folder over.

With `--cluster ADDRESS` the same gradings run on a Dask cluster (see cluster.py);
this process still writes every file of the run folder.
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from autograder.assignment import available_assignments, load_assignment
from autograder.config import Settings
from autograder.errors import CommandError
from autograder.staff.export import Discovery, SubmissionEntry, discover
from autograder.staff.progress import Progress
from autograder.staff.runs import RunPaths, describe_run, is_done, read_json, run_differences, write_json
from autograder.staff.scheduler import Scheduler
from autograder.staff.settings_file import read_settings

TIMEOUT_MARGIN = 60.0


@dataclass
class BatchSummary:
    out: Path
    assignment: str
    total: int
    skipped: int
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _answer_names(folder: Path, limit: int = 2000) -> set[str]:
    names: set[str] = set()
    for count, path in enumerate(folder.rglob("*")):
        if count >= limit:
            break
        names.add(path.name)
    return names


def choose_assignment(entries: list[SubmissionEntry], requested: str | None, settings: Settings) -> str:
    """--assignment, else the settings' assignment, else the one whose answer files the submissions hold."""
    known = available_assignments()
    if requested:
        if requested not in known:
            raise CommandError(f"unknown assignment {requested!r}; choose from {', '.join(known)}")
        return requested
    if settings.assignment:
        return settings.assignment
    counts: collections.Counter[str] = collections.Counter()
    for entry in entries:
        names = _answer_names(entry.folder)
        for assignment_id in known:
            if any(form in names for f in load_assignment(assignment_id).files for form in f.forms):
                counts[assignment_id] += 1
    if len(counts) == 1:
        return next(iter(counts))
    if not counts:
        raise CommandError("no submission holds an answer file of any assignment; choose one with --assignment")
    found = ", ".join(f"{a} ({n} submissions)" for a, n in counts.most_common())
    raise CommandError(f"the submissions hold answer files of several assignments: {found}; choose one with --assignment")


def _others_may_pass(folder: Path) -> bool:
    """Can other users traverse this folder and every folder above it (the execute bit for others)?"""
    return all(path.stat().st_mode & 0o001 for path in [folder, *folder.parents])


@contextlib.contextmanager
def closed_to_others(folder: Path, progress: Progress) -> Iterator[None]:
    """As root, shut other users out of the submissions folder while student code runs as slot uids.

    Without this, one student's code could read the other submissions where they lie (a TA's
    export is usually world-readable). The folder's mode is restored afterwards.
    """
    mode = folder.stat().st_mode & 0o7777
    if os.geteuid() != 0 or not mode & 0o007 or not _others_may_pass(folder.resolve().parent):
        yield
        return
    os.chmod(folder, mode & ~0o007)
    progress.note(f"note: {folder} is closed to other users while the batch runs (mode {mode:o} is restored after)")
    try:
        yield
    finally:
        os.chmod(folder, mode)


def _check_out_folder(paths: RunPaths) -> None:
    """--out must be new, empty, or a run folder: a typo must not turn a home folder into a run folder."""
    root = paths.root
    if root.exists() and not root.is_dir():
        raise CommandError(f"--out {root} is a file; give a folder for the run")
    ours = {"results", "meta", "logs", "export", paths.csv.name, paths.report.name}
    if root.is_dir() and not paths.run_file.is_file() and any(p.name not in ours for p in root.iterdir()):
        raise CommandError(f"--out {root} is not empty and holds no batch run (no run.json); give a new or empty folder")


def _start_over(paths: RunPaths) -> None:
    """--fresh: forget every result of the folder (a zipped export stays unpacked; it is keyed to the zip)."""
    for sub in ("results", "meta", "logs"):
        shutil.rmtree(paths.root / sub, ignore_errors=True)
    for name in (paths.run_file, paths.csv, paths.report):
        name.unlink(missing_ok=True)


def _check_run_file(paths: RunPaths, description: dict[str, object]) -> None:
    """Stop before grading when the folder holds a run made by other code, settings or submissions."""
    if not paths.run_file.is_file():
        return
    differences = run_differences(read_json(paths.run_file), description)
    if differences:
        raise CommandError(
            f"{paths.root} holds a run that differs from this one in " + "; ".join(differences)
            + ". Its grades would mix with this run's: rerun as before, give another --out, or add --fresh to start this folder over"
        )


def _write_run_file(paths: RunPaths, description: dict[str, object]) -> None:
    write_json(paths.run_file, {**description, "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


def run_batch(
    source: Path,
    out: Path,
    *,
    assignment: str | None = None,
    jobs: int | None = None,
    fresh: bool = False,
    timeout: float | None = None,
    settings_path: Path | None = None,
    cluster: str | None = None,
    stream: TextIO | None = None,
) -> BatchSummary:
    """Grade every submission under `source` into `out`, then write grades.csv and report.html.

    Everything that can fail before grading (settings, submissions, assignment, the run
    folder's past, the cluster) is checked first; a run folder this call made is removed
    again when that fails, so a mistyped command leaves nothing behind.
    """
    if jobs is not None and cluster is not None:
        raise CommandError("--jobs is for grading on this machine; on a cluster, each worker's --nthreads says how many it grades at once")
    jobs = 1 if jobs is None else jobs
    if jobs < 1:
        raise CommandError("--jobs must be at least 1")
    started = time.monotonic()
    settings = read_settings(settings_path)
    if not Path(source).exists():
        raise CommandError(f"{source} does not exist; give a folder of submission folders or a Gradescope export (folder or zip)")
    paths = RunPaths(Path(out))
    _check_out_folder(paths)
    created = not paths.root.exists()
    pool = None
    try:
        paths.make()
        discovery: Discovery = discover(Path(source), paths.root)
        chosen = choose_assignment(discovery.entries, assignment, settings)
        limit = timeout if timeout is not None else settings.deadline_seconds + TIMEOUT_MARGIN
        description = describe_run(chosen, Path(source), settings, limit)
        if not fresh:
            _check_run_file(paths, description)
        if cluster is not None:
            from autograder.staff.cluster import connect

            pool = connect(cluster, chosen)
        if fresh:  # only now: a mistyped --fresh command must not have cost the old results
            _start_over(paths)
            paths.make()
        _write_run_file(paths, description)
    except BaseException:
        if created:
            shutil.rmtree(paths.root, ignore_errors=True)
        if pool is not None:
            pool.close()
        raise
    todo = [e for e in discovery.entries if not is_done(paths, e.key)]
    summary = BatchSummary(paths.root, chosen, len(discovery.entries), len(discovery.entries) - len(todo), notes=list(discovery.notes))
    progress = Progress(len(todo), stream)
    for note in discovery.notes:
        progress.note(f"note: {note}")
    if summary.skipped:
        progress.note(f"resuming: {summary.skipped} of {summary.total} submissions already graded in {paths.root} (--fresh starts over)")
    try:
        if todo and pool is not None:
            from autograder.staff.cluster import ClusterScheduler

            remote = ClusterScheduler(pool, paths, chosen, settings, limit, progress)
            progress.start(remote.jobs, where=f" on the cluster at {cluster}")
            remote.run(todo)
            summary.counts = remote.counts
        elif todo:
            scheduler = Scheduler(paths, chosen, min(jobs, len(todo)), limit, settings_path, progress)
            progress.start(scheduler.jobs)
            with closed_to_others(discovery.root, progress):
                scheduler.run(todo)
            summary.counts = scheduler.counts
    finally:
        if pool is not None:
            pool.close()
    from autograder.staff.grades import write_grades_csv
    from autograder.staff.report import write_report

    write_grades_csv(paths.root)
    write_report(paths.root)
    summary.seconds = time.monotonic() - started
    return summary
