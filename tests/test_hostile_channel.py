"""Bytes a submission writes to its child's channel, or a child that ends itself, cost only that file's parts.

Student code runs in the child, so it can write anything to the pipe the child
answers on (its number is in the child's own argv). The grader reads each line
in one place; whatever breaks the parser there stops that child with a message
that says so, and the other answer files are still graded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from autograder.engine import grade
from tests.conftest import EXAMPLES

FULL_MARKS = EXAMPLES / "hw4" / "full_marks"
PY_EXPORT = EXAMPLES / "hw4" / "notebook_py_export"
#: What breaks json.loads today: RecursionError, not ValueError.
HOSTILE_WRITE = 'import os, sys\nos.write(int(sys.argv[2]), b"[" * 300000 + b"\\n")\n'
PARTS = {"hw4.p1a", "hw4.p1b_fn", "hw4.p2b", "hw4.p5a", "hw4.p5b"}


def graded(folder: Path, settings, parts: set[str] = PARTS) -> tuple[dict[str, dict], str]:
    run = grade(folder, "hw4", settings=settings, parts=parts)
    data = json.loads(run.results.to_json())
    return {t["extra_data"].get("part"): t for t in data["tests"]}, data["output"]


def test_a_hostile_line_at_import_costs_only_that_file(tmp_path, fast_settings):
    shutil.copy(FULL_MARKS / "HandDesignFilters.ipynb", tmp_path)
    (tmp_path / "hw4.py").write_text(HOSTILE_WRITE + (FULL_MARKS / "hw4.py").read_text())
    tests, output = graded(tmp_path, fast_settings)
    for part in ("hw4.p1a", "hw4.p1b_fn", "hw4.p2b"):
        assert tests[part]["score"] == 0
        assert "sent the grader a message it cannot read (nested more than 100 levels deep)" in tests[part]["output"]
    assert tests["hw4.p5a"]["status"] == "passed" and tests["hw4.p5b"]["status"] == "passed"
    assert "HandDesignFilters.ipynb: ran without errors" in output


def test_a_hostile_line_in_a_call_costs_only_that_part(tmp_path, fast_settings):
    source = (FULL_MARKS / "hw4.py").read_text() + "\n\ndef p1b_fn(W):\n    " + HOSTILE_WRITE.replace("\n", "\n    ") + "return W\n"
    (tmp_path / "hw4.py").write_text(source)
    tests, output = graded(tmp_path, fast_settings, {"hw4.p1a", "hw4.p1b_fn", "hw4.p2b"})
    assert tests["hw4.p1b_fn"]["score"] == 0 and "message it cannot read" in tests["hw4.p1b_fn"]["output"]
    assert tests["hw4.p1a"]["status"] == "passed" and tests["hw4.p2b"]["status"] == "passed"
    assert "stopped during a call of p1b_fn: the process sent the grader a message it cannot read" in output


def test_a_hostile_notebook_cell_is_skipped_and_every_other_check_runs(tmp_path, fast_settings):
    shutil.copy(FULL_MARKS / "hw4.py", tmp_path)
    export = (PY_EXPORT / "HandDesignFilters.py").read_text()
    (tmp_path / "HandDesignFilters.py").write_text("# %%\n# autograder: setup\n" + HOSTILE_WRITE + "\n" + export)
    tests, output = graded(tmp_path, fast_settings)
    assert all(t["status"] == "passed" for t in tests.values()), {k: t["output"] for k, t in tests.items()}
    assert "cell 1" in output and "message it cannot read" in output
    assert "Not run" not in json.dumps(tests)


def test_a_child_that_ends_itself_at_once_is_the_code_not_an_internal_error(tmp_path, fast_settings):
    shutil.copy(FULL_MARKS / "HandDesignFilters.ipynb", tmp_path)
    (tmp_path / "hw4.py").write_text("import os\nos._exit(0)\n")
    tests, _ = graded(tmp_path, fast_settings)
    for part in ("hw4.p1a", "hw4.p1b_fn", "hw4.p2b"):
        assert "your code ended the process (exit status 0" in tests[part]["output"]
        assert "internal error" not in tests[part]["output"]
    assert tests["hw4.p5a"]["status"] == "passed"


def test_a_child_gone_before_it_reads_its_load_request_is_a_death_not_an_exception(make_session, monkeypatch):
    from autograder.sandbox.session import ChildSession

    start = ChildSession._start

    def start_then_die(self):  # as when a process left behind kills every new child of the sandbox user at once
        start(self)
        self.process.kill()
        self.process.wait()

    monkeypatch.setattr(ChildSession, "_start", start_then_die)
    session = make_session("p1a = 1\n")
    report = session.ensure_loaded()
    assert not report.ok and "running hw4.py failed: the process was killed by SIGKILL" in report.error
    assert session.call("p1b_fn", []).kind == "load"
