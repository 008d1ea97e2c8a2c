"""Batch gradings on a Dask distributed cluster (`autograder batch ... --cluster ADDRESS`).

Dask schedules; we do not. Each task grades one submission on a worker exactly as a
local `--jobs` run does (the same Scheduler: a process per submission, its time
limit, the sandbox, a slot uid as root) and returns its results as plain data.
Only this process, the TA's, writes into the run folder, one submission at a time
and atomically (results, then the log, then meta/<key>.json, which marks it done):
a task that dask runs again because its worker was lost writes once, and a
submission whose task failed for good still gets a results.json that says so.

Submission files travel with the task, as a zip in memory: no shared filesystem is
needed, and the worker unpacks them into a private temporary folder. Symbolic links
travel as links, so a worker's grading skips them exactly as a local one does.

Worker loss: the scheduler reruns a lost worker's tasks elsewhere, up to its
`distributed.scheduler.allowed-failures` (default 3), after which the submission is
recorded as crashed; an error inside a task is retried `RETRIES` times.
"""

from __future__ import annotations

import collections
import io
import multiprocessing
import os
import socket
import stat
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from autograder import __version__
from autograder.assignment import available_assignments
from autograder.config import Settings
from autograder.errors import CommandError
from autograder.last_resort import write_atomically, write_fallback
from autograder.paths import project_root
from autograder.results import Results
from autograder.staff import toml_writer
from autograder.staff.export import SubmissionEntry
from autograder.staff.progress import Progress
from autograder.staff.runs import CRASHED, GRADED, RunPaths, format_score, read_json, source_hash, write_json
from autograder.staff.scheduler import Scheduler

CONNECT_SECONDS = 10
WORKER_WAIT_SECONDS = 30.0
#: Reruns of a task that raised (a worker's disk full, say); worker loss is the scheduler's allowed-failures.
RETRIES = 2
#: A packed submission larger than this is not sent (the sandbox would not stage that much anyway).
MAX_PACKED_MB_PER_SETTING_MB = 2
#: The tail of a worker's log that comes back (the whole log stays on no machine).
LOG_TAIL_BYTES = 1_000_000


@dataclass(frozen=True)
class RemoteJob:
    """What a worker needs to grade one submission, all as plain data."""

    key: str
    archive: bytes
    assignment: str
    settings_toml: str
    timeout: float
    source_hash: str


def worker_identity() -> dict[str, Any]:
    """What a worker grades with: compared with this machine's before a run starts."""
    return {
        "version": __version__,
        "source_hash": source_hash(),
        "assignments": available_assignments(),
        "root": str(project_root()),
        "host": socket.gethostname(),
    }


def _mismatch(mine: dict[str, Any], theirs: dict[str, Any], assignment: str) -> str | None:
    if theirs.get("source_hash") != mine["source_hash"]:
        return f"other autograder code (version {theirs.get('version')}, in {theirs.get('root')} on {theirs.get('host')}; or it was started before the code changed)"
    if assignment not in theirs.get("assignments", []):
        return f"no assignment {assignment!r}"
    return None


