"""Answer files are read as Python reads them: a UTF-8 byte-order mark, a PEP 263 coding line, CRLF line ends.

Students save from Windows editors and from editors set to Latin-1; Python runs
those files, so the grader must too (a byte-order mark used to cost all of hw4.py).
"""

from __future__ import annotations

import json

import pytest

BOM = b"\xef\xbb\xbf"


def session_on(make_session, data: bytes, name: str = "hw4.py", mode: str = "module"):
    """A session on an answer file with exactly these bytes (make_session writes text, so its file is replaced)."""
    session = make_session("", name=name, mode=mode)
    (session.workdir / name).write_bytes(data)
    return session


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def test_a_module_with_a_byte_order_mark_and_crlf_line_ends_is_read(make_session):
    source = crlf('p1a = "2 c d_out^2 d_in"\ndef p1b_fn(W):\n    return (\n        W\n    )\n')
    session = session_on(make_session, BOM + source.encode())
    assert session.ensure_loaded().ok
    assert session.values(["p1a"]) == {"p1a": "2 c d_out^2 d_in"}
    assert session.call("p1b_fn", [3]).value == 3


def test_a_coding_line_is_obeyed(make_session):
    source = '# -*- coding: latin-1 -*-\np1b_explain = "calculé"\n'
    session = session_on(make_session, source.encode("latin-1"))
    assert session.values(["p1b_explain"]) == {"p1b_explain": "calculé"}


def test_bytes_python_cannot_read_are_a_load_failure_that_says_how_to_fix_it(make_session):
    session = session_on(make_session, 'p1a = "é"\n'.encode("latin-1"))
    report = session.ensure_loaded()
    assert not report.ok and "cannot be read as Python source text" in report.error and "coding" in report.error


@pytest.mark.parametrize("cookie", [b"", b"# coding: utf-8\r\n"])
def test_a_py_notebook_export_with_a_byte_order_mark_and_crlf_is_split_and_run(make_session, cookie):
    source = crlf('# %%\nimport math\n\n# %%\nangle = "\u00e9" + str(math.pi)[:4]\n')
    session = session_on(make_session, BOM + cookie + source.encode(), name="HandDesignFilters.py", mode="cells")
    report = session.ensure_loaded()
    assert report.ok, report.describe()
    assert session.values(["angle"]) == {"angle": "\u00e93.14"}


def test_a_py_notebook_export_in_latin_1_with_its_coding_line_is_read(make_session):
    source = "# coding: latin-1\n# %%\nangle = 'é'\n"
    session = session_on(make_session, source.encode("latin-1"), name="HandDesignFilters.py", mode="cells")
    assert session.values(["angle"]) == {"angle": "é"}


def test_a_notebook_with_a_byte_order_mark_is_read(make_session):
    notebook = {"cells": [{"cell_type": "code", "source": ["x = 1\r\n", "y = x + 1\r\n"], "metadata": {}}], "metadata": {}, "nbformat": 4}
    session = session_on(make_session, BOM + json.dumps(notebook).encode(), name="HandDesignFilters.ipynb", mode="notebook")
    assert session.values(["y"]) == {"y": 2}


def test_the_saved_as_examples_are_the_full_marks_file_as_those_editors_write_it() -> None:
    """windows_editor and coding_cookie are written from full_marks (rerun build_examples after changing it)."""
    from problems.hw4 import build_examples

    saved = build_examples.saved_outputs()
    assert {path.parent.name for path in saved} == {"windows_editor", "coding_cookie"}
    for path, data in saved.items():
        assert path.read_bytes() == data, f"rerun python -m problems.hw4.build_examples for {path}"
    windows, latin = saved[build_examples.EXAMPLES / "windows_editor" / "hw4.py"], saved[build_examples.EXAMPLES / "coding_cookie" / "hw4.py"]
    assert windows.startswith(BOM) and b"\r\n" in windows and b"\n" not in windows.replace(b"\r\n", b"")
    assert latin.startswith(b"# -*- coding: latin-1 -*-\n") and "é".encode("latin-1") in latin
