"""Grading a batch on this machine: one worker process per submission, N at a time, each on a budget.

Why a process per submission: a worker that crashes, hangs or floods output
must cost only its own row. The scheduler gives each worker a wall-clock budget
(the engine's deadline plus a margin), stops it with SIGTERM then SIGKILL when
it overruns, and writes a last-resort results.json for it (the same writer
`run_autograder` uses), marked `timeout` or `crashed`.

Why a fork server: workers are forked from a process that already imported the
engine, numpy, sympy and torch, so a submission costs its grading, not Python's
start-up. Each worker is single-threaded, so `--jobs N` scales on N cores.

Its own module because two callers use it: a local batch (batch.py) and each task
of a cluster batch, which grades its one submission exactly as a local run does
(cluster.py); batch.py in turn hands a `--cluster` run to cluster.py.
"""

from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.connection
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.last_resort import write_fallback
from autograder.results import read_results
from autograder.sandbox import pool
from autograder.sandbox.reclaim import UidClaim
from autograder.staff.export import SubmissionEntry
from autograder.staff.progress import Progress
from autograder.staff.runs import CRASHED, GRADED, TIMEOUT, RunPaths, format_score, read_json, write_json
from autograder.staff.settings_file import read_settings

TERMINATE_GRACE = 5.0
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass
class _Running:
    process: Any
    entry: SubmissionEntry
    slot: int
    started: float
    deadline: float
    terminated_at: float | None = None
    wall_started: float = 0.0


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


def _valid(path: Path) -> bool:
    try:
        read_results(path)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not valid
        return False
    return True


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
            self.claims = pool.claim_slots(self.jobs, read_settings(self.settings_path).sandbox)
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
