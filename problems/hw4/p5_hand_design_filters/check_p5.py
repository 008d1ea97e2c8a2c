"""Checks of Homework 4 Problem 5 (hand-designed filters): the notebook's two functions, called in the sandbox."""

from __future__ import annotations

import numpy as np

from autograder.checking.arrays import NotNumeric, to_array
from autograder.checking.function import function_problem
from autograder.checking.verdict import Verdict
from autograder.checking.custom import check
from autograder.part_options import FunctionOptions
from problems.hw4.p5_hand_design_filters import probes

#: A response this small counts as silence; edges of height 0.6 give responses near 0.6.
QUIET = 1e-6
LOUD = 0.05


def _call(submission, name: str, args: list) -> tuple[np.ndarray | None, str]:
    outcome = submission.call(name, args)
    if not outcome.ok:
        return None, outcome.error
    try:
        return to_array(outcome.value), ""
    except NotNumeric as error:
        return None, f"it returned something that is not an image ({error})"


#: Share of a size's credit for the right kernel applied with other border handling or centring.
RIGHT_KERNEL_ELSEWHERE_CREDIT = 0.5


def border_margin(size: int) -> int:
    """Pixels from the image border that border handling (or a one-pixel shift) can reach for an n x n window."""
    return size // 2 + 1


def _interior(array: np.ndarray, margin: int, shift: tuple[int, int] = (0, 0)) -> np.ndarray:
    rows, cols = array.shape
    dr, dc = shift
    return array[margin + dr : rows - margin + dr, margin + dc : cols - margin + dc]


def _shift_words(shift: tuple[int, int]) -> str:
    parts = []
    if shift[0]:
        parts.append("one row " + ("down" if shift[0] < 0 else "up"))
    if shift[1]:
        parts.append("one column " + ("right" if shift[1] < 0 else "left"))
    return " and ".join(parts)


def averaging_size_verdict(output: np.ndarray, image: np.ndarray, size: int) -> tuple[float, str | None]:
    """(share of this size's credit, None or what is wrong in the student's terms).

    The interior (farther than border_margin from every edge) is compared apart
    from the border: the right 1/n^2 kernel used with another border mode
    (mode='constant', ...) differs only near the border, and
    ndimage.uniform_filter, which centres even windows one pixel away from
    convolve, matches a shifted copy. Both get a named message and part of the
    credit instead of "not the moving average".
    """
    expected = probes.averaged(image, size)
    if output.shape != expected.shape:
        return 0.0, f"size {size}: the result has shape {output.shape}, not the shape of the input image"
    if not np.all(np.isfinite(output)):
        return 0.0, f"size {size}: the result holds NaN or infinite values"
    if np.allclose(output, expected, atol=1e-6):
        return 1.0, None
    for factor, message in ((size**2, "the kernel entries are 1, not 1/n^2 (the image gets brighter)"), (size, "the kernel is divided by n, not by n^2")):
        if np.allclose(output, factor * expected, atol=1e-5):
            return 0.0, f"size {size}: {message}"
    for other in (3, 6, 9):
        if other != size and np.allclose(output, probes.averaged(image, other), atol=1e-6):
            return 0.0, f"size {size}: the result is an averaging filter of another size (is filter_size used?)"
    margin = border_margin(size)
    if np.allclose(_interior(output, margin), _interior(expected, margin), atol=1e-6):
        return RIGHT_KERNEL_ELSEWHERE_CREDIT, (
            f"size {size}: the right {size} x {size} averaging kernel, but the border is handled differently: the "
            f"result differs only within {margin} pixels of the image border (the notebook uses "
            "scipy.ndimage.convolve with its default mode='reflect')"
        )
    for shift in ((1, 1), (-1, -1), (1, 0), (0, 1), (-1, 0), (0, -1), (1, -1), (-1, 1)):
        if np.allclose(_interior(output, margin), _interior(expected, margin, shift), atol=1e-6):
            hint = (
                " (for even sizes, ndimage.uniform_filter and ndimage.correlate centre the window one pixel away "
                "from ndimage.convolve)"
                if size % 2 == 0
                else ""
            )
            return RIGHT_KERNEL_ELSEWHERE_CREDIT, (
                f"size {size}: the right {size} x {size} average, but the result is shifted by "
                f"{_shift_words(shift)}{hint}; the notebook uses ndimage.convolve with the kernel"
            )
    return 0.0, f"size {size}: the result is not the {size} x {size} moving average of the image"


@check("hw4.p5a")
def check_p5a(part, answer, submission):
    problem = function_problem(answer)
    if problem is not None:
        return problem
    image = probes.textured_image()
    sizes = part.options_as(FunctionOptions).sizes
    credit, failures = 0.0, []
    for size in sizes:
        output, error = _call(submission, answer.name, [image, size])
        share, fault = (0.0, f"size {size}: {error}") if output is None else averaging_size_verdict(output, image, size)
        credit += share
        if fault:
            failures.append(fault)
    if not failures:
        return Verdict.correct(f"Correct for filter sizes {', '.join(map(str, sizes))}.")
    return Verdict.wrong("; ".join(failures) + ".", fraction=credit / len(sizes))


def _responds(output: np.ndarray, band: slice, axis: int) -> bool:
    """A response near the edge and silence far from it, inside the border."""
    near = output[band, 1:-1] if axis == 0 else output[1:-1, band]
    far = output[2:6, 1:-1] if axis == 0 else output[1:-1, 2:6]
    return bool(np.max(np.abs(near)) > LOUD and np.max(np.abs(far)) < QUIET + 1e-3)


@check("hw4.p5b")
def check_p5b(answer, submission):
    problem = function_problem(answer)
    if problem is not None:
        return problem
    outputs = {}
    for label, image in (("flat", probes.flat_image()), ("horizontal", probes.horizontal_step()), ("vertical", probes.vertical_step())):
        output, error = _call(submission, answer.name, [image])
        if output is None:
            return Verdict.wrong(f"edge_detecting failed on a {label} test image: {error}")
        if output.shape != image.shape:
            return Verdict.wrong(f"edge_detecting returned shape {output.shape} for an image of shape {image.shape}: it should keep the image's shape.")
        if not np.all(np.isfinite(output)):
            return Verdict.wrong(f"edge_detecting returned NaN or infinite values on the {label} test image.")
        outputs[label] = output
    if np.max(np.abs(outputs["flat"][1:-1, 1:-1])) > QUIET:
        return Verdict.wrong("The filter responds on a flat image: an edge detector must give 0 where the image is constant (its kernel entries should sum to 0).")
    rows, cols = probes.SHAPE
    horizontal = _responds(outputs["horizontal"], slice(rows // 2 - 2, rows // 2 + 2), axis=0)
    vertical = _responds(outputs["vertical"], slice(cols // 2 - 2, cols // 2 + 2), axis=1)
    if horizontal and vertical:
        laplacian = np.allclose(outputs["horizontal"], probes.ndimage.convolve(probes.horizontal_step(), probes.LAPLACIAN))
        kind = "the Laplacian" if laplacian else "an edge detector"
        return Verdict.correct(f"Correct: {kind}, silent on flat regions and responding to horizontal and vertical edges.")
    if horizontal:
        return Verdict.wrong("The filter responds only to horizontal edges; it should also respond to vertical ones (as the Laplacian does).", fraction=0.5)
    if vertical:
        return Verdict.wrong("The filter responds only to vertical edges; it should also respond to horizontal ones (as the Laplacian does).", fraction=0.5)
    return Verdict.wrong("The filter does not respond to edges: its output stays near 0 across a step in brightness.")
