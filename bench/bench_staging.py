"""Cost of staging a crowded submission and of sending a large function result over the wire.

Staging: a full-marks hw4.py next to a data folder of N small files (N = 1,000,
10,000, 50,000 by default); prints the seconds to stage (answer files first, the
rest up to the file limit) and how many files were copied and ignored.

Wire: p1b_fn's result on the tall 30000 x 4 input, returned as an array, as
`.tolist()` and as a list of rows; prints the seconds the child spends encoding
it, the bytes of the message, and the seconds the grader spends parsing and
decoding it.

    .venv/bin/python bench/bench_staging.py [--files 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.config import Settings  # noqa: E402
from autograder.sandbox import wire  # noqa: E402
from autograder.sandbox.limits import sandbox_identity  # noqa: E402
from autograder.submission import stage  # noqa: E402


def bench_staging(counts: list[int]) -> None:
    settings = Settings()
    identity = sandbox_identity(settings.sandbox)
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder)
            (source / "data").mkdir()
            for index in range(count):
                (source / "data" / f"{index:06d}.csv").write_text("1,2,3\n")
            shutil.copy(ROOT / "submissions_examples" / "hw4" / "full_marks" / "hw4.py", source)
            started = time.perf_counter()
            staged = stage(
                source, max_total_mb=settings.max_submission_mb, max_files=settings.max_submission_files,
                identity=identity, answer_names={"hw4.py"},
            )
            seconds = time.perf_counter() - started
            found = "hw4.py" in staged.files
            staged.cleanup()
            print(f"staging {count:>6} other files: {seconds:6.2f} s   copied {len(staged.files):>4}   ignored {len(staged.skipped):>6}   hw4.py staged: {found}")


def bench_wire() -> None:
    tall = np.random.default_rng(0).standard_normal((30_000, 4))
    for label, value in (("array", tall), ("tolist()", tall.tolist()), ("list of rows", list(tall))):
        started = time.perf_counter()
        line = json.dumps({"reply": {"ok": True, "value": wire.encode_result(value)}}).encode()
        encoded = time.perf_counter() - started
        started = time.perf_counter()
        result = wire.decode(wire.parse_message(line)["reply"]["value"])
        decoded = time.perf_counter() - started
        print(
            f"p1b_fn result as {label:<13} child encodes {encoded:5.3f} s   {len(line) / 2**20:5.2f} MB on the pipe   "
            f"grader reads {decoded:5.3f} s   arrives as {type(result).__name__} {getattr(result, 'shape', '')}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    args = parser.parse_args()
    bench_staging(args.files)
    bench_wire()
    return 0


if __name__ == "__main__":
    sys.exit(main())
