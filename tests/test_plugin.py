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
        return {t.name.split(":")[0]: t for t in results.tests}, results

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
    assert all(t.status == "failed" and t.score == 0 for t in tests.values() if not t.name.endswith("key"))


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


def test_gradescope_decorators_are_honoured(demo):
    build, run = demo
    build(
        {"a": 1, "b": 1},
        """
        from gradescope_utils.autograder_utils.decorators import hide_errors, leaderboard, number, tags, visibility, weight
        from autograder.checking.custom import check

        @check("demo.a")
        @weight(5)
        @visibility("after_published")
        @number("9.9")
        @tags("special")
        def check_a(answer):
            pass

        @check("demo.b")
        @hide_errors("Something about b is wrong.")
        @leaderboard("b value")
        def check_b(answer, set_leaderboard_value=None):
            set_leaderboard_value(answer.value)
            assert answer.value == 2, "secret detail"
        """,
    )
    tests, results = run()
    a, b = tests["demo.a"], tests["demo.b"]
    assert (a.max_score, a.score, a.visibility, a.number) == (5, 5, "after_published", "9.9")
    assert "special" in a.tags
    assert b.output == "Something about b is wrong."
    assert results.leaderboard and results.leaderboard[0].name == "b value" and results.leaderboard[0].value == 5


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
    assert [t.name.split(":")[0] for t in results.tests][:2] == ["demo.a", "demo.b"]


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
