"""How a batch's training cost grows with the number of distinct Problem 6 answers in it.

Makes a batch of M copies of the full-marks HW4 example (`autograder batch` grades
whole submissions: it has no way to grade only Problem 6) whose 6.3/6.4 answers take
K distinct values, submission i getting value i mod K, and times the whole
`autograder batch --jobs J` process tree (CPU seconds of every process, wall seconds)
for each K, in two families:

    on    every value on the curve tables' lattice: 6.3 epochs from 150 to 600 (the
          recipe's curve), 6.4 learning rates 0.02, 0.05, 0.1 with kernels 3 and 5 and
          150-300 epochs; every grading is a lookup
    off   6.3 stays the example's 250 epochs (a lookup); 6.4 is 250 epochs, kernel 5 and a
          learning rate off the lattice (0.03, 0.025, 0.035, 0.04, 0.015, 0.045, 0.06,
          0.07): each distinct value is trained, on 3 draws (5 when they split), and
          stored, so a later submission with the same value reads it

Each batch gets a fresh store (AUTOGRADER_CURVE_CACHE): a copy of --tables (a store
built with `python -m problems.hw4.p6_inductive_bias.tables build`) or, by default, of
one warmed before any timing with exactly the lattice runs these answers read (the
grader's own code fills it; not timed), so no timed batch inherits another's runs.
Kernels 11 and 13 (also off the lattice) cost 2 and 3 times kernel 7 per epoch (README),
so an off-lattice value with them costs several times the figures printed here.

    .venv/bin/python bench/bench_p6_distinct.py [--submissions 8] [--distinct 1,2,4,8] [--jobs 2] [--kinds on,off] [--tables STORE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treemeter import Measurement, measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from problems.hw4.p6_inductive_bias import curvestore, tables, verdict  # noqa: E402

FULL_MARKS = ROOT / "submissions_examples" / "hw4" / "full_marks"
SETTINGS = ROOT / "submissions_examples" / "settings.toml"
NOTEBOOK = "edge_detection.ipynb"
THRESHOLD = 0.90  # problem.toml's bar for 6.3 and 6.4 (the settings used here do not change it)


@dataclass(frozen=True)
class Answer:
    """One submission's Problem 6 values: 6.3's epochs, 6.4's epochs, learning rate and kernel size."""

    epochs_63: int
    epochs_64: int
    learning_rate: float
    kernel_size: int

    def describe(self) -> str:
        return f"6.3 {self.epochs_63}; 6.4 {self.epochs_64}, {self.learning_rate}, {self.kernel_size}"


ON_LATTICE = [
    Answer(250, 250, 0.02, 5),  # the example's own answer
    Answer(200, 300, 0.05, 3),
    Answer(300, 200, 0.05, 5),
    Answer(400, 250, 0.1, 3),
    Answer(500, 300, 0.02, 3),
    Answer(150, 200, 0.1, 5),
    Answer(350, 150, 0.05, 3),
    Answer(600, 280, 0.02, 5),
]
OFF_LATTICE = [Answer(250, 250, rate, 5) for rate in (0.03, 0.025, 0.035, 0.04, 0.015, 0.045, 0.06, 0.07)]
FAMILIES = {"on": ON_LATTICE, "off": OFF_LATTICE}


def on_lattice(answer: Answer) -> bool:
    """Whether both parts of ``answer`` are lattice lookups (tables.LATTICE decides, not this file)."""
    recipe = tables.Setting(verdict.PARTS["6.3"].fixed["learning_rate"], verdict.PARTS["6.3"].fixed["kernel_size"])
    shifted = tables.Setting(answer.learning_rate, answer.kernel_size, domain_shift=True)
    return tables.lattice_epochs(recipe) >= answer.epochs_63 and tables.lattice_epochs(shifted) >= answer.epochs_64


def with_answer(notebook: dict, answer: Answer) -> dict:
    """The notebook with its four Problem 6 assignments set to ``answer`` (nothing else changed)."""
    values = {
        "p6_3_num_epochs": answer.epochs_63,
        "p6_4_num_epochs": answer.epochs_64,
        "p6_4_learning_rate": answer.learning_rate,
        "p6_4_kernel_size": answer.kernel_size,
    }
    found = set()
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], list) else cell["source"].splitlines(keepends=True)
        for index, line in enumerate(source):
            match = re.match(r"(p6_3_num_epochs|p6_4_num_epochs|p6_4_learning_rate|p6_4_kernel_size) = ", line)
            if match:
                name = match.group(1)
                source[index] = f"{name} = {values[name]!r}" + ("\n" if line.endswith("\n") else "")
                found.add(name)
        cell["source"] = source
    if found != set(values):
        sys.exit(f"the full-marks notebook lacks {sorted(set(values) - found)}")
    return notebook


def build_batch(folder: Path, count: int, answers: list[Answer]) -> None:
    notebook = json.loads((FULL_MARKS / NOTEBOOK).read_text())
    for index in range(count):
        target = folder / f"{index:03d}_full_marks"
        shutil.copytree(FULL_MARKS, target, symlinks=True)
        edited = with_answer(json.loads(json.dumps(notebook)), answers[index % len(answers)])
        (target / NOTEBOOK).write_text(json.dumps(edited, indent=1))


def _warm_task(store: str, part: str, answers: list[dict]) -> float:
    """Grade ``answers`` of one part with a store at ``store`` (in a worker process); its CPU seconds."""
    os.environ[curvestore.ENVIRONMENT_VARIABLE] = store
    start = time.process_time()
    for values in answers:
        verdict.grade_answers(part, tables.accuracy, THRESHOLD, **values)
    return time.process_time() - start


