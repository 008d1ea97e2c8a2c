"""Golden results of the bundled example submissions: grading, normalising, comparing, updating.

Each folder `submissions_examples/<assignment>/<example>/` is a submission, and
`submissions_examples/<assignment>/examples.toml` says what it is for (see
`autograder/staff/examples.py`): its targets, whose rows and the total score are stored in
`submissions_examples/<assignment>/expected/<example>.json`, and the parts that must be all
correct or all missing, which are checked without storing anything. Every other row is only
held to a generic rule: not an autograder error, not left unrun.

Run `python -m tests.examples --update [NAME ...]` after a deliberate change of
feedback, and review the diff like code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from autograder.staff.examples import EXAMPLES_FOLDER, Example, assignments_with_examples, examples

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / EXAMPLES_FOLDER
SETTINGS = EXAMPLES / "settings.toml"

#: Outcomes no example may show in a row it does not target: the grader failed, or never got there.
UNTARGETED_NEVER = ("error", "not_run")


def all_examples() -> list[Example]:
    return [found for assignment_id in assignments_with_examples() for found in examples(assignment_id)]


def example_settings() -> Any:
    from autograder.config import Settings

    with SETTINGS.open("rb") as handle:
        return Settings.model_validate(tomllib.load(handle))


def normalise(results: Any, example: Example) -> dict[str, Any]:
    """What must not change silently: each targeted row's score, status, visibility and feedback, and the total
    where the declaration leaves parts undeclared (otherwise it follows from the rows and the declared parts)."""
    stored: dict[str, Any] = {} if example.covers_all else {"score": results.score}
    if example.keeps_summary:
        stored["output"] = results.output
    stored["tests"] = [
        {
            "name": t.name,
            "number": t.number,
            "score": t.score,
            "max_score": t.max_score,
            "status": t.status,
            "visibility": t.visibility,
            "output": t.output,
            "extra_data": t.extra_data.model_dump(exclude_none=True),
        }
        for t in results.tests
        if example.stores(t.extra_data)
    ]
    return stored


def generic_problems(results: Any, example: Example) -> list[str]:
    """What the example's declaration requires without a stored file, as one line per broken rule."""
    found = []
    rows = {t.extra_data.part: t for t in results.tests if t.extra_data.role in ("part", "manual")}
    for test in results.tests:
        facts = test.extra_data
        if example.stores(facts):
            continue
        if facts.role == "failure" or facts.outcome in UNTARGETED_NEVER:
            found.append(f"{test.name}: {facts.outcome or facts.role} in a row the example does not target: {test.output[:200]}")
    for part in example.correct_parts:
        row = rows.get(part.id)
        if row is None:
            found.append(f"{part.id}: no row, expected correct")
        elif row.extra_data.role == "part" and (row.extra_data.outcome != "correct" or row.score != row.max_score):
            found.append(f"{part.id}: {row.extra_data.outcome} {row.score:g}/{row.max_score:g}, expected correct: {row.output[:200]}")
    for part in example.missing_parts:
        row = rows.get(part.id)
        if row is None:
            found.append(f"{part.id}: no row, expected missing")
        elif row.score != 0 or (row.extra_data.role == "part" and row.extra_data.outcome != "missing"):
            found.append(f"{part.id}: {row.extra_data.outcome} {row.score:g}/{row.max_score:g}, expected missing: {row.output[:200]}")
    if (not example.keeps_results or example.covers_all) and abs(results.score - example.expected_score()) > 1e-9:
        found.append(f"total {results.score:g}, expected {example.expected_score():g} (the stored rows and the parts declared correct)")
    return found


def grade_example(example: Example) -> Any:
    from autograder.engine import grade

    return grade(example.folder, example.assignment.id, settings=example_settings()).results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="rewrite the expected results")
    parser.add_argument("names", nargs="*", help="only these examples (folder names)")
    args = parser.parse_args(argv)
    changed = broken_examples = 0
    for example in all_examples():
        if args.names and example.name not in args.names:
            continue
        label = f"{example.assignment.id}/{example.name}"
        declared = example.problems()
        if declared:
            broken_examples += 1
            print("\n".join(f"UNDECLARED: {line}" for line in declared))
            continue
        results = grade_example(example)
        broken = generic_problems(results, example)
        if broken:
            broken_examples += 1
            print(f"BREAKS ITS DECLARATION: {label}\n  " + "\n  ".join(broken))
        path = example.expected_path
        if not example.keeps_results:
            if path.exists():
                changed += 1
                print(f"{'removed' if args.update else 'STALE'}: {path.relative_to(EXAMPLES)} (the example stores nothing)")
                if args.update:
                    path.unlink()
            elif not broken:
                print(f"same: {label} (score {results.score:g}, nothing stored)")
            continue
        actual = normalise(results, example)
        previous = json.loads(path.read_text()) if path.exists() else None
        if previous != actual:
            changed += 1
            print(f"{'updated' if args.update else 'DIFFERS'}: {label} (score {results.score:g})")
            if args.update:
                path.parent.mkdir(exist_ok=True)
                path.write_text(json.dumps(actual, indent=2) + "\n")
        else:
            print(f"same: {label} (score {results.score:g})")
    return 1 if broken_examples or (changed and not args.update) else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
