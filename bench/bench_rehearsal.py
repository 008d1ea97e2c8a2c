"""Times of the Gradescope rehearsal: setup.sh, then gradings through the copied run_autograder.

Builds the zip, installs it in /autograder as Gradescope does (see
autograder/staff/rehearsal.py), times setup.sh, then grades the full-marks example,
the untouched starter and a hostile submission with `cd /autograder && ./run_autograder`
and prints each wall time and score. Everything it made is removed afterwards.
Root only (Gradescope runs as root).

    sudo .venv/bin/python bench/bench_rehearsal.py [--runs 1]

Without a route to PyTorch's CPU index, set AUTOGRADER_TORCH_INDEX_URL= (empty) so that
setup.sh takes torch from pip's configured index.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.staff.gradescope_zip import build_gradescope_zip  # noqa: E402
from autograder.staff.rehearsal import installed, require_root  # noqa: E402

SUBMISSIONS = {
    "full marks": ROOT / "submissions_examples" / "hw4" / "full_marks",
    "starter": ROOT / "problems" / "hw4" / "template",
    "hostile (snoops the install)": ROOT / "submissions_examples" / "hw4" / "snoop_installed_files",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="gradings of each submission (median printed)")
    args = parser.parse_args()
    require_root()
    with tempfile.TemporaryDirectory() as folder:
        target = build_gradescope_zip(assignment="hw4", out=Path(folder) / "hw4.zip", prove=False, stream=io.StringIO())
        index = os.environ.get("AUTOGRADER_TORCH_INDEX_URL")
        with installed(target, torch_index=index) as installation:
            print(f"setup.sh (image build)                     {installation.setup_seconds:7.1f} s wall")
            for label, submission in SUBMISSIONS.items():
                gradings = [installation.grade(submission) for _ in range(args.runs)]
                seconds = statistics.median(g.seconds for g in gradings)
                print(f"grade {label:<36} {seconds:7.1f} s wall   score {gradings[-1].results.score:g}")
    print(f"(machine: {os.cpu_count()} cores; wall times include the sandbox's start-up per answer file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
