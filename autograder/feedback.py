"""Turning check records into Gradescope results: one test per part, always, in the homework's order.

Parts that were checked get their verdict; manual parts carry the student's text
for the graders; parts whose check never ran (collection error, deadline, a part
deselected by a filter) say so. The expected answers go only into answer-key
tests whose visibility is the course's answer-key setting (after the due date);
so do the exact names of the mistakes recognised in the student's answers, which
the parts' own feedback gives only as neutral hints unless the course's settings
ask for explicit mistakes (a named mistake tells the answer to whoever applies it).

This is where a part's data becomes its row, once: points, number, tags and
visibility come from the part (problem.toml and the course's settings), the
score and outcome from the check's verdict, and what the row is (part id, role,
outcome) goes into its extra_data for every reader.
"""

from __future__ import annotations

from autograder.answers import AnswerSheet
from autograder.assignment import Assignment, Part
from autograder.checking.verdict import Verdict
from autograder.config import Settings
from autograder.plugin import GradingPlugin
from autograder.results import Facts, Results, TestResult, cap_output
from autograder.submission import StagedSubmission

STUDENT_OUTPUT_LIMIT = 4000
MANUAL_TAG = "manual"


def _number(assignment: Assignment, part: Part) -> str:
    """Gradescope sorts rows by number: `<problem>.<part label>` keeps the homework's order."""
    return f"{assignment.problem_of(part).number}.{part.label}"


def _tags(assignment: Assignment, part: Part, *first: str) -> list[str]:
    """Tags for staff browsing Gradescope (by problem, kind, outcome); no reader of ours parses them back."""
    return [*first, *part.tags, f"problem-{assignment.problem_of(part).number}"]


def _name(part: Part) -> str:
    return f"{part.id}: {part.title}"


def _manual_text(value: object) -> str:
    """What the graders read: text as written; a number, list or array (a manual part may ask for one) as printed."""
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def manual_result(assignment: Assignment, part: Part, sheet: AnswerSheet, settings: Settings) -> TestResult:
    answer = sheet.get(part.answer)
    text = _manual_text(answer.value) if answer.given else ""
    if text:
        body = f"Graded by hand. Your answer as submitted in {answer.file}:\n\n{text}"
    else:
        body = "Graded by hand from your written submission; no answer text for this part was found in your files."
    return TestResult(
        name=_name(part),
        number=_number(assignment, part),
        score=0.0,
        max_score=0.0,
        status="passed",
        output=body,
        visibility=part.effective_visibility(settings),
        tags=_tags(assignment, part, MANUAL_TAG),
        extra_data=Facts(role="manual", part=part.id),
    )


def _unchecked_verdict(part: Part, plugin: GradingPlugin) -> Verdict:
    """Why a selected part has no record: its check could not load, had a twin, or never ran."""
    error = plugin.load_error(part.id)
    if error is not None:
        return Verdict("error", 0.0, "The autograder could not load the check for this part; this is not a verdict on your answer. Please tell the course staff.", staff=error)
    if part.id in plugin.duplicates:
        return Verdict("error", 0.0, "This part has two checks; the staff must fix the autograder.")
    if plugin.interrupted:
        return Verdict("not_run", 0.0, "Not run: grading was stopped (the autograder's hard time limit, or a signal) before this part was checked.")
    return Verdict("not_run", 0.0, "Not run: no check for this part ran (the time budget ran out or the check is missing).")


def checked_result(assignment: Assignment, part: Part, verdict: Verdict, settings: Settings) -> TestResult:
    """The row of a graded part: the part's points scaled by the verdict's share, shown as the part says."""
    tags = _tags(assignment, part)
    tags += [tag for tag in (part.kind, verdict.outcome) if tag not in tags]
    return TestResult(
        name=_name(part),
        number=_number(assignment, part),
        score=round(part.points * verdict.fraction, 4),
        max_score=part.points,
        status="passed" if verdict.fraction >= 1.0 else "failed",
        output=verdict.text(explicit=settings.explicit_mistakes),
        visibility=part.effective_visibility(settings),
        tags=tags,
        extra_data=Facts(role="part", part=part.id, outcome=verdict.outcome),
    )


