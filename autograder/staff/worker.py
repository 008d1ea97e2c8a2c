"""What one batch worker process does: grade one submission and write its results.json.

Each submission gets its own process, forked from a server that has already
imported the engine and its libraries (so a worker starts in milliseconds, not
seconds). The worker's stdout/stderr go to the submission's log file, so a flood
of output costs disk in one file, not the batch's terminal. Importing this module
warms the server: it imports the engine and, when installed, torch.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from autograder import stopping
from autograder.engine import grade  # noqa: F401  (imported here so the fork server preloads it)
from autograder.results import write_results
from autograder.sandbox.identity import SLOT_UID_VARIABLE
from autograder.staff.runs import write_json

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")

try:  # the checks of the training problems use torch: import it once, in the fork server
    import torch  # noqa: F401
except ImportError:  # pragma: no cover - torch is a dependency, but the worker must not need it
    torch = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Job:
    key: str
    folder: str
    assignment: str
    results_path: str
    notes_path: str
    log_path: str
    slot_uid: int | None = None
    settings_path: str | None = None
    #: Where grading stages the submission: the scheduler removes it after the worker, even a killed one.
    scratch: str | None = None


def single_threaded() -> None:
    """One thread per worker: N parallel workers on N cores must not fight over BLAS/torch pools."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    if torch is not None:
        torch.set_num_threads(1)


def run_job(job: Job) -> None:
    """The worker's target: exits 0 after writing results.json; any other exit means no valid results."""
    log = os.open(job.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    signal.signal(signal.SIGTERM, stopping.raise_stopped)  # the batch timeout: grade() stops and cleans up (see autograder.stopping)
    single_threaded()
    if job.slot_uid is not None:
        os.environ[SLOT_UID_VARIABLE] = str(job.slot_uid)
    if job.settings_path:
        os.environ["AUTOGRADER_SETTINGS"] = job.settings_path
    if job.scratch:
        tempfile.tempdir = job.scratch
    try:
        from autograder.engine import grade

        run = grade(Path(job.folder), job.assignment)
        write_results(run.results, Path(job.results_path))
        write_json(Path(job.notes_path), {"staff_notes": run.staff_notes, "engine_seconds": round(run.seconds, 3)})
        print(run.pytest_log)
    except BaseException:  # noqa: BLE001 - whatever happened, say it in the log and exit non-zero
        traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(3)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
