"""Notebooks run cell by cell in the sandbox: a bad cell fails only what depends on it, and is named."""

from __future__ import annotations

import json

import pytest

from autograder.sandbox.cells import cells_from_ipynb, cells_from_py_export, cells_to_run, strip_magics


def notebook(*cells: tuple[str, str] | str) -> str:
    """Build notebook JSON; a cell is source text, or (tag, source) for a tagged code cell."""
    raw = []
    for cell in cells:
        tag, source = cell if isinstance(cell, tuple) else (None, cell)
        raw.append(
            {
                "cell_type": "code",
                "metadata": {"tags": [tag]} if tag else {},
                "source": source.splitlines(keepends=True),
                "outputs": [],
                "execution_count": None,
            }
        )
    raw.insert(1, {"cell_type": "markdown", "metadata": {}, "source": "# text"})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": raw})


@pytest.fixture
def open_notebook(make_session):
    """A notebook (or its .py export) in a child session; the text is used as it is."""

    def make(text: str, name: str = "nb.ipynb", mode: str = "notebook"):
        return make_session(text, name=name, mode=mode)

    return make


def test_cells_are_numbered_as_the_student_counts_them_and_marks_are_read():
    text = notebook("x = 1", ("graded", "y = 2"), "# autograder: setup\nimport math")
    cells = cells_from_ipynb(text)
    assert [c.index for c in cells] == [1, 3, 4]  # the markdown cell counts in the numbering
    assert [sorted(c.marks) for c in cells] == [[], ["graded"], ["setup"]]
    assert [c.index for c in cells_to_run(cells)] == [3, 4]  # marked cells only, when any are marked


def test_an_exception_in_one_cell_leaves_the_others(open_notebook):
    session = open_notebook(notebook("a = 1", "b = 1 / 0", "c = 3"))
    values = session.values(["a", "b", "c"])
    assert values == {"a": 1, "c": 3}
    report = session.load_report
    assert not report.ok
    assert [(e.index, e.headline) for e in report.cell_errors] == [(3, "b = 1 / 0")]
    assert "ZeroDivisionError" in report.cell_errors[0].error


def test_an_endless_cell_is_stopped_named_and_skipped(open_notebook):
    session = open_notebook(notebook("a = 1", "while True:\n    pass", "c = a + 2"))
    values = session.values(["a", "c"])
    assert values == {"a": 1, "c": 3}
    [error] = session.load_report.cell_errors
    assert error.index == 3 and "time limit" in error.error


def test_a_cell_that_kills_the_process_is_skipped_on_restart(open_notebook):
    session = open_notebook(notebook("import os\na = 1", "os._exit(9)", "c = a + 1"))
    assert session.values(["a", "c"]) == {"a": 1, "c": 2}
    [error] = session.load_report.cell_errors
    assert error.index == 3 and "ended the process (exit status 9" in error.error


def test_magics_and_shell_lines_are_ignored(open_notebook):
    session = open_notebook(notebook("%matplotlib inline\n!pip install nothing\na = 5", "%%bash\necho hi"))
    assert session.values(["a"]) == {"a": 5}
    assert session.load_report.ok


def test_broken_notebook_json_is_a_clear_load_failure(open_notebook):
    session = open_notebook('{"cells": [ {"cell_type": "code", "source": "a = 1"')
    report = session.ensure_loaded()
    assert not report.ok and "not valid notebook JSON" in report.error
    assert session.values(["a"]) == {}


def test_a_py_export_is_split_into_cells():
    text = "# %%\n# autograder: setup\nimport math\n\n# %%\nslow = 1\n\n# In[3]:\n# autograder: graded\nx = 1\n"
    cells = cells_from_py_export(text)
    assert [sorted(c.marks) for c in cells] == [["setup"], [], ["graded"]]
    assert [c.headline for c in cells_to_run(cells)] == ["import math", "x = 1"]


def test_py_export_runs_like_the_notebook(open_notebook):
    session = open_notebook("# %%\na = 1\n# %%\nraise ValueError('bad')\n# %%\nc = 2\n", name="nb.py", mode="cells")
    assert session.values(["a", "c"]) == {"a": 1, "c": 2}
    assert "ValueError: bad" in session.load_report.cell_errors[0].error


NBCONVERT_EXPORT = """\
#!/usr/bin/env python
# coding: utf-8

# # Hand-designed filters
#
# Some markdown, exported as comments.

# In[1]:


get_ipython().run_line_magic('matplotlib', 'inline')
import math


# In[2]:


# autograder: graded
answer = math.sqrt(16)
if answer:
    get_ipython().system('echo inside a block')
listing = get_ipython().getoutput('ls')


# In[ ]:


broken = 1 / 0
"""


def test_an_nbconvert_header_is_not_a_cell():
    """nbconvert's shebang and coding lines come before `# In[1]:`; cell 1 is the first code cell."""
    cells = cells_from_py_export(NBCONVERT_EXPORT)
    assert [c.index for c in cells] == [1, 2, 3]
    assert [c.headline for c in cells] == ["get_ipython().run_line_magic('matplotlib', 'inline')", "answer = math.sqrt(16)", "broken = 1 / 0"]
    assert [sorted(c.marks) for c in cells] == [[], ["graded"], []]


def test_percent_cells_count_markdown_and_leading_code():
    """VS Code runs code above the first `# %%` as a cell; a `# %% [markdown]` cell has a number but is not run."""
    text = "import math\n\n# %% [markdown]\n# Title\n\n# %%\nx = 1\n#%%\ny = 2\n"
    cells = cells_from_py_export(text)
    assert [(c.index, c.headline) for c in cells] == [(1, "import math"), (3, "x = 1"), (4, "y = 2")]
    assert [c.index for c in cells_from_py_export("# just a comment\n# %%\nx = 1\n")] == [1]


def test_a_script_without_separators_is_one_cell():
    assert [(c.index, c.headline) for c in cells_from_py_export("a = 1\nb = 2\n")] == [(1, "a = 1")]
    assert cells_from_py_export("\n\n") == []


def test_nbconvert_ipython_calls_become_plain_python():
    source = "get_ipython().run_line_magic('time', '')\nif True:\n    get_ipython().system('ls')\nout = get_ipython().getoutput('ls')\nx = 1"
    stripped = strip_magics(source)
    assert stripped.splitlines() == ["pass", "if True:", "    pass", "out = None", "x = 1"]
    compile(stripped, "<cell>", "exec")


def test_an_nbconvert_export_runs_with_numbered_cells(open_notebook):
    session = open_notebook(NBCONVERT_EXPORT.replace("# autograder: graded\n", ""), name="nb.py", mode="cells")
    assert session.values(["answer", "listing"]) == {"answer": 4.0, "listing": None}
    [error] = session.load_report.cell_errors
    assert (error.index, error.headline) == (3, "broken = 1 / 0") and "ZeroDivisionError" in error.error
