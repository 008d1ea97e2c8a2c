"""A Dask scheduler and workers on this machine, as separate processes (what a TA starts on real machines).

Used by the cluster tests and bench/bench_batch.py. Each process runs in a session of
its own, so a test can kill one worker with everything it started, as a lost machine would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))
START_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalCluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: Path | None = None

    def kill_worker(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL a worker's whole session (nanny, worker, its grading processes): a machine lost mid-task."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout="30s", set_as_default=False) as client:
        client.wait_for_workers(count, timeout=START_SECONDS)


@contextmanager
def local_cluster(workers: int, logs: Path, threads: int = 1) -> Iterator[LocalCluster]:
    """`dask scheduler` and `workers` x `dask worker --nthreads threads` on 127.0.0.1; all stopped afterwards."""
    logs.mkdir(parents=True, exist_ok=True)
    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    quiet = {**os.environ, "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED": "warning"}

    def start(command: list[str], log: str) -> subprocess.Popen[bytes]:
        with (logs / log).open("wb") as handle:
            return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, env=quiet)

    scheduler = start([DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], "scheduler.log")
    cluster = LocalCluster(address, scheduler, logs=logs)
    try:
        for index in range(workers):
            command = [DASK, "worker", address, "--nthreads", str(threads), "--no-dashboard", "--name", f"w{index}", "--death-timeout", "60"]
            command += ["--local-directory", str(logs / f"worker{index}")]  # its scratch goes with the logs, not into /tmp
            cluster.workers.append(start(command, f"worker{index}.log"))
        _wait_for_workers(address, workers)
        yield cluster
    finally:
        for process in [*cluster.workers, scheduler]:
            _stop(process)
