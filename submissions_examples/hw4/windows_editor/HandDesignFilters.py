# %%
# autograder: setup
import numpy as np
from scipy import ndimage

# %%
import matplotlib.pyplot as plt

"""The grayscale test image of Problem 5, drawn by code.

The course notebook downloads a photo; grading has no network, and a drawn
image needs no binary file in the repository. It has what the two filters
should show: straight and curved edges of several contrasts for the edge
detector, fine stripes and a checkerboard that blurring washes out, and mild
noise (fixed seed) that averaging smooths away.
"""

import numpy as np


def make_test_image(size: int = 256) -> np.ndarray:
    """A size x size grayscale image with values in [0, 1], the same on every call."""
    rows, cols = np.mgrid[0:size, 0:size] / size
    image = 0.15 + 0.25 * cols
    image[(rows - 0.3) ** 2 + (cols - 0.28) ** 2 < 0.17**2] = 0.9
    image[(rows > 0.58) & (rows < 0.92) & (cols > 0.08) & (cols < 0.45)] = 0.05
    image[(rows > 0.12) & (rows < 0.48) & (np.abs(cols - 0.75) < 0.6 * (rows - 0.12))] = 0.65
    stripes = (rows > 0.58) & (rows < 0.92) & (cols > 0.55) & (cols < 0.72)
    image[stripes] = np.where((cols[stripes] * size // 4) % 2 == 0, 0.95, 0.3)
    checks = (rows > 0.58) & (rows < 0.92) & (cols > 0.76) & (cols < 0.94)
    image[checks] = np.where((rows[checks] * size // 8 + cols[checks] * size // 8) % 2 == 0, 0.85, 0.2)
    noise = np.random.default_rng(0).normal(0.0, 0.02, size=image.shape)
    return np.clip(image + noise, 0.0, 1.0)


image = make_test_image()
plt.imshow(image, cmap="gray", vmin=0, vmax=1)
plt.title("original")
plt.axis("off")
plt.show()

# %%
# autograder: graded
def averaging_filtering(image, filter_size=3):
    kernel = np.ones((filter_size, filter_size)) / filter_size**2
    return ndimage.convolve(image, kernel)

# %%
fig, axes = plt.subplots(1, 4, figsize=(16, 4))
panels = [("original", image)] + [
    (f"{n}x{n} average", averaging_filtering(image, filter_size=n)) for n in (3, 6, 9)
]
for ax, (title, picture) in zip(axes, panels):
    ax.imshow(picture, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    ax.axis("off")
plt.show()

# %%
# autograder: graded
def edge_detecting(image):
    kernel = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)
    return ndimage.convolve(image, kernel)

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, (title, picture) in zip(axes, [("original", image), ("edges", edge_detecting(image))]):
    ax.imshow(picture, cmap="gray")
    ax.set_title(title)
    ax.axis("off")
plt.show()
