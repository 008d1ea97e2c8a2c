"""Homework 4 Problems 2 and 4: right answers written several ways, every named mistake, invalid input."""

from __future__ import annotations

from tests.problems.grading import Variant as V
from tests.problems.grading import grade_variants

P2 = {
    "hw4.p2b": [
        V('p2b = "d_in^(-1/2)"', 1),
        V('import sympy\np2b = 1 / sympy.sqrt(sympy.Symbol("d_in", positive=True))', 1),
        V('p2b = "1/d_in"', 0, "standard deviation"),
        V('p2b = "sqrt(d_in)"', 0, "grow"),
        V('p2b = "sqrt(2/(d_in + d_out))"', 0.5, "Glorot"),
        V('p2b = "1/sqrt(d_out)"', 0, "swapped"),
        V('p2b = "2/sqrt(d_in)"', 0, "constant factor"),
        V('p2b = "1/sqrt(n)"', 0, "could not be read", "invalid"),
    ],
    "hw4.p2c": [
        V('p2c = "sqrt(d_out)/(c*sqrt(d_in))"', 1, "graded with c set to"),
        V('p2c = "\\\\sqrt{d_{out}}"', 1),
        V('p2c = "sqrt(d_out/d_in)"', 0, "leaves out the multiplier c"),
        V('p2c = "1"', 0, "Euclidean"),
        V('p2c = "sqrt(d_in)"', 0, "swapped"),
        V('p2c = "sqrt(d_out)/c"', 0, "not equivalent"),
    ],
    "hw4.p2d": [
        V('p2d = "1/(c d_in)"', 1),
        V('p2d = "1/sqrt(d_in*d_out)"', 0, "spectral norm of the update 1"),
        V('p2d = "1/d_in"', 0, "Discussion 4"),
        V('p2d = "1/(d_in d_out)"', 0, "rank-1"),
    ],
    "hw4.p2e": [
        V('p2e = "sqrt(d_out) / (c sqrt(d_in))"', 1),
        V('p2e = 1', 0, "whole update alpha U V^T"),
        V('p2e = "sqrt(d_out/d_in)"', 0, "leaves out the multiplier c"),
        V('p2e = "1/sqrt(d_in d_out)"', 0, "+-1 matrix"),
    ],
    "hw4.p2g": [
        V('p2g = "Explodes"', 1),
        V('p2g = "vanishing"', 0, "not c alone"),
        V('p2g = "stable"', 0, "backward pass"),
        V('p2g = "sideways"', 0, "not one of the choices", "invalid"),
    ],
    "hw4.p2g_factor": [
        V('p2g_factor = "1/(c sqrt(d_in d_out))"', 1),
        V('p2g_factor = "sqrt(d_in)/d_out"', 1),
        V('p2g_factor = "sqrt(d_out)"', 0, "rather than repeating it"),
        V('p2g_factor = "1/sqrt(d_in d_out)"', 0, "not by W^T alone"),
    ],
}

