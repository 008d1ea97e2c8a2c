"""Hyperparameter validation and the grader's training run."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from problems.hw4.p6_inductive_bias import settings
from problems.hw4.p6_inductive_bias.training import (
    evaluate,
    train_and_validate,
    validation_curve,
)
from problems.hw4.p6_inductive_bias.verdict import (
    MAX_EPOCHS,
    MAX_GRADED_KERNEL_SIZE,
    MAX_LEARNING_RATE,
    validate_hyperparameters,
)


@pytest.mark.parametrize(
    ("epochs", "learning_rate", "kernel_size", "expected"),
    [
        (0, 0.01, 7, "number of epochs"),
        (MAX_EPOCHS + 1, 0.01, 7, "number of epochs may be at most"),
        (30.0, 0.01, 7, "number of epochs"),
        (True, 0.01, 7, "number of epochs"),
        ("30", 0.01, 7, "number of epochs"),
        (30, 0, 7, "learning rate"),
        (30, -0.1, 7, "learning rate"),
        (30, math.nan, 7, "learning rate"),
        (30, math.inf, 7, "learning rate"),
        (30, MAX_LEARNING_RATE * 2, 7, "learning rate"),
        (30, None, 7, "learning rate"),
        (30, 0.01, 4, "kernel size"),
        (30, 0.01, 0, "kernel size"),
        (30, 0.01, MAX_GRADED_KERNEL_SIZE + 2, "kernel size"),
        (30, 0.01, 7.0, "kernel size"),
    ],
)
def test_insane_values_get_a_message(epochs: object, learning_rate: object, kernel_size: object, expected: str) -> None:
    message = validate_hyperparameters(epochs, learning_rate, kernel_size)
    assert message is not None and expected in message.lower() and "got" in message


def test_sane_values_pass() -> None:
    assert validate_hyperparameters(1, 1e-4, 1) is None
    assert validate_hyperparameters(MAX_EPOCHS, MAX_LEARNING_RATE, MAX_GRADED_KERNEL_SIZE) is None
    assert validate_hyperparameters(np.int64(30), np.float32(0.1), 5) is None
    long_value = "x" * 500
    assert len(validate_hyperparameters(long_value, 0.01, 7)) < 200


def test_reference_values_are_valid() -> None:
    assert validate_hyperparameters(settings.P6_3_REFERENCE_NUM_EPOCHS, 0.01, 7) is None
    assert (
        validate_hyperparameters(
            settings.P6_4_REFERENCE_NUM_EPOCHS,
            settings.P6_4_REFERENCE_LEARNING_RATE,
            settings.P6_4_REFERENCE_KERNEL_SIZE,
        )
        is None
    )


def test_train_and_validate_is_deterministic_and_restores_threads() -> None:
    threads = torch.get_num_threads()
    first = train_and_validate(data_per_class=3, epochs=2, seed=1)
    second = train_and_validate(data_per_class=3, epochs=2, seed=1)
    shifted = train_and_validate(data_per_class=3, epochs=2, kernel_size=3, domain_shift=True, seed=1)
    assert first == second and 0.0 <= first <= 1.0 and 0.0 <= shifted <= 1.0
    assert torch.get_num_threads() == threads
    with pytest.raises(ValueError, match="number of epochs"):
        train_and_validate(data_per_class=3, epochs=0, seed=1)


def test_validation_curve_reads_every_checkpoint_of_one_run() -> None:
    """Evaluating draws no random numbers: the curve's point at e epochs is a run of e epochs."""
    curve = validation_curve(data_per_class=3, checkpoints=(4, 2), kernel_size=5, seed=2)
    assert sorted(curve) == [2, 4]
    assert curve[2] == train_and_validate(data_per_class=3, epochs=2, kernel_size=5, seed=2)
    assert curve[4] == train_and_validate(data_per_class=3, epochs=4, kernel_size=5, seed=2)
    with pytest.raises(ValueError, match="number of epochs"):
        validation_curve(data_per_class=3, checkpoints=(2, MAX_EPOCHS + 1), seed=2)


def test_evaluate_confusion_matrix() -> None:
    class Fixed(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.tensor([[1.0, 0, 0], [1.0, 0, 0], [0, 0, 1.0]])

    labels = torch.tensor([0, 1, 2])
    result = evaluate(Fixed(), [(torch.zeros(3, 1, 28, 28), labels)], nn.CrossEntropyLoss(), 3)
    assert result.confusion.tolist() == [[1, 0, 0], [1, 0, 0], [0, 0, 1]]
    assert result.accuracy == pytest.approx(2 / 3) and result.loss > 0


def test_momentum_sgd_takes_torch_sgds_steps_exactly() -> None:
    """The written-out optimizer must be torch.optim.SGD(momentum=0.9), bit for bit, frozen parameters included."""
    from problems.hw4.p6_inductive_bias.models import SimpleCNN, freeze_conv_layers
    from problems.hw4.p6_inductive_bias.training import MomentumSGD, make_optimizer

    images, labels = torch.rand(10, 1, 28, 28), torch.arange(10) % 3
    for freeze in (False, True):
        torch.manual_seed(0)
        ours, theirs = SimpleCNN(kernel_size=5), SimpleCNN(kernel_size=5)
        theirs.load_state_dict(ours.state_dict())
        if freeze:
            freeze_conv_layers(ours)
            freeze_conv_layers(theirs)
        mine = make_optimizer(ours, 0.05)
        assert isinstance(mine, MomentumSGD)
        reference = torch.optim.SGD([p for p in theirs.parameters() if p.requires_grad], lr=0.05, momentum=0.9)
        for _ in range(5):
            for model, optimizer in ((ours, mine), (theirs, reference)):
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(images), labels).backward()
                optimizer.step()
        for key, value in ours.state_dict().items():
            assert torch.equal(value, theirs.state_dict()[key]), key
