"""The sandbox: limits, process-group kills, restarts, identity, and what student code cannot reach."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.config import SandboxSettings
from autograder.sandbox import mounts, pool
from autograder.sandbox.session import TOKEN_VARIABLE
from autograder.submission import stage


def test_values_and_calls_cross_as_data(make_session):
    session = make_session(
        """
        import numpy as np
        answer = "2 c d^2"
        def double(x):
            return 2 * np.asarray(x)
        """
    )
    values = session.values(["answer", "double", "absent"])
    assert values["answer"] == "2 c d^2"
    assert values["double"].kind == "function"
    assert "absent" not in values
    outcome = session.call("double", [np.arange(3.0)])
    assert outcome.ok and np.array_equal(outcome.value, [0.0, 2.0, 4.0])


def test_an_infinite_loop_is_killed_and_the_next_call_gets_a_fresh_child(make_session):
    session = make_session(
        """
        def spin():
            while True:
                pass
        def fine():
            return 7
        """
    )
    outcome = session.call("spin", [])
    assert outcome.kind == "timeout" and "no answer within 4 seconds" in outcome.error
    assert session.call("fine", []).value == 7


def test_memory_is_limited_per_call(make_session):
    session = make_session(
        """
        import numpy as np
        def hog():
            return np.ones((40000, 40000)).sum()
        """
    )
    outcome = session.call("hog", [], memory_mb=1024)
    assert not outcome.ok and outcome.kind == "memory"


def test_exits_are_reported_not_fatal(make_session):
    session = make_session(
        """
        import os, sys
        def hard():
            os._exit(3)
        def soft():
            sys.exit(4)
        def fine():
            return 1
        """
    )
    assert "ended the process (exit status 3" in session.call("hard", []).error
    assert "sys.exit(4)" in session.call("soft", []).error
    assert session.call("fine", []).value == 1


def test_exit_at_import_is_a_load_failure(make_session):
    session = make_session("import sys\nx = 1\nsys.exit(0)\n")
    report = session.ensure_loaded()
    assert not report.ok and "sys.exit(0)" in report.error
    assert session.values(["x"]) == {"x": 1}  # names defined before the exit still count


def test_cpu_time_limit_kills_a_busy_child(make_session, fast_sandbox):
    settings = fast_sandbox.model_copy(update={"cpu_seconds": 1, "call_seconds": 30})
    session = make_session("def busy():\n    while True:\n        pass\n", settings)
    outcome = session.call("busy", [])
    assert outcome.kind == "died" and ("SIGXCPU" in outcome.error or "SIGKILL" in outcome.error)


def test_file_size_is_limited(make_session, fast_sandbox):
    settings = fast_sandbox.model_copy(update={"file_size_mb": 1})
    session = make_session(
        """
        def big():
            with open("big.bin", "wb") as handle:
                handle.write(b"x" * (5 * 2**20))
        """,
        settings,
    )
    outcome = session.call("big", [])
    assert not outcome.ok and ("SIGXFSZ" in outcome.error or "File too large" in outcome.error)


def test_process_count_is_limited(make_session, fast_sandbox):
    settings = fast_sandbox.model_copy(update={"processes": 8})
    session = make_session(
        """
        import os, time
        def fork_many():
            children = []
            try:
                for _ in range(200):
                    pid = os.fork()
                    if pid == 0:
                        time.sleep(30)
                        os._exit(0)
                    children.append(pid)
            except OSError as error:
                return ["refused", len(children)]
            return ["allowed", len(children)]
        """,
        settings,
    )
    outcome = session.call("fork_many", [])
    assert outcome.ok and outcome.value[0] == "refused"


def test_output_flood_is_capped(make_session, fast_sandbox):
    session = make_session("import sys\nfor _ in range(200000):\n    print('spam ' * 20)\nx = 1\n")
    assert session.values(["x"]) == {"x": 1}
    session.close()
    assert len(session.output) < fast_sandbox.output_bytes + 200
    assert "more bytes of output not kept" in session.output


def test_detached_processes_are_killed_at_the_end(make_session):
    session = make_session(
        """
        import os, time
        def daemon():
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(60)
                os._exit(0)
            return os.environ["%s"]
        """
        % TOKEN_VARIABLE
    )
    token = session.call("daemon", []).value
    time.sleep(0.3)
    session.close()
    time.sleep(0.3)
    marker = f"{TOKEN_VARIABLE}={token}".encode()
    survivors = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if marker in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                    survivors.append(entry)
            except OSError:
                pass
    assert survivors == []


@pytest.mark.parametrize("private_tmp", [True, False], ids=["mount-namespace", "shared-tmp"])
def test_identity_and_reach_of_student_code(make_session, tmp_path, is_root, private_tmp, monkeypatch):
    if not private_tmp:
        monkeypatch.setattr(mounts, "enter", lambda plan: False)  # as where unshare(2) is refused
    secret_dir = tmp_path / "reference"
    secret_dir.mkdir(mode=0o700)
    (secret_dir / "answers.py").write_text("p1a = 'secret'")
    os.chmod(secret_dir, 0o700)
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o755)
    os.chmod(outside, 0o755)
    session = make_session(
        f"""
        import os
        def probe():
            found = {{"uid": os.getuid()}}
            try:
                found["read"] = open({str(secret_dir / 'answers.py')!r}).read()
            except OSError as error:
                found["read"] = type(error).__name__
            try:
                open({str(outside / 'forged.json')!r}, "w").write("{{}}")
                found["write"] = "written"
            except OSError as error:
                found["write"] = type(error).__name__
            open("mine.txt", "w").write("ok")
            found["scratch"] = "ok"
            return found
        """
    )
    found = session.call("probe", []).value
    assert found["scratch"] == "ok"
    if is_root:
        # As on Gradescope: the child is another user and reaches nothing of ours.
        assert found["uid"] != 0
        # tmp_path is under /tmp: hidden by the child's own /tmp, else refused by permissions.
        refused = "FileNotFoundError" if private_tmp else "PermissionError"
        assert found["read"] == refused
        assert found["write"] == refused
        assert not (outside / "forged.json").exists()
    else:
        # Without root there is no user to switch to: the child runs as us, under the limits.
        assert found["uid"] == os.getuid()
        assert not pool.claim(SandboxSettings()).identity.switches_user


def test_staging_never_follows_symlinks(tmp_path, sandbox_claim):
    secret = tmp_path / "secret.txt"
    secret.write_text("reference answer")
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "hw4.py").symlink_to(secret)
    (folder / "data").mkdir()
    (folder / "data" / "link").symlink_to(tmp_path)
    (folder / "notes.txt").write_text("hi")
    staged = stage(folder, max_total_mb=5, max_files=20, identity=sandbox_claim.identity)
    try:
        assert staged.files == ["notes.txt"]
        assert any(str(s) == "hw4.py: symbolic link (not followed)" for s in staged.skipped)
        assert not (staged.workdir / "hw4.py").exists()
    finally:
        staged.cleanup()


def test_unencodable_strings_from_student_code_arrive_clean(make_session):
    session = make_session(
        """
        p1b_explain = "\\ud800 explained"
        def boom():
            raise ValueError("bad \\ud800")
        """
    )
    assert session.values(["p1b_explain"])["p1b_explain"] == "\ufffd explained"
    outcome = session.call("boom", [])
    assert not outcome.ok and "bad \ufffd" in outcome.error
    outcome.error.encode("utf-8")


def test_the_summary_tells_what_happened_after_a_child_exits_in_a_call(make_session):
    from autograder import feedback
    from autograder.answers import AnswerSheet
    from autograder.submission import StagedSubmission

    session = make_session("import os\np1b_explain = 'because'\ndef p1b_fn(W):\n    os._exit(3)\ndef fine():\n    return 1\n")
    sheet = AnswerSheet("hw4.py", ["p1b_explain"], session, None)
    assert sheet.get("p1b_explain").value == "because"
    assert "ended the process (exit status 3" in session.call("p1b_fn", [1]).error
    assert session.load_report is not None and session.load_report.ok  # it was loaded, and stays so
    assert session.call("fine", []).value == 1
    text = feedback.summary({"hw4": sheet}, StagedSubmission(session.workdir, session.workdir))
    assert "hw4.py: ran without errors" in text
    assert "stopped during a call of p1b_fn: your code ended the process (exit status 3" in text
    assert "started again once" in text
    assert "not run" not in text


def test_a_death_is_seen_even_when_an_escaped_process_holds_the_pipe(make_session):
    # The grandchild keeps the reply pipe open, so its end never comes; the child's exit must still count.
    session = make_session(
        """
        import os, time
        def exit_behind_a_daemon():
            if os.fork() == 0:
                os.setsid()
                time.sleep(30)
                os._exit(0)
            os._exit(5)
        """
    )
    outcome = session.call("exit_behind_a_daemon", [])
    assert outcome.kind == "died" and "ended the process (exit status 5" in outcome.error  # not a timeout
