"""Feedback of the averaging-filter check: named mistakes, border and centring told apart from a wrong kernel."""

import numpy as np
import pytest
from scipy import ndimage

from problems.hw4.p5_hand_design_filters import probes
from problems.hw4.p5_hand_design_filters.check_p5 import RIGHT_KERNEL_ELSEWHERE_CREDIT, averaging_size_verdict

IMAGE = probes.textured_image()


def box(size: int) -> np.ndarray:
    return np.ones((size, size)) / size**2


@pytest.mark.parametrize("size", [3, 6, 9])
def test_the_notebooks_convolution_is_right(size: int) -> None:
    assert averaging_size_verdict(ndimage.convolve(IMAGE, box(size)), IMAGE, size) == (1.0, None)


@pytest.mark.parametrize("size", [3, 6, 9])
@pytest.mark.parametrize("mode", ["constant", "wrap", "mirror"])
def test_another_border_mode_is_named_and_half_credited(size: int, mode: str) -> None:
    share, message = averaging_size_verdict(ndimage.convolve(IMAGE, box(size), mode=mode), IMAGE, size)
    assert share == RIGHT_KERNEL_ELSEWHERE_CREDIT
    assert "right" in message and "border is handled differently" in message and "mode='reflect'" in message
    assert "not the" not in message


def test_uniform_filter_is_right_for_odd_sizes_and_shifted_for_even() -> None:
    for size in (3, 9):
        assert averaging_size_verdict(ndimage.uniform_filter(IMAGE, size), IMAGE, size) == (1.0, None)
    share, message = averaging_size_verdict(ndimage.uniform_filter(IMAGE, 6), IMAGE, 6)
    assert share == RIGHT_KERNEL_ELSEWHERE_CREDIT
    assert "shifted by one row down and one column right" in message and "uniform_filter" in message


def test_a_shift_with_another_border_mode_is_still_a_shift() -> None:
    share, message = averaging_size_verdict(ndimage.uniform_filter(IMAGE, 6, mode="constant"), IMAGE, 6)
    assert share == RIGHT_KERNEL_ELSEWHERE_CREDIT and "shifted" in message


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (ndimage.convolve(IMAGE, np.ones((6, 6))), "the kernel entries are 1, not 1/n^2"),
        (ndimage.convolve(IMAGE, np.ones((6, 6)) / 6), "divided by n, not by n^2"),
        (ndimage.convolve(IMAGE, box(3)), "another size"),
        (ndimage.gaussian_filter(IMAGE, 1.5), "not the 6 x 6 moving average"),
        (ndimage.convolve(IMAGE, box(5)), "not the 6 x 6 moving average"),
        (IMAGE[:-1], "has shape"),
        (np.full(IMAGE.shape, np.nan), "NaN"),
    ],
    ids=["entries-1", "divided-by-n", "other-size", "gaussian", "5x5", "shape", "nan"],
)
def test_wrong_results_get_no_credit_and_a_named_message(output: np.ndarray, expected: str) -> None:
    share, message = averaging_size_verdict(output, IMAGE, 6)
    assert share == 0.0 and expected in message and message.startswith("size 6:")


def test_a_wrong_kernel_is_not_mistaken_for_a_border_effect() -> None:
    """A kernel that is right everywhere but one interior pixel must not earn border credit."""
    output = ndimage.convolve(IMAGE, box(6))
    output[20, 20] += 0.1
    share, message = averaging_size_verdict(output, IMAGE, 6)
    assert share == 0.0 and "not the 6 x 6 moving average" in message
