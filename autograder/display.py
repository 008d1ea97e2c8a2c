"""Terminal rendering of results: the table students and staff read.

What a row is (a manual part, a part and its outcome) is read from its facts
(`extra_data`), never from its name or tags.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

from autograder.results import Results, TestResult

HINTS = {
    "missing": "define this name in your answer file (see the template)",
    "invalid": "write the answer in the accepted format (README: answer-file format)",
    "wrong": "re-check your derivation where the message points",
    "partial": "close: the message says what is still missing",
    "error": "not your fault: tell the course staff",
    "not_run": "the grader ran out of time; run the check again",
}


def _use_colour(stream: object) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def _manual(test: TestResult) -> bool:
    return test.extra_data.role == "manual"


def _status(test: TestResult, colour: bool) -> str:
    if _manual(test):
        text, code = "manual", "36"
    elif test.status == "passed":
        text, code = "ok", "32"
    elif test.score > 0:
        text, code = "partial", "33"
    else:
        text, code = "FAIL", "31"
    return f"\033[{code}m{text:<7}\033[0m" if colour else f"{text:<7}"


def render(results: Results, *, title: str, hints: bool = False, stream: object = None) -> str:
    stream = stream or sys.stdout
    colour = _use_colour(stream)
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 140))
    lines = [title, "=" * min(width, len(title) + 10)]
    name_width = min(44, max((len(t.name) for t in results.tests), default=10))
    for test in results.tests:
        score = f"{test.score:g}/{test.max_score:g}"
        name = test.name if len(test.name) <= name_width else test.name[: name_width - 1] + "…"
        lines.append(f"{_status(test, colour)} {score:>7}  {name}")
        if test.status != "passed" or not _manual(test) and test.score < test.max_score:
            message = test.output.strip().splitlines()[0] if test.output.strip() else ""
            for row in textwrap.wrap(message, width - 18)[:4]:
                lines.append(" " * 18 + row)
            outcome = test.extra_data.outcome
            if hints and outcome in HINTS:
                lines.append(" " * 18 + f"hint: {HINTS[outcome]}")
    total = sum(t.max_score for t in results.tests)
    lines.append("-" * min(width, 60))
    lines.append(f"Total: {results.score:g} / {total:g}")
    return "\n".join(lines)
