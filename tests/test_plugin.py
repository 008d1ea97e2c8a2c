"""The pytest plugin: every outcome of a check becomes exactly one test in results.json.

Each test builds a throwaway assignment ("demo") in pytester's folder and grades a
tiny submission against it with the real engine.
"""

from __future__ import annotations

import textwrap

import pytest

from autograder.assignment import load_assignment
from autograder.config import Settings
from autograder.engine import grade

PROBLEM = """
id = "demo.p1"
number = 1
title = "Demo"
file = "demo"
{parts}
"""

PART = """
[[parts]]
id = "demo.{pid}"
answer = "{pid}"
kind = "{kind}"
points = {points}
title = "part {pid}"
{extra}
"""


@pytest.fixture
def demo(pytester, monkeypatch, fast_sandbox):
    """Create problems/demo (two problems), reference/demo and a submission; return a grading function."""
    monkeypatch.setenv("AUTOGRADER_ROOT", str(pytester.path))
    monkeypatch.setenv("AUTOGRADER_SETTINGS", str(pytester.path / "none.toml"))
    load_assignment.cache_clear()
    root = pytester.path

    def build(
        parts: dict[str, float],
        checks: str,
        *,
        second_problem: str | None = None,
        extra: dict[str, str] | None = None,
        kinds: dict[str, str] | None = None,
    ):
        """Parts are numbers (which the default check grades where no check of the problem does) unless `kinds` says otherwise."""
        (root / "problems" / "demo" / "p1").mkdir(parents=True, exist_ok=True)
        folders = '"p1"' + (', "p2"' if second_problem is not None else "")
        (root / "problems" / "demo" / "assignment.toml").write_text(
            f'id = "demo"\ntitle = "Demo"\nreference = "reference/demo"\nproblem_folders = [{folders}]\n'
            '[[files]]\nname = "demo"\nforms = ["demo.py"]\n'
        )
        body = "".join(
            PART.format(pid=pid, points=points, kind=(kinds or {}).get(pid, "number"), extra=(extra or {}).get(pid, ""))
            for pid, points in parts.items()
        )
        (root / "problems" / "demo" / "p1" / "problem.toml").write_text(PROBLEM.format(parts=body))
        (root / "problems" / "demo" / "p1" / "check_p1.py").write_text(textwrap.dedent(checks))
        if second_problem is not None:
            (root / "problems" / "demo" / "p2").mkdir(exist_ok=True)
            (root / "problems" / "demo" / "p2" / "problem.toml").write_text(
                PROBLEM.replace("demo.p1", "demo.p2").replace("number = 1", "number = 2").format(
                    parts=PART.format(pid="q", points=2, kind="number", extra="")
                )
            )
            (root / "problems" / "demo" / "p2" / "check_p2.py").write_text(textwrap.dedent(second_problem))
        (root / "reference" / "demo").mkdir(parents=True, exist_ok=True)
        (root / "reference" / "demo" / "demo.py").write_text("a = 1\nb = 2\nq = 3\n")
        (root / "submission").mkdir(exist_ok=True)
        (root / "submission" / "demo.py").write_text("a = 1\nb = 5\nq = 3\n")
        load_assignment.cache_clear()

    def run(deadline: float = 60.0):
        settings = Settings(sandbox=fast_sandbox, deadline_seconds=deadline)
        results = grade(root / "submission", "demo", settings=settings).results
        return {t.extra_data.part: t for t in results.tests}, results

    yield build, run
    load_assignment.cache_clear()


def test_assert_based_checks_pass_and_fail_with_their_message(demo):
    build, run = demo
    build(
        {"a": 1, "b": 2},
        """
        from autograder.checking.custom import check

        @check("demo.a")
        def check_a(answer):
            assert answer.value == 1

        @check("demo.b")
        def check_b(answer, reference):
            assert answer.value == reference.b, "b is off"
        """,
    )
    tests, results = run()
    assert (tests["demo.a"].score, tests["demo.a"].status) == (1, "passed")
    assert (tests["demo.b"].score, tests["demo.b"].status) == (0, "failed")
    assert tests["demo.b"].output == "b is off"
    assert results.score == 1


