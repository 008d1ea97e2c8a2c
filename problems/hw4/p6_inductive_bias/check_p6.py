"""Checks of Homework 4 Problem 6 (inductive bias of CNNs).

Loaders are judged from their description (batch size, shuffling, data set size,
configuration and labels), which the sandbox sends instead of the object; see
loader_faults.py. Trained-model parts take only numbers from the notebook: the
grader trains the course's CNN with its own code, on data draws it generates, and
holds each draw to its own bar (verdict.py says why and how); a run the grader
has done before on this machine is read from its curve tables (tables.py).
"""

from __future__ import annotations

from typing import Any

from gradescope_utils.autograder_utils.decorators import leaderboard

from autograder.checking.formula_answers import missing_verdict, type_name
from autograder.checking.verdict import Verdict
from autograder.checking.custom import check
from autograder.config import Settings
from autograder.part_options import LoaderOptions, ModelThresholdOptions
from problems.hw4.p6_inductive_bias import tables
from problems.hw4.p6_inductive_bias import verdict as verdicts
from problems.hw4.p6_inductive_bias.loader_faults import loader_faults


def _loader_verdict(answer: Any, name: str, **expected: Any) -> Verdict:
    if not answer.given:
        return missing_verdict(answer)
    faults = loader_faults(answer.value, **expected)
    if not faults:
        checked = ", batch size and shuffling" if expected.get("shuffle") is not None else " and batch size"
        return Verdict.correct(f"{name}: right data set (configuration, size and labels){checked}.")
    return Verdict.wrong(f"{name}: " + "; ".join(faults) + ".")


@check("hw4.p6_1")
def check_p6_1(part, answer):
    o = part.options_as(LoaderOptions)
    return _loader_verdict(answer, answer.name, per_class=o.per_class, batch_size=o.batch_size, shuffle=o.shuffle, split=o.split)


@check("hw4.p6_2_train")
def check_p6_2_train(part, answer):
    if not answer.given:
        return missing_verdict(answer)
    o = part.options_as(LoaderOptions)
    if not isinstance(answer.value, dict):
        return Verdict.invalid(f"{answer.name} should be a dict from images per class to a DataLoader; got a value of type {type_name(answer.value)}.")
    found = {k for k in answer.value if isinstance(k, int) and not isinstance(k, bool)}
    faults, right = [], 0
    for size in o.sizes:
        if size not in found:
            faults.append(f"no loader for {size} images per class")
            continue
        problems = loader_faults(answer.value[size], per_class=size, batch_size=o.batch_size, shuffle=o.shuffle, split=o.split)
        if problems:
            faults.append(f"{size} per class: " + "; ".join(problems))
        else:
            right += 1
    if not faults:
        return Verdict.correct(f"All {len(o.sizes)} training loaders are right.")
    return Verdict.wrong("; ".join(faults) + ".", fraction=right / len(o.sizes))


@check("hw4.p6_2_valid")
def check_p6_2_valid(part, answer):
    o = part.options_as(LoaderOptions)
    return _loader_verdict(answer, answer.name, per_class=o.per_class, batch_size=o.batch_size, shuffle=None, split=o.split)


ADVICE = " Train longer or tune the values, and check the curves in the notebook (its last cell of the section runs this same check)."


def _grade(part: Any, settings: Settings, label: str, **answers: Any) -> verdicts.Grade:
    """Train on the grader's draws (verdict.grade_answers says how) at the part's threshold.

    tables.accuracy reads a run from the machine's curve tables, or trains it (torch is
    imported then, so the grader does not hold torch's memory while the notebooks run).
    """
    threshold = settings.thresholds.get(part.id, part.options_as(ModelThresholdOptions).threshold)
    return verdicts.grade_answers(label, tables.accuracy, threshold, **answers)


def _trained_verdict(grade: verdicts.Grade) -> Verdict:
    if grade.outcome.passed:
        return Verdict.correct(grade.text)
    return Verdict.wrong(grade.text + ADVICE)


@check("hw4.p6_3")
@leaderboard("6.3 CNN accuracy")
def check_p6_3(part, answer, settings, set_leaderboard_value=None):
    if not answer.given:
        return missing_verdict(answer)
    grade = _grade(part, settings, "6.3", epochs=answer.value)
    if grade.outcome is None:
        return Verdict.invalid(f"{answer.name}: {grade.text}")
    set_leaderboard_value(round(grade.outcome.median_accuracy, 4))
    return _trained_verdict(grade)


@check("hw4.p6_4")
def check_p6_4(part, answers, settings):
    values = []
    for name in part.answer_names:
        answer = answers.get(name)
        if not answer.given:
            return missing_verdict(answer)
        values.append(answer.value)
    epochs, learning_rate, kernel_size = values
    grade = _grade(part, settings, "6.4", epochs=epochs, learning_rate=learning_rate, kernel_size=kernel_size)
    if grade.outcome is None:
        return Verdict.invalid(grade.text)
    return _trained_verdict(grade)
