"""The inputs and torch-autograd outputs that Problem 7's function parts are checked on, stored once.

The checks compare a student's gradients with torch autograd on seeded random
inputs. Importing torch costs the grader about three CPU-seconds and 200 MB on
every submission, for a handful of small arrays that never change; so the
arrays are computed once with torch (`autograd.py`) and stored in `tables.npz`,
which the checks read with `allow_pickle=False`. A test recomputes the table
with torch and requires it to be identical, so the stored numbers are torch's.

    .venv/bin/python -m problems.hw4.p7_cnn_gradients.tables --write   # after changing a seed or a size
"""

from __future__ import annotations

import argparse
from functools import lru_cache
from pathlib import Path

import numpy as np

TABLE = Path(__file__).with_name("tables.npz")

#: (n, k) of the inputs for part (a): k = 1 and k = n included.
CONV_SIZES = [(5, 3), (6, 1), (4, 4), (7, 2), (3, 2)]
#: (n, k) and learning rate of the SGD-step inputs.
STEP_SIZES = [((5, 3), 0.1), ((4, 1), 0.5), ((3, 3), 0.01)]
POOL_SIDES = [2, 4, 6, 8]
#: A 4 x 4 input whose every 2 x 2 block has tied maxima, and its upstream gradient.
TIED_X = np.array([[1.0, 1.0, 0.0, 2.0], [0.0, 0.0, 2.0, 1.0], [3.0, 0.0, 1.0, 1.0], [0.0, 3.0, 1.0, 1.0]])
TIED_DY = np.array([[1.5, -2.0], [0.5, 3.0]])
SEEDS = {"dw": 7, "step": 71, "max": 72, "avg": 73}


def compute() -> dict[str, np.ndarray]:
    """Every input and expected output, from the seeds above and torch autograd (imports torch)."""
    from problems.hw4.p7_cnn_gradients.autograd import conv_weight_gradient, pool_input_gradient, sgd_step

    table: dict[str, np.ndarray] = {}
    rng = np.random.default_rng(SEEDS["dw"])
    for index, (n, k) in enumerate(CONV_SIZES):
        m = n - k + 1
        X, dY = rng.standard_normal((n, n)), rng.standard_normal((m, m))
        table |= {f"dw{index}_X": X, f"dw{index}_dY": dY, f"dw{index}_expected": conv_weight_gradient(X, dY),
                  f"dw{index}_flipped": conv_weight_gradient(X, dY[::-1, ::-1])}
    rng = np.random.default_rng(SEEDS["step"])
    for index, ((n, k), lr) in enumerate(STEP_SIZES):
        m = n - k + 1
        w, X, dY = rng.standard_normal((k, k)), rng.standard_normal((n, n)), rng.standard_normal((m, m))
        table |= {f"step{index}_w": w, f"step{index}_X": X, f"step{index}_dY": dY, f"step{index}_lr": np.array(lr),
                  f"step{index}_expected": sgd_step(w, X, dY, lr)}
    for kind in ("max", "avg"):
        other = "avg" if kind == "max" else "max"
        rng = np.random.default_rng(SEEDS[kind])
        for index, side in enumerate(POOL_SIDES):
            X, dY = rng.standard_normal((side, side)), rng.standard_normal((side // 2, side // 2))
            table |= {f"{kind}{index}_X": X, f"{kind}{index}_dY": dY,
                      f"{kind}{index}_expected": pool_input_gradient(X, dY, kind),
                      f"{kind}{index}_other": pool_input_gradient(X, dY, other)}
    table["tied_expected"] = pool_input_gradient(TIED_X, TIED_DY, "max")
    return table


@lru_cache(maxsize=1)
def load() -> dict[str, np.ndarray]:
    """The stored table (no torch): plain float arrays, never pickles."""
    with np.load(TABLE, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="recompute with torch and overwrite tables.npz")
    args = parser.parse_args()
    table = compute()
    if args.write:
        np.savez_compressed(TABLE, **table)
        print(f"wrote {TABLE} ({len(table)} arrays)")
        return 0
    stored = load()
    same = stored.keys() == table.keys() and all(np.array_equal(stored[k], table[k]) for k in table)
    print("tables.npz is up to date" if same else "tables.npz is stale: run with --write")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
