"""Checks of Homework 4 Problem 4 (feature dimensions of a CNN).

Shapes are graded per component (width, height, channels) and the table per
cell, each with partial credit; the expected table comes from the network's
definition below, not from the reference file.
"""

from __future__ import annotations

import numpy as np

from autograder.checking.array_answers import check_array
from autograder.checking.elements import Cell, Unreadable, check_table, describe_number, read_number, read_shape
from autograder.checking.formulas import check_formula, check_formula_tuple, check_scaling
from autograder.checking.custom import check
from autograder.part_options import ExpressionOptions

#: Part (e): 28 x 28 x 1 -> CONV3-10 -> POOL2 -> CONV3-10 -> POOL2 -> FLATTEN -> FC-3.
INPUT_CHANNELS, FILTERS, CLASSES, SIDE = 1, 10, 3, 28

#: Part (f): g1 (horizontal edge) and g2 (vertical edge) as given in the homework.
G_HORIZONTAL = np.array([0.8, 0.0, 0.0])
G_VERTICAL = np.array([0.0, 0.8, 0.0])
VECTOR_SHAPES = [(3, 1), (1, 3)]


def read_count(value) -> float:
    number = read_number(value)
    if not number.is_integer() or number < 0:
        raise Unreadable(f"{str(value)[:60]!r} is not a whole number of parameters")
    return number


def show_shape(shape: tuple[int, ...]) -> str:
    return " x ".join(str(s) for s in shape)


def table_cells() -> list[Cell]:
    after_pools = SIDE // 2 // 2
    flat = after_pools * after_pools * FILTERS
    count = {"read": read_count, "show": describe_number}
    shape = {"read": read_shape, "show": show_shape}
    return [
        Cell("conv1_params", float(3 * 3 * INPUT_CHANNELS * FILTERS + FILTERS), **count),
        Cell("conv2_activations", (SIDE // 2, SIDE // 2, FILTERS), **shape),
        Cell("pool2_params", 0.0, **count),
        Cell("pool2_activations", (after_pools, after_pools, FILTERS), **shape),
        Cell("fc3_params", float(flat * CLASSES + CLASSES), **count),
    ]


@check("hw4.p4a_weights")
def check_p4a_weights(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p4a_weights)


@check("hw4.p4a_biases")
def check_p4a_biases(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p4a_biases)


@check("hw4.p4a_output")
def check_p4a_output(part, problem, answer, reference):
    return check_formula_tuple(part, problem, answer, reference.p4a_output, part.options_as(ExpressionOptions).labels)


@check("hw4.p4b")
def check_p4b(part, problem, answer, reference):
    return check_formula_tuple(part, problem, answer, reference.p4b, part.options_as(ExpressionOptions).labels)


@check("hw4.p4c")
def check_p4c(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p4c)


@check("hw4.p4d")
def check_p4d(part, problem, answer, reference):
    return check_scaling(part, problem, answer, str(reference.p4d))


@check("hw4.p4e")
def check_p4e(part, answer):
    return check_table(part, answer, table_cells())


@check("hw4.p4f_g3")
def check_p4f_g3(part, answer):
    variants = {"horizontal": G_HORIZONTAL, "zero": np.zeros(3)}
    return check_array(part, answer, G_VERTICAL, variants=variants, also_shapes=VECTOR_SHAPES)


@check("hw4.p4f_g4")
def check_p4f_g4(part, answer):
    variants = {"vertical": G_VERTICAL, "zero": np.zeros(3)}
    return check_array(part, answer, G_HORIZONTAL, variants=variants, also_shapes=VECTOR_SHAPES)