P4 = {
    "hw4.p4a_weights": [
        V('p4a_weights = "K*K*C*F"', 1),
        V('p4a_weights = "K^2 F"', 0, "input channels does one filter span"),
        V('p4a_weights = "K^2 C F + F"', 0.5, "biases"),
        V('p4a_weights = "K C F"', 0, "spatial extent"),
        V('p4a_weights = "K^2 C"', 0, "every filter of the layer"),
        V('p4a_weights = "2 K^2 C F"', 0, "constant factor"),
    ],
    "hw4.p4a_biases": [V('p4a_biases = "F"', 1), V('p4a_biases = 1', 0, "share one bias"), V('p4a_biases = "C F"', 0, "bring a bias of their own")],
    "hw4.p4a_output": [
        V('p4a_output = "floor((W-K+2P)/S)+1 x floor((H-K+2P)/S)+1 x F"', 1),
        V('p4a_output = ["(W - K + 2*P)//S + 1", "(H - K + 2*P)//S + 1", "F"]', 1),
        V('p4a_output = ("(W-K+2P)/S+1", "(H-K+2P)/S+1", "F")', 2 / 3, "does not divide evenly"),
        V('p4a_output = ("floor((W-K+P)/S)+1", "floor((H-K+2P)/S)+1", "C")', 1 / 3, "how many sides"),
        V('p4a_output = ("floor((H-K+2P)/S)+1", "floor((W-K+2P)/S)+1", "F")', 1 / 3, "swapped"),
        V('p4a_output = ("W", "H")', 0, "should have 3", "invalid"),
    ],
    "hw4.p4b": [
        V('p4b = "(W-K)//S+1 × (H-K)//S+1 × C"', 1),
        V('p4b = ("(W-K)//S+1", "(H-K)//S+1", "F")', 2 / 3, "no filters of its own"),
        V('p4b = ("floor((W-K+2P)/S)+1", "floor((H-K)/S)+1", "C")', 2 / 3, "no padding"),
        V('p4b = ("(W-K)/S+1", "(H-K)/S+1", "C")', 2 / 3, "does not divide evenly"),
    ],
    "hw4.p4c": [
        V('p4c = "L K - L + 1"', 1),
        V('p4c = "L K"', 0, "overlap"),
        V('p4c = "K^L"', 0, "one more stride-1 layer"),
        V('p4c = "L (K - 1)"', 0, "off by one"),
    ],
    "hw4.p4d": [
        V("p4d = 2.0", 1), V('p4d = "2"', 1), V('p4d = "x2"', 1), V('p4d = "doubles"', 1), V('p4d = "2 r"', 1),
        V('p4d = "a factor of 2"', 1), V("import sympy\np4d = 2 * sympy.Symbol('r', positive=True, integer=True)", 1),
        V('p4d = "r + 1"', 1),
        V("p4d = 4", 0.5, "not an area"), V('p4d = "4x"', 0.5, "not an area"), V('p4d = "r/2"', 0, "halves the resolution"),
        V('p4d = "1"', 0, "changes the receptive field"), V("p4d = 3", 0, "not equivalent"), V('p4d = "-2"', 0, "not equivalent"),
        V('p4d = "2 L"', 0, "unknown", "invalid"),
    ],
    "hw4.p4e": [
        V('p4e = {"conv1_params": 100, "conv2_activations": (14, 14, 10), "pool2_params": "0", "pool2_activations": [7, 7, 10], "fc3_params": 1473}', 1),
        V('p4e = {"conv1_params": "3x3x1x10+10", "conv2_activations": "14×14×10", "pool2_params": 0, "pool2_activations": "7 x 7 x 10", "fc3_params": "490*3+3"}', 1),
        V('p4e = {"conv1_params": 90, "conv2_activations": "12 x 12 x 10", "pool2_params": 0, "pool2_activations": "7 x 7 x 20", "fc3_params": 1470}', 0.2, "biases"),
        V('p4e = {"conv1_params": 910, "conv2_activations": "14 x 14 x 10", "pool2_params": 0, "pool2_activations": "7 x 7 x 10"}', 0.6, "fc3_params: no entry"),
        V('p4e = [100, 0]', 0, "should be a dict", "invalid"),
    ],
    "hw4.p4f_g3": [
        V("p4f_g3 = [[0], [0.8], [0]]", 1),
        V("p4f_g3 = [0.8, 0, 0]", 0, "which kind of edge x3 has"),
        V("p4f_g3 = [0, 0, 0]", 0, "an edge moves"),
        V("p4f_g3 = [0, 0.8]", 0, "shape"),
    ],
    "hw4.p4f_g4": [V("import numpy as np\np4f_g4 = np.array([4, 0, 0]) / 5", 1), V("p4f_g4 = [0, 0.8, 0]", 0, "which kind of edge x4 has")],
}


def test_problem_2_answers_grade_as_expected():
    assert grade_variants("hw4", "hw4", P2) == []


def test_problem_4_answers_grade_as_expected():
    assert grade_variants("hw4", "hw4", P4) == []
