"""batch --cluster: the same gradings on a Dask scheduler with two workers on this machine.

A few fast examples keep the cost small. The workers are real `dask worker`
processes; one of them is killed (SIGKILL, with everything it started) while it
grades, as a lost machine would be.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.errors import CommandError
from autograder.staff.batch import run_batch
from autograder.staff.examples import example
from autograder.staff.runs import GRADED, RunPaths, load_run
from tests.procs import alive, descendants

from .conftest import EXAMPLE_SETTINGS, EXAMPLES, ROOT
from .local_cluster import LocalCluster, free_port, local_cluster

FAST = ("missing_names", "starter", "syntax_error")


def example_batch(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        shutil.copytree(EXAMPLES / "hw4" / name, folder / name, symlinks=True)
    return folder


def expected_score(name: str) -> float:
    return example("hw4", name).expected_score()


def graded_files(out: Path) -> dict[str, list[tuple[str, float, str]]]:
    """Each submission's tests as (name, score, output): what must not depend on where it was graded."""
    _, graded = load_run(out)
    return {g.key: [(t.name, t.score, t.output) for t in g.results.tests] for g in graded}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with local_cluster(2, tmp_path_factory.mktemp("cluster-logs")) as running:
        yield running


def test_a_cluster_run_grades_as_a_local_run(cluster: LocalCluster, tmp_path: Path) -> None:
    subs = example_batch(tmp_path / "subs", FAST)
    local = run_batch(subs, tmp_path / "local", jobs=2, settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
    progress = io.StringIO()
    remote = run_batch(subs, tmp_path / "remote", cluster=cluster.address, settings_path=EXAMPLE_SETTINGS, stream=progress)
    assert local.counts == remote.counts == {GRADED: len(FAST)}
    assert graded_files(tmp_path / "remote") == graded_files(tmp_path / "local")
    assert "2 at a time on the cluster at" in progress.getvalue()
    metas = {key: json.loads(RunPaths(tmp_path / "remote").meta(key).read_text()) for key in FAST}
    assert all(m["worker"].startswith("tcp://127.0.0.1:") and m["folder"] == str(subs / key) for key, m in metas.items())
    table = list(csv.DictReader(io.StringIO((tmp_path / "remote" / "grades.csv").read_text())))
    assert {row["submission"]: float(row["total"]) for row in table} == {name: expected_score(name) for name in FAST}
    # Resuming works as locally: nothing left to grade, nothing regraded.
    again = run_batch(subs, tmp_path / "remote", cluster=cluster.address, settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
    assert again.skipped == len(FAST) and not again.counts


def test_a_worker_killed_mid_batch_still_ends_in_a_complete_run(cluster: LocalCluster, tmp_path: Path) -> None:
    names = ("infinite_loop", *FAST)  # the loop keeps a sandbox child busy for seconds: time to kill its worker
    subs = example_batch(tmp_path / "subs", names)
    out = tmp_path / "run"
    command = [sys.executable, "-m", "autograder", "batch", str(subs), "--out", str(out), "--cluster", cluster.address, "--settings", str(EXAMPLE_SETTINGS)]
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    family: dict[int, str] = {}
    try:
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline and batch.poll() is None:
            time.sleep(0.2)
            for worker in cluster.workers:
                grading = descendants(worker.pid)
                if any("autograder.sandbox.child" in c for c in grading.values()):
                    victim, family = worker, grading
                    break
        assert victim is not None, "no worker started grading"
        cluster.kill_worker(victim)
        stdout, stderr = batch.communicate(timeout=240)
    finally:
        if batch.poll() is None:
            batch.kill()
        for pid in family:  # student processes the dead worker could not stop (the next claim of their uid sweeps them too)
            if alive(pid):
                os.kill(pid, 9)
    assert batch.returncode == 0, stderr
    finished = re.findall(r"^\[\d+/\d+\] (\S+): (\S+)", stderr, flags=re.MULTILINE)
    assert sorted(key for key, _ in finished) == sorted(names)  # each graded once: none lost, none twice
    _, graded = load_run(out)
    assert {g.key: (g.status, g.results.score) for g in graded} == {name: (GRADED, expected_score(name)) for name in names}
    survivor = next(w for w in cluster.workers if w is not victim)
    assert survivor.poll() is None
    assert "graded now: 4 graded" in stdout


def test_a_wrong_address_stops_before_anything_is_made(tmp_path: Path) -> None:
    subs = example_batch(tmp_path / "subs", FAST[:1])
    out = tmp_path / "run"
    with pytest.raises(CommandError, match="cannot reach a Dask scheduler at tcp://127.0.0.1:"):
        run_batch(subs, out, cluster=f"tcp://127.0.0.1:{free_port()}", settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
    assert not out.exists()
    for typo, said in [("http://127.0.0.1:8787", "not a scheduler address: give tcp://HOST:PORT, not the dashboard's"), ("head-node", "not a scheduler address")]:
        with pytest.raises(CommandError, match=said):
            run_batch(subs, out, cluster=typo, settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
        assert not out.exists()
    with pytest.raises(CommandError, match="--jobs is for grading on this machine"):
        run_batch(subs, out, jobs=2, cluster="tcp://127.0.0.1:1", settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
    assert not out.exists()


def tree(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = f"-> {os.readlink(path)}" if path.is_symlink() else "/" if path.is_dir() else path.read_text()
    return found


def test_a_submission_travels_as_it_lies_links_as_links(tmp_path: Path) -> None:
    from autograder.staff.cluster import pack_submission, unpack_submission

    source = tmp_path / "source"
    (source / "data" / "empty").mkdir(parents=True)
    (source / "hw4.py").write_text('p1a = "2 c d_in d_out^2"\n')
    (source / "data" / "notes.txt").write_text("x" * 5000)
    (source / "secret.py").symlink_to("/etc/shadow")
    (source / "up").symlink_to("..")
    target = tmp_path / "target"
    unpack_submission(pack_submission(source, 2**20), target)
    assert tree(target) == tree(source)
    assert tree(target)["secret.py"] == "-> /etc/shadow" and "up/source" not in tree(target)  # never followed
    with pytest.raises(CommandError, match="more than 0 MB"):
        pack_submission(source, 1000)


class NoWorkers:
    """Stands in for a dask client where only the recording is under test (no task is sent)."""

    def scheduler_info(self, n_workers: int = 5) -> dict[str, dict[str, object]]:
        return {"workers": {}}


def test_a_submission_the_cluster_gave_up_on_is_recorded_once_as_crashed(tmp_path: Path) -> None:
    from autograder.config import load_settings
    from autograder.results import read_results
    from autograder.staff.cluster import ClusterScheduler
    from autograder.staff.export import SubmissionEntry
    from autograder.staff.progress import Progress

    paths = RunPaths(tmp_path / "run")
    paths.make()
    stream = io.StringIO()
    remote = ClusterScheduler(NoWorkers(), paths, "hw4", load_settings(), 60.0, Progress(1, stream))
    entry = SubmissionEntry("lost", tmp_path / "lost")
    remote._record(entry, None, "the cluster could not grade it (KilledWorker: attempted to run task on 4 different workers)")
    remote._record(entry, {"results": "{}", "meta": {"status": GRADED}, "log": ""}, None)  # a late duplicate: ignored
    results = read_results(paths.results("lost"))
    assert results.tests[0].extra_data.role == "failure" and "KilledWorker" in results.tests[0].output
    meta = json.loads(paths.meta("lost").read_text())
    assert meta["status"] == "crashed" and "4 different workers" in meta["detail"]
    assert stream.getvalue().count("lost: crashed") == 1 and remote.counts == {"crashed": 1}
