"""The Problem 6 notebooks: format, marking, agreement with the modules, graded answers."""

import ast
import json
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, RandomSampler, SequentialSampler

from autograder.answers import Answer
from autograder.assignment import load_assignment
from autograder.config import Settings
from problems.hw4 import build_examples, build_notebooks
from problems.hw4.p6_inductive_bias import (
    check_p6,
    edgeconfig,
    edgedata,
    models,
    settings,
    training,
    verdict,
)

P6 = Path(build_notebooks.P6)
STARTER = P6 / "edge_detection.ipynb"
SOLUTION = P6.parent.parent.parent / "reference" / "hw4" / "edge_detection.ipynb"
WRITTEN = [
    "p6_1_i", "p6_2_i", "p6_2_ii", "p6_3_i", "p6_3_ii", "p6_3_iii", "p6_3_iv", "p6_3_v",
    "p6_4_i", "p6_4_ii", "p6_5_i", "p6_5_ii", "p6_5_iii", "p6_6_i",
]  # fmt: skip
NUMBERS = ["p6_3_num_epochs", "p6_4_num_epochs", "p6_4_learning_rate", "p6_4_kernel_size"]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def run(sources: list[str]) -> dict[str, Any]:
    """Execute cells in one fresh namespace, as a kernel would."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for index, source in enumerate(sources):
        exec(compile(source, f"<cell {index}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def solution() -> dict[str, Any]:
    return run(build_notebooks.marked_source(load(SOLUTION)))


def test_notebooks_are_what_the_generator_writes() -> None:
    for path, notebook in build_notebooks.notebooks().items():
        assert path.read_text() == build_notebooks.render(notebook), f"rerun build_notebooks for {path}"


def test_example_notebooks_are_what_their_generator_writes() -> None:
    """Each notebook example is the current starter or reference with its one deliberate change."""
    for path, text in build_examples.outputs().items():
        assert path.read_text() == text, f"rerun python -m problems.hw4.build_examples for {path}"


def test_the_script_export_example_is_in_nbconvert_form() -> None:
    """Shebang header before the first cell, `# In[ ]:` separators, a magic as a get_ipython() call."""
    from autograder.sandbox.cells import cells_from_py_export, cells_to_run

    text = build_examples.outputs()[build_examples.EXAMPLES / "notebook_py_export" / "edge_detection.py"]
    assert text.startswith("#!/usr/bin/env python\n# coding: utf-8\n")
    cells = cells_from_py_export(text)
    notebook_code_cells = [c for c in load(SOLUTION)["cells"] if c["cell_type"] == "code"]
    assert [c.index for c in cells] == list(range(1, len(notebook_code_cells) + 1))
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in cells_to_run(cells)[0].source
    marked = [_first_code_line(c) for c in notebook_code_cells if c["metadata"].get("tags")]
    headlines = [c.headline for c in cells_to_run(cells)]
    assert len(headlines) == len(marked) and headlines[1:] == marked[1:]


def _first_code_line(cell: dict[str, Any]) -> str:
    lines = [l.strip() for l in "".join(cell["source"]).splitlines()[1:] if l.strip()]
    return lines[0][:60] if lines else ""


@pytest.mark.parametrize("path", [STARTER, SOLUTION], ids=["starter", "solution"])
def test_nbformat_4_and_marking(path: Path) -> None:
    notebook = load(path)
    assert notebook["nbformat"] == 4 and notebook["nbformat_minor"] == 5
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    ids = [cell["id"] for cell in notebook["cells"]]
    assert len(set(ids)) == len(ids)
    for cell in notebook["cells"]:
        assert set(cell) >= {"cell_type", "id", "metadata", "source"}
        source = "".join(cell["source"])
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            first_line = source.splitlines()[0]
            marks = [mark for mark in build_notebooks.MARKS if first_line == f"# autograder: {mark}"]
            assert marks == tags, first_line
        else:
            assert tags == [] and not source.startswith("# autograder:")


def test_setup_cells_embed_the_module_source() -> None:
    """Each module whole, but for its relative imports, in an order where every cell's imports come before it."""
    setup = [ast.dump(ast.parse(source)) for source in build_notebooks.marked_source(load(STARTER), ("setup",))]
    positions = []
    for module in (edgeconfig, edgedata, models, verdict, training):
        tree = ast.parse(Path(module.__file__).read_text())
        tree.body = [node for node in tree.body if not (isinstance(node, ast.ImportFrom) and node.level)]
        assert ast.dump(tree) in setup, f"{module.__name__} is not pasted whole"
        positions.append(setup.index(ast.dump(tree)))
    assert positions == sorted(positions)


def test_notebook_code_behaves_like_the_modules(solution: dict[str, Any]) -> None:
    config = edgeconfig.five_class_config(data_per_class=6, use_permutation=True)
    mine, _ = edgedata.generate_images(config, 5)
    theirs, _ = solution["generate_images"](config, 5)
    assert np.array_equal(mine, theirs)
    training.set_seed(3)
    expected = models.SimpleCNN(kernel_size=5).state_dict()
    solution["set_seed"](3)
    actual = solution["SimpleCNN"](kernel_size=5).state_dict()
    assert all(torch.equal(expected[key], actual[key]) for key in expected)


