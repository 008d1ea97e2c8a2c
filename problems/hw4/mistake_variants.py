"""The hw4.py examples that are the reference with a few answers changed on purpose.

A mistake, an answer that is no number, values rounded by hand, a function that attacks the
grader's channel: each example names only the answers it changes, and every other answer (and
any part added later) is the reference's, so `examples.toml` declares the rest of hw4.py
correct. `build_examples` writes them; tests hold the checked-in files to it.
"""

from __future__ import annotations

from problems.example_builder import Rewritten

VARIANTS: dict[str, Rewritten] = {
    "nonfinite_answers": Rewritten(
        "# Answers that are not numbers at all: NaN and infinities (from a division by zero or a diverging sum), and an\n"
        "# array of the wrong shape. Each is reported as not usable and earns nothing, not partial credit.",
        {
            "p2b": 'p2b = "oo"',
            "p2c": "p2c = math.inf",
            "p3a_values": (
                "p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375,\n"
                "              0.9921875, 0.49609375, 0.248046875, 0.1240234375, 0.06201171875, math.nan]"
            ),
            "p3c": "p3c = [[-40, -40, -40], [-40, -40, -40]]",
            "p4a_output": 'p4a_output = ("floor((W - K + 2P)/S) + 1", "infinity", "F")',
            "p4e": (
                "p4e = {\n"
                '    "conv1_params": "3x3x1x10+10",\n'
                '    "conv2_activations": "14x14x10",\n'
                '    "pool2_params": float("nan"),\n'
                '    "pool2_activations": "7x7x10",\n'
                '    "fc3_params": "490x3+3",\n'
                "}"
            ),
            "p7b_mean": 'p7b_mean = "nan"',
        },
        preamble="import math",
    ),
    "rounded_hand_values": Rewritten(
        "# Problem 3 worked out by hand: values rounded to 4 to 6 significant digits, as a student copies them from a calculator.\n"
        "# Right values rounded are right; mistakes rounded are still recognised (shifted the wrong way, transposed, not flipped).",
        {
            "p3a_values": (
                "p3a_values = [0, 0, 0, 0, 0, 0, 1, 1.5, 1.75, 1.875, 1.938, 1.969, 1.984,\n"
                "              0.9922, 0.4961, 0.2480, 0.1240, 0.06201, 0.03101]"
            ),
            "p3b_values": (
                "p3b_values = [0, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.98438, 0.992188, 0.496094, 0.248047, 0.124023, "
                "0.0620117, 0.0310059, 0.0155029, 0.00775146, 0.00387573, 0.00193787, 0.000968933]  # y[n + 5], to 6 digits"
            ),
            "p3c": "p3c = [[-40, -40, -40], [-40, -40, -40], [-40, -40, -40]]",
            "p3d_i": (
                "p3d_i = [\n"
                "    [-19, -30, -30, -30, 49],\n"
                "    [-28, -40, -40, -40, 68],\n"
                "    [-32, -40, -40, -40, 72],\n"
                "    [-36, -40, -40, -40, 76],\n"
                "    [-29, -30, -30, -30, 59],\n"
                "]  # rows and columns exchanged"
            ),
            "p3d_ii": "p3d_ii = [[19, 32, 29], [30, 40, 30], [-49, -72, -59]]  # h slid without flipping",
        },
    ),
    "p4_pool_stride_not_dividing": Rewritten(
        "# Problem 4(b): the pooling output written without the floor, as if the stride always divided W - K and H - K.",
        {"p4b": 'p4b = "((W - K)/S + 1, (H - K)/S + 1, C)"  # no floor: as if the stride always divided evenly'},
    ),
    "writes_to_grader_channel": Rewritten(
        '"""Full marks, except that p1b_fn writes 300,000 brackets to the channel its process answers the grader on."""',
        {
            "p1b_fn": (
                "def p1b_fn(W):\n"
                '    os.write(int(sys.argv[2]), b"[" * 300_000 + b"\\n")\n'
                "    G = W.T @ W\n"
                "    return 0.5 * W @ (3 * np.eye(G.shape[0]) - G)"
            ),
        },
        preamble="import os\nimport sys",
    ),
}
