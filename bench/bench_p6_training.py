"""Per-draw accuracies, bars and CPU cost of the grader's Problem 6 training runs.

For 6.3 and 6.4 it prints, on draws 0..N-1 (grader draws marked *), the
ceiling run (CEILING_EPOCHS epochs) and the bar it sets, the reference answer's
accuracy and whether it clears the bar, and answers that should fail (too few
epochs, the untuned recipe); then the CPU seconds of one reference run and how
the cost grows with the number of epochs and the kernel size. Torch runs on one
thread (train_and_validate sets it), so CPU seconds approximate the wall time on
one core; a 0.5 vCPU container takes about twice as long.

--ceilings also prints the CEILINGS table of verdict.py for the grader draws,
and says where it differs from the recorded one (torch or CPU changes).

Usage: python bench/bench_p6_training.py [--draws 16] [--skip-scaling] [--ceilings]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the problems package lives in the checkout
from problems.hw4.p6_inductive_bias import settings, verdict  # noqa: E402
from problems.hw4.p6_inductive_bias.training import train_and_validate, validation_curve  # noqa: E402

SCALING_EPOCHS = (10, 50, 100, 200, 300)
SCALING_KERNELS = (3, 7, 13)


@dataclass(frozen=True)
class Study:
    """One part: its reference answer (settings.py) and answers that should fail, as (label, the student's values)."""

    part: str
    others: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def reference(self) -> dict[str, Any]:
        return settings.REFERENCE_TRAINING[self.part]

    @property
    def ceiling(self) -> dict[str, Any]:
        return {**self.reference, "epochs": verdict.CEILING_EPOCHS}

    def arguments(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The training arguments of the student's values, as the grader trains them."""
        return verdict.PARTS[self.part].arguments(**answers)


STUDIES = (
    Study("6.3", [(f"{epochs} epochs", {"epochs": epochs}) for epochs in (30, 100, 150, 200)]),
    Study("6.4", [("untuned (300, 0.01, 7)", {"epochs": 300, "learning_rate": 0.01, "kernel_size": 7})]),
)


def timed(run: Callable[[], float]) -> tuple[float, float]:
    """(result, CPU seconds of this process)."""
    start = time.process_time()
    result = run()
    return result, time.process_time() - start


def accuracies(arguments: list[dict[str, Any]], seed: int) -> list[float]:
    """Accuracy of each run; runs that differ only in epochs share one training curve."""
    results: list[float] = []
    curves: dict[tuple, dict[int, float]] = {}
    for run in arguments:
        key = tuple(sorted((k, v) for k, v in run.items() if k != "epochs"))
        if key not in curves:
            epochs = [a["epochs"] for a in arguments if tuple(sorted((k, v) for k, v in a.items() if k != "epochs")) == key]
            options = dict(key)
            curves[key] = validation_curve(data_per_class=verdict.DATA_PER_CLASS, checkpoints=epochs, seed=seed, **options)
        results.append(curves[key][run["epochs"]])
    return results


def bench_study(study: Study, draws: int) -> dict[int, float]:
    """Print the per-draw table of one part; returns the ceilings found."""
    labels = ["reference", *(label for label, _ in study.others)]
    runs = [study.ceiling, study.reference, *(study.arguments(answers) for _, answers in study.others)]
    print(f"\n{study.part}: reference {study.reference}; ceiling {study.ceiling}; tolerance {verdict.TOLERANCE}")
    print("  draw  ceiling    bar  " + "  ".join(f"{label:>22}" for label in labels))
    ceilings: dict[int, float] = {}
    results: list[list[verdict.DrawResult]] = [[] for _ in labels]
    for seed in range(draws):
        ceiling, *values = accuracies(runs, seed)
        ceilings[seed] = ceiling
        bar = verdict.draw_bar(ceiling)
        marker = "*" if seed in verdict.DRAWS else " "
        cells = []
        for index, value in enumerate(values):
            result = verdict.DrawResult(seed, value, bar)
            results[index].append(result)
            cells.append(f"{value:6.3f} {'pass' if result.passed else 'MISS':>15}")
        print(f"  {seed:>4}{marker} {ceiling:7.3f} {bar:6.3f}  " + "  ".join(cells), flush=True)
    untrained = verdict.ThresholdVerdict((), len(verdict.DRAWS), verdict.ACCURACY_THRESHOLD)
    for label, runs_of_label in zip(labels, results):
        graded = tuple(result for result in runs_of_label if result.seed in verdict.DRAWS)
        grade = replace(untrained, results=graded)
        print(
            f"  {label}: clears its bar on {sum(r.passed for r in runs_of_label)} of {draws} draws; "
            f"{grade.passed_draws} of the {len(graded)} grader draws shown: {'passes' if grade.passed else 'fails'}"
        )
    _, seconds = timed(lambda: train_and_validate(data_per_class=verdict.DATA_PER_CLASS, seed=0, **study.reference))
    needed = untrained.majority
    print(f"  one reference run: {seconds:.2f} CPU s; a full-marks grade trains {needed} draws: about {needed * seconds:.1f} CPU s")
    return ceilings


def print_ceilings(found: dict[str, dict[int, float]]) -> None:
    print("\nCEILINGS for verdict.py (grader draws):")
    print("CEILINGS: dict[str, dict[int, float]] = {")
    for part, ceilings in found.items():
        entries = ", ".join(f"{seed}: {ceilings[seed]:.4f}" for seed in verdict.DRAWS)
        print(f'    "{part}": {{{entries}}},')
    print("}")
    for part, ceilings in found.items():
        drift = {s: (verdict.CEILINGS[part].get(s), round(ceilings[s], 4)) for s in verdict.DRAWS if round(ceilings[s], 4) != verdict.CEILINGS[part].get(s)}
        print(f"  {part}: " + (f"differs from the recorded table at {drift}" if drift else "same as the recorded table"))


def bench_scaling() -> None:
    print("\nCPU seconds of one train_and_validate (10 per class, draw 0) by epochs and kernel size")
    print("  epochs " + "".join(f"  k={kernel:<4}" for kernel in SCALING_KERNELS))
    for epochs in SCALING_EPOCHS:
        row = [
            timed(lambda: train_and_validate(data_per_class=10, epochs=epochs, kernel_size=kernel, seed=0))[1]
            for kernel in SCALING_KERNELS
        ]
        print(f"  {epochs:>6} " + "".join(f"  {seconds:6.2f}" for seconds in row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=16, help="run draws 0..N-1 (the grader's are marked *)")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--ceilings", action="store_true", help="print verdict.CEILINGS for the grader draws")
    options = parser.parse_args()
    draws = max(options.draws, max(verdict.DRAWS) + 1) if options.ceilings else options.draws
    found = {study.part: bench_study(study, draws) for study in STUDIES}
    if options.ceilings:
        print_ceilings(found)
    if not options.skip_scaling:
        bench_scaling()


if __name__ == "__main__":
    main()
