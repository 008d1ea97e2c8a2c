"""What student code cannot reach as root: another grading's processes, nor any network (the host's loopback included)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.engine import grade
from autograder.sandbox import network
from tests.conftest import ROOT

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: only a root grader runs student code as a sandbox uid in namespaces of its own")

CONNECT = """
import socket

def connect(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as handle:
            return "connected: " + handle.recv(64).decode()
    except OSError as error:
        return type(error).__name__

def own_loopback():
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            peer, _ = server.accept()
            peer.sendall(b"hi")
            reply = client.recv(2).decode()
            peer.close()
            return reply
"""


@pytest.fixture
def host_port() -> Iterator[int]:
    """A port listening on the host's loopback, in this (trusted) process, that greets whoever connects."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                peer, _ = server.accept()
            except OSError:
                continue
            with peer:
                peer.sendall(b"the grader's secret")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    server.close()


@needs_root
def test_student_code_cannot_reach_the_hosts_loopback(make_session, host_port):
    with socket.create_connection(("127.0.0.1", host_port), timeout=5) as handle:  # it does listen, for us
        assert handle.recv(64) == b"the grader's secret"
    session = make_session(CONNECT)
    outcome = session.call("connect", [host_port])
    assert outcome.ok, outcome.error
    assert outcome.value in ("ConnectionRefusedError", "OSError", "TimeoutError"), outcome.value  # nothing of ours answers
    assert session.call("own_loopback", []).value == "hi"  # its own loopback works, for code that talks to itself
    assert session.isolation_gaps == []


@needs_root
def test_where_unshare_is_refused_the_network_stays_and_the_log_says_so(make_session, host_port, tmp_path, fast_settings, dedicated_uid, monkeypatch):
    monkeypatch.setattr(network, "enter", lambda: False)  # as in a container without CAP_SYS_ADMIN
    session = make_session(CONNECT)
    assert session.call("connect", [host_port]).value == "connected: the grader's secret"  # what the namespace prevents
    assert any("no network namespace" in gap for gap in session.isolation_gaps)
    (tmp_path / "hw4.py").write_text((ROOT / "reference" / "hw4" / "hw4.py").read_text())
    run = grade(tmp_path, "hw4", settings=fast_settings, parts={"hw4.p1b_fn"})
    graded = [t for t in run.results.tests if t.extra_data.part == "hw4.p1b_fn"]
    assert graded and graded[0].score == graded[0].max_score > 0  # the grading itself goes on
    assert [note for note in run.staff_notes if note.startswith("sandbox: no network namespace")]


#: Waits until the other grading's child runs, then kills every process it may (kill(-1)) for two seconds
#: and looks for any other process whose folder it can read; says what it found, then lets the other go on.
ATTACKER = """
import os, signal, time
sync = {sync!r}
for _ in range(1200):
    if any(name.startswith("victim-") for name in os.listdir(sync)):
        break
    time.sleep(0.05)
end = time.monotonic() + 2
while time.monotonic() < end:
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    time.sleep(0.01)
readable = 0
for entry in os.listdir("/proc"):
    if entry.isdigit() and int(entry) != os.getpid():
        try:
            os.readlink(f"/proc/{{entry}}/cwd")
            readable += 1
        except OSError:
            pass
with open(f"{{sync}}/attacker-{{os.getuid()}}", "w") as handle:
    handle.write(str(readable))
open(f"{{sync}}/attacked", "w").close()
p1b = "whatever"
"""

#: Put before the reference solution: says it runs (and as whom), then waits until the attack is over.
VICTIM = """
import os as _os, time as _time
_sync = {sync!r}
open(f"{{_sync}}/victim-{{_os.getuid()}}", "w").close()
for _ in range(1200):
    if _os.path.exists(f"{{_sync}}/attacked"):
        break
    _time.sleep(0.05)
"""


@needs_root
def test_two_gradings_at_once_get_their_own_uids_and_a_kill_all_reaches_only_its_own(tmp_path):
    sync = Path(f"/run/ag-test-{uuid.uuid4().hex[:8]}")  # outside the folders a child sees privately
    sync.mkdir(mode=0o1777)
    os.chmod(sync, 0o1777)
    try:
        attacker, victim = tmp_path / "attacker", tmp_path / "victim"
        attacker.mkdir()
        victim.mkdir()
        (attacker / "hw4.py").write_text(ATTACKER.format(sync=str(sync)))
        (victim / "hw4.py").write_text(VICTIM.format(sync=str(sync)) + (ROOT / "reference" / "hw4" / "hw4.py").read_text())
        environment = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SANDBOX_UID"}
        gradings = {
            name: subprocess.Popen(
                [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", "hw4", "--only", "hw4.p1b", "--results", str(tmp_path / f"{name}.json")],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for name, folder in (("victim", victim), ("attacker", attacker))
        }
        logs = {name: process.communicate(timeout=300)[0].decode(errors="replace") for name, process in gradings.items()}
        assert all(process.returncode == 0 for process in gradings.values()), logs
        found = {name.split("-")[0]: name for name in os.listdir(sync)}
        assert set(found) == {"victim", "attacker", "attacked"}, logs
        victim_uid, attacker_uid = int(found["victim"].split("-")[1]), int(found["attacker"].split("-")[1])
        assert victim_uid != attacker_uid and 0 not in (victim_uid, attacker_uid)
        assert (sync / found["attacker"]).read_text() == "0"  # no other process's folder was readable to it
        results = json.loads((tmp_path / "victim.json").read_text())
        scored = [t for t in results["tests"] if t["max_score"] > 0]
        assert scored and all(t["score"] == t["max_score"] for t in scored), logs["victim"]  # its child outlived the attack
    finally:
        shutil.rmtree(sync, ignore_errors=True)