def pack_submission(folder: Path, limit_bytes: int) -> bytes:
    """The submission folder as a zip in memory: folders, regular files, and symbolic links as links."""
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for current, folders, files in os.walk(folder):
            folders.sort()
            here = Path(current)
            for name in sorted(files) + [d for d in folders if (here / d).is_symlink()]:
                path = here / name
                relative = path.relative_to(folder).as_posix()
                info = zipfile.ZipInfo(relative)
                info.create_system = 3
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                    archive.writestr(info, os.readlink(path))
                elif stat.S_ISREG(mode):
                    total += os.lstat(path).st_size
                    if total > limit_bytes:
                        raise CommandError(f"the submission holds more than {limit_bytes // 2**20} MB; too large to send to the cluster")
                    info.external_attr = (stat.S_IFREG | 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
            folders[:] = [d for d in folders if not (here / d).is_symlink()]
            for name in folders:
                info = zipfile.ZipInfo((here / name).relative_to(folder).as_posix() + "/")
                info.external_attr = (stat.S_IFDIR | 0o755) << 16
                archive.writestr(info, b"")
    return buffer.getvalue()


def unpack_submission(data: bytes, target: Path) -> None:
    """Undo pack_submission into `target` (our own zip, but names are still checked)."""
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            relative = PurePosixPath(entry.filename)
            if relative.is_absolute() or ".." in relative.parts:
                continue
            destination = target.joinpath(*relative.parts)
            mode = entry.external_attr >> 16
            if entry.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(archive.read(entry).decode(), destination)
            else:
                destination.write_bytes(archive.read(entry))


def grade_remotely(job: RemoteJob) -> dict[str, Any]:
    """The task a worker runs: grade one submission as a local batch would, return its files' contents."""
    if job.source_hash != source_hash():
        raise RuntimeError(f"worker {socket.gethostname()} runs other autograder code than the batch; install the same version there")
    # Dask's nanny starts its worker as a daemon process, and multiprocessing lets no daemon have
    # children; the Scheduler needs one per submission and stops them itself whatever happens.
    multiprocessing.current_process().daemon = False
    with tempfile.TemporaryDirectory(prefix="ag-remote-") as scratch:
        folder = Path(scratch) / "submission"
        unpack_submission(job.archive, folder)
        settings = Path(scratch) / "settings.toml"
        settings.write_text(job.settings_toml, encoding="utf-8")
        paths = RunPaths(Path(scratch) / "run")
        paths.make()
        scheduler = Scheduler(paths, job.assignment, 1, job.timeout, settings, Progress(1, io.StringIO()))
        scheduler.run([SubmissionEntry(job.key, folder)])
        with paths.log(job.key).open("rb") as handle:
            handle.seek(max(0, handle.seek(0, io.SEEK_END) - LOG_TAIL_BYTES))
            log = handle.read().decode("utf-8", errors="replace")
        return {
            "results": paths.results(job.key).read_text(encoding="utf-8"),
            "meta": read_json(paths.meta(job.key)),
            "log": log,
            "worker": _worker_address(),
        }


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return socket.gethostname()


def _unreachable(address: str, why: object) -> CommandError:
    return CommandError(
        f"cannot reach a Dask scheduler at {address} ({why}); start one with `dask scheduler` "
        "and give the address it prints, like tcp://HOST:8786 (README: Grading on a cluster)"
    )


def scheduler_address(address: str) -> str:
    """`address` as dask spells it (tcp:// added), once something listens there: a quick, clear no before any client."""
    scheme, _, rest = address.rpartition("://")
    scheme = scheme or "tcp"
    host, colon, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls") or not colon or not host or not port.isdigit():
        dashboard = ", not the dashboard's web address" if scheme.startswith("http") else ""
        raise _unreachable(address, f"not a scheduler address: give tcp://HOST:PORT{dashboard}")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise _unreachable(address, error.strerror or error) from None
    return f"{scheme}://{rest}"


def connect(address: str, assignment: str) -> Any:
    """A client of the scheduler at `address`, once at least one worker is there and every worker grades as we do."""
    try:
        from distributed import Client
    except ImportError:
        raise CommandError("--cluster needs the distributed package (./setup.sh installs it)") from None
    target = scheduler_address(address)
    try:
        client = Client(target, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except Exception as error:  # noqa: BLE001 - whatever answers there is not a scheduler we can use
        raise _unreachable(address, f"{type(error).__name__}: {error}"[:300]) from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise CommandError(f"the scheduler at {address} has no worker after {WORKER_WAIT_SECONDS:g} s; start some with `dask worker {address} --nthreads 1`") from None
        mine = worker_identity()
        theirs = client.run(worker_identity)
        wrong = [f"{worker} has {why}" for worker, identity in sorted(theirs.items()) if (why := _mismatch(mine, identity, assignment))]
        if wrong:
            raise CommandError(
                "some workers would not grade as this machine does: " + "; ".join(wrong)
                + ". Install this autograder on them as setup.sh does, restart them, and run the batch again"
            )
    except BaseException:
        client.close()
        raise
    return client


class ClusterScheduler:
    """Sends one task per submission to the cluster and records each result once, as it arrives."""

    def __init__(self, client: Any, paths: RunPaths, assignment: str, settings: Settings, timeout: float, progress: Progress) -> None:
        self.client = client
        self.paths = paths
        self.assignment = assignment
        self.settings_toml = toml_writer.dumps(settings.model_dump(mode="json", exclude_none=True))
        self.size_limit = settings.max_submission_mb * MAX_PACKED_MB_PER_SETTING_MB * 2**20
        self.timeout = timeout
        self.progress = progress
        self.counts: collections.Counter[str] = collections.Counter()
        self.recorded: set[str] = set()
        self.hash = source_hash()
        workers = client.scheduler_info(n_workers=-1)["workers"]
        self.jobs = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def run(self, entries: list[SubmissionEntry]) -> None:
        from distributed import as_completed

        waiting = collections.deque(entries)
        batch = uuid.uuid4().hex[:8]
        running: dict[str, SubmissionEntry] = {}
        completed = as_completed(loop=self.client.loop)
        # Two tasks per worker thread in flight: workers never wait, and the client holds few zips.
        in_flight = 2 * self.jobs

        def submit_more() -> None:
            while waiting and len(running) < in_flight:
                entry = waiting.popleft()
                try:
                    job = RemoteJob(entry.key, pack_submission(entry.folder, self.size_limit), self.assignment, self.settings_toml, self.timeout, self.hash)
                except (OSError, CommandError) as error:
                    self._record(entry, None, f"could not be sent to the cluster: {error}")
                    continue
                future = self.client.submit(grade_remotely, job, key=f"grade-{entry.key}-{batch}", retries=RETRIES, pure=False)
                running[future.key] = entry
                completed.add(future)

        try:
            submit_more()
            for future in completed:
                entry = running.pop(future.key)
                try:
                    outcome, problem = future.result(), None
                except Exception as error:  # noqa: BLE001 - a lost worker (KilledWorker), a task that raised
                    outcome, problem = None, f"the cluster could not grade it ({type(error).__name__}: {error})"
                future.release()
                self._record(entry, outcome, problem)
                submit_more()
        except BaseException:
            self.client.cancel(list(completed.futures))
            raise

    def _record(self, entry: SubmissionEntry, outcome: dict[str, Any] | None, problem: str | None) -> None:
        """Write one submission's files into the run folder, once, meta last (it marks the submission done)."""
        if entry.key in self.recorded:
            return
        self.recorded.add(entry.key)
        results_path = self.paths.results(entry.key)
        if outcome is not None:
            try:
                results = Results.model_validate_json(outcome["results"])
            except (KeyError, ValidationError) as error:
                outcome, problem = None, f"the worker sent results that do not validate ({error})"
        if outcome is None:
            write_fallback(str(results_path), f"batch run: {problem}")
            meta = {**entry.to_json(), "status": CRASHED, "detail": str(problem), "exit_code": None, "seconds": 0.0, "engine_seconds": None, "staff_notes": []}
            label = CRASHED
        else:
            write_atomically(str(results_path), outcome["results"])
            self.paths.log(entry.key).write_text(outcome.get("log", ""), encoding="utf-8")
            meta = {**outcome["meta"], **entry.to_json(), "worker": outcome.get("worker", "")}
            status = meta.get("status", GRADED)
            label = f"{format_score(results.score)}/{format_score(sum(t.max_score for t in results.tests))}" if status == GRADED else status
        write_json(self.paths.meta(entry.key), meta)
        self.counts[meta["status"]] += 1
        self.progress.advance(entry.key, label)
