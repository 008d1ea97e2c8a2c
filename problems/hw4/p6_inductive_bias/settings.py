"""Thresholds, grader seeds and reference answers of Problem 6's trained-model parts.

The grader calls training.train_and_validate(data_per_class=DATA_PER_CLASS,
seed=s, ...) with the student's numbers for every s in a part's seeds and
compares the validation accuracy with ACCURACY_THRESHOLD.

How the values were found (torch 2.13 CPU, one thread; bench/bench_p6_training.py
prints the per-seed figures again):

With 10 training images per class, whether the CNN reaches 90 % depends more on
the draw (the 30 training images and the initialisation) than on the
hyperparameters. Edges as faint as 0.25 on a 0.2 background are hard to tell
from "none" with so few examples, and under the domain shift some draws swap
horizontal and vertical. Over seeds 0..19:

* 6.3 (lr 0.01, k 7, no shift): at 300 epochs (the cap) accuracies range
  0.62..0.987 and 7 of 20 seeds stay below 0.90 even there (seed 1 plateaus
  at 0.76, seed 2 at 0.82, seed 16 at 0.62).
* 6.4 (shift): none of the 36 configurations tried on seeds 0..4 (epochs 30
  to 300, lr 0.01 to 0.2, k 3, 5, 7, 11) clears 0.90 on all five; the best
  over seeds 0..19, (300, 0.03, 3), clears it on 7 of 20, and k = 3 loses
  some draws to dead ReLUs (accuracy 1/3) at any lr tried.

So the homework's bars are statements about one notebook run, and the grader
reproduces draws on which they are reachable:

* 6.3: a seed is usable when the course recipe at the 300-epoch cap reaches
  >= 0.93 (0.03 above the bar, room for floating-point differences between
  CPUs): seeds 0, 4, 5, 6, 14 of 0..19; the grader uses the first three. The
  reference is the smallest epoch count (grid 100, 150, 175, 200, 250, 300)
  that clears 0.90 on all three: 175 epochs -> 0.933, 0.980, 0.947 (150
  epochs gives 0.847 on seed 0; 30, the notebook's first pass, about 0.5);
  200, 250 and 300 epochs pass too.
* 6.4: no configuration is canonical, so the reference was chosen first, the
  cheapest of the eight configurations run on all of seeds 0..19 that
  reaches >= 0.93 on at least four of them: 200 epochs, lr 0.05, k 3
  (seeds 3, 4, 5, 15). The grader uses the first three: 0.947, 0.973,
  0.940. The untuned recipe (300 epochs, lr 0.01, k 7) gives 0.84, 0.84,
  0.913 there and fails, as the notebook intends.

A configuration other than the reference can fail a seed on which the
reference passes (for example (300, 0.03, 3) gives 0.873 on seed 5): the
check's verdict rule (all seeds, or a majority) is the grading engine's
choice, not fixed here.
"""

ACCURACY_THRESHOLD = 0.90
DATA_PER_CLASS = 10
SEED_SCREENING_ACCURACY = 0.93

P6_3_GRADER_SEEDS = (0, 4, 5)
P6_3_REFERENCE_NUM_EPOCHS = 175

P6_4_GRADER_SEEDS = (3, 4, 5)
P6_4_REFERENCE_NUM_EPOCHS = 200
P6_4_REFERENCE_LEARNING_RATE = 0.05
P6_4_REFERENCE_KERNEL_SIZE = 3
