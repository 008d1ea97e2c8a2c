"""What student code leaves behind: escaped processes and files in shared folders, and the private /tmp that avoids them."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from autograder.sandbox import mounts, pool, reclaim
from autograder.sandbox.identity import Identity
from tests.procs import alive, processes_of, wait_gone

#: Forks, setsid()s, forks again and execs a shell with an empty environment: no process group, no token.
ESCAPE = """
import os, time
def escape():
    read, write = os.pipe()
    if os.fork() == 0:
        os.setsid()
        pid = os.fork()
        if pid == 0:
            os.execve("/bin/sh", ["sh", "-c", "sleep 120"], {})
        os.write(write, str(pid).encode())
        os._exit(0)
    os.close(write)
    pid = int(os.read(read, 100))
    for _ in range(500):  # until the exec is done: before it, the process still carries our token
        try:
            if open(f"/proc/{pid}/cmdline", "rb").read().startswith(b"sh"):
                break
        except OSError:
            pass
        time.sleep(0.01)
    return pid
"""


def test_an_escaped_process_dies_when_its_grading_ends(make_session, sandbox_claim, is_root):
    session = make_session(ESCAPE)
    pid = session.call("escape", []).value
    session.close()
    assert alive(pid)  # not in the process group, no token in its environment: closing the session misses it
    if is_root:
        assert sandbox_claim.sweep()  # what the grading does when it ends, under its claim
        assert wait_gone(pid)
    else:
        # Without root the child is us: sweeping "our uid" would kill the grader, so nothing is swept.
        assert not sandbox_claim.sweep()
        assert alive(pid)
        os.kill(pid, 9)


def test_a_uid_serves_one_grading_at_a_time(sandbox_claim, fast_sandbox, is_root):
    if not is_root:
        assert sandbox_claim.identity.uid is None  # the child runs as us: there is no uid to share
        return
    assert reclaim.try_claim(sandbox_claim.identity) is None  # held: no one else gets it
    other = pool.claim_free(fast_sandbox)
    try:
        assert other.identity.uid not in (None, sandbox_claim.identity.uid)
        assert other.identity.dedicated
    finally:
        other.release()


def test_a_uid_left_by_a_killed_grading_is_swept_before_it_runs_anyone_else(make_session, sandbox_claim, is_root):
    if not is_root:
        assert not reclaim.applies_to(sandbox_claim.identity)
        return
    session = make_session(ESCAPE)
    pid = session.call("escape", []).value
    session.close()
    sandbox_claim.release()  # as if the grading had been killed outright: no sweep, the lock just goes
    assert not sandbox_claim.sweep()  # given back: its holder may no longer sweep (someone else may have the uid)
    assert alive(pid)
    again = reclaim.try_claim(sandbox_claim.identity)
    assert again is not None
    try:
        assert wait_gone(pid)  # the next holder kills what the last one left before using the uid
    finally:
        again.release()


def test_the_sweep_never_targets_root_the_grader_or_a_shared_user():
    assert not reclaim.applies_to(Identity(None, None, "me"))
    assert not reclaim.applies_to(Identity(0, 0, "root", dedicated=True))
    assert not reclaim.applies_to(Identity(os.getuid(), os.getgid(), "me", dedicated=True))
    assert not reclaim.applies_to(Identity(65534, 65534, "nobody", dedicated=False))
    if os.geteuid() == 0:
        assert reclaim.applies_to(Identity(62999, 62999, "uid 62999", dedicated=True))


WRITER = """
import os
def write(names):
    written = []
    for name in names:
        with open(name, "w") as handle:
            handle.write("x" * 1000)
        written.append(open(name).read() == "x" * 1000)
    os.makedirs("/var/tmp/{tag}-dir/sub", exist_ok=True)
    open("/var/tmp/{tag}-dir/sub/file", "w").write("x")
    return written
"""


def test_the_child_has_its_own_tmp_and_still_writes_its_scratch(make_session, is_root):
    tag = f"ag-test-{uuid.uuid4().hex[:8]}"
    shared = [f"/tmp/{tag}", f"/var/tmp/{tag}", f"/dev/shm/{tag}"]
    session = make_session(WRITER.format(tag=tag))
    try:
        outcome = session.call("write", [[*shared, "mine.txt"]])
        assert outcome.ok and outcome.value == [True] * 4, outcome.error
        assert (session.workdir / "mine.txt").exists()
        if is_root:
            # Under root the child's /tmp, /var/tmp and /dev/shm are its scratch folder: nothing reaches the real ones.
            assert [p for p in [*shared, f"/var/tmp/{tag}-dir"] if os.path.lexists(p)] == []
            assert (session.workdir / ".tmp" / tag).exists()
        else:
            assert mounts.plan(session.workdir, session.workdir / ".tmp") is None
    finally:
        session.close()
        for path in [*shared, f"/var/tmp/{tag}-dir"]:
            if not is_root and os.path.lexists(path):
                os.system(f"rm -rf {path}")


def test_without_a_mount_namespace_the_leftovers_are_deleted_after_grading(make_session, sandbox_claim, is_root, monkeypatch):
    monkeypatch.setattr(mounts, "enter", lambda plan: False)  # as in a container that refuses unshare(2)
    tag = f"ag-test-{uuid.uuid4().hex[:8]}"
    shared = [f"/tmp/{tag}", f"/dev/shm/{tag}"]
    ours = Path(f"/tmp/{tag}-grader")
    ours.write_text("the grader's own file")
    try:
        session = make_session(WRITER.format(tag=tag))
        assert session.call("write", [shared]).ok
        assert all(os.path.exists(p) for p in shared)  # they really went to the shared folders
        session.close()
        sandbox_claim.sweep()  # the end of the grading
        if is_root:
            assert [p for p in [*shared, f"/var/tmp/{tag}-dir"] if os.path.lexists(p)] == []
            assert ours.read_text() == "the grader's own file"  # only the sandbox uid's files go
        else:
            assert not reclaim.applies_to(session.identity)
            assert all(os.path.exists(p) for p in shared)  # never our own files
    finally:
        ours.unlink()
        for path in [*shared, f"/var/tmp/{tag}-dir"]:
            if os.path.lexists(path):
                os.system(f"rm -rf {path}")


def test_a_scratch_replaced_by_a_link_is_never_followed(make_session, tmp_path, is_root):
    precious = tmp_path / "precious"
    precious.mkdir(mode=0o700)
    os.chmod(precious, 0o700)
    session = make_session(
        f"""
        import os, shutil
        def swap():
            shutil.rmtree(".tmp")
            os.symlink({str(precious)!r}, ".tmp")
            os._exit(0)
        def fine():
            return 1
        """
    )
    session.call("swap", [])
    assert session.call("fine", []).value == 1  # a fresh child, with a fresh scratch
    info = precious.stat()
    assert (info.st_uid, info.st_mode & 0o777) == (os.getuid(), 0o700)  # root chowned nothing through the link
    assert not (session.workdir / ".tmp").is_symlink()


FORK_LOOP = """
import os, time
def loop():
    if os.fork() == 0:
        os.setsid()
        os.environ.clear()
        while True:  # forks as fast as the process limit allows
            try:
                if os.fork() == 0:
                    time.sleep(0.05)
            except OSError:
                time.sleep(0.01)
    time.sleep(1)
    return 1
