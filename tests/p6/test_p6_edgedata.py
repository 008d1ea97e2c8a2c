"""Facts about the synthetic edge data set that NOTEBOOKS.md fixes."""

import numpy as np
import pytest
import torch

from problems.hw4.p6_inductive_bias.edgeconfig import (
    FIVE_CLASSES,
    THREE_CLASSES,
    VALIDATION_PER_CLASS,
    edge_rows,
    five_class_config,
    make_config,
    validation_config,
)
from problems.hw4.p6_inductive_bias.edgedata import (
    EdgeDataset,
    generate_images,
    pixel_permutation,
    to_float_images,
)


def floats(config: dict, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Images as the models see them, (N, 28, 28) in [0, 1]."""
    images, labels = generate_images(config, seed)
    return to_float_images(images)[:, 0], labels


def band_rows(image: np.ndarray) -> np.ndarray:
    """Rows without a background pixel (the background is the image's most common value)."""
    values, counts = np.unique(image, return_counts=True)
    return np.nonzero((image != values[counts.argmax()]).all(axis=1))[0]


def test_defaults_and_label_order() -> None:
    config = make_config()
    assert config["class_type"] == ["horizontal", "vertical", "none"] == list(THREE_CLASSES)
    assert config["data_per_class"] == 1000 and config["spatial_resolution"] == 28
    assert (config["min_edge_width"], config["max_edge_width"]) == (1, 4)
    assert (config["min_edge_intensity"], config["max_edge_intensity"]) == (0.25, 1.0)
    assert (config["min_background_intensity"], config["max_background_intensity"]) == (0.0, 0.2)
    assert config["possible_edge_location_ratio"] == 1.0 and config["use_permutation"] is False
    images, labels = floats(make_config(data_per_class=30))
    assert images.shape == (90, 28, 28) and labels.tolist() == [0] * 30 + [1] * 30 + [2] * 30
    horizontal, vertical, none = images[:30], images[30:60], images[60:]
    assert all(len(band_rows(image)) > 0 for image in horizontal)
    assert all(len(band_rows(image.T)) > 0 for image in vertical)
    assert all(np.ptp(image) == 0 for image in none)


def test_widths_background_and_intensities() -> None:
    images, _ = floats(make_config(data_per_class=400), seed=3)
    horizontal = images[:400]
    widths = {len(band_rows(image)) for image in horizontal}
    assert widths == {1, 2, 3, 4}
    for image in horizontal:
        rows = band_rows(image)
        assert rows.tolist() == list(range(rows[0], rows[-1] + 1))
        assert len(np.unique(image[rows])) == 1
        assert 0.25 - 1 / 255 <= image[rows[0], 0] <= 1.0
        background = np.delete(image, rows, axis=0)
        assert len(np.unique(background)) == 1 and 0.0 <= background[0, 0] <= 0.2 + 1 / 255
    starts = {band_rows(image)[0] for image in horizontal}
    assert 0 in starts and 27 in {band_rows(image)[-1] for image in horizontal}


def test_domain_shift_rows() -> None:
    train = make_config(data_per_class=200, possible_edge_location_ratio=0.5)
    valid = validation_config(train)
    assert edge_rows(train) == (0, 12) and edge_rows(valid) == (14, 26)
    for config, allowed in ((train, set(range(13))), (valid, set(range(14, 27)))):
        images, _ = floats(config)
        rows = set().union(*(band_rows(image).tolist() for image in images[:200]))
        columns = set().union(*(band_rows(image.T).tolist() for image in images[200:400]))
        assert rows <= allowed and columns <= allowed
        assert min(rows) == min(allowed) and max(rows) == max(allowed)


def test_validation_has_50_per_class() -> None:
    for config in (make_config(data_per_class=10), five_class_config(data_per_class=10)):
        valid = validation_config(config)
        assert valid["data_per_class"] == VALIDATION_PER_CLASS == 50 and valid["split"] == "valid"
        _, labels = generate_images(valid, 0)
        assert np.bincount(labels).tolist() == [50] * config["num_classes"]


def test_five_classes() -> None:
    config = five_class_config(data_per_class=20)
    assert config["class_type"] == list(FIVE_CLASSES) == ["horizontal", "vertical", "diagonal", "both", "none"]
    images, labels = floats(config, seed=1)
    assert np.bincount(labels).tolist() == [20] * 5
    for image in images[60:80]:  # both: a cross of one width, two intensities
        rows, columns = band_rows(image), band_rows(image.T)
        assert len(rows) > 0 and rows.tolist() == columns.tolist()
        free = min(set(range(28)) - set(rows.tolist()))
        horizontal, vertical, background = image[rows[0], free], image[free, columns[0]], image[free, free]
        assert len({horizontal, vertical, background}) == 3
    for image in images[40:60]:  # diagonal: neither a full row nor a full column
        assert len(band_rows(image)) == 0 and len(band_rows(image.T)) == 0 and np.ptp(image) > 0.1


def test_permutation_is_fixed_bijection() -> None:
    config = make_config(data_per_class=5, use_permutation=True)
    permutation = pixel_permutation(config)
    assert sorted(permutation.tolist()) == list(range(784))
    assert np.array_equal(permutation, pixel_permutation(validation_config(config)))
    plain, _ = generate_images(make_config(data_per_class=5), 7)
    permuted, _ = generate_images(config, 7)
    assert np.array_equal(plain.reshape(15, -1)[:, permutation], permuted.reshape(15, -1))


def test_determinism_and_seeds() -> None:
    config = five_class_config(data_per_class=8)
    first, labels = generate_images(config, 11)
    again, _ = generate_images(config, 11)
    other, _ = generate_images(config, 12)
    valid, _ = generate_images(validation_config(config), 11)
    assert first.dtype == np.uint8 and labels.dtype == np.int64
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    assert not np.array_equal(first[:8], valid[:8])


def test_torch_dataset() -> None:
    dataset = EdgeDataset(make_config(data_per_class=4), seed=0)
    image, label = dataset[5]
    assert len(dataset) == 12 and image.shape == (1, 28, 28) and image.dtype == torch.float32
    assert 0.0 <= dataset.images.min() and dataset.images.max() <= 1.0 and label.item() == 1
    images, _ = generate_images(dataset.config, 0)
    assert torch.equal(dataset.images, torch.from_numpy(images).float().div(255).unsqueeze(1))


@pytest.mark.parametrize(
    "overrides",
    [{"colour": 1}, {"class_type": ["circle"]}, {"split": "test"}, {"possible_edge_location_ratio": 0.1}],
)
def test_invalid_configs_rejected(overrides: dict) -> None:
    with pytest.raises((KeyError, ValueError)):
        make_config(**overrides)
