"""The Problem 5 notebooks and the test image."""

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import ndimage

from problems.hw4 import build_notebooks
from problems.hw4.p5_hand_design_filters import image as image_module
from problems.hw4.p5_hand_design_filters.image import make_test_image

P5 = Path(build_notebooks.P5)
STARTER = P5 / "HandDesignFilters.ipynb"
SOLUTION = P5.parent.parent.parent / "reference" / "hw4" / "HandDesignFilters.ipynb"
LAPLACIAN = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)


def graded_namespace(path: Path) -> dict[str, Any]:
    """Run only the setup and graded cells, in a fresh namespace, as the grader does."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for index, source in enumerate(build_notebooks.marked_source(json.loads(path.read_text()))):
        exec(compile(source, f"<cell {index}>", "exec"), namespace)
    return namespace


def test_image_is_deterministic_grayscale() -> None:
    image = make_test_image()
    assert image.shape == (256, 256) and image.dtype == np.float64
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.std() > 0.2
    assert np.array_equal(image, make_test_image())
    assert make_test_image(64).shape == (64, 64)


def test_notebook_embeds_the_image_module() -> None:
    cells = ["".join(cell["source"]) for cell in json.loads(STARTER.read_text())["cells"]]
    assert any(Path(image_module.__file__).read_text().strip() in source for source in cells)


@pytest.mark.parametrize("path", [STARTER, SOLUTION], ids=["starter", "solution"])
def test_marked_cells(path: Path) -> None:
    notebook = json.loads(path.read_text())
    assert notebook["nbformat"] == 4
    tags = [cell["metadata"].get("tags", []) for cell in notebook["cells"]]
    assert tags.count(["setup"]) == 1 and tags.count(["graded"]) == 2
    for source in build_notebooks.marked_source(notebook):
        assert source.startswith(("# autograder: setup\n", "# autograder: graded\n"))
        assert "plt." not in source and "make_test_image" not in source


def test_solution_filters_are_right() -> None:
    namespace = graded_namespace(SOLUTION)
    image = np.random.default_rng(0).random((20, 30))
    for size in (3, 6, 9):
        expected = ndimage.convolve(image, np.full((size, size), 1 / size**2))
        np.testing.assert_allclose(namespace["averaging_filtering"](image, filter_size=size), expected)
    np.testing.assert_allclose(namespace["averaging_filtering"](image), ndimage.uniform_filter(image, 3, mode="reflect"))
    np.testing.assert_allclose(namespace["edge_detecting"](image), ndimage.convolve(image, LAPLACIAN))


def test_starter_runs_and_scores_nothing() -> None:
    namespace = graded_namespace(STARTER)
    image = make_test_image(32)
    assert not namespace["averaging_filtering"](image, filter_size=3).any()
    assert not namespace["edge_detecting"](image).any()