"""


def test_an_escaped_fork_loop_is_killed_and_reaped(make_session, fast_sandbox, sandbox_claim, is_root):
    if not is_root:  # as ourselves nothing would stop it: that is why only a dedicated uid is swept
        assert not reclaim.applies_to(sandbox_claim.identity)
        return
    settings = fast_sandbox.model_copy(update={"processes": 16})
    session = make_session(FORK_LOOP, settings)
    assert session.call("loop", []).value == 1
    session.close()
    assert sandbox_claim.sweep()
    # None alive, and none left as a zombie counting against the uid's process limit.
    assert processes_of(sandbox_claim.identity.uid, zombies=True) == []


def test_folders_the_interpreter_needs_stay_visible_under_the_private_tmp(tmp_path, is_root):
    """The zip proof and the student kit run the grader from /tmp: the child must still find its Python and packages."""
    workdir = tmp_path / "work"
    scratch = workdir / ".tmp"
    scratch.mkdir(parents=True)
    venv, package, inner = tmp_path / "venv", tmp_path / "kit", tmp_path / "kit" / "autograder"
    inner.mkdir(parents=True)
    venv.mkdir()
    plan = mounts.plan(workdir, scratch, keep=[venv, package, inner, Path("/usr/lib")])
    if not is_root:
        assert plan is None  # no namespace without root: nothing is hidden, nothing to keep
        return
    tmp = os.path.realpath("/tmp")
    assert tmp_path.resolve().is_relative_to(tmp)
    targets = [target for _, target in plan.binds]
    assert targets.count(tmp) == 1
    kept = {Path(source) for source, target in plan.binds if target != tmp and Path(target).is_relative_to(tmp)}
    assert kept == {workdir.resolve(), venv.resolve(), package.resolve()}  # the inner folder comes with its parent
    assert all(source == target for source, target in plan.binds if Path(source) in kept)  # bound back at their own paths
    assert targets.index(tmp) < min(targets.index(str(k)) for k in kept)  # after the private /tmp, not hidden by it


def test_a_private_folder_on_the_interpreters_path_is_not_kept_whole(tmp_path, is_root):
    """A grader started by a script in /tmp has /tmp on sys.path: the workdir must still be bound back, /tmp stay private."""
    workdir = tmp_path / "work"
    scratch = workdir / ".tmp"
    scratch.mkdir(parents=True)
    plan = mounts.plan(workdir, scratch, keep=[Path("/tmp"), Path("/"), tmp_path / "venv"])
    if not is_root:
        assert plan is None
        return
    tmp = os.path.realpath("/tmp")
    sources = {Path(source) for source, target in plan.binds if source == target}
    assert workdir.resolve() in sources  # bound back at its own path, so the child can enter it
    assert (str(scratch.resolve()), tmp) in plan.binds  # and /tmp is the private scratch, not the shared one
    assert Path(tmp) not in sources and Path("/") not in sources


def test_batch_slots_and_a_grading_beside_them_never_share_a_uid(fast_sandbox, is_root, monkeypatch):
    slots = pool.claim_slots(3, fast_sandbox)
    try:
        if not is_root:
            assert [c.identity.uid for c in slots] == [None] * 3  # every slot runs student code as us
            return
        monkeypatch.delenv("AUTOGRADER_SANDBOX_UID", raising=False)
        with pool.claimed(fast_sandbox) as grading:  # a regrade started beside the batch run
            uids = [c.identity.uid for c in slots] + [grading.identity.uid]
            assert len(set(uids)) == 4 and all(reclaim.applies_to(c.identity) for c in [*slots, grading])
        monkeypatch.setenv("AUTOGRADER_SANDBOX_UID", str(slots[1].identity.uid))  # what a slot's worker is told
        lent = pool.claim(fast_sandbox)
        assert lent.identity.uid == slots[1].identity.uid  # the worker's grading uses the slot's uid as it is
    finally:
        for held in slots:
            held.release()
