"""Loader checks of 6.1 and 6.2: real DataLoaders, described by the sandbox's encoder, judged by the grader."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from autograder.paths import project_root
from autograder.sandbox import wire
from problems.hw4.p6_inductive_bias import edgeconfig, edgedata
from problems.hw4.p6_inductive_bias.loader_faults import loader_faults

TRAIN = {"per_class": 10, "batch_size": 10, "shuffle": True, "split": "train"}
VALID = {"per_class": 50, "batch_size": 256, "shuffle": None, "split": "valid"}


def crossed(loader: Any) -> Any:
    """What the grader receives: the child's encoding, through JSON, decoded."""
    return wire.decode(json.loads(json.dumps(wire.encode(loader))))


def train_loader(batch_size: int = 10, shuffle: bool = True, **config: Any) -> DataLoader:
    options = {"data_per_class": 10, **config}
    return DataLoader(edgedata.EdgeDataset(edgeconfig.make_config(**options), seed=0), batch_size=batch_size, shuffle=shuffle)


def test_judging_loaders_and_grading_trained_parts_import_no_torch() -> None:
    """The grader runs beside the students' notebooks: its checks must not add torch's memory to theirs."""
    code = (
        "import sys\n"
        "from problems.hw4.p6_inductive_bias import check_p6, loader_faults, verdict\n"
        "assert loader_faults.expected_config(10, 'train')['class_type'] == ['horizontal', 'vertical', 'none']\n"
        "print('torch' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project_root(), check=True)
    assert run.stdout.strip() == "False"


def test_the_described_loaders_have_no_faults() -> None:
    assert loader_faults(crossed(train_loader()), **TRAIN) == []
    valid = DataLoader(edgedata.EdgeDataset(edgeconfig.validation_config(edgeconfig.make_config()), seed=0), batch_size=256)
    assert loader_faults(crossed(valid), **VALID) == []


@pytest.mark.parametrize(
    ("loader", "expected"),
    [
        (lambda: train_loader(split="valid"), "the data set is the validation split (split='valid'), not split='train'"),
        (lambda: train_loader(use_permutation=True), "the pixels are permuted (use_permutation=True"),
        (lambda: train_loader(possible_edge_location_ratio=0.5), "possible_edge_location_ratio=0.5, the domain shift of 6.4"),
        (lambda: train_loader(max_edge_width=2), "max_edge_width is 2, not the notebook's 4"),
        (lambda: train_loader(num_classes=5, class_type=list(edgeconfig.FIVE_CLASSES)), "not the three classes"),
        (lambda: train_loader(data_per_class=30), "the data set holds 90 images, not 10 per class for 3 classes"),
        (lambda: train_loader(batch_size=32), "batch size 32 (the notebook uses 10)"),
        (lambda: train_loader(shuffle=False), "the batches are not shuffled (use shuffle=True)"),
        (
            lambda: DataLoader(edgedata.EdgeDataset(edgeconfig.make_config(data_per_class=10), seed=0), batch_size=10, shuffle=True, drop_last=True),
            "drop_last=True",
        ),
        (
            lambda: DataLoader(TensorDataset(torch.zeros(30, 1, 28, 28), torch.zeros(30, dtype=torch.long)), batch_size=10, shuffle=True),
            "does not carry the EdgeDataset configuration",
        ),
    ],
    ids=["valid-split", "permuted", "shifted", "edge-width", "five-classes", "size", "batch", "no-shuffle", "drop-last", "tensor-dataset"],
)
def test_each_difference_gets_its_named_message(loader: Any, expected: str) -> None:
    faults = loader_faults(crossed(loader()), **TRAIN)
    assert any(expected in fault for fault in faults), faults


def test_one_difference_gives_one_message() -> None:
    assert len(loader_faults(crossed(train_loader(use_permutation=True)), **TRAIN)) == 1
    assert len(loader_faults(crossed(train_loader(data_per_class=30)), **TRAIN)) == 1


def test_the_labels_that_cross_are_counted() -> None:
    loader = train_loader()
    loader.dataset.labels = torch.zeros(30, dtype=torch.long)
    assert loader_faults(crossed(loader), **TRAIN) == ["the labels count 30, 0, 0 images of classes 0, 1, 2, not 10 of each"]
    loader.dataset.labels = torch.full((30,), 7)
    assert any("not all 0 (horizontal), 1 (vertical) or 2 (none)" in f for f in loader_faults(crossed(loader), **TRAIN))
    loader.dataset.labels = torch.zeros(30)
    assert any("labels could not be read" in f for f in loader_faults(crossed(loader), **TRAIN))


def test_a_training_loader_is_not_a_validation_loader() -> None:
    faults = loader_faults(crossed(train_loader(data_per_class=50, batch_size=256, shuffle=False)), **VALID)
    assert faults == ["the data set is the 'train' split (split='train'), not split='valid': use validation_config(make_config())"]


def test_a_value_that_is_no_loader() -> None:
    assert loader_faults([1, 2], **TRAIN) == ["expected a torch DataLoader, got a value of type list"]
