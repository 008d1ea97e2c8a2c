"""Images the grader feeds to the students' filters: made here, deterministic, no network.

The notebook's test image for the averaging filter, and three probes for the edge
filter: a flat image, a horizontal step and a vertical step.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from problems.hw4.p5_hand_design_filters.image import make_test_image

SHAPE = (32, 40)
LAPLACIAN = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def textured_image() -> np.ndarray:
    """The notebook's own drawn test image, at a size that keeps the sandbox calls small."""
    return make_test_image(48)


def flat_image(level: float = 0.5) -> np.ndarray:
    return np.full(SHAPE, level)


def horizontal_step() -> np.ndarray:
    """Dark top half, bright bottom half: a horizontal edge between rows 15 and 16."""
    image = np.full(SHAPE, 0.2)
    image[SHAPE[0] // 2 :, :] = 0.8
    return image


def vertical_step() -> np.ndarray:
    """Dark left half, bright right half: a vertical edge between columns 19 and 20."""
    image = np.full(SHAPE, 0.2)
    image[:, SHAPE[1] // 2 :] = 0.8
    return image


def averaged(image: np.ndarray, size: int) -> np.ndarray:
    """What the notebook's averaging filter returns: scipy's convolve with reflect borders."""
    return ndimage.convolve(image, np.ones((size, size)) / size**2)
