"""Write the example submissions made from the assignment's own files: the notebooks of Problems 5
and 6 from the starter and solution cells, the starter hw4.py from the template, the full-marks
hw4.py variants from the reference (`full_marks_variants`), and the full-marks hw4.py as other
editors save it (a byte-order mark and CRLF, Latin-1 with a coding line).

Run ``python -m problems.hw4.build_examples`` after ``build_notebooks`` (tests check
that the committed files equal what this script writes). Why: each example is the
reference or starter notebook with one deliberate change (a typo in a graded cell,
hyperparameters below the bar, ...); written by hand they went stale whenever the
notebooks changed, and then tested the old notebook instead of the one students get.

The ``.py`` example is the reference notebook as ``jupyter nbconvert --to script``
writes it: shebang and coding header, markdown as comments, ``# In[ ]:`` before each
code cell, and ``%magic`` lines as ``get_ipython()`` calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.assignment import load_assignment
from problems import example_builder
from problems.hw4 import build_notebooks as nb
from problems.hw4.full_marks_variants import VARIANTS as FULL_MARKS_VARIANTS
from problems.hw4.mistake_variants import VARIANTS as MISTAKE_VARIANTS
from problems.notebook_format import Cell, notebook_json, render

EXAMPLES = nb.HW4.parent.parent / "submissions_examples" / "hw4"


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` by ``new`` in the one cell that contains ``where`` (and ``old``)."""

    where: str
    old: str
    new: str


@dataclass(frozen=True)
class Insert:
    """A new code cell right after the one cell that contains ``where``."""

    where: str
    source: str


Change = Edit | Insert

P6_1_LOADER = "EdgeDataset(make_config(data_per_class=10), seed=0), batch_size=10, shuffle=True"
LAPLACIAN_TEXT = "[[0, 1, 0], [1, -4, 1], [0, 1, 0]]"
SOBEL_TEXT = "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]"

#: example folder -> notebook file -> (solution cells?, changes)
VARIANTS: dict[str, dict[str, tuple[bool, list[Change]]]] = {
    "full_marks": {"HandDesignFilters": (True, []), "edge_detection": (True, [])},
    "notebook_broken_json": {"edge_detection": (True, [])},
    "notebook_exception_in_graded_cell": {
        "HandDesignFilters": (True, [Edit("def edge_detecting", "ndimage.convolve(image, kernel)", "ndimage.convolve(image, kernal)")]),
        "edge_detection": (True, [Edit("p6_1_train_loader =", "make_config(data_per_class=10)", "make_config(data_per_class=10, colour=True)")]),
    },
    "notebook_insane_hyperparameters": {
        "edge_detection": (
            True,
            [
                Edit("p6_3_num_epochs =", f"= {nb.settings.P6_3_REFERENCE_NUM_EPOCHS}", "= 100000"),
                Edit("p6_4_learning_rate =", f"= {nb.settings.P6_4_REFERENCE_LEARNING_RATE}", "= -0.1"),
            ],
        ),
    },
    "notebook_loop_in_experiment_cell": {
        "HandDesignFilters": (True, [Insert('f"{n}x{n} average"', "# my own experiment: wait for a key press\nwhile True:\n    pass")]),
    },
    "notebooks_below_bar": {
        "HandDesignFilters": (
            True,
            [
                Edit("def averaging_filtering", "/ filter_size**2", "/ filter_size"),
                Edit("Use the Laplacian", LAPLACIAN_TEXT, SOBEL_TEXT),
                Edit("def edge_detecting", LAPLACIAN_TEXT, SOBEL_TEXT),
            ],
        ),
        "edge_detection": (
            True,
            [
                Edit("p6_1_train_loader =", P6_1_LOADER, P6_1_LOADER.replace("batch_size=10, shuffle=True", "batch_size=32, shuffle=False")),
                Edit("p6_3_num_epochs =", f"= {nb.settings.P6_3_REFERENCE_NUM_EPOCHS}", "= 30"),
                Edit("p6_4_num_epochs =", f"p6_4_num_epochs = {nb.settings.P6_4_REFERENCE_NUM_EPOCHS}", "p6_4_num_epochs = 100"),
                Edit("p6_4_num_epochs =", f"p6_4_learning_rate = {nb.settings.P6_4_REFERENCE_LEARNING_RATE}", "p6_4_learning_rate = 0.01"),
                Edit("p6_4_num_epochs =", f"p6_4_kernel_size = {nb.settings.P6_4_REFERENCE_KERNEL_SIZE}", "p6_4_kernel_size = 7"),
                Edit("q7_train_loader =", "batch_size=10, shuffle=True", "batch_size=32, shuffle=False"),
            ],
        ),
    },
}

#: The .py export example: the reference notebook with `%matplotlib inline` added to its first cell.
SCRIPT_EXPORT = ("notebook_py_export", "edge_detection")
SCRIPT_MAGIC = Edit("# autograder: setup\nimport numpy as np", "# autograder: setup\n", "# autograder: setup\n%matplotlib inline\n")


