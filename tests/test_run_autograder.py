"""run_autograder as Gradescope calls it: always a valid results.json, even when the engine dies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from autograder.results import read_results
from tests.procs import alive, descendants

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "run_autograder"


def run(submission: Path, results: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "AUTOGRADER_SETTINGS": str(ROOT / "submissions_examples" / "settings.toml"), **env}
    return subprocess.run(
        [str(SCRIPT), "--submission", str(submission), "--results", str(results), "--assignment", "hw4"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def test_grades_a_submission_and_writes_results(tmp_path):
    results = tmp_path / "results" / "results.json"
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results)
    assert completed.returncode == 0
    data = read_results(results)
    assert data.score == sum(t.score for t in data.tests) > 0
    assert any(t.extra_data.part == "hw4.p1a" and t.status == "passed" for t in data.tests)
    # Private by default (umask 077): student code runs as another user and must read none of it.
    assert results.stat().st_mode & 0o777 == 0o600
    assert results.parent.stat().st_mode & 0o777 == 0o700


def test_engine_death_still_leaves_a_valid_results_file(tmp_path):
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"score": 1000, "tests": []}))  # a stale or forged file is replaced
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results, AUTOGRADER_ROOT=str(tmp_path / "nowhere"))
    assert completed.returncode == 0
    data = read_results(results)
    assert data.score == 0
    assert "contact the course staff" in data.output
    assert data.tests[0].name == "Autograder error"


def test_hard_time_limit_still_leaves_a_valid_results_file(tmp_path):
    results = tmp_path / "results.json"
    completed = run(ROOT / "submissions_examples" / "hw4" / "full_marks", results, AUTOGRADER_HARD_LIMIT="1")
    assert completed.returncode == 0
    # Either the engine was stopped before it could write (the last resort says so), or it stopped
    # cleanly inside the checks and reported the parts it had not reached.
    outputs = [t.output for t in read_results(results).tests]
    assert "engine exit status 124" in outputs[0] or any("grading was stopped" in o for o in outputs)


def test_sigterm_mid_grading_reports_what_was_reached_and_leaves_nothing_behind(tmp_path):
    """run_autograder's hard stop is a SIGTERM: the engine must stop cleanly, not die with its children and scratch."""
    import signal
    import subprocess
    import sys
    import time

    scratch = Path(tempfile.mkdtemp(prefix="sigterm-test-"))  # the engine's own temp folder: nothing else writes there
    scratch.chmod(0o711)  # as root, the sandbox user passes through to its workdir
    results = tmp_path / "results.json"
    command = [sys.executable, "-m", "autograder", "gradescope", "--submission", str(ROOT / "submissions_examples" / "hw4" / "infinite_loop"), "--results", str(results)]
    env = {**os.environ, "TMPDIR": str(scratch)}
    engine = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _sandbox_children(engine.pid):
            time.sleep(0.2)
        children = _sandbox_children(engine.pid)
        assert children, "the engine never started a sandbox child"
        time.sleep(1.0)  # well inside the endless load of hw4.py
        engine.send_signal(signal.SIGTERM)
        engine.communicate(timeout=60)
    finally:
        if engine.poll() is None:
            engine.kill()
    assert engine.returncode == 0  # stopped cleanly: the results of what was reached were written
    data = read_results(results)
    assert data.tests and all(t.score == 0 for t in data.tests)
    assert "grading was stopped" in next(t.output for t in data.tests if t.extra_data.part == "hw4.p1a")
    assert not [pid for pid in children if alive(pid)]
    try:
        assert list(scratch.glob("ag-*")) == []  # the staged copy went
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _sandbox_children(root: int) -> list[int]:
    return [pid for pid, command in descendants(root).items() if "autograder.sandbox.child" in command]


def test_the_copy_gradescope_makes_finds_its_source_folder(tmp_path):
    """Gradescope copies run_autograder to /autograder and runs it there: the code stays in source/ beside it."""
    root = tmp_path / "autograder"
    root.mkdir()
    (root / "source").symlink_to(ROOT)
    shutil.copy2(SCRIPT, root / "run_autograder")
    results = tmp_path / "results.json"
    environment = {**os.environ, "AUTOGRADER_SETTINGS": str(ROOT / "submissions_examples" / "settings.toml")}
    completed = subprocess.run(
        ["./run_autograder", "--submission", str(ROOT / "submissions_examples" / "hw4" / "mistake_missing_factor_2"), "--results", str(results)],
        cwd=root, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    expected = json.loads((ROOT / "submissions_examples" / "hw4" / "expected" / "mistake_missing_factor_2.json").read_text())
    assert read_results(results).score == expected["score"]


def test_no_python_at_all_still_leaves_a_valid_results_file(tmp_path):
    """Neither the venv nor any python3 runs: the script writes the fallback in plain shell."""
    root = tmp_path / "autograder"
    (root / "source" / "autograder").mkdir(parents=True)
    (root / "source" / "autograder" / "__init__.py").write_text("")
    shutil.copy2(SCRIPT, root / "run_autograder")
    tools = tmp_path / "bin"  # the shell's own tools, but no python
    tools.mkdir()
    for tool in ("bash", "dirname", "mkdir", "mktemp", "cat", "chmod", "mv", "rm", "id", "timeout", "grep"):
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    results = tmp_path / "out" / "results.json"
    completed = subprocess.run(
        ["./run_autograder", "--submission", str(tmp_path), "--results", str(results)],
        cwd=root, env={"PATH": str(tools)}, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    data = read_results(results)
    assert data.score == 0 and data.tests[0].name == "Autograder error"
    assert "engine exit status 127" in data.tests[0].output
    assert results.stat().st_mode & 0o777 == 0o600