def test_partial_credit_from_verdicts_and_from_gradescope_set_score(demo):
    build, run = demo
    build(
        {"a": 2, "b": 2},
        """
        from gradescope_utils.autograder_utils.decorators import partial_credit
        from autograder.checking.custom import check
        from autograder.checking.verdict import Verdict

        @check("demo.a")
        def check_a(answer):
            return Verdict.wrong("three quarters", fraction=0.75)

        @check("demo.b")
        @partial_credit(2)
        def check_b(answer, set_score=None):
            set_score(1.5)
        """,
    )
    tests, results = run()
    assert tests["demo.a"].score == 1.5 and tests["demo.a"].status == "failed"
    assert tests["demo.b"].score == 1.5
    assert results.score == 3.0


def test_errors_fixture_errors_and_skips_become_failed_tests_with_messages(demo):
    build, run = demo
    build(
        {"a": 1, "b": 1, "q": 1},
        """
        import pytest
        from autograder.checking.custom import check

        @pytest.fixture
        def broken():
            raise RuntimeError("fixture exploded")

        @check("demo.a")
        def check_a(answer):
            raise KeyError("oops")

        @check("demo.b")
        def check_b(broken):
            pass

        @check("demo.q")
        def check_q():
            pytest.skip("not ready")
        """,
    )
    tests, _ = run()
    assert "internal error while running the check" in tests["demo.a"].output
    assert "internal error while preparing the check" in tests["demo.b"].output
    assert "not checked (not ready)" in tests["demo.q"].output
    assert all(t.status == "failed" and t.score == 0 for t in tests.values() if t.extra_data.role == "part")


def test_a_collection_error_fails_only_that_problem(demo):
    build, run = demo
    build(
        {"a": 1},
        """
        from autograder.checking.custom import check

        @check("demo.a")
        def check_a(answer):
            assert answer.value == 1
        """,
        second_problem="this is not python(\n",
    )
    tests, results = run()
    assert tests["demo.a"].status == "passed"
    assert tests["demo.q"].status == "failed"
    assert "could not load the check" in tests["demo.q"].output
    assert results.score == 1


def test_gradescope_decorators_that_act_during_a_check_are_honoured(demo):
    build, run = demo
    build(
        {"a": 1, "b": 1},
        """
        from gradescope_utils.autograder_utils.decorators import hide_errors, leaderboard
        from autograder.checking.custom import check

        @check("demo.a")
        @leaderboard("a value", sort_order="asc")
        def check_a(answer, set_leaderboard_value=None):
            set_leaderboard_value(answer.value)

        @check("demo.b")
        @hide_errors("Something about b is wrong.")
        @leaderboard("b value")
        def check_b(answer, set_leaderboard_value=None):
            set_leaderboard_value(answer.value)
            assert answer.value == 2, "secret detail"
        """,
    )
    tests, results = run()
    assert tests["demo.a"].status == "passed"
    assert tests["demo.b"].output == "Something about b is wrong."
    board = {entry.name: (entry.value, entry.order) for entry in results.leaderboard or []}
    assert board == {"a value": (1, "asc"), "b value": (5, "desc")}