def answer_key_lines(part: Part, verdict: Verdict) -> list[str]:
    """The part's expected answer, then each mistake recognised in the student's answer, named exactly."""
    lines = [f"{part.id} ({part.title}): {verdict.key}"] if verdict.key else []
    if verdict.detected and not lines:
        lines.append(f"{part.id} ({part.title}):")
    lines.extend(f"  recognised in your answer: {found.message}" for found in verdict.detected)
    return lines


def answer_keys(assignment: Assignment, verdicts: dict[str, Verdict], settings: Settings) -> list[TestResult]:
    keys = []
    for problem in assignment.problems:
        lines = [line for part in problem.parts if part.id in verdicts for line in answer_key_lines(part, verdicts[part.id])]
        if lines:
            keys.append(
                TestResult(
                    name=f"{problem.id}: answer key",
                    number=f"{problem.number}.zz",
                    score=0.0,
                    max_score=0.0,
                    status="passed",
                    output="Expected answers, shown after the due date:\n" + "\n".join(lines),
                    visibility=settings.answer_key_visibility,
                    tags=["answer-key"],
                    extra_data=Facts(role="answer_key", part=problem.id),
                )
            )
    return keys


MAX_INCIDENTS = 5


def summary(sheets: dict[str, AnswerSheet], staged: StagedSubmission) -> str:
    """What happened to each answer file: loaded or not, and every time its process had to be stopped."""
    lines = []
    for sheet in sheets.values():
        if sheet.session is None:
            lines.append(f"- {sheet.absent_reason}")
            continue
        session = sheet.session
        report = session.load_report
        state = "not run (no part needed it)" if report is None else ("ran without errors" if report.ok else f"problem: {report.describe()}")
        lines.append(f"- {sheet.file_label}: {state}")
        if sheet.choice:
            lines.append(f"  {sheet.choice}")
        for incident in session.incidents[:MAX_INCIDENTS]:
            lines.append(f"  The process running it was stopped {incident}")
        if len(session.incidents) > MAX_INCIDENTS:
            lines.append(f"  ... and {len(session.incidents) - MAX_INCIDENTS} more times")
        if session.restarts:
            times = "once" if session.restarts == 1 else f"{session.restarts} times"
            lines.append(f"  It was started again {times} to grade the remaining parts.")
        output = session.output.strip()
        if output:
            lines.append(f"  What your code printed (first {STUDENT_OUTPUT_LIMIT} characters):\n" + cap_output(output, STUDENT_OUTPUT_LIMIT))
    ignored = staged.ignored_line()
    if ignored:
        lines.append(f"- {ignored}")
    return "Files graded:\n" + "\n".join(lines)


def assemble(
    assignment: Assignment,
    settings: Settings,
    plugin: GradingPlugin,
    sheets: dict[str, AnswerSheet],
    staged: StagedSubmission,
    selected: set[str],
    *,
    public_only: bool,
    part_filter: set[str] | None = None,
) -> Results:
    tests: list[TestResult] = []
    verdicts: dict[str, Verdict] = {}
    for part in assignment.parts:
        if part.manual:
            if part_filter is not None and part.id not in part_filter:
                continue
            if not public_only or part.is_public(settings):
                tests.append(manual_result(assignment, part, sheets[part.file], settings))
            continue
        if part.id not in selected:
            continue
        record = plugin.records.get(part.id)
        verdict = record.verdict if record is not None else _unchecked_verdict(part, plugin)
        verdicts[part.id] = verdict
        tests.append(checked_result(assignment, part, verdict, settings))
    if not public_only:
        tests.extend(answer_keys(assignment, verdicts, settings))
    leaderboard = [
        {"name": r.leaderboard[0], "value": r.leaderboard[1], "order": r.leaderboard[2]}
        for r in plugin.records.values()
        if r.leaderboard is not None
    ]
    return Results(
        output=summary(sheets, staged),
        tests=tests,
        leaderboard=leaderboard or None,  # type: ignore[arg-type]
    )


def staff_notes(plugin: GradingPlugin) -> list[str]:
    notes = [f"{pid}: {r.verdict.staff}" for pid, r in plugin.records.items() if r.verdict.staff]
    notes += [f"{pid}: detected {found.name}: {found.message}" for pid, r in plugin.records.items() for found in r.verdict.detected]
    notes += [f"collection error in {path}: {error}" for path, error in plugin.collection_errors.items()]
    return notes
