"""Check of Homework 4 Problem 4's table (e) (feature dimensions of a CNN).

The table is graded per cell with partial credit; its cells are parameter counts
and activation shapes, each read by its own rule, and the expected values come
from the network's definition below, not from the reference file. The formulas
and shapes of (a) to (d) and the GAP outputs of (f) are data alone (problem.toml
and the reference), graded by the default checks.
"""

from __future__ import annotations

from autograder.checking.custom import check
from autograder.checking.elements import Cell, Unreadable, check_table, describe_number, read_number, read_shape

#: Part (e): 28 x 28 x 1 -> CONV3-10 -> POOL2 -> CONV3-10 -> POOL2 -> FLATTEN -> FC-3.
INPUT_CHANNELS, FILTERS, CLASSES, SIDE = 1, 10, 3, 28


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


@check("hw4.p4e")
def check_p4e(part, answer):
    return check_table(part, answer, table_cells())
