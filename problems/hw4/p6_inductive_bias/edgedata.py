"""Synthetic edge images for Problem 6 (inductive bias of CNNs).

Every image is a constant background with, depending on its class, one or two
bright bands ("edges"). Generation is fully determined by the configuration
dict (edgeconfig.py makes and checks it) and an explicit integer seed (a NumPy
Generator, no global state), so the grader can rebuild exactly the same data in
its own process, and a student's notebook builds the same data with the same code.

The train/validation split is a config key, ``split``: it selects an
independent random stream (the same seed gives unrelated train and validation
images) and, when ``possible_edge_location_ratio`` < 1, the part of the image
where edges may lie (the domain shift of Problem 6.4).
"""

import copy
from typing import Any

import numpy as np
import torch
from scipy import ndimage
from torch.utils.data import Dataset

from .edgeconfig import SPLITS, check_config, edge_rows

DIAGONAL_ANGLES = (30, 45, 120, 135)


def pixel_permutation(config: dict[str, Any]) -> np.ndarray:
    """The fixed pixel permutation of Problem 6.5, the same for every split."""
    num_pixels = config["spatial_resolution"] ** 2
    return np.random.default_rng(config["permutation_seed"]).permutation(num_pixels)


def _draw_band(rng: np.random.Generator, config: dict[str, Any]) -> tuple[int, int]:
    """Draw a band's (start, width) so that the band lies inside edge_rows."""
    width = int(rng.integers(config["min_edge_width"], config["max_edge_width"] + 1))
    low, high = edge_rows(config)
    start = int(rng.integers(low, high - width + 2))
    return start, width


def _draw_intensity(rng: np.random.Generator, config: dict[str, Any]) -> float:
    return float(rng.uniform(config["min_edge_intensity"], config["max_edge_intensity"]))


def _draw_image(rng: np.random.Generator, class_name: str, config: dict[str, Any]) -> np.ndarray:
    """One float image in [0, 1] of the given class (before 8-bit storage)."""
    resolution = config["spatial_resolution"]
    background = rng.uniform(config["min_background_intensity"], config["max_background_intensity"])
    image = np.full((resolution, resolution), background)
    if class_name == "none":
        return image
    if class_name == "diagonal":
        start, _ = _draw_band(rng, config)
        band = slice(start, start + 1)
        if rng.integers(2) == 0:
            image[band, :] = _draw_intensity(rng, config)
        else:
            image[:, band] = _draw_intensity(rng, config)
        angle = DIAGONAL_ANGLES[rng.integers(len(DIAGONAL_ANGLES))]
        rotated = ndimage.rotate(image, angle, reshape=False, mode="constant", cval=background)
        return np.clip(rotated, 0.0, 1.0)
    start, width = _draw_band(rng, config)
    band = slice(start, start + width)
    if class_name in ("horizontal", "both"):
        image[band, :] = _draw_intensity(rng, config)
    if class_name in ("vertical", "both"):
        intensity = _draw_intensity(rng, config)
        if class_name == "both":
            while _to_uint8(intensity) == _to_uint8(image[start, 0]):
                intensity = _draw_intensity(rng, config)
        image[:, band] = intensity
    return image


def _to_uint8(values: Any) -> Any:
    """8-bit storage of intensities in [0, 1], as the original data set does."""
    return np.round(np.asarray(values) * 255).astype(np.uint8)


def generate_images(config: dict[str, Any], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, R, R) uint8 and labels (N,) int64, grouped by class.

    The label is the index of the class in ``config["class_type"]``. The
    random stream depends on (seed, split) only, so a validation set built
    with the same seed as its training set is still independent of it.
    """
    check_config(config)
    rng = np.random.default_rng([seed, SPLITS.index(config["split"])])
    per_class = config["data_per_class"]
    images = np.stack(
        [
            _to_uint8(_draw_image(rng, class_name, config))
            for class_name in config["class_type"]
            for _ in range(per_class)
        ]
    )
    labels = np.repeat(np.arange(config["num_classes"], dtype=np.int64), per_class)
    if config["use_permutation"]:
        flat = images.reshape(len(images), -1)[:, pixel_permutation(config)]
        images = flat.reshape(images.shape)
    return images, labels


def to_float_images(images: np.ndarray) -> np.ndarray:
    """uint8 (N, R, R) to float32 (N, 1, R, R) in [0, 1], without normalisation."""
    return (images.astype(np.float32) / 255.0)[:, None, :, :]


class EdgeDataset(Dataset):
    """Torch view of generate_images: (image (1, R, R) float, label) pairs."""

    def __init__(self, config: dict[str, Any], seed: int) -> None:
        self.config = copy.deepcopy(config)
        images, labels = generate_images(self.config, seed)
        self.images = torch.from_numpy(to_float_images(images))
        self.labels = torch.from_numpy(labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.images[index], self.labels[index]
