"""Through the whole grader (sandbox child, wire, checks): numbers in any reasonable Python form, rounded hand
values, the homework's spellings of symbols, and NaN, infinities and wrong shapes as answers that are not usable.

A rounded known mistake must still be recognised at the tolerance for hand values:
each is checked by its neutral hint (the part's output) and its exact name (the
answer key, after the due date).
"""

from __future__ import annotations

from tests.problems.grading import Variant as V
from tests.problems.grading import grade_variants

#: y[n] for L = 7 on n = -6..12, and the named mistakes of Problem 3, as code that builds them exactly.
Y = "[0] * 6 + [2 - Fraction(1, 2) ** k for k in range(7)] + [Fraction(127, 2 ** k) for k in range(7, 13)]"
FROM_ZERO = "[2 - Fraction(1, 2) ** k for k in range(7)] + [Fraction(127, 2 ** k) for k in range(7, 19)]"
UNSHIFTED = Y
SHIFTED_LEFT = "[0 if t < 0 else 2 - Fraction(1, 2) ** t if t <= 6 else Fraction(127, 2 ** t) for t in range(-1, 18)]"
DELAYED = "[0] * 11 + [2 - Fraction(1, 2) ** k for k in range(7)] + [Fraction(127, 128)]"


def rounded(values: str, digits: int) -> str:
    return f"from fractions import Fraction\n_v = {values}\np = [float(f'{{float(v):.{digits}g}}') for v in _v]"


def named(part: str, values: str, digits: int) -> str:
    return rounded(values, digits).replace("\np = ", f"\n{part} = ")


HW4 = {
    "hw4.p3a_values": [
        V(f"from fractions import Fraction\np3a_values = {Y}", 1),
        V(f"from fractions import Fraction\nfrom decimal import Decimal\np3a_values = [Decimal(v.numerator) / Decimal(v.denominator) for v in map(Fraction, {Y})]", 1),
        V(f"import numpy as np\nfrom fractions import Fraction\np3a_values = np.array({Y}, dtype=object)", 1),
        V(f"import sympy\nfrom fractions import Fraction\np3a_values = [sympy.Float(float(v)) for v in {Y}]", 1),
        V(named("p3a_values", Y, 4), 1),
        V(named("p3a_values", Y, 6), 1),
        V(named("p3a_values", Y, 3), 0, "entries are wrong"),
        V(named("p3a_values", FROM_ZERO, 4), 0.5, "These look like y[0]"),
        V(f"from fractions import Fraction\np3a_values = list(reversed({Y}))\np3a_values = [round(float(v), 4) for v in p3a_values]", 0, "values of the correlation"),
        V("import math\np3a_values = [math.nan] + [0.0] * 18", 0, "NaN or infinite", "invalid"),
    ],
    "hw4.p3b_values": [
        V(f"from fractions import Fraction\np3b_values = {DELAYED}", 1),
        V(named("p3b_values", DELAYED, 4), 1),
        V(named("p3b_values", SHIFTED_LEFT, 4), 0, "moved the other way"),
        V(named("p3b_values", UNSHIFTED, 5), 0, "how delaying the input by N changes"),
    ],
    "hw4.p3c": [
        V("import numpy as np\np3c = np.full((3, 3), -40) + 0 * np.array([[float('inf')] + [0] * 8]).reshape(3, 3)", 0, "not a usable answer", "invalid"),
        V("p3c = [[-40, -40, -40], [-40, -40, -40]]", 0, "a 3 x 3 array", "invalid"),
    ],
    "hw4.p3d_i": [
        V("import sympy, numpy as np\np3d_i = np.array(sympy.Matrix(_convolve(x2d, h2d, 1, 1).tolist()).applyfunc(sympy.Rational))", 1),
        V("p3d_i = _convolve(x2d, h2d, 1, 1).T", 0, "how your result is laid out"),
        V("p3d_i = _convolve(x2d, h2d, 1, 1).T", 0, "the transpose of the right one"),  # named exactly in the answer key
        V("p3d_i = (-_convolve(x2d, h2d, 1, 1)).round(4).tolist()", 0, "true convolution of equation (4)"),
    ],
    "hw4.p2b": [
        V('p2b = "1/sqrt(fan_in)"', 1),
        V('p2b = "fan_{in}^(-1/2)"', 1),
        V('p2b = "1/sqrt(n_in)"', 1),
        V('p2b = "oo"', 0, "not a usable answer", "invalid"),
        V("p2b = float('inf')", 0, "not a usable answer", "invalid"),
        V('p2b = "1/sqrt(fan_out)"', 0, "where each dimension in your answer comes from"),
    ],
    "hw4.p4a_output": [
        V('p4a_output = ("oo", "floor((H - K + 2P)/S) + 1", "F")', 0, "not a usable answer", "invalid"),
    ],
    "hw4.p4e": [
        V("import numpy as np\nfrom fractions import Fraction\nfrom decimal import Decimal\n"
          "p4e = {'conv1_params': np.int64(100), 'conv2_activations': np.array([14, 14, 10]), 'pool2_params': Fraction(0),"
          " 'pool2_activations': (7, 7, 10), 'fc3_params': Decimal(1473)}", 1),
        V("p4e = {'conv1_params': 100, 'conv2_activations': '14 x 14 x 10', 'pool2_params': float('nan'),"
          " 'pool2_activations': (7, 7, 10), 'fc3_params': 1473}", 0, "pool2_params", "invalid"),
    ],
}

DISC4 = {
    "disc4.p2b": [
        V("import sympy\nfrom fractions import Fraction\nfrom decimal import Decimal\np2b = {Fraction(-1), Decimal(0), sympy.Integer(1)}", 1),
        V("import math\np2b = {math.nan, 0, 1}", 0, "cannot be graded", "invalid"),
        V("p2b = {-1, 0, 1, float('inf')}", 0, "cannot be graded", "invalid"),
    ],
    "disc4.p2e_to_one": [
        V("from fractions import Fraction\nfrom decimal import Decimal\np2e_to_one = (Fraction(0), Decimal('1.7320508'))", 1),
        V("import math\np2e_to_one = (0, math.nan)", 0, "cannot be graded", "invalid"),
        V('p2e_to_one = "(0, oo)"', 0, "cannot be graded", "invalid"),
    ],
    "disc4.p1b_exponent": [
        V("from fractions import Fraction\np1b_exponent = Fraction(4, 2)", 1),
        V("import numpy as np\np1b_exponent = np.float64(2.0)", 1),
        V("from decimal import Decimal\np1b_exponent = Decimal('2')", 1),
        V("p1b_exponent = float('inf')", 0, "not a usable answer", "invalid"),
    ],
    "disc4.p1a_shape": [V('p1a_shape = ("fan_out", "fan_{in}")', 1)],
}


def test_hw4_answers_in_other_forms_grade_as_expected() -> None:
    assert grade_variants("hw4", "hw4", HW4) == []


def test_disc4_answers_in_other_forms_grade_as_expected() -> None:
    assert grade_variants("disc4", "disc4", DISC4) == []
