"""report.html of a batch run: one self-contained file (plots inlined as SVG data URIs, no script).

What a TA wants after a run: how scores are distributed per problem and per part,
which failure messages are most frequent for each part (to spot a broken check or
a common misconception), which submissions were slowest, and which ones the grader
could not grade. Everything that came from a submission is HTML-escaped, and a
Content-Security-Policy forbids scripts and remote loads.
"""

from __future__ import annotations

import collections
import html
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.assignment import Assignment, load_assignment
from autograder.staff import plots
from autograder.staff.runs import GRADED, GradedSubmission, RunPaths, load_run, part_id_of

TOP_MESSAGES = 3
SLOWEST = 10
_NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.plots { display: flex; flex-wrap: wrap; gap: 1em; } .plots figure { margin: 0; }
figcaption { font-size: .85em; color: #555; text-align: center; }
.status-timeout, .status-crashed { color: #b71c1c; font-weight: bold; }
.muted { color: #666; } code { background: #f5f5f5; padding: 0 .2em; }
"""


@dataclass
class PartStats:
    part_id: str
    title: str
    points: float
    scores: list[float]
    failures: collections.Counter[str]
    examples: dict[str, str]


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "(no message)"
    return line[:300]


def _pattern(message: str) -> str:
    """Group messages that differ only in numbers (points where two formulas differ, entry counts)."""
    return _NUMBER.sub("#", message)


def _assignment(run: dict[str, object]) -> Assignment | None:
    try:
        return load_assignment(str(run.get("assignment")))
    except (KeyError, OSError, ValueError):
        return None


def collect_parts(assignment: Assignment | None, graded: list[GradedSubmission]) -> list[PartStats]:
    stats: dict[str, PartStats] = {}
    if assignment is not None:
        for part in assignment.parts:
            if not part.manual:
                stats[part.id] = PartStats(part.id, part.title, part.points, [], collections.Counter(), {})
    for submission in graded:
        if submission.status != GRADED:
            continue
        for test in submission.results.tests:
            pid = part_id_of(test.name)
            if test.max_score <= 0 and pid not in stats:
                continue
            entry = stats.setdefault(pid, PartStats(pid, test.name.split(":", 1)[-1].strip(), test.max_score, [], collections.Counter(), {}))
            entry.scores.append(test.score)
            if test.status == "failed":
                message = _first_line(test.output)
                pattern = _pattern(message)
                entry.failures[pattern] += 1
                entry.examples.setdefault(pattern, message)
    return list(stats.values())


def _problem_totals(assignment: Assignment | None, graded: list[GradedSubmission]) -> list[tuple[str, float, list[float]]]:
    if assignment is None:
        return []
    found = []
    ok = [g for g in graded if g.status == GRADED]
    for problem in assignment.problems:
        ids = {p.id for p in problem.parts if not p.manual}
        maximum = sum(p.points for p in problem.parts if not p.manual)
        if not ids or maximum <= 0:
            continue
        totals = [sum(t.score for t in g.results.tests if part_id_of(t.name) in ids) for g in ok]
        found.append((f"Problem {problem.number}: {problem.title}", maximum, totals))
    return found


def _figure(uri: str, caption: str, *, show_caption: bool = False) -> str:
    shown = f"<figcaption>{_escape(caption)}</figcaption>" if show_caption else ""
    return f'<figure><img src="{uri}" alt="{_escape(caption)}">{shown}</figure>'


def _summary(run: dict[str, object], graded: list[GradedSubmission], maximum: float) -> str:
    statuses = collections.Counter(g.status for g in graded)
    totals = [g.results.score for g in graded if g.status == GRADED]
    rows = [
        ("Assignment", run.get("assignment")),
        ("Source", run.get("source")),
        ("Submissions", len(graded)),
        ("Graded", statuses.get(GRADED, 0)),
        ("Timed out", statuses.get("timeout", 0)),
        ("Crashed", statuses.get("crashed", 0)),
    ]
    if totals:
        rows += [
            ("Mean total", f"{statistics.fmean(totals):.2f} of {maximum:g}"),
            ("Median total", f"{statistics.median(totals):g}"),
            ("Full marks", sum(1 for t in totals if maximum and t >= maximum - 1e-9)),
        ]
    body = "".join(f"<tr><th>{_escape(k)}</th><td>{_escape(v)}</td></tr>" for k, v in rows)
    return f'<table id="summary">{body}</table>'


def _part_table(parts: list[PartStats]) -> str:
    rows = []
    for p in parts:
        n = len(p.scores)
        full = sum(1 for s in p.scores if s >= p.points - 1e-9)
        mean = statistics.fmean(p.scores) if p.scores else 0.0
        rows.append(
            f"<tr><td><code>{_escape(p.part_id)}</code></td><td>{_escape(p.title)}</td><td class=num>{p.points:g}</td>"
            f"<td class=num>{mean:.2f}</td><td class=num>{(100 * full / n if n else 0):.0f} %</td></tr>"
        )
    head = "<tr><th>part</th><th>title</th><th>points</th><th>mean</th><th>full credit</th></tr>"
    return f'<table id="parts">{head}{"".join(rows)}</table>'


def _failures(parts: list[PartStats]) -> str:
    blocks = []
    for p in parts:
        if not p.failures:
            continue
        rows = "".join(
            f"<tr><td class=num>{count}</td><td>{_escape(p.examples[pattern])}</td></tr>"
            for pattern, count in p.failures.most_common(TOP_MESSAGES)
        )
        blocks.append(f"<h3><code>{_escape(p.part_id)}</code> {_escape(p.title)}</h3><table><tr><th>count</th><th>message (first line; numbers may vary)</th></tr>{rows}</table>")
    return "".join(blocks) or "<p>No part failed in any submission.</p>"


def _people(submission: GradedSubmission) -> str:
    return "; ".join(p.get("name") or p.get("email") or "" for p in submission.submitters)


def _slowest(graded: list[GradedSubmission]) -> str:
    rows = "".join(
        f"<tr><td>{_escape(g.key)}</td><td>{_escape(_people(g))}</td><td class=num>{g.seconds:.1f}</td>"
        f"<td class='status-{_escape(g.status)}'>{_escape(g.status)}</td><td class=num>{g.results.score:g}</td></tr>"
        for g in sorted(graded, key=lambda g: g.seconds, reverse=True)[:SLOWEST]
    )
    return f'<table id="slowest"><tr><th>submission</th><th>students</th><th>seconds</th><th>status</th><th>score</th></tr>{rows}</table>'


def _failed_gradings(graded: list[GradedSubmission]) -> str:
    bad = [g for g in graded if g.status != GRADED]
    if not bad:
        return "<p>Every submission was graded.</p>"
    rows = "".join(
        f"<tr><td>{_escape(g.key)}</td><td>{_escape(_people(g))}</td><td class='status-{_escape(g.status)}'>{_escape(g.status)}</td>"
        f"<td>{_escape(g.meta.get('detail', ''))}</td></tr>"
        for g in bad
    )
    return f"<table><tr><th>submission</th><th>students</th><th>status</th><th>detail</th></tr>{rows}</table>"


def _staff_notes(graded: list[GradedSubmission]) -> str:
    notes = collections.Counter(_pattern(str(n))[:300] for g in graded for n in g.meta.get("staff_notes", []) or [])
    if not notes:
        return "<p>None.</p>"
    rows = "".join(f"<tr><td class=num>{c}</td><td>{_escape(n)}</td></tr>" for n, c in notes.most_common(20))
    return f"<table><tr><th>count</th><th>note</th></tr>{rows}</table>"


def render_report(run: dict[str, object], graded: list[GradedSubmission]) -> str:
    assignment = _assignment(run)
    parts = collect_parts(assignment, graded)
    maximum = assignment.max_score if assignment is not None else max((sum(t.max_score for t in g.results.tests) for g in graded), default=0.0)
    totals = [g.results.score for g in graded if g.status == GRADED]
    title = f"Batch report: {assignment.title if assignment else run.get('assignment')}"
    figures = []
    if totals:
        figures.append(_figure(plots.histogram(totals, maximum, "Total score"), "Total score"))
        for name, problem_max, problem_totals in _problem_totals(assignment, graded):
            figures.append(_figure(plots.histogram(problem_totals, problem_max, name), name))
    plotted = [p for p in parts if p.scores]
    outcome = ""
    if plotted:
        full = [sum(1 for s in p.scores if s >= p.points - 1e-9) for p in plotted]
        zero = [sum(1 for s in p.scores if s <= 1e-9) for p in plotted]
        partial = [len(p.scores) - f - z for p, f, z in zip(plotted, full, zero)]
        outcome = _figure(plots.part_outcomes([p.part_id for p in plotted], full, partial, zero), "Full, partial and no credit, per part", show_caption=True)
    generated = time.strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{_escape(title)}</h1>
<p class="muted">Generated {_escape(generated)} by <code>autograder batch</code>. Student text below is shown as the grader read it.</p>
<h2>Summary</h2>
{_summary(run, graded, maximum)}
<h2>Score distribution per problem</h2>
<div class="plots" id="problem-plots">{"".join(figures) or "<p>No graded submission.</p>"}</div>
<h2>Score distribution per part</h2>
<div class="plots" id="part-outcomes">{outcome}</div>
{_part_table(parts)}
<h2>Most frequent failure messages per part</h2>
{_failures(parts)}
<h2>Slowest submissions</h2>
{_slowest(graded)}
<h2>Submissions the grader could not grade</h2>
{_failed_gradings(graded)}
<h2>Staff notes (internal check errors)</h2>
{_staff_notes(graded)}
</body></html>
"""


def write_report(folder: Path) -> Path:
    run, graded = load_run(folder)
    path = RunPaths(Path(folder)).report
    path.write_text(render_report(run, graded), encoding="utf-8")
    return path
