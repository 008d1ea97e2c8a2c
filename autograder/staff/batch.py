"""Batch runs: grade many submissions in parallel, one isolated worker process each, resumable.

Why a process per submission: a worker that crashes, hangs or floods output
must cost only its own row. The scheduler gives each worker a wall-clock budget
(the engine's deadline plus a margin), stops it with SIGTERM then SIGKILL when
it overruns, and writes a last-resort results.json for it (the same writer
`run_autograder` uses), marked `timeout` or `crashed` in the CSV.

Why a fork server: workers are forked from a process that already imported the
engine, numpy, sympy and torch, so a submission costs its grading, not Python's
start-up. Each worker is single-threaded, so `--jobs N` scales on N cores.

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
import multiprocessing
import multiprocessing.connection
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from autograder.assignment import available_assignments, load_assignment
from autograder.config import Settings, load_settings
from autograder.last_resort import write_fallback
from autograder.results import read_results
from autograder.sandbox import pool
from autograder.sandbox.reclaim import UidClaim
from autograder.staff.errors import StaffError
from autograder.staff.export import Discovery, SubmissionEntry, discover
from autograder.staff.progress import Progress
from autograder.staff.runs import (
    CRASHED,
    GRADED,
    TIMEOUT,
    RunPaths,
    describe_run,
    format_score,
    is_done,
    read_json,
    run_differences,
    write_json,
)

TERMINATE_GRACE = 5.0
TIMEOUT_MARGIN = 60.0
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass
class BatchSummary:
    out: Path
    assignment: str
    total: int
    skipped: int
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass
class _Running:
    process: Any
    entry: SubmissionEntry
    slot: int
    started: float
    deadline: float
    terminated_at: float | None = None
    wall_started: float = 0.0


def _settings(settings_path: Path | None) -> Settings:
    if settings_path is None:
        return load_settings()
    import tomllib

    if not settings_path.is_file():
        raise StaffError(f"settings file {settings_path} does not exist")
    with settings_path.open("rb") as handle:
        try:
            return Settings.model_validate(tomllib.load(handle))
        except Exception as error:  # noqa: BLE001 - TOML and validation errors alike
            raise StaffError(f"settings file {settings_path} is invalid: {error}") from None


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
            raise StaffError(f"unknown assignment {requested!r}; choose from {', '.join(known)}")
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
        raise StaffError("no submission holds an answer file of any assignment; choose one with --assignment")
    found = ", ".join(f"{a} ({n} submissions)" for a, n in counts.most_common())
    raise StaffError(f"the submissions hold answer files of several assignments: {found}; choose one with --assignment")


def _context() -> Any:
    """A fork server preloaded with the engine (falls back to spawn where there is none)."""
    for name in THREAD_VARIABLES:  # before numpy/torch are imported in the server
        os.environ[name] = "1"
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - platforms without fork
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(["autograder.staff.worker"])
    return context


class Scheduler:
    """Runs the jobs N at a time, enforcing each worker's wall-clock budget."""

    def __init__(self, paths: RunPaths, assignment: str, jobs: int, timeout: float, settings_path: Path | None, progress: Progress) -> None:
        from autograder.staff.worker import (
            Job,  # imported lazily: it imports the engine and torch
        )

        self.job_type = Job
        self.paths = paths
        self.assignment = assignment
        self.jobs = jobs
        self.timeout = timeout
        self.settings_path = settings_path
        self.progress = progress
        self.context = _context()
        #: As root, a sandbox uid per parallel slot, held for the whole run and lent to each worker of the slot
        #: (see autograder.sandbox.pool): no two students' code, of this run or another, ever share an identity.
        self.claims: list[UidClaim] = []  # taken by run()
        self.counts: collections.Counter[str] = collections.Counter()
        # Each worker stages its submission here, and the folder goes with the worker's row: a worker
        # that ignores SIGTERM until SIGKILL comes (stuck in a call) cannot clean up after itself.
        self.scratch: Path | None = None  # made by run()

    def _scratch_of(self, entry: SubmissionEntry) -> Path:
        assert self.scratch is not None, "only while run() runs"
        return self.scratch / entry.key

    def _start(self, entry: SubmissionEntry, slot: int) -> _Running:
        from autograder.staff.worker import run_job

        results = self.paths.results(entry.key)
        results.unlink(missing_ok=True)  # a stale file must never pass for this run's result
        self.paths.notes(entry.key).unlink(missing_ok=True)
        job = self.job_type(
            key=entry.key,
            folder=str(entry.folder.resolve()),
            assignment=self.assignment,
            results_path=str(results.resolve()),
            notes_path=str(self.paths.notes(entry.key).resolve()),
            log_path=str(self.paths.log(entry.key).resolve()),
            slot_uid=self.claims[slot].identity.uid,
            settings_path=str(self.settings_path.resolve()) if self.settings_path else None,
            scratch=str(self._scratch_of(entry)),
        )
        self._scratch_of(entry).mkdir(mode=0o711)
        process = self.context.Process(target=run_job, args=(job,), name=f"grade-{entry.key}", daemon=False)
        process.start()
        now = time.monotonic()
        return _Running(process, entry, slot, now, now + self.timeout, wall_started=time.time())

    def _finish(self, running: _Running) -> None:
        running.process.join()
        seconds = time.monotonic() - running.started
        self.claims[running.slot].sweep()  # what the worker's children left, even if it was killed
        entry = running.entry
        shutil.rmtree(self._scratch_of(entry), ignore_errors=True)
        results_path = self.paths.results(entry.key)
        code = running.process.exitcode
        detail = ""
        if running.terminated_at is not None:
            status = TIMEOUT
            detail = f"grading took longer than the batch limit of {self.timeout:g} seconds and was stopped"
        elif code == 0 and _valid(results_path):
            status = GRADED
        else:
            status = CRASHED
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            detail = f"the grading worker died ({how}); see logs/{entry.key}.log"
        if status != GRADED:
            write_fallback(str(results_path), f"batch run: {detail}")
        notes = read_json(self.paths.notes(entry.key)) if status == GRADED and self.paths.notes(entry.key).is_file() else {}
        write_json(
            self.paths.meta(entry.key),
            {
                **entry.to_json(),
                "status": status,
                "detail": detail,
                "exit_code": code,
                "seconds": round(seconds, 3),
                "started": round(running.wall_started, 3),
                "finished": round(time.time(), 3),
                "engine_seconds": notes.get("engine_seconds"),
                "staff_notes": notes.get("staff_notes", []),
            },
        )
        self.paths.notes(entry.key).unlink(missing_ok=True)
        self.counts[status] += 1
        if status == GRADED:
            results = read_results(results_path)
            outcome = f"{format_score(results.score)}/{format_score(sum(t.max_score for t in results.tests))}"
        else:
            outcome = status
        self.progress.advance(entry.key, outcome)

    def run(self, entries: list[SubmissionEntry]) -> None:
        queue = collections.deque(entries)
        free = list(range(self.jobs))
        running: dict[int, _Running] = {}
        self.scratch = Path(tempfile.mkdtemp(prefix="ag-batch-"))
        os.chmod(self.scratch, 0o711)  # the sandbox uids pass through to their own workdirs
        try:
            self.claims = pool.claim_slots(self.jobs, _settings(self.settings_path).sandbox)
            while queue or running:
                while queue and free:
                    slot = free.pop(0)
                    running[slot] = self._start(queue.popleft(), slot)
                multiprocessing.connection.wait([r.process.sentinel for r in running.values()], timeout=0.5)
                now = time.monotonic()
                for slot, item in list(running.items()):
                    if item.process.exitcode is not None:
                        del running[slot]
                        self._finish(item)
                        free.append(slot)
                    elif item.terminated_at is None and now > item.deadline:
                        item.terminated_at = now
                        item.process.terminate()
                    elif item.terminated_at is not None and now > item.terminated_at + TERMINATE_GRACE:
                        item.process.kill()
        except BaseException:
            for item in running.values():
                item.process.kill()
                item.process.join()
                self.claims[item.slot].sweep()
            raise
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
            for held in self.claims:
                held.release()
            self.claims = []


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


def _valid(path: Path) -> bool:
    try:
        read_results(path)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not valid
        return False
    return True


def _check_out_folder(paths: RunPaths) -> None:
    """--out must be new, empty, or a run folder: a typo must not turn a home folder into a run folder."""
    root = paths.root
    if root.exists() and not root.is_dir():
        raise StaffError(f"--out {root} is a file; give a folder for the run")
    ours = {"results", "meta", "logs", "export", paths.csv.name, paths.report.name}
    if root.is_dir() and not paths.run_file.is_file() and any(p.name not in ours for p in root.iterdir()):
        raise StaffError(f"--out {root} is not empty and holds no batch run (no run.json); give a new or empty folder")


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
        raise StaffError(
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
        raise StaffError("--jobs is for grading on this machine; on a cluster, each worker's --nthreads says how many it grades at once")
    jobs = 1 if jobs is None else jobs
    if jobs < 1:
        raise StaffError("--jobs must be at least 1")
    started = time.monotonic()
    settings = _settings(settings_path)
    if not Path(source).exists():
        raise StaffError(f"{source} does not exist; give a folder of submission folders or a Gradescope export (folder or zip)")
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