def _check_loader(loader: DataLoader, per_class: int, batch_size: int, shuffled: bool, split: str) -> None:
    assert isinstance(loader, DataLoader) and loader.batch_size == batch_size
    assert isinstance(loader.sampler, RandomSampler if shuffled else SequentialSampler)
    dataset = loader.dataset
    assert dataset.config["class_type"] == ["horizontal", "vertical", "none"]
    assert dataset.config["split"] == split
    assert np.bincount(dataset.labels.numpy()).tolist() == [per_class] * 3


def test_solution_graded_values(solution: dict[str, Any]) -> None:
    _check_loader(solution["p6_1_train_loader"], 10, 10, True, "train")
    assert sorted(solution["p6_2_train_loaders"]) == [10, 30, 50, 100]
    for per_class, loader in solution["p6_2_train_loaders"].items():
        _check_loader(loader, per_class, 10, True, "train")
    _check_loader(solution["p6_2_valid_loader"], 50, 256, False, "valid")
    assert solution["p6_3_num_epochs"] == settings.P6_3_REFERENCE_NUM_EPOCHS
    assert (solution["p6_4_num_epochs"], solution["p6_4_learning_rate"], solution["p6_4_kernel_size"]) == (
        settings.P6_4_REFERENCE_NUM_EPOCHS,
        settings.P6_4_REFERENCE_LEARNING_RATE,
        settings.P6_4_REFERENCE_KERNEL_SIZE,
    )
    assert all(isinstance(solution[name], str) and len(solution[name]) > 20 for name in WRITTEN)


def test_starter_graded_cells_run_and_leave_answers_empty() -> None:
    starter = run(build_notebooks.marked_source(load(STARTER)))
    for name in ["p6_1_train_loader", "p6_2_train_loaders", "p6_2_valid_loader", *NUMBERS, *WRITTEN]:
        assert name in starter and starter[name] is None


