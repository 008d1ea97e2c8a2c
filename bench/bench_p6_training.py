"""Accuracy and CPU cost of the grader's Problem 6 training runs.

Prints, for the reference answers of 6.3 and 6.4, the validation accuracy and
the CPU seconds of train_and_validate on each seed (grader seeds marked with
*), then how the CPU cost grows with the number of epochs. Torch runs on one
thread (train_and_validate sets it), so CPU seconds approximate the wall time
on one core; a 0.5 vCPU container takes about twice as long.

Usage: python bench/bench_p6_training.py [--seeds N] [--skip-scaling]
"""

import argparse
import time
from collections.abc import Callable

from problems.hw4.p6_inductive_bias import settings
from problems.hw4.p6_inductive_bias.training import train_and_validate

SCALING_EPOCHS = (10, 25, 50, 100, 200)
SCALING_KERNELS = (3, 7, 13)


def timed(run: Callable[[], float]) -> tuple[float, float]:
    """(result, CPU seconds of this process)."""
    start = time.process_time()
    result = run()
    return result, time.process_time() - start


def reference_runs() -> dict[str, tuple[dict, tuple[int, ...]]]:
    """Keyword arguments of train_and_validate for each part, and the part's grader seeds."""
    base = {"data_per_class": settings.DATA_PER_CLASS}
    return {
        "6.3": ({**base, "epochs": settings.P6_3_REFERENCE_NUM_EPOCHS}, settings.P6_3_GRADER_SEEDS),
        "6.4": (
            {
                **base,
                "epochs": settings.P6_4_REFERENCE_NUM_EPOCHS,
                "learning_rate": settings.P6_4_REFERENCE_LEARNING_RATE,
                "kernel_size": settings.P6_4_REFERENCE_KERNEL_SIZE,
                "domain_shift": True,
            },
            settings.P6_4_GRADER_SEEDS,
        ),
    }


def bench_references(num_seeds: int) -> None:
    for part, (arguments, grader_seeds) in reference_runs().items():
        print(f"\n{part} reference {arguments}")
        print("  seed  accuracy  cpu_s")
        grader_accuracies, grader_seconds = [], []
        for seed in sorted(set(range(num_seeds)) | set(grader_seeds)):
            accuracy, seconds = timed(lambda: train_and_validate(**arguments, seed=seed))
            marker = "*" if seed in grader_seeds else " "
            print(f"  {seed:>3}{marker}  {accuracy:8.3f}  {seconds:5.2f}", flush=True)
            if seed in grader_seeds:
                grader_accuracies.append(accuracy)
                grader_seconds.append(seconds)
        verdict = "clears" if min(grader_accuracies) >= settings.ACCURACY_THRESHOLD else "MISSES"
        print(
            f"  grader seeds: min accuracy {min(grader_accuracies):.3f} ({verdict} "
            f"{settings.ACCURACY_THRESHOLD}), total {sum(grader_seconds):.2f} CPU s"
        )


def bench_scaling() -> None:
    print("\nCPU seconds of one train_and_validate (10 per class, seed 0) by epochs and kernel size")
    print("  epochs " + "".join(f"  k={kernel:<4}" for kernel in SCALING_KERNELS))
    for epochs in SCALING_EPOCHS:
        row = [
            timed(lambda: train_and_validate(data_per_class=10, epochs=epochs, kernel_size=kernel, seed=0))[1]
            for kernel in SCALING_KERNELS
        ]
        print(f"  {epochs:>6} " + "".join(f"  {seconds:6.2f}" for seconds in row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="also run seeds 0..N-1")
    parser.add_argument("--skip-scaling", action="store_true")
    options = parser.parse_args()
    bench_references(options.seeds)
    if not options.skip_scaling:
        bench_scaling()


if __name__ == "__main__":
    main()
