"""The two models of Problem 6 and the helpers that modify them.

SimpleCNN has very few parameters (606 for 3 classes and 7 x 7 kernels) and
is translation-equivariant up to its global average pool; ThreeLayerMLP sees
every pixel separately (39,793 parameters). The contrast between the two is
the point of the problem.
"""

from collections.abc import Sequence

import torch
from torch import nn

MAX_KERNEL_SIZE = 27
POOLINGS = ("max", "avg")


def check_kernel_size(kernel_size: int) -> None:
    """Only odd sizes up to 27 are allowed.

    "Same" padding is symmetric only for odd kernels (k // 2 pixels on each
    side), and reflect padding needs fewer pixels than the 14 x 14 input of
    the second convolution, so k // 2 <= 13.
    """
    if kernel_size % 2 != 1 or not 1 <= kernel_size <= MAX_KERNEL_SIZE:
        raise ValueError(f"kernel_size must be odd and in 1..{MAX_KERNEL_SIZE}, got {kernel_size}")


class SimpleCNN(nn.Module):
    """conv -> ReLU -> 2x2 pool -> conv -> ReLU -> global average pool -> linear."""

    def __init__(
        self, num_filters: int = 3, kernel_size: int = 7, num_classes: int = 3, pooling: str = "max"
    ) -> None:
        super().__init__()
        check_kernel_size(kernel_size)
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}")
        self.conv1 = nn.Conv2d(1, num_filters, kernel_size, padding="same", padding_mode="reflect")
        self.pool = nn.MaxPool2d(2) if pooling == "max" else nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(
            num_filters, num_filters, kernel_size, padding="same", padding_mode="reflect"
        )
        self.fc = nn.Linear(num_filters, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(torch.relu(self.conv1(x)))
        x = torch.relu(self.conv2(x))
        return self.fc(x.mean(dim=(2, 3)))


class ThreeLayerMLP(nn.Module):
    """flatten -> 784->50 -> ReLU -> 50->10 -> ReLU -> 10->classes."""

    def __init__(
        self, hidden_dims: Sequence[int] = (50, 10), num_classes: int = 3, input_dim: int = 28 * 28
    ) -> None:
        super().__init__()
        # The course notebook reseeds here, so the MLP's initial weights do not
        # depend on how much randomness the CNN built before it consumed.
        torch.manual_seed(7)
        layers: list[nn.Module] = [nn.Flatten()]
        for width in hidden_dims:
            layers += [nn.Linear(input_dim, width), nn.ReLU()]
            input_dim = width
        layers.append(nn.Linear(input_dim, num_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def edge_detector_kernel(kernel_size: int) -> torch.Tensor:
    """A horizontal edge detector: row c-1 all +1, row c all -1, c = kernel_size // 2.

    For 7 x 7 that is row 2 = +1 and row 3 = -1, the course's kernel; the
    same two rows just above and at the centre work for any odd size >= 3.
    The vertical detector is the transpose.
    """
    if kernel_size < 3:
        raise ValueError("an edge detector needs a kernel of at least 3 x 3")
    kernel = torch.zeros(kernel_size, kernel_size)
    centre = kernel_size // 2
    kernel[centre - 1, :] = 1.0
    kernel[centre, :] = -1.0
    return kernel


@torch.no_grad()
def init_edge_detectors(model: SimpleCNN) -> None:
    """First conv: filter 0 horizontal, filter 1 vertical detector, others left random.

    Both conv biases are zeroed so that the detectors respond only to edges.
    """
    kernel = edge_detector_kernel(model.conv1.kernel_size[0])
    model.conv1.weight[0, 0] = kernel
    model.conv1.weight[1, 0] = kernel.T
    model.conv1.bias.zero_()
    model.conv2.bias.zero_()


def freeze_conv_layers(model: SimpleCNN) -> None:
    """Stop training both conv layers, so that only the final linear layer learns."""
    for layer in (model.conv1, model.conv2):
        for parameter in layer.parameters():
            parameter.requires_grad_(False)
