"""The engine's promises when student code misbehaves: every string is written, nothing outlives the grade."""

from __future__ import annotations

import json
import os
import uuid

from autograder.engine import grade
from tests.procs import processes_of

SUBMISSION = '''
import os

p1b_explain = "it is \\ud800 cheaper"

def p1b_fn(W):
    open("/tmp/{tag}", "w").write("left behind")
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve("/bin/sh", ["sh", "-c", "sleep 120"], {{}})
        os._exit(0)
    os._exit(3)
'''


def test_a_hostile_function_costs_only_its_part_and_leaves_nothing_behind(tmp_path, fast_settings, dedicated_uid, is_root):
    tag = f"ag-test-{uuid.uuid4().hex[:8]}"
    (tmp_path / "hw4.py").write_text(SUBMISSION.format(tag=tag))
    run = grade(tmp_path, "hw4", settings=fast_settings, parts={"hw4.p1b_fn", "hw4.p1b_explain"})
    data = json.loads(run.results.to_json().encode("utf-8"))  # the whole file, strict UTF-8
    tests = {t["extra_data"]["part"]: t for t in data["tests"]}
    assert "it is \ufffd cheaper" in tests["hw4.p1b_explain"]["output"]  # the bad character costs nothing
    assert tests["hw4.p1b_fn"]["score"] == 0 and "ended the process (exit status 3" in tests["hw4.p1b_fn"]["output"]
    # The summary says what happened, not "not run".
    assert "hw4.py: ran without errors" in data["output"]
    assert "stopped during a call of p1b_fn: your code ended the process (exit status 3" in data["output"]
    if is_root:
        assert processes_of(dedicated_uid) == []  # the escaped shells died with the grade
        assert not os.path.exists(f"/tmp/{tag}")  # the child's /tmp was its own (or was swept)
    else:
        os.unlink(f"/tmp/{tag}")