def test_a_score_set_during_one_grading_does_not_leak_into_the_next(demo, pytester):
    """gradescope-utils leaves set_score's value on the function; a later grading in the process must not see it."""
    build, run = demo
    build(
        {"a": 2},
        """
        from gradescope_utils.autograder_utils.decorators import leaderboard, partial_credit
        from autograder.checking.custom import check

        @check("demo.a")
        @partial_credit(2)
        @leaderboard("a value")
        def check_a(answer, set_score=None, set_leaderboard_value=None):
            if answer.value == 1:
                set_score(0.5)
                set_leaderboard_value(1)
        """,
    )
    tests, results = run()
    assert tests["demo.a"].score == 0.5 and results.leaderboard
    (pytester.path / "submission" / "demo.py").write_text("a = 7\nb = 5\nq = 3\n")
    tests, results = run()  # the check module stays imported: the same function object grades again
    assert tests["demo.a"].score == 2 and tests["demo.a"].status == "passed"
    assert results.leaderboard is None


@pytest.mark.parametrize(
    ("decorator", "said"),
    [("weight(5)", "points (5; the part has 1)"), ('visibility("after_published")', "visibility"), ('number("9.9")', "number"), ('tags("special")', "tags")],
)
def test_a_check_may_not_restate_its_parts_data(demo, pytester, fast_sandbox, decorator, said):
    """Points, visibility, number and tags are the part's data: a check stating them is refused, loudly, not half-honoured."""
    build, run = demo
    build(
        {"a": 1},
        f"""
        from gradescope_utils.autograder_utils.decorators import number, tags, visibility, weight
        from autograder.checking.custom import check

        @check("demo.a")
        @{decorator}
        def check_a(answer):
            pass
        """,
    )
    graded = grade(pytester.path / "submission", "demo", settings=Settings(sandbox=fast_sandbox))
    (a,) = [t for t in graded.results.tests if t.extra_data.part == "demo.a"]
    assert a.status == "failed" and "could not load the check" in a.output
    assert any(said in note and "problem.toml" in note for note in graded.staff_notes), graded.staff_notes


def test_part_data_comes_from_the_part(demo):
    """The row's points, visibility, number and tags are the part's, whatever check graded it."""
    build, run = demo
    build(
        {"a": 3},
        """
        from gradescope_utils.autograder_utils.decorators import partial_credit
        from autograder.checking.custom import check

        @check("demo.a")
        @partial_credit(3)
        def check_a(answer, set_score=None):
            set_score(1)
        """,
        extra={"a": 'visibility = "after_published"\ntags = ["special"]'},
    )
    tests, _ = run()
    a = tests["demo.a"]
    assert (a.max_score, a.score, a.visibility, a.number) == (3, 1, "after_published", "1.a")
    assert a.tags[:2] == ["special", "problem-1"] and (a.extra_data.role, a.extra_data.outcome) == ("part", "partial")


def test_parts_not_reached_before_the_deadline_are_reported_not_run(demo):
    build, run = demo
    build(
        {"a": 1, "b": 1},
        """
        import time
        from autograder.checking.custom import check

        @check("demo.a")
        def check_a(answer):
            time.sleep(1.5)

        @check("demo.b")
        def check_b(answer):
            pass
        """,
    )
    tests, results = run(deadline=1.0)
    assert tests["demo.b"].status == "failed"
    assert "time budget ran out" in tests["demo.b"].output
    assert [t.extra_data.part for t in results.tests][:2] == ["demo.a", "demo.b"]


def test_a_part_without_a_check_is_still_listed(demo):
    """A function part has no default check: without a check of its own it is reported, not dropped."""
    build, run = demo
    build({"a": 1, "b": 1}, "from autograder.checking.custom import check\n\n@check('demo.a')\ndef check_a(answer):\n    pass\n", kinds={"b": "function"})
    tests, _ = run()
    assert tests["demo.b"].status == "failed" and "no check for this part ran" in tests["demo.b"].output


ONLY_A = """
from autograder.checking.custom import check

@check("demo.a")
def check_a(answer):
    assert answer.value == 1
"""


