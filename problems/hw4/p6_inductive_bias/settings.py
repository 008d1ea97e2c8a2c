"""Reference answers of Problem 6's trained-model parts, and how they were chosen.

The grading rule (draws, per-draw bars, majority) is in verdict.py, which the
notebook also pastes; this module holds what the notebook must not show: the
reference answers. bench/bench_p6_training.py prints every figure below again
(torch 2.13 CPU, one thread, torch's own convolutions for kernels up to 9).

Facts first. The data set, the two models and the training recipe follow
NOTEBOOKS.md (label order, band widths 1-4, intensities 0.25-1 on a 0-0.2
background, rows 0-12 / 14-26 under the shift, 8-bit storage, 606-parameter CNN,
SGD 0.01 with momentum 0.9, batch 10); nothing in them makes the task harder
than the course's. At 30 images per class the recipe reaches about 95 %, as
the notebook's text says. At 10 per class it is the draw that decides: on draws
0-15 the recipe trained for 300 epochs reaches 76 % to 99 %, below 90 % on four
of them, because 30 images may hold no faint or thin edge of a class, and some
initial weights learn slowly or not at all. Starting every draw from the
notebook's set_seed(10) weights instead makes it worse (median 89 %, lows of 67 %).
The course's 97-100 % under the shift is one draw after tuning on that draw:
over draws 0-15 no setting tried (lr 0.01-0.1, kernels 3-13, up to 300 epochs)
has a median above 89 % under the shift. Hence verdict.py's per-draw bars.

6.3 (lr 0.01, kernel 7): the reference is the smallest epoch count of the grid
30, 50, 100, 125, 150, 175, 200, 250, 300 that clears its draw's bar on every
one of draws 0-15: 250 epochs (16 of 16). 200 epochs clears 15 (draw 11 is
still learning: 81 % at 200, 87 % at 250, 90 % at 300), 175 clears 14, 150
clears 12, 100 clears 4, and 30, the notebook's first pass, none.

6.4 (domain shift): of lr 0.02, 0.03, 0.05 with kernels 3 and 5, at 150, 200 and
250 epochs, the reference is lr 0.02, kernel 5, 250 epochs: it clears its bar on
16 of 16 draws, and no draw leaves it untrained. Kernel 3 is as accurate on most
draws but its 3 x 3 filters die from some initial weights (draw 12 stays at
33 %, draw 8 at 60 %, at every learning rate tried), and lr 0.05 swings by 10
points from one epoch to the next. The untuned recipe (300 epochs, lr 0.01,
kernel 7) falls short of the bar on most draws, as the notebook intends.
"""

from .verdict import PARTS

P6_3_REFERENCE_NUM_EPOCHS = 250

P6_4_REFERENCE_NUM_EPOCHS = 250
P6_4_REFERENCE_LEARNING_RATE = 0.02
P6_4_REFERENCE_KERNEL_SIZE = 5

#: The reference answers as training arguments (train_and_validate's keywords besides data_per_class and
#: seed), by part: what the bench and the tests train.
REFERENCE_TRAINING = {
    "6.3": PARTS["6.3"].arguments(epochs=P6_3_REFERENCE_NUM_EPOCHS),
    "6.4": PARTS["6.4"].arguments(
        epochs=P6_4_REFERENCE_NUM_EPOCHS,
        learning_rate=P6_4_REFERENCE_LEARNING_RATE,
        kernel_size=P6_4_REFERENCE_KERNEL_SIZE,
    ),
}
