"""How long the formula parser takes to refuse hostile input, and to read ordinary answers.

Prints the slowest attack strings (the bound the issue asks for is one second each; the
parser's own time limit enforces it) and the median time of ordinary answers.

    .venv/bin/python bench/bench_parser.py
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.symbolic import ExpressionError, parse_expression  # noqa: E402
from tests.symbolic.test_symbolic_attacks import ATTACKS, TABLE  # noqa: E402

ORDINARY = ["2 c d_out^2 d_in", "\\frac{1}{\\sqrt{d_{in} d_{out}}}", "floor((d_in - 3 + 2)/2) + 1", "x^2 - 2x + 1", "Piecewise((1, n >= 0), (0, True))"]


def timed(text: str) -> float:
    gc.disable()
    started = time.perf_counter()
    try:
        parse_expression(text, TABLE)
    except ExpressionError:
        pass
    finally:
        elapsed = time.perf_counter() - started
        gc.enable()
    return elapsed


def main() -> int:
    attacks = sorted(((timed(a), a) for a in ATTACKS), reverse=True)
    print(f"machine: {os.cpu_count()} cores; {len(ATTACKS)} attack strings")
    print(f"slowest attack: {attacks[0][0] * 1000:.1f} ms; median {statistics.median(t for t, _ in attacks) * 1000:.2f} ms")
    for seconds, text in attacks[:5]:
        print(f"  {seconds * 1000:8.1f} ms  {text[:60]!r}")
    ordinary = [min(timed(t) for _ in range(5)) for t in ORDINARY]
    print(f"ordinary answers: median {statistics.median(ordinary) * 1000:.2f} ms, max {max(ordinary) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
