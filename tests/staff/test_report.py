"""report.html's content: the submissions table, numeric histograms, two decimals, failures and whom they cover."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from autograder.assignment import load_assignment
from autograder.results import Facts, Results, TestResult, write_results
from autograder.staff import plots
from autograder.staff.grades import write_grades_csv
from autograder.staff.report import KEYS_SHOWN, write_report
from autograder.staff.runs import RunPaths, format_score, write_json

PARTS = [p for p in load_assignment("hw4").parts if not p.manual]
HW4_PARTS = [p for p in PARTS if p.file == "hw4"]


def make_run(folder: Path, outputs: dict[str, dict[str, tuple[float, str]]]) -> Path:
    """A run of hw4 where each submission lists (score fraction, message) per part id; unlisted parts get full marks."""
    paths = RunPaths(folder)
    paths.make()
    write_json(paths.run_file, {"assignment": "hw4", "source": "synthetic"})
    for key, given in outputs.items():
        tests = []
        for part in PARTS:
            fraction, message = given.get(part.id, (1.0, "Correct."))
            tests.append(
                TestResult(name=f"{part.id}: {part.title}", extra_data=Facts(part=part.id), score=part.points * fraction, max_score=part.points, status="passed" if fraction == 1 else "failed", output=message)
            )
        write_results(Results(tests=tests).with_total(), paths.results(key))
        write_json(paths.meta(key), {"key": key, "status": "graded", "seconds": 1.0, "submitters": []})
    return folder


def report_of(folder: Path) -> str:
    return write_report(folder).read_text()


def test_scores_show_at_most_two_decimals() -> None:
    assert [format_score(v) for v in (2 / 3, 3.0, 2.5, 0.005, -1 / 3, 1e-12, None)] == ["0.67", "3", "2.5", "0.01", "-0.33", "0", "-"]


def test_a_file_that_could_not_be_run_is_shown_once_per_submission(tmp_path: Path) -> None:
    crash = "hw4.py could not be run: SyntaxError: expected ':' (line 2)"
    run = make_run(
        tmp_path / "run",
        {
            "broken": {p.id: (0.0, crash) for p in HW4_PARTS},
            "one_wrong": {HW4_PARTS[0].id: (0.0, crash)},  # the same words on one part only: a part's failure
            "fine": {},
        },
    )
    report = report_of(run)
    section = report[report.index("Answer files missing or not run") : report.index("Most frequent failure messages")]
    assert section.count("<tr><td>broken</td>") == 1 and f"<td class=num>{len(HW4_PARTS)}</td>" in section
    assert "one_wrong" not in section
    failures = report[report.index("Most frequent failure messages") :]
    assert failures.count("could not be run") == 1  # only one_wrong's own part, not broken's 30-odd parts
    assert "<td class=keys>one_wrong</td>" in failures


def test_each_frequent_message_names_the_submissions_it_covers(tmp_path: Path) -> None:
    part = HW4_PARTS[1].id
    keys = [f"s{index:02d}" for index in range(KEYS_SHOWN + 3)]
    run = make_run(tmp_path / "run", {key: {part: (0.5, f"{index} of 9 entries are wrong.")} for index, key in enumerate(keys)})
    report = report_of(run)
    row = re.search(r"<tr><td class=num>(\d+)</td><td>0 of 9 entries are wrong.</td><td class=keys>(.*?)</td></tr>", report)
    assert row is not None and row.group(1) == str(len(keys))  # numbers vary, the message is one
    assert ", ".join(keys[:KEYS_SHOWN]) in row.group(2) and "and 3 more" in row.group(2) and keys[-1] in row.group(2)


def test_the_submissions_table_has_totals_and_problem_scores(tmp_path: Path) -> None:
    third = next(p for p in PARTS if p.points == 3)
    run = make_run(tmp_path / "run", {"alice": {third.id: (1 / 3, "Off by one.")}, "bob": {}})
    report = report_of(run)
    table = report[report.index('<table id="submissions"') :]
    table = table[: table.index("</table>")]
    problems = [p for p in load_assignment("hw4").problems if any(not q.manual for q in p.parts)]
    assert len(re.findall(r"<th[ >]", table)) == 4 + len(problems)
    maximum = load_assignment("hw4").max_score
    assert f"<td class=num>{format_score(maximum - 2)}</td>" in table and f"<td class=num>{format_score(maximum)}</td>" in table
    assert "0.333" not in report and "0.666" not in report
    alice = write_grades_csv(run).read_text().splitlines()[1].split(",")
    assert alice[0] == "alice" and alice[-3:-1] == [format_score(maximum - 2), format_score(maximum)] and "1" in alice


def test_histograms_have_a_numeric_axis_not_a_bar_per_score() -> None:
    assert plots.score_bins(10) == 20 and plots.score_bins(3) == 6 and plots.score_bins(105) == 11 and plots.score_bins(1000) == 20
    svg = base64.b64decode(plots.histogram([0, 2.5, 2.5, 7, 10], 10, "Total").split(",", 1)[1]).decode()
    # Tick labels are numbers along the axis (0, 2, 4, ...), not one category label per distinct score.
    ticks = re.findall(r"<!-- (\d+(?:\.\d+)?) -->", svg)
    assert {"0", "2", "4", "6", "8", "10"} <= set(ticks) and "7" not in ticks
