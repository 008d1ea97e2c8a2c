"""Write the Discussion 4 examples made from the assignment's own files: the starter from the
template, the full-marks variants from the reference (see `problems/example_builder.py`).

Run ``python -m problems.disc4.build_examples``; a test holds the checked-in files to what
this script writes. Each variant names only the answers it writes differently; every other
answer, and any part added later, is the reference's.
"""

from __future__ import annotations

from pathlib import Path

from autograder.assignment import load_assignment
from problems import example_builder
from problems.example_builder import AsNotebook, Rewritten

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "submissions_examples" / "disc4"

_SYMPY_PREAMBLE = """
import sympy as sp

d_in, d_out = sp.symbols("d_in d_out", positive=True, integer=True)
x = sp.Symbol("x", real=True)
p = sp.Rational(3, 2) * x - sp.Rational(1, 2) * x**3
"""

#: example folder -> how its disc4.py (or disc4.ipynb) is written from the reference: full marks in other
#: forms, or a few answers changed on purpose (every other answer, and any part added later, the reference's).
VARIANTS: dict[str, Rewritten | AsNotebook] = {
    "full_marks": Rewritten(
        "# Discussion 4 -- answers as plain strings, sets and dicts.",
        {
            "p1a": "def p1a(x, g):\n    return [[gi * xj for xj in x] for gi in g]",
            "p1a_shape": 'p1a_shape = "d_out x d_in"',
            "p1b_depends_dout": "p1b_depends_dout = False",
            "p1b_multiplier": 'p1b_multiplier = "1/d_{in}"',
            "p2b": "p2b = {0, 1, -1}",
            "p2c": 'p2c = {"0": "unstable", "1": "stable", "-1": "stable"}',
            "p2e_to_one": r'p2e_to_one = "(0, \\sqrt{3})"',
        },
    ),
    "full_marks_sympy": Rewritten(
        '"""Discussion 4 -- full marks written with sympy: expressions, exact numbers, a sympy FiniteSet and exact ends."""',
        {
            "p1a": 'def p1a(x, g):\n    return np.einsum("i,j->ij", np.asarray(g, dtype=float), np.asarray(x, dtype=float))',
            "p1a_shape": "p1a_shape = (d_out, d_in)",
            "p1b_exponent": "p1b_exponent = sp.Integer(2)",
            "p1b_depends_dout": 'p1b_depends_dout = "it does not"',
            "p1b_multiplier": "p1b_multiplier = d_in ** -1",
            "p2b": "p2b = sp.FiniteSet(*sp.solve(sp.Eq(p, x), x))",
            "p2c": 'p2c = {point: ("stable" if abs(sp.diff(p, x).subs(x, point)) < 1 else "unstable") for point in sp.solve(sp.Eq(p, x), x)}',
            "p2e_to_one": "p2e_to_one = (sp.Integer(0), sp.sqrt(3))",
        },
        preamble=_SYMPY_PREAMBLE,
    ),
    "exact_number_types": Rewritten(
        "# Discussion 4 with numbers as exact or numpy types and the dimensions written fan_in / fan_out: all right.",
        {
            "p1a_shape": 'p1a_shape = ("fan_out", "fan_{in}")',
            "p1b_exponent": "p1b_exponent = np.float64(2.0)",
            "p1b_multiplier": 'p1b_multiplier = "1/fan_in"',
            "p2b": "p2b = {Fraction(-1), Decimal(0), sympy.Integer(1)}",
            "p2e_to_one": "p2e_to_one = (Fraction(0), Decimal('1.7320508'))",
        },
        preamble="from decimal import Decimal\nfrom fractions import Fraction\n\nimport sympy",
    ),
    "nonfinite_answers": Rewritten(
        "# Discussion 4 with NaN and infinities in the answers: a set, an interval, a number and a shape.",
        {
            "p1a_shape": 'p1a_shape = ("d_out", "oo")',
            "p1b_exponent": 'p1b_exponent = float("inf")',
            "p2b": "p2b = {math.nan, 0, 1}",
            "p2e_to_one": "p2e_to_one = (0, math.nan)",
        },
    ),
    "full_marks_notebook": AsNotebook(
        "# Discussion 4\nAnswers computed in cells: sympy roots, a stability test by lambdas.",
        Rewritten(
            "# Discussion 4 answers.",
            {
                "p1a_shape": "p1a_shape = (d_out, d_in)",
                "p1b_exponent": "p1b_exponent = 2.0",
                "p1b_multiplier": "p1b_multiplier = 1 / d_in",
                "p2b": "p2b = set(sp.solve(sp.Eq(x, p), x))",
                "p2c": (
                    "dp = lambda v: 1.5 - 1.5 * v**2\n"
                    "p2c = {int(r): ('stable' if abs(dp(float(r))) < 1 else 'unstable') for r in p2b}"
                ),
                "p2e_to_one": "p2e_to_one = (0, math.sqrt(3))",
            },
            preamble=_SYMPY_PREAMBLE,
        ),
    ),
}


def answer_file_outputs() -> dict[Path, str]:
    """The starter's disc4.py, from the template, and each full-marks variant, from the reference."""
    assignment = load_assignment("disc4")
    return {
        **example_builder.starter_outputs(assignment, EXAMPLES),
        **example_builder.variant_outputs(assignment, EXAMPLES, "disc4", VARIANTS),
    }


def main() -> None:
    example_builder.write_all(answer_file_outputs(), ROOT)


if __name__ == "__main__":
    main()