def run_every_cell(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every code cell top to bottom, with the epochs scaled down, one training size per sweep,
    and the autograder's training replaced by a quick stand-in (its verdict code still runs)."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: plt.close("all"))
    cells = ["".join(cell["source"]) for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    previous_threads = torch.get_num_threads()
    try:
        for index, source in enumerate(cells):
            exec(compile(source, f"<cell {index}>", "exec"), namespace)
            if "EPOCH_SCALE" in source and "def scaled" in source:
                namespace["EPOCH_SCALE"], namespace["SIZES"] = 0.004, (10,)
            if "def train_and_validate" in source:
                namespace["train_and_validate"] = lambda **arguments: 0.5 + arguments["seed"] / 20
            if source.startswith("# autograder: graded") and "p6_2_train_loaders =" in source and namespace["p6_2_train_loaders"]:
                namespace["p6_2_train_loaders"] = {10: namespace["p6_2_train_loaders"][10]}
    finally:
        torch.set_num_threads(previous_threads)
    return namespace


def test_solution_experiments_run_end_to_end(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run_every_cell(SOLUTION, monkeypatch)
    assert "q7_history" in namespace
    printed = capsys.readouterr().out
    assert "Fill in the TODO" not in printed
    # The check cells print the autograder's verdict (here on the stand-in accuracies 0.50, 0.55, ...).
    assert printed.count("draw 0: 50.0% (bar") == 2 and printed.count("the part does not pass.") == 2


def test_untouched_starter_runs_top_to_bottom_and_names_the_todos(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Cells that need an unfilled answer say so and skip; the rest of the notebook still runs."""
    namespace = run_every_cell(STARTER, monkeypatch)
    assert "q7_history" in namespace and "q1_histories" not in namespace and "q2_results" not in namespace
    printed = capsys.readouterr().out
    assert "Fill in the TODO above first: p6_1_train_loader is still None, so this cell is skipped." in printed
    assert "p6_2_train_loaders, p6_2_valid_loader are still None" in printed
    assert "p6_3_num_epochs is still None" in printed
    assert "p6_4_num_epochs, p6_4_learning_rate, p6_4_kernel_size are still None" in printed
    assert "draw 0:" not in printed


def test_the_notebook_sets_one_torch_thread() -> None:
    helpers = [
        "".join(cell["source"]) for cell in load(STARTER)["cells"] if "def scaled" in "".join(cell["source"])
    ]
    assert len(helpers) == 1 and "torch.set_num_threads(1)" in helpers[0]


def test_the_notebook_pastes_the_graders_verdict() -> None:
    """The "check your choice" cells call the autograder's own code, so they predict the grade."""
    cells = ["".join(cell["source"]) for cell in load(STARTER)["cells"] if cell["cell_type"] == "code"]
    assert "# autograder: setup\n" + Path(verdict.__file__).read_text().strip() in cells
    checks = [source for source in cells if source.startswith("# Check your choice")]
    assert len(checks) == 2
    assert 'grade_answers("6.3", train_and_validate, epochs=p6_3_num_epochs)' in checks[0]
    assert '"6.4", train_and_validate, epochs=p6_4_num_epochs, learning_rate=p6_4_learning_rate' in checks[1]


#: A stand-in's accuracy per draw: draw 1 misses its bar (71 %), so a pass takes four draws.
STAND_IN_ACCURACIES = {0: 0.95, 1: 0.70, 2: 0.95, 3: 0.95, 4: 0.50}


class RecordedTraining:
    """A stand-in for train_and_validate: STAND_IN_ACCURACIES, calls recorded."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **arguments: Any) -> float:
        self.calls.append(arguments)
        return STAND_IN_ACCURACIES[arguments["seed"]]


def notebook_check(part: str, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> tuple[str, list[dict[str, Any]]]:
    """What the notebook's "check your choice" cell of ``part`` prints for these answers, and what it trained."""
    matplotlib.use("Agg")
    cells = ["".join(cell["source"]) for cell in load(STARTER)["cells"] if cell["cell_type"] == "code"]
    helpers = [source for source in cells if "def filled_in" in source]
    (check,) = [source for source in cells if source.startswith("# Check your choice") and f'"{part}", train_and_validate' in source]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    previous_threads = torch.get_num_threads()
    try:
        for source in [*build_notebooks.marked_source(load(STARTER), ("setup",)), *helpers]:
            exec(compile(source, "<setup>", "exec"), namespace)
    finally:
        torch.set_num_threads(previous_threads)
    train = RecordedTraining()
    namespace.update(answers, train_and_validate=train)
    capsys.readouterr()
    exec(compile(check, "<check>", "exec"), namespace)
    return capsys.readouterr().out.strip(), train.calls


@pytest.mark.parametrize(
    ("part", "answers", "trains"),
    [
        ("6.3", {"p6_3_num_epochs": 250.0}, True),
        ("6.3", {"p6_3_num_epochs": 250.5}, False),
        ("6.4", {"p6_4_num_epochs": 250.0, "p6_4_learning_rate": 0.02, "p6_4_kernel_size": 5.0}, True),
        ("6.4", {"p6_4_num_epochs": 250, "p6_4_learning_rate": 0.02, "p6_4_kernel_size": 4}, False),
    ],
    ids=["6.3-whole-float", "6.3-fraction", "6.4-whole-floats", "6.4-even-kernel"],
)
def test_the_notebooks_check_and_the_grader_agree(
    part: str, answers: dict[str, Any], trains: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole float such as 250.0 is graded, not refused, by both; what the cell prints is the grader's feedback."""
    printed, notebook_calls = notebook_check(part, answers, capsys)
    grader = RecordedTraining()
    monkeypatch.setattr(check_p6.tables, "accuracy", grader)
    part_id = "hw4.p" + part.replace(".", "_")
    graded = {name: Answer(name, "edge_detection", value) for name, value in answers.items()}
    if part == "6.3":
        result = check_p6.check_p6_3(load_assignment("hw4").part(part_id), graded["p6_3_num_epochs"], Settings())
    else:
        result = check_p6.check_p6_4(load_assignment("hw4").part(part_id), graded, Settings())
    assert notebook_calls == grader.calls
    if trains:
        assert result.outcome == "correct" and result.message == printed and "draw 3: 95.0%" in printed
    else:
        assert result.outcome == "invalid" and result.message.endswith(printed) and grader.calls == []


def test_the_notebooks_check_and_the_graders_table_agree_bit_for_bit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No stand-in: the cell trains each draw itself; the grader reads the same draws from its curve table."""
    from problems.hw4.p6_inductive_bias import curvestore, tables

    monkeypatch.setitem(tables.LATTICE, "6.3", tables.Lattice((0.01,), (7,), False, 8))
    monkeypatch.setitem(tables.LATTICE, "6.4", tables.Lattice((0.05,), (5,), True, 2))
    monkeypatch.setenv(curvestore.ENVIRONMENT_VARIABLE, str(tmp_path / "curves"))
    tables.build(tables.store(), jobs=1)
    matplotlib.use("Agg")
    cells = ["".join(cell["source"]) for cell in load(STARTER)["cells"] if cell["cell_type"] == "code"]
    (check,) = [source for source in cells if source.startswith("# Check your choice") and '"6.3"' in source]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    previous_threads = torch.get_num_threads()
    try:
        for source in [*build_notebooks.marked_source(load(STARTER), ("setup",)), *[c for c in cells if "def filled_in" in c]]:
            exec(compile(source, "<setup>", "exec"), namespace)
        namespace["p6_3_num_epochs"] = 8
        capsys.readouterr()
        exec(compile(check, "<check>", "exec"), namespace)
    finally:
        torch.set_num_threads(previous_threads)
    printed = capsys.readouterr().out.strip()
    answer = Answer("p6_3_num_epochs", "edge_detection", 8)
    result = check_p6.check_p6_3(load_assignment("hw4").part("hw4.p6_3"), answer, Settings())
    assert result.message.startswith(printed) and "draw 2:" in printed
