"""Checks of Homework 4 Problem 2 (MuP at the unit scale).

Parts (c) to (e) and (g) may keep c symbolic: the part's `options.given` says
which value c stands for, and the formula checker substitutes it.
"""

from __future__ import annotations

from autograder.checking.elements import check_choice
from autograder.checking.formulas import check_formula
from autograder.checking.custom import check


@check("hw4.p2b")
def check_p2b(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p2b)


@check("hw4.p2c")
def check_p2c(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p2c)


@check("hw4.p2d")
def check_p2d(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p2d)


@check("hw4.p2e")
def check_p2e(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p2e)


@check("hw4.p2g")
def check_p2g(part, answer, reference):
    return check_choice(part, answer, reference.p2g)


@check("hw4.p2g_factor")
def check_p2g_factor(part, problem, answer, reference):
    return check_formula(part, problem, answer, reference.p2g_factor)