def test_a_data_only_part_is_graded_by_its_kinds_default_check(demo):
    """b is a number with no check of its own: the default check compares it with the reference's b (2; given 5)."""
    build, run = demo
    build({"a": 1, "b": 2, "q": 1}, ONLY_A, extra={"q": 'options = { format = "a number" }'})
    tests, results = run()
    assert tests["demo.a"].status == "passed"
    b = tests["demo.b"]
    assert (b.score, b.max_score, b.status, b.number) == (0, 2, "failed", "1.b")
    assert "Read as: 5" in b.output and "not equivalent" in b.output
    assert "number" in b.tags and "problem-1" in b.tags
    assert tests["demo.q"].status == "passed"  # submitted 3, the reference's q is 3
    assert results.score == 2


def test_a_course_check_overrides_the_default_check(demo):
    build, run = demo
    build(
        {"a": 1, "b": 2},
        ONLY_A
        + """
from autograder.checking.verdict import Verdict

@check("demo.b")
def check_b(answer):
    return Verdict.correct("judged by the problem's own check")
""",
    )
    tests, _ = run()
    assert tests["demo.b"].status == "passed" and tests["demo.b"].output == "judged by the problem's own check"


def test_the_gradings_own_settings_give_the_default_visibility(demo, pytester, fast_sandbox):
    """A batch may grade under its own settings file: its default applies, not the one of the file the checks were loaded beside."""
    build, _ = demo
    build(
        {"a": 1, "b": 1},
        "from autograder.checking.custom import check\n\n@check('demo.a')\ndef check_a(answer):\n    pass\n",
        extra={"b": 'visibility = "visible"'},
    )
    settings = Settings(sandbox=fast_sandbox, default_visibility="after_due_date")
    results = grade(pytester.path / "submission", "demo", settings=settings).results
    shown = {t.extra_data.part: t.visibility for t in results.tests if t.extra_data.role == "part"}
    assert shown == {"demo.a": "after_due_date", "demo.b": "visible"}


def test_each_python_answer_file_is_graded_against_its_own_reference(pytester, monkeypatch, fast_sandbox):
    """A data-only part of a second answer file reads that file's reference, not the first file's."""
    root = pytester.path
    monkeypatch.setenv("AUTOGRADER_ROOT", str(root))
    monkeypatch.setenv("AUTOGRADER_SETTINGS", str(root / "none.toml"))
    (root / "problems" / "two" / "p1").mkdir(parents=True)
    (root / "problems" / "two" / "p2").mkdir()
    (root / "problems" / "two" / "assignment.toml").write_text(
        'id = "two"\ntitle = "Two files"\nreference = "reference/two"\nproblem_folders = ["p1", "p2"]\n'
        '[[files]]\nname = "main"\nforms = ["main.py"]\n[[files]]\nname = "extra"\nforms = ["extra.py"]\n'
    )
    for number, file, pid in ((1, "main", "a"), (2, "extra", "z")):
        problem = PROBLEM.replace("demo.p1", f"two.p{number}").replace("number = 1", f"number = {number}").replace('file = "demo"', f'file = "{file}"')
        part = PART.format(pid=pid, points=1, kind="number", extra="").replace(f"demo.{pid}", f"two.{pid}")
        (root / "problems" / "two" / f"p{number}" / "problem.toml").write_text(problem.format(parts=part))
    (root / "reference" / "two").mkdir(parents=True)
    (root / "reference" / "two" / "main.py").write_text("a = 1\n")
    (root / "reference" / "two" / "extra.py").write_text("z = 7\n")
    (root / "submission").mkdir()
    (root / "submission" / "main.py").write_text("a = 1\n")
    (root / "submission" / "extra.py").write_text("z = 7\n")
    load_assignment.cache_clear()
    try:
        results = grade(root / "submission", "two", settings=Settings(sandbox=fast_sandbox)).results
    finally:
        load_assignment.cache_clear()
    rows = {t.extra_data.part: (t.score, t.extra_data.outcome) for t in results.tests if t.extra_data.role == "part"}
    assert rows == {"two.a": (1.0, "correct"), "two.z": (1.0, "correct")}, [t.output for t in results.tests]
