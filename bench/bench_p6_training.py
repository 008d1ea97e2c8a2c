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

--verdicts prints, for 6.3 at 30 to 1,000 epochs and for a few 6.4 answers, the
grader's verdict and its CPU seconds twice: trained on every draw it needs (no
curve table) and through tables.accuracy (a lookup when the answer is on the
lattice and the machine's tables are built: python -m
problems.hw4.p6_inductive_bias.tables build; off the lattice it trains).

Usage: python bench/bench_p6_training.py [--draws 16] [--skip-scaling] [--ceilings] [--verdicts]
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
from problems.hw4.p6_inductive_bias import settings, tables, verdict  # noqa: E402
from problems.hw4.p6_inductive_bias.training import train_and_validate, validation_curve  # noqa: E402

SCALING_EPOCHS = (10, 100, 300, 1000)
VERDICT_EPOCHS_6_3 = (30, 100, 150, 200, 300, 500, 1000)
#: 6.4 answers: (epochs, learning rate, kernel size); the reference, the untuned recipe, others on and off the
#: lattice, and the dearest the caps allow.
VERDICT_ANSWERS_6_4 = (
    (settings.P6_4_REFERENCE_NUM_EPOCHS, settings.P6_4_REFERENCE_LEARNING_RATE, settings.P6_4_REFERENCE_KERNEL_SIZE),
    (300, 0.01, 7),
    (300, 0.05, 3),
    (200, 0.1, 9),
    (500, 0.02, 5),
    (250, 0.03, 5),
    (1000, 0.02, 13),
)
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


def bench_verdicts() -> None:
    curves = tables.store()
    built = curves is not None and not tables.missing_runs(curves)
    print(f"\nThe grader's verdicts and their CPU seconds (curve tables {'built' if built else 'NOT built: the tables column fills them'})")
    answers = [("6.3", {"epochs": epochs}) for epochs in VERDICT_EPOCHS_6_3] + [
        ("6.4", {"epochs": e, "learning_rate": lr, "kernel_size": k}) for e, lr, k in VERDICT_ANSWERS_6_4
    ]
    print(f"  {'part':<4} {'answer':<34} {'verdict':<30} {'trained':>9} {'tables':>9}  lattice")
    for part, answer in answers:
        grade, trained = timed(lambda: verdict.grade_answers(part, train_and_validate, **answer))
        looked_up, from_tables = timed(lambda: verdict.grade_answers(part, tables.accuracy, **answer))
        assert looked_up == grade, "the table and training disagree"
        outcome = grade.outcome
        result = f"{'passes' if outcome.passed else 'fails'} ({outcome.passed_draws} of {len(outcome.results)} draws pass)"
        setting = tables.Setting(**{k: v for k, v in verdict.PARTS[part].arguments(**answer).items() if k != "epochs"})
        on = "on" if answer["epochs"] <= tables.lattice_epochs(setting) else "off"
        label = ", ".join(f"{v}" for v in answer.values())
        print(f"  {part:<4} {label:<34} {result:<30} {trained:8.2f}s {from_tables:8.3f}s  {on}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=16, help="run draws 0..N-1 (the grader's are marked *)")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--ceilings", action="store_true", help="print verdict.CEILINGS for the grader draws")
    parser.add_argument("--verdicts", action="store_true", help="only the verdicts and CPU seconds of common answers")
    options = parser.parse_args()
    if options.verdicts:
        bench_verdicts()
        return
    draws = max(options.draws, max(verdict.DRAWS) + 1) if options.ceilings else options.draws
    found = {study.part: bench_study(study, draws) for study in STUDIES}
    if options.ceilings:
        print_ceilings(found)
    if not options.skip_scaling:
        bench_scaling()


if __name__ == "__main__":
    main()
