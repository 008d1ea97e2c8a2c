"""Problem 6's curve tables: one run answers every epoch count, the store, lookups, the build."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import torch

from autograder.config import Settings
from autograder.engine import grade
from problems.hw4.p6_inductive_bias import curvestore, tables, training, verdict
from problems.hw4.p6_inductive_bias.curvestore import CurveStore
from problems.hw4.p6_inductive_bias.tables import Lattice, Setting
from problems.hw4.p6_inductive_bias.training import train_and_validate, validation_curve

SHIFTED = {"learning_rate": 0.05, "kernel_size": 5, "domain_shift": True}


def test_the_first_epochs_of_a_long_run_are_a_run_of_that_many_epochs() -> None:
    """Bit for bit on CPU: the accuracy after N epochs of a 12-epoch run is a fresh N-epoch run's."""
    long_run = validation_curve(data_per_class=10, checkpoints=range(1, 13), seed=3, **SHIFTED)
    for epochs in (1, 4, 12):
        assert long_run[epochs] == train_and_validate(data_per_class=10, epochs=epochs, seed=3, **SHIFTED), epochs
    assert len(set(long_run.values())) > 1  # the curve moves: equal points are not a constant


def test_random_numbers_drawn_between_epochs_do_not_change_the_shuffles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run evaluates after every epoch, a short one only at its end: were evaluation to draw from
    torch's global generator, the two would shuffle differently. The shuffles have a generator of their own."""
    expected = validation_curve(data_per_class=10, checkpoints=(2, 6), seed=1)
    evaluate = training.evaluate

    def evaluate_drawing_random_numbers(*args: Any, **kwargs: Any) -> Any:
        torch.rand(7)
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(training, "evaluate", evaluate_drawing_random_numbers)
    assert validation_curve(data_per_class=10, checkpoints=range(1, 7), seed=1)[6] == expected[6]
    assert validation_curve(data_per_class=10, checkpoints=(2, 6), seed=1) == expected


# --------------------------------------------------------------------------- the store


KEY = {"environment": {"torch": "x"}, "seed": 0, "learning_rate": 0.01}


def test_the_store_keeps_points_in_a_private_folder(tmp_path: Path) -> None:
    store = CurveStore(tmp_path / "deep" / "curves")
    assert store.read(KEY) == {}
    assert store.add(KEY, {1: 0.5, 2: 0.6}) and store.add(KEY, {3: 2 / 3})
    assert store.read(KEY) == {1: 0.5, 2: 0.6, 3: 2 / 3}  # exact floats: JSON keeps every bit
    assert store.read({**KEY, "seed": 1}) == {}
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path(KEY).stat().st_mode) == 0o600
    assert [p.name for p in store.root.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.replace('"seed": 0', '"seed": 5'),  # another run's key under this name
        lambda text: text.replace("0.5", "1.5"),  # not an accuracy
        lambda text: "[]",
    ],
)
def test_a_damaged_or_foreign_file_is_a_miss(tmp_path: Path, damage: Any) -> None:
    store = CurveStore(tmp_path)
    os.chmod(tmp_path, 0o700)
    store.add(KEY, {1: 0.5})
    path = store.path(KEY)
    path.write_text(damage(path.read_text()))
    assert store.read(KEY) == {}
    assert store.add(KEY, {2: 0.25}) and store.read(KEY) == {2: 0.25}


def test_a_folder_others_may_write_is_not_used(tmp_path: Path) -> None:
    """Someone who can write the folder could plant curves: then it is neither read nor written."""
    store = CurveStore(tmp_path / "curves")
    store.add(KEY, {1: 0.5})
    os.chmod(store.root, 0o777)
    assert store.read(KEY) == {} and not store.add(KEY, {2: 0.5})


def _add_points(root: str, start: int) -> None:
    store = CurveStore(Path(root))
    for epoch in range(start, start + 20):
        assert store.add(KEY, {epoch: epoch / 1000})


def test_concurrent_writers_lose_no_points(tmp_path: Path) -> None:
    """Batch workers add runs to the same folder at once: every point survives, every file is whole."""
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_points, args=(str(tmp_path / "curves"), 100 * i + 1)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    points = CurveStore(tmp_path / "curves").read(KEY)
    assert sorted(points) == [100 * i + 1 + e for i in range(4) for e in range(20)]


def test_where_the_store_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(curvestore.ENVIRONMENT_VARIABLE, str(tmp_path / "mine"))
    assert curvestore.default_root() == tmp_path / "mine"
    monkeypatch.setenv(curvestore.ENVIRONMENT_VARIABLE, "off")
    assert curvestore.default_root() is None and tables.store() is None
    monkeypatch.delenv(curvestore.ENVIRONMENT_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("AUTOGRADER_ROOT", raising=False)
    assert curvestore.default_root() == tmp_path / "xdg" / "hw4-autograder" / "p6-curves"
    assert curvestore.default_store().lasting
    monkeypatch.setenv("AUTOGRADER_ROOT", "/autograder/source")
    assert curvestore.default_root() == Path("/autograder/source/.cache/p6-curves")
    assert not curvestore.default_store().lasting  # each Gradescope grading runs in a fresh copy of the image


# --------------------------------------------------------------------------- lookups


@pytest.fixture
def small_lattice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CurveStore:
    """A lattice of 6 epochs (6.3's recipe and one shifted setting) and an empty store of its own."""
    monkeypatch.setitem(tables.LATTICE, "6.3", Lattice((0.01,), (7,), False, 6))
    monkeypatch.setitem(tables.LATTICE, "6.4", Lattice((0.05,), (5,), True, 6))
    monkeypatch.setenv(curvestore.ENVIRONMENT_VARIABLE, str(tmp_path / "curves"))
    return CurveStore(tmp_path / "curves")


def _no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: Any) -> None:
        raise AssertionError("trained although the table holds the run")

    monkeypatch.setattr(training, "validation_curve", refuse)


