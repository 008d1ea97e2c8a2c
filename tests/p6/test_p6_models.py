"""Parameter counts and helpers of the Problem 6 models."""

import pytest
import torch

from problems.hw4.p6_inductive_bias.models import (
    SimpleCNN,
    ThreeLayerMLP,
    count_parameters,
    edge_detector_kernel,
    freeze_conv_layers,
    init_edge_detectors,
)


def test_parameter_counts() -> None:
    assert count_parameters(SimpleCNN(num_filters=3, kernel_size=7, num_classes=3)) == 606
    assert count_parameters(SimpleCNN(kernel_size=7, num_classes=3, pooling="avg")) == 606
    assert count_parameters(ThreeLayerMLP(hidden_dims=[50, 10])) == 39_793
    assert count_parameters(SimpleCNN(num_classes=5)) == 614


@pytest.mark.parametrize("kernel_size", [1, 3, 7, 13, 27])
def test_same_padding_keeps_shapes(kernel_size: int) -> None:
    model = SimpleCNN(kernel_size=kernel_size, num_classes=5)
    assert model.conv1(torch.zeros(2, 1, 28, 28)).shape == (2, 3, 28, 28)
    assert model(torch.rand(2, 1, 28, 28)).shape == (2, 5)


@pytest.mark.parametrize("kernel_size", [0, 2, 8, 29])
def test_even_or_oversized_kernels_rejected(kernel_size: int) -> None:
    with pytest.raises(ValueError):
        SimpleCNN(kernel_size=kernel_size)


def test_mlp_reseeds_like_the_course() -> None:
    torch.manual_seed(1)
    first = ThreeLayerMLP()
    torch.manual_seed(2)
    second = ThreeLayerMLP()
    assert all(torch.equal(a, b) for a, b in zip(first.parameters(), second.parameters()))


def test_edge_detector_init_and_freeze() -> None:
    kernel = edge_detector_kernel(7)
    assert kernel[2].tolist() == [1.0] * 7 and kernel[3].tolist() == [-1.0] * 7 and kernel.abs().sum() == 14
    assert edge_detector_kernel(3)[0].tolist() == [1.0] * 3 and edge_detector_kernel(3)[1].tolist() == [-1.0] * 3
    model = SimpleCNN()
    third = model.conv1.weight[2].clone()
    init_edge_detectors(model)
    assert torch.equal(model.conv1.weight[0, 0], kernel) and torch.equal(model.conv1.weight[1, 0], kernel.T)
    assert torch.equal(model.conv1.weight[2], third)
    assert not model.conv1.bias.any() and not model.conv2.bias.any()
    freeze_conv_layers(model)
    assert count_parameters(model) == 12
    with pytest.raises(ValueError):
        edge_detector_kernel(1)
