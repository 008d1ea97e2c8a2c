"""Golden results of the bundled example submissions: grading, normalising, comparing, updating.

Each folder `submissions_examples/<assignment>/<example>/` is a submission; its
expected results live in `submissions_examples/<assignment>/expected/<example>.json`.
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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions_examples"
SETTINGS = EXAMPLES / "settings.toml"


def example_folders() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*/*") if p.is_dir() and p.name != "expected")


def expected_path(folder: Path) -> Path:
    return folder.parent / "expected" / f"{folder.name}.json"


def example_settings() -> Any:
    from autograder.config import Settings

    with SETTINGS.open("rb") as handle:
        return Settings.model_validate(tomllib.load(handle))


def normalise(results: Any) -> dict[str, Any]:
    """What must not change silently: every test's score, status, visibility and feedback; not timings."""
    return {
        "score": results.score,
        "output": results.output,
        "tests": [
            {
                "name": t.name,
                "number": t.number,
                "score": t.score,
                "max_score": t.max_score,
                "status": t.status,
                "visibility": t.visibility,
                "output": t.output,
            }
            for t in results.tests
        ],
    }


def grade_example(folder: Path) -> dict[str, Any]:
    from autograder.engine import grade

    assignment = folder.parent.name
    run = grade(folder, assignment, settings=example_settings())
    return normalise(run.results)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="rewrite the expected results")
    parser.add_argument("names", nargs="*", help="only these examples (folder names)")
    args = parser.parse_args(argv)
    changed = 0
    for folder in example_folders():
        if args.names and folder.name not in args.names:
            continue
        actual = grade_example(folder)
        path = expected_path(folder)
        previous = json.loads(path.read_text()) if path.exists() else None
        if previous != actual:
            changed += 1
            print(f"{'updated' if args.update else 'DIFFERS'}: {folder.relative_to(EXAMPLES)} (score {actual['score']})")
            if args.update:
                path.parent.mkdir(exist_ok=True)
                path.write_text(json.dumps(actual, indent=2) + "\n")
        else:
            print(f"same: {folder.relative_to(EXAMPLES)} (score {actual['score']})")
    return 1 if changed and not args.update else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
