"""grades.csv: one row per submission, its students, a column per gradable part, the total.

Part columns are the assignment's auto-graded parts in homework order (manual
parts carry no points). Scores have at most two decimals, as everywhere staff read them. A submission whose grading failed keeps its row, with
its status and empty part cells, so a spreadsheet never silently loses a student.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from autograder.assignment import load_assignment
from autograder.staff.runs import GradedSubmission, RunPaths, format_score, graded_parts, load_run

IDENTITY_COLUMNS = ["submission", "names", "sids", "emails", "created_at", "status"]


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in text cells (a name like `=HYPERLINK(...)`)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def part_columns(assignment_id: str, graded: list[GradedSubmission]) -> list[str]:
    """Auto-graded part ids: from the assignment's data, plus any other part seen in the results."""
    try:
        columns = [p.id for p in load_assignment(assignment_id).parts if not p.manual]
    except (KeyError, OSError):
        columns = []
    for submission in graded:
        for pid, test in graded_parts(submission.results).items():
            if test.max_score > 0 and pid not in columns:
                columns.append(pid)
    return columns


def grade_rows(assignment_id: str, graded: list[GradedSubmission]) -> tuple[list[str], list[list[str]]]:
    parts = part_columns(assignment_id, graded)
    header = IDENTITY_COLUMNS + parts + ["total", "max_total", "seconds"]
    rows = []
    for submission in graded:
        people = submission.submitters
        scores = {pid: t.score for pid, t in graded_parts(submission.results).items()}
        maxima = sum(t.max_score for t in submission.results.tests)
        graded_ok = submission.status == "graded"
        rows.append(
            [
                _cell(submission.key),
                _cell("; ".join(p.get("name", "") for p in people)),
                _cell("; ".join(p.get("sid", "") for p in people)),
                _cell("; ".join(p.get("email", "") for p in people)),
                _cell(str(submission.meta.get("created_at") or "")),
                submission.status,
                *[format_score(scores[p]) if graded_ok and p in scores else "" for p in parts],
                format_score(submission.results.score),
                format_score(maxima) if graded_ok else "",
                f"{submission.seconds:.1f}",
            ]
        )
    return header, rows


def write_grades_csv(folder: Path) -> Path:
    run, graded = load_run(folder)
    header, rows = grade_rows(str(run.get("assignment")), graded)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = RunPaths(Path(folder)).csv
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
