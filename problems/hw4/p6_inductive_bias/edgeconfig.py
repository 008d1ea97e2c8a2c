"""The configuration of Problem 6's edge data set: its defaults, and how a configuration is made and checked.

A configuration is a dict of plain values; edgedata.py draws the images it
describes. Kept apart from edgedata (and torch-free) so that the grader's loader
checks (loader_faults.py) compare a student's configuration with these very
defaults without importing torch; the notebook pastes this module before edgedata.
"""

import copy
from typing import Any

THREE_CLASSES = ("horizontal", "vertical", "none")
FIVE_CLASSES = ("horizontal", "vertical", "diagonal", "both", "none")
SPLITS = ("train", "valid")
VALIDATION_PER_CLASS = 50

DEFAULT_CONFIG: dict[str, Any] = {
    "data_per_class": 1000,
    "num_classes": 3,
    "class_type": list(THREE_CLASSES),
    "spatial_resolution": 28,
    "min_edge_width": 1,
    "max_edge_width": 4,
    "min_edge_intensity": 0.25,
    "max_edge_intensity": 1.0,
    "min_background_intensity": 0.0,
    "max_background_intensity": 0.2,
    "possible_edge_location_ratio": 1.0,
    "use_permutation": False,
    "permutation_seed": 0,
    "split": "train",
}


def make_config(**overrides: Any) -> dict[str, Any]:
    """Return a validated copy of DEFAULT_CONFIG with ``overrides`` applied.

    Unknown keys are rejected so that a typo cannot silently fall back to a
    default value.
    """
    unknown = set(overrides) - set(DEFAULT_CONFIG)
    if unknown:
        raise KeyError(f"unknown config keys: {sorted(unknown)}")
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.update(copy.deepcopy(overrides))
    if "class_type" in overrides and "num_classes" not in overrides:
        config["num_classes"] = len(config["class_type"])
    check_config(config)
    return config


def five_class_config(**overrides: Any) -> dict[str, Any]:
    """Configuration of Problem 6.6: horizontal, vertical, diagonal, both, none."""
    return make_config(num_classes=5, class_type=list(FIVE_CLASSES), **overrides)


def validation_config(config: dict[str, Any]) -> dict[str, Any]:
    """The validation counterpart of a training config: 50 images per class."""
    return make_config(**{**config, "data_per_class": VALIDATION_PER_CLASS, "split": "valid"})


def check_config(config: dict[str, Any]) -> None:
    """Raise ValueError when the config cannot describe a valid data set."""
    if config["num_classes"] != len(config["class_type"]):
        raise ValueError("num_classes must equal len(class_type)")
    unknown = set(config["class_type"]) - set(FIVE_CLASSES)
    if unknown:
        raise ValueError(f"unknown classes: {sorted(unknown)}")
    if config["split"] not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    if not 1 <= config["min_edge_width"] <= config["max_edge_width"]:
        raise ValueError("need 1 <= min_edge_width <= max_edge_width")
    if not 0 < config["possible_edge_location_ratio"] <= 1:
        raise ValueError("possible_edge_location_ratio must be in (0, 1]")
    low, high = edge_rows(config)
    if high - low + 1 < config["max_edge_width"]:
        raise ValueError("the allowed edge region is narrower than max_edge_width")


def edge_rows(config: dict[str, Any]) -> tuple[int, int]:
    """First and last row (or column) that an edge band may cover, inclusive.

    With ratio 1 the whole image. With ratio r < 1 and L = int(resolution * r),
    training bands lie in 0..L-2 and validation bands in L..resolution-2; for
    the 28-pixel images and r = 0.5 that is 0..12 versus 14..26, so no row is
    shared and the validation edges are in a region never seen in training.
    """
    resolution = config["spatial_resolution"]
    ratio = config["possible_edge_location_ratio"]
    if ratio >= 1:
        return 0, resolution - 1
    boundary = int(resolution * ratio)
    if config["split"] == "train":
        return 0, boundary - 2
    return boundary, resolution - 2