def warm(store: Path, answers: list[Answer], jobs: int) -> float:
    """Fill ``store`` with the lattice runs that grading ``answers`` reads (the grader's own code); CPU seconds.

    6.3's answers all read one curve (the recipe's), so they are one task; each 6.4 setting is another.
    """
    tasks = [("6.3", [{"epochs": a.epochs_63} for a in answers])]
    by_setting: dict[tuple[float, int], list[dict]] = {}
    for a in answers:
        by_setting.setdefault((a.learning_rate, a.kernel_size), []).append(
            {"epochs": a.epochs_64, "learning_rate": a.learning_rate, "kernel_size": a.kernel_size}
        )
    tasks += [("6.4", values) for values in by_setting.values()]
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        return sum(pool.map(_warm_task, itertools.repeat(str(store)), *zip(*tasks)))


def run_batch(batch: Path, out: Path, store: Path, jobs: int) -> Measurement:
    command = [
        str(ROOT / ".venv" / "bin" / "autograder"), "batch", str(batch), "--out", str(out),
        "--jobs", str(jobs), "--assignment", "hw4", "--settings", str(SETTINGS),
    ]  # fmt: skip
    environment = {**os.environ, curvestore.ENVIRONMENT_VARIABLE: str(store), "AUTOGRADER_SETTINGS": str(SETTINGS)}
    measured = measure(command, environment, interval=0.25, orphans=True)  # RSS is not reported: sample rarely
    if measured.returncode != 0:
        sys.exit(f"`autograder batch` failed ({measured.returncode}): {' '.join(command)}")
    return measured


def scores(out: Path) -> str:
    """The batch's P6 model parts as 'passed/graded' for 6.3 and 6.4 (a sanity line: the answers were graded)."""
    passed = {"hw4.p6_3": 0, "hw4.p6_4": 0}
    graded = dict.fromkeys(passed, 0)
    for path in (out / "results").rglob("*.json"):
        for test in json.loads(path.read_text()).get("tests", []):
            part = next((p for p in passed if str(test.get("name", "")).startswith(p + ":")), None)
            if part is not None:
                graded[part] += 1
                passed[part] += test.get("score", 0) >= test.get("max_score", 1)
    return ", ".join(f"{p[4:]} {passed[p]}/{graded[p]}" for p in passed)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=8, help="M: submissions in each batch")
    parser.add_argument("--distinct", default="1,2,4,8", help="K values (each at most 8)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--kinds", default="on,off", help="families of answers: on (lattice lookups), off (trained)")
    parser.add_argument("--tables", type=Path, help="a built store to copy for each batch (default: warm one for these answers)")
    options = parser.parse_args()
    counts = [int(k) for k in options.distinct.split(",")]
    kinds = options.kinds.split(",")
    if max(counts) > len(ON_LATTICE) or max(counts) > options.submissions:
        sys.exit("K must be at most 8 and at most the number of submissions")
    if not all(map(on_lattice, ON_LATTICE)) or any(map(on_lattice, OFF_LATTICE)):
        sys.exit("the answers' families no longer match tables.LATTICE: choose them again")
    scratch = Path(tempfile.mkdtemp(prefix="bench-p6-distinct-"))
    try:
        seed = options.tables
        if seed is None:
            seed = scratch / "warm"
            print("warming a store with the lattice runs these answers read (not timed) ...", flush=True)
            # the off-lattice answers read only 6.3 at 250 epochs, which ON_LATTICE[0] reads too
            seconds = warm(seed, ON_LATTICE[: max(counts) if "on" in kinds else 1], options.jobs)
            print(f"  {len(list(seed.glob('*.json')))} runs stored, {seconds:.0f} CPU s", flush=True)
        print(f"\nmachine: {os.cpu_count()} cores, shared; {load()} before the runs")
        print(f"batch: {options.submissions} copies of full_marks, whole HW4 graded, --jobs {options.jobs}")
        rows = []
        for kind in kinds:
            for count in counts:
                folder = scratch / f"{kind}-{count}"
                batch = folder / "batch"
                batch.mkdir(parents=True)
                answers = FAMILIES[kind][:count]
                build_batch(batch, options.submissions, answers)
                store = folder / "store"
                shutil.copytree(seed, store)
                measured = run_batch(batch, folder / "out", store, options.jobs)
                rows.append((count, kind, measured, scores(folder / "out")))
                print(
                    f"  K={count} {kind}: {measured.cpu_seconds:.1f} CPU s, {measured.wall_seconds:.1f} s wall ({rows[-1][3]}; {load()})",
                    flush=True,
                )
                shutil.rmtree(folder, ignore_errors=True)
        print(f"\n{load()} after the runs\n")
        lookups = {count: measured.cpu_seconds for count, kind, measured, _ in rows if kind == "on"}
        print("| K distinct | answers | CPU s | wall s | CPU s per distinct answer | training per distinct answer |")
        print("|---|---|---|---|---|---|")
        for count, kind, measured, _ in rows:
            label = "on lattice (lookups)" if kind == "on" else "off lattice (6.4 trained)"
            extra = (measured.cpu_seconds - lookups[count]) / count if kind == "off" and count in lookups else None
            print(
                f"| {count} | {label} | {measured.cpu_seconds:.1f} | {measured.wall_seconds:.1f} "
                f"| {measured.cpu_seconds / count:.1f} | {'-' if extra is None else f'{extra:.1f}'} |"
            )
        print("(training per distinct answer: the off-lattice batch's CPU s less the on-lattice batch's of the same K, over K)")
        print("\nanswers (K takes the first K): ")
        for kind in kinds:
            print(f"  {kind}: " + " | ".join(a.describe() for a in FAMILIES[kind][: max(counts)]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
