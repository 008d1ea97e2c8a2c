"""Grading a reference solution with some answers replaced: how the problem tests try one answer per part.

`grade_variants` takes, per part, the Python lines that redefine its answer
(appended to a copy of the reference file, so everything else stays right) and
grades only those parts. Parts with several variants are tried in rounds, one
variant per part per round, so a handful of grading runs covers every variant.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment import load_assignment
from autograder.engine import grade
from autograder.paths import project_root
from tests.examples import example_settings


@dataclass(frozen=True)
class Variant:
    """One answer to try: the code that defines it, the fraction it must earn, words its feedback must contain.

    The feedback is the part's own output and its lines of the answer key: a named
    mistake is worded exactly only there (the part's output gives a neutral hint).
    """

    code: str
    fraction: float
    says: str = ""
    outcome: str | None = None


def graded_parts(assignment_id: str, file_name: str, overrides: dict[str, str]) -> dict[str, tuple[float, str, str | None]]:
    """{part id: (fraction, feedback, outcome)} for the reference with the overrides appended."""
    assignment = load_assignment(assignment_id)
    reference = project_root() / assignment.reference / f"{file_name}.py"
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{file_name}.py"
        shutil.copy(reference, target)
        with target.open("a") as handle:
            for code in overrides.values():
                handle.write("\n\n" + textwrap.dedent(code).strip() + "\n")
        results = grade(Path(folder), assignment_id, settings=example_settings(), parts=set(overrides)).results
    found = {}
    for test in results.tests:
        part_id = test.extra_data.part
        if test.extra_data.role == "part" and part_id in overrides:
            said = "\n".join([test.output, *answer_key_lines(results.tests, part_id)])
            found[part_id] = (test.score / test.max_score if test.max_score else 0.0, said, test.extra_data.outcome)
    return found


def answer_key_lines(tests, part_id: str) -> list[str]:
    """The part's lines of the answer key (shown after the due date): its key and the mistakes named exactly."""
    lines: list[str] = []
    for test in tests:
        if test.extra_data.role != "answer_key":
            continue
        ours = False
        for line in test.output.splitlines():
            ours = line.startswith(f"{part_id} (") or (ours and line[:1].isspace())  # a key may span lines
            if ours:
                lines.append(line)
    return lines


def grade_variants(assignment_id: str, file_name: str, variants: dict[str, list[Variant]]) -> list[str]:
    """Every variant graded; returns the list of disagreements (empty when all is as expected)."""
    problems = []
    rounds = max(len(v) for v in variants.values())
    for index in range(rounds):
        chosen = {part: options[index] for part, options in variants.items() if index < len(options)}
        got = graded_parts(assignment_id, file_name, {part: v.code for part, v in chosen.items()})
        for part, variant in chosen.items():
            fraction, output, outcome = got[part]
            if abs(fraction - variant.fraction) > 1e-3:
                problems.append(f"{part} {variant.code.strip()[:80]!r}: fraction {fraction}, expected {variant.fraction}; said: {output[:300]}")
            if variant.says and variant.says.lower() not in output.lower():
                problems.append(f"{part} {variant.code.strip()[:80]!r}: feedback lacks {variant.says!r}; said: {output[:300]}")
            if variant.outcome and variant.outcome != outcome:
                problems.append(f"{part} {variant.code.strip()[:80]!r}: outcome {outcome}, not {variant.outcome}")
    return problems
