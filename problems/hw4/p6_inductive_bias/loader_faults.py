"""What differs between a student's DataLoader and the one Problem 6.1/6.2 describes.

The sandbox sends a loader's description (batch size, sampler, drop_last, the data
set's type, length, configuration dict and labels), never the object. Every key of
the configuration is compared with the notebook's, so a loader over the validation
split, permuted pixels or the domain-shifted data set (settings that belong to 6.4
and 6.5) is caught, and each difference gets its own message in the student's terms.

Torch-free on purpose: the loader checks run while the students' notebooks may
still be open, and importing torch in the grader would add its memory to theirs.
The expected configuration therefore comes from edgeconfig.py, the torch-free half
of the data set's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checking.formula_answers import type_name
from autograder.sandbox.wire import Loader
from problems.hw4.p6_inductive_bias.edgeconfig import THREE_CLASSES, make_config

NUM_CLASSES = len(THREE_CLASSES)


def expected_config(per_class: int, split: str) -> dict[str, Any]:
    """The configuration the notebook asks for: the defaults, with this size and split."""
    return make_config(data_per_class=per_class, split=split)


def _same(actual: Any, expected: Any) -> bool:
    """Equal as plain data; 1 and 1.0 agree, True and 1 do not."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(actual) == float(expected)
    if isinstance(expected, list) and isinstance(actual, (list, tuple)):
        return len(actual) == len(expected) and all(_same(a, e) for a, e in zip(actual, expected))
    return type(actual) is type(expected) and actual == expected


def config_faults(config: Any, per_class: int, split: str) -> list[str]:
    """Messages for each configuration key that differs from the notebook's."""
    if not isinstance(config, dict):
        return [
            "its data set does not carry the EdgeDataset configuration (build it as "
            "EdgeDataset(make_config(...), seed=...) or EdgeDataset(validation_config(make_config()), seed=...))"
        ]
    expected = expected_config(per_class, split)
    faults = []
    if not _same(config.get("split"), split):
        other = "validation" if config.get("split") == "valid" else repr(config.get("split"))
        use = "validation_config(make_config())" if split == "valid" else "make_config(...), which is the training split"
        faults.append(f"the data set is the {other} split (split={config.get('split')!r}), not split={split!r}: use {use}")
    if not _same(config.get("use_permutation"), False):
        faults.append("the pixels are permuted (use_permutation=True, the setting of 6.5); 6.1 and 6.2 use the images as drawn")
    if not _same(config.get("possible_edge_location_ratio"), 1.0):
        faults.append(
            f"edges are confined to part of the image (possible_edge_location_ratio="
            f"{config.get('possible_edge_location_ratio')!r}, the domain shift of 6.4); 6.1 and 6.2 use 1.0"
        )
    if not _same(config.get("class_type"), expected["class_type"]) or not _same(config.get("num_classes"), NUM_CLASSES):
        faults.append(f"the classes are {config.get('class_type')!r}, not the three classes {expected['class_type']}")
    named = {"split", "use_permutation", "possible_edge_location_ratio", "class_type", "num_classes", "data_per_class"}
    for key in sorted(set(expected) - named):
        if key not in config:
            faults.append(f"the configuration has no {key!r} (use make_config)")
        elif not _same(config[key], expected[key]):
            faults.append(f"{key} is {config[key]!r}, not the notebook's {expected[key]!r}")
    unknown = sorted(str(key) for key in set(config) - set(expected))
    if unknown:
        faults.append(f"the configuration has keys the notebook's data set does not: {', '.join(unknown)}")
    return faults


def label_faults(labels: Any, per_class: int, length: Any, *, counts: bool = True) -> list[str]:
    """The labels the data set holds: per_class of each of the three classes, as many as its length.

    ``counts=False`` skips the per-class counts, for a data set whose size is already reported wrong.
    """
    if not isinstance(labels, np.ndarray) or labels.ndim != 1 or labels.dtype.kind not in "iu":
        return ["its data set's labels could not be read as a list of class indices"]
    faults = []
    if isinstance(length, int) and len(labels) != length:
        faults.append(f"the data set has {length} images but {len(labels)} labels")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        named = [f"{index} ({name})" for index, name in enumerate(THREE_CLASSES)]
        faults.append(f"the labels are not all {', '.join(named[:-1])} or {named[-1]}")
        return faults
    found = np.bincount(labels, minlength=NUM_CLASSES).tolist()
    if counts and found != [per_class] * NUM_CLASSES:
        indices = ", ".join(str(index) for index in range(NUM_CLASSES))
        faults.append(f"the labels count {', '.join(map(str, found))} images of classes {indices}, not {per_class} of each")
    return faults


def loader_faults(loader: Any, *, per_class: int, batch_size: int, shuffle: bool | None, split: str) -> list[str]:
    """Everything that differs from the loader the notebook asks for (empty when right)."""
    if not isinstance(loader, Loader):
        return [f"expected a torch DataLoader, got a value of type {type_name(loader)}"]
    faults = []
    if loader["batch_size"] != batch_size:
        faults.append(f"batch size {loader['batch_size']} (the notebook uses {batch_size})")
    if shuffle is not None and loader["shuffle"] != shuffle:
        faults.append("the batches are not shuffled (use shuffle=True)" if shuffle else "the batches are shuffled")
    if loader["drop_last"]:
        faults.append("drop_last=True drops the last incomplete batch, so some images are never used")
    config = loader["config"]
    if loader["dataset_len"] != per_class * NUM_CLASSES:
        faults.append(f"the data set holds {loader['dataset_len']} images, not {per_class} per class for {NUM_CLASSES} classes")
    elif isinstance(config, dict) and not _same(config.get("data_per_class"), per_class):
        faults.append(f"data_per_class is {config.get('data_per_class')!r}, not {per_class}")
    faults += config_faults(config, per_class, split)
    if isinstance(config, dict):
        size_right = loader["dataset_len"] == per_class * NUM_CLASSES
        faults += label_faults(loader["labels"], per_class, loader["dataset_len"], counts=size_right)
    return faults