def test_a_lattice_answer_fills_its_whole_curve_and_later_ones_read_it(
    small_lattice: CurveStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = {n: train_and_validate(data_per_class=10, epochs=n, seed=2, **SHIFTED) for n in (3, 5)}
    assert tables.accuracy(data_per_class=10, seed=2, epochs=3, **SHIFTED) == fresh[3]
    stored = small_lattice.read(tables.entry_key(Setting(0.05, 5, True), 2))
    assert sorted(stored) == [1, 2, 3, 4, 5, 6]
    _no_training(monkeypatch)
    assert tables.accuracy(data_per_class=10, seed=2, epochs=5, **SHIFTED) == fresh[5]


def test_an_answer_off_the_lattice_trains_exactly_its_epochs(small_lattice: CurveStore, monkeypatch: pytest.MonkeyPatch) -> None:
    off = {"learning_rate": 0.03, "kernel_size": 5, "domain_shift": True}
    expected = train_and_validate(data_per_class=10, epochs=4, seed=0, **off)
    assert tables.accuracy(data_per_class=10, seed=0, epochs=4, **off) == expected
    assert small_lattice.read(tables.entry_key(Setting(0.03, 5, True), 0)) == {4: expected}
    beyond = train_and_validate(data_per_class=10, epochs=8, seed=0, **SHIFTED)  # past the lattice's 6 epochs
    assert tables.accuracy(data_per_class=10, seed=0, epochs=8, **SHIFTED) == beyond
    assert sorted(small_lattice.read(tables.entry_key(Setting(0.05, 5, True), 0))) == [8]
    _no_training(monkeypatch)
    assert tables.accuracy(data_per_class=10, seed=0, epochs=4, **off) == expected  # a regrade reads it


def test_where_gradings_do_not_last_a_miss_trains_only_its_epochs(
    small_lattice: CurveStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Gradescope a grading's store dies with it: filling a whole lattice curve would be wasted work."""
    fleeting = CurveStore(small_lattice.root, lasting=False)
    monkeypatch.setattr(tables, "store", lambda: fleeting)
    expected = train_and_validate(data_per_class=10, epochs=3, seed=4, **SHIFTED)
    assert tables.accuracy(data_per_class=10, seed=4, epochs=3, **SHIFTED) == expected
    assert fleeting.read(tables.entry_key(Setting(0.05, 5, True), 4)) == {3: expected}


def test_a_changed_environment_is_another_table(small_lattice: CurveStore, monkeypatch: pytest.MonkeyPatch) -> None:
    tables.accuracy(data_per_class=10, seed=1, epochs=2, **SHIFTED)
    changed = {**tables.environment(), "torch": {"__version__": "another build"}}
    monkeypatch.setattr(tables, "environment", lambda: changed)
    _no_training(monkeypatch)
    with pytest.raises(AssertionError, match="trained although"):
        tables.accuracy(data_per_class=10, seed=1, epochs=2, **SHIFTED)


def test_the_key_names_the_torch_build_and_the_training_code() -> None:
    environment = tables.environment()
    assert environment["torch"]["__version__"] == torch.__version__
    assert environment["torch"]["git_version"] == torch.version.git_version
    assert len(environment["sources"]) == 64 and environment["numpy"] and environment["cpu"] is not None


def test_with_the_store_off_every_grading_trains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(curvestore.ENVIRONMENT_VARIABLE, "off")
    _no_training(monkeypatch)
    with pytest.raises(AssertionError, match="trained although"):
        tables.accuracy(data_per_class=10, seed=0, epochs=2)


# --------------------------------------------------------------------------- the build


def test_the_build_stores_every_lattice_run_once(small_lattice: CurveStore, tmp_path: Path) -> None:
    report = tables.build(small_lattice, jobs=1)
    assert report.runs == report.built == 2 * len(verdict.DRAWS)
    assert tables.missing_runs(small_lattice) == []
    assert tables.build(small_lattice, jobs=1).built == 0
    assert tables.main(["status"]) == 0
    parallel = CurveStore(tmp_path / "parallel")
    assert tables.build(parallel, jobs=2).built == report.runs
    for setting, seed, _ in tables.lattice_runs():
        key = tables.entry_key(setting, seed)
        assert parallel.read(key) == small_lattice.read(key)  # other processes, the same bits


def test_a_built_table_grades_without_training(small_lattice: CurveStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's verdict from the table is the verdict from training."""
    (tmp_path / "edge_detection.py").write_text("# %%\np6_3_num_epochs = 5\n")

    def graded() -> tuple[str, str]:
        results = grade(tmp_path, "hw4", settings=Settings(), parts={"hw4.p6_3"}).results
        (test,) = [t for t in results.tests if t.extra_data.part == "hw4.p6_3"]
        return test.status, test.output

    trained = graded()
    tables.build(small_lattice, jobs=1)
    _no_training(monkeypatch)
    assert graded() == trained
    assert "draw 0:" in trained[1] and json.dumps(trained)  # the feedback names each draw
