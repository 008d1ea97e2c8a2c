"""Training and evaluation of the Problem 6 models, as the course notebook does it.

The helpers set_seed, make_optimizer, train_epoch, EvaluationResult and
evaluate are copied verbatim into the starter notebook (see
problems/hw4/build_notebooks.py), so students run exactly this code.

train_and_validate is what the grader calls for the model-threshold parts
(6.3 and 6.4): it takes only numbers from the submission, builds fresh data
and the model itself, and returns the validation accuracy.
"""

import math
import numbers
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .edgedata import EdgeDataset, make_config, validation_config
from .models import SimpleCNN

BATCH_SIZE = 10
MOMENTUM = 0.9
DOMAIN_SHIFT_RATIO = 0.5
# Caps on what the grader trains with. One CNN step (batch 10) costs about 4.5 ms
# of CPU at k = 7 and 10 ms at k = 13, so 300 epochs of 10 images per class cost
# at most about 10 CPU-seconds per seed. 13 is also the largest odd kernel that
# fits inside the 14 x 14 maps of the second convolution.
MAX_EPOCHS = 300
MAX_LEARNING_RATE = 10.0
MAX_GRADED_KERNEL_SIZE = 13

Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]


def set_seed(seed: int) -> None:
    """Seed Python's random, NumPy and torch, as the notebook does before each model."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_optimizer(model: nn.Module, learning_rate: float) -> torch.optim.Optimizer:
    """SGD with momentum 0.9 over the parameters that are not frozen."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(trainable, lr=learning_rate, momentum=MOMENTUM)


def train_epoch(
    model: nn.Module, batches: Batches, optimizer: torch.optim.Optimizer, criterion: nn.Module
) -> tuple[float, float]:
    """One pass over the batches; returns the mean training loss and accuracy."""
    model.train()
    total_loss, correct, count = 0.0, 0, 0
    for images, labels in batches:
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        count += len(labels)
    return total_loss / count, correct / count


@dataclass(frozen=True)
class EvaluationResult:
    """Mean loss, accuracy and confusion matrix (rows: true class, columns: predicted)."""

    loss: float
    accuracy: float
    confusion: np.ndarray


@torch.no_grad()
def evaluate(model: nn.Module, batches: Batches, criterion: nn.Module, num_classes: int) -> EvaluationResult:
    """Evaluate without updating the model."""
    model.eval()
    total_loss, count = 0.0, 0
    confusion = np.zeros((num_classes, num_classes), dtype=np.int64)
    for images, labels in batches:
        logits = model(images)
        total_loss += criterion(logits, labels).item() * len(labels)
        np.add.at(confusion, (labels.numpy(), logits.argmax(dim=1).numpy()), 1)
        count += len(labels)
    return EvaluationResult(total_loss / count, float(np.trace(confusion)) / count, confusion)


def _describe(value: object) -> str:
    """A short rendering of a student's value for feedback."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def validate_hyperparameters(epochs: object, learning_rate: object, kernel_size: object) -> str | None:
    """A message for the student when a value cannot be trained with, else None.

    The caps keep one grading run within a few CPU-seconds and reject values
    that can only be typos (a learning rate of 100 diverges at once).
    """
    if not _is_int(epochs) or not 1 <= epochs <= MAX_EPOCHS:
        return f"The number of epochs must be a whole number from 1 to {MAX_EPOCHS}; got {_describe(epochs)}."
    if (
        not isinstance(learning_rate, numbers.Real)
        or isinstance(learning_rate, bool)
        or not math.isfinite(learning_rate)
        or not 0 < learning_rate <= MAX_LEARNING_RATE
    ):
        return (
            "The learning rate must be a finite number greater than 0 and at most "
            f"{MAX_LEARNING_RATE:g}; got {_describe(learning_rate)}."
        )
    if not _is_int(kernel_size) or kernel_size % 2 != 1 or not 1 <= kernel_size <= MAX_GRADED_KERNEL_SIZE:
        return (
            f"The kernel size must be an odd whole number from 1 to {MAX_GRADED_KERNEL_SIZE} (the CNN pads "
            "'same' on both sides, which needs an odd kernel, and its second layer sees 14 x 14 "
            f"maps); got {_describe(kernel_size)}."
        )
    return None


def shuffled_batches(
    images: torch.Tensor, labels: torch.Tensor, batch_size: int
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """What DataLoader(shuffle=True) yields, without its per-sample overhead."""
    order = torch.randperm(len(labels))
    for start in range(0, len(labels), batch_size):
        index = order[start : start + batch_size]
        yield images[index], labels[index]


def train_and_validate(
    *,
    data_per_class: int,
    epochs: int,
    learning_rate: float = 0.01,
    kernel_size: int = 7,
    domain_shift: bool = False,
    seed: int,
) -> float:
    """Validation accuracy of a SimpleCNN trained with the course's recipe.

    Data (training and 50-per-class validation) come from ``seed``; the model
    is built right after set_seed(seed). Torch runs on one thread so that the
    result does not depend on the machine's core count and fits a 0.5 vCPU
    container; the previous thread count is restored afterwards.
    """
    message = validate_hyperparameters(epochs, learning_rate, kernel_size)
    if message is not None:
        raise ValueError(message)
    if not _is_int(data_per_class) or data_per_class < 1:
        raise ValueError(f"data_per_class must be a positive integer, got {_describe(data_per_class)}")
    ratio = DOMAIN_SHIFT_RATIO if domain_shift else 1.0
    config = make_config(data_per_class=data_per_class, possible_edge_location_ratio=ratio)
    train_set = EdgeDataset(config, seed=seed)
    valid_set = EdgeDataset(validation_config(config), seed=seed)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        set_seed(seed)
        model = SimpleCNN(kernel_size=kernel_size, num_classes=config["num_classes"])
        optimizer = make_optimizer(model, learning_rate)
        criterion = nn.CrossEntropyLoss()
        for _ in range(epochs):
            batches = shuffled_batches(train_set.images, train_set.labels, BATCH_SIZE)
            train_epoch(model, batches, optimizer, criterion)
        result = evaluate(model, [(valid_set.images, valid_set.labels)], criterion, config["num_classes"])
    finally:
        torch.set_num_threads(previous_threads)
    return result.accuracy