@dataclass(frozen=True)
class SavedAs:
    """The full-marks hw4.py as a student's editor saves it: its own docstring, a few edits, an encoding, line ends.

    Such an example tests how the file's bytes are read (a byte-order mark, a PEP 263 coding line,
    CRLF); its answers stay those of the full-marks example, so it is written from that file.
    """

    header: str
    edits: tuple[tuple[str, str], ...]
    encoding: str
    newline: str = "\n"

    def write(self, full_marks: str) -> bytes:
        lines = full_marks.splitlines(keepends=True)
        text = self.header + "".join(lines[1:])  # the first line is the full-marks example's docstring
        for old, new in self.edits:
            if text.count(old) != 1:
                raise ValueError(f"{old!r} is not in the full-marks hw4.py exactly once")
            text = text.replace(old, new)
        return text.replace("\n", self.newline).encode(self.encoding)


#: example folder -> how its hw4.py is the full-marks one saved by another editor.
SAVED = {
    "windows_editor": SavedAs(
        '"""Full marks, saved by a Windows editor: a UTF-8 byte-order mark and CRLF line ends (Python reads both)."""\n',
        (),
        "utf-8-sig",
        "\r\n",
    ),
    "coding_cookie": SavedAs(
        '# -*- coding: latin-1 -*-\n"""Full marks, saved in Latin-1 with a PEP 263 coding line: réponses de Zoé."""\n',
        (('p1b_explain = "Use W', 'p1b_explain = "Calculé ainsi : use W'),),
        "latin-1",
    ),
}


#: Examples that hand in the template's hw4.py beside a full-marks variant of another form.
WITH_TEMPLATE = ("both_forms_notebook_finished",)


def answer_file_outputs() -> dict[Path, str]:
    """The starter's files, from the template, and the hw4.py of each variant of the reference (full marks, or a few answers changed)."""
    assignment = load_assignment("hw4")
    starter = example_builder.starter_outputs(assignment, EXAMPLES)
    template = starter[EXAMPLES / "starter" / "hw4.py"]
    return {
        **starter,
        **example_builder.variant_outputs(assignment, EXAMPLES, "hw4", {**FULL_MARKS_VARIANTS, **MISTAKE_VARIANTS}),
        **{EXAMPLES / folder / "hw4.py": template for folder in WITH_TEMPLATE},
    }


def saved_outputs() -> dict[Path, bytes]:
    """The hw4.py of each SAVED example, as bytes (their encodings and line ends are the point)."""
    full_marks = answer_file_outputs()[EXAMPLES / "full_marks" / "hw4.py"]
    return {EXAMPLES / folder / "hw4.py": saved.write(full_marks) for folder, saved in SAVED.items()}


def cells_of(name: str, solution: bool) -> list[Cell]:
    return nb.p5_cells(solution) if name == "HandDesignFilters" else nb.p6_cells(solution)


def apply(cells: list[Cell], changes: list[Change]) -> list[Cell]:
    """The cells with each change made; a change must match exactly one place."""
    cells = list(cells)
    for change in changes:
        hits = [i for i, cell in enumerate(cells) if change.where in cell.source]
        if isinstance(change, Edit):
            hits = [i for i in hits if cells[i].source.count(change.old) == 1]
        if len(hits) != 1:
            raise ValueError(f"{change} matches {len(hits)} cells, not one")
        index = hits[0]
        if isinstance(change, Edit):
            cells[index] = replace(cells[index], source=cells[index].source.replace(change.old, change.new))
        else:
            cells.insert(index + 1, Cell("code", change.source))
    return cells


_MAGIC = re.compile(r"^(\s*)%(\w+)\s*(.*)$")


def script_export(cells: list[Cell]) -> str:
    """The text `jupyter nbconvert --to script` writes for these cells."""
    parts = ["#!/usr/bin/env python\n# coding: utf-8\n"]
    for cell in cells:
        if cell.kind == "markdown":
            parts.append("\n" + "\n".join(f"# {line}".rstrip() if line else "# " for line in cell.source.splitlines()) + "\n")
            continue
        lines = []
        for line in cell.source.splitlines():
            magic = _MAGIC.match(line)
            lines.append(f"{magic.group(1)}get_ipython().run_line_magic({magic.group(2)!r}, {magic.group(3)!r})" if magic else line)
        parts.append("\n# In[ ]:\n\n\n" + "\n".join(lines) + "\n\n")
    return "\n".join(parts)


def outputs() -> dict[Path, str]:
    """Every example file this script writes, with its text."""
    files: dict[Path, str] = {}
    for folder, notebooks in VARIANTS.items():
        for name, (solution, changes) in notebooks.items():
            prefix = "p5" if name == "HandDesignFilters" else "p6"
            cells = apply(cells_of(name, solution), changes)
            files[EXAMPLES / folder / f"{name}.ipynb"] = render(notebook_json(cells, prefix))
    folder, name = SCRIPT_EXPORT
    files[EXAMPLES / folder / f"{name}.py"] = script_export(apply(cells_of(name, True), [SCRIPT_MAGIC]))
    return {**files, **answer_file_outputs()}


def main() -> None:
    example_builder.write_all(outputs(), EXAMPLES.parent.parent)
    for path, data in saved_outputs().items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(EXAMPLES.parent.parent)}")


if __name__ == "__main__":
    main()
