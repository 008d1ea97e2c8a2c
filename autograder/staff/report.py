"""report.html of a batch run: one self-contained file (plots inlined as SVG data URIs, no script).

What a TA wants after a run: every submission with its total and per-problem scores
(a table that sorts by any column, in the browser, without a server), how scores are
distributed per problem and per part, which failure messages are most frequent for
each part and which submissions they cover (to spot a broken check or a common
misconception), answer files that could not be run at all (once per submission, not
under each of their parts), which submissions were slowest, and which ones the grader
could not grade. Scores show at most two decimals. Everything that came from a
submission is HTML-escaped, and a Content-Security-Policy forbids remote loads and
every script but the table sorter (allowed by its hash).
"""

from __future__ import annotations

import base64
import collections
import hashlib
import html
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignment import Assignment, load_assignment
from autograder.staff import plots
from autograder.staff.runs import GRADED, GradedSubmission, RunPaths, format_score, graded_parts, load_run

TOP_MESSAGES = 3
SLOWEST = 10
#: Submissions named under a failure message before the rest fold away.
KEYS_SHOWN = 8
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
#submissions th { cursor: pointer; user-select: none; white-space: nowrap; }
#submissions th[aria-sort=ascending]::after { content: " \\25B2"; } #submissions th[aria-sort=descending]::after { content: " \\25BC"; }
.keys { font-size: .85em; } details summary { cursor: pointer; color: #1565c0; }
"""

#: Sorts the submissions table when a header is clicked (numbers as numbers; empty cells last).
SORTER = """
document.querySelectorAll("table.sortable").forEach(table => {
  const head = table.tHead.rows[0], body = table.tBodies[0];
  [...head.cells].forEach((th, column) => th.addEventListener("click", () => {
    const down = th.getAttribute("aria-sort") === "ascending";
    [...head.cells].forEach(c => c.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    const key = row => { const text = row.cells[column].dataset.value ?? row.cells[column].textContent.trim();
                         const number = parseFloat(text); return text === "" ? null : isNaN(number) ? text : number; };
    const rows = [...body.rows].sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === null || y === null) return (x === null) - (y === null);
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return down ? -order : order;
    });
    body.append(...rows);
  }));
});
"""
SORTER_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SORTER.encode()).digest()).decode()


@dataclass
class PartStats:
    part_id: str
    title: str
    points: float
    scores: list[float]
    failures: collections.Counter[str]
    examples: dict[str, str]
    #: The submissions that got each message (pattern), in the order met.
    covers: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FileFailure:
    """An answer file none of whose graded parts could be read, for one reason: one row, not one per part."""

    key: str
    file: str
    message: str
    parts: int


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


def file_failures(assignment: Assignment | None, submission: GradedSubmission) -> list[FileFailure]:
    """The submission's answer files whose every graded part failed with one same message (the file could not be run).

    Read from the results' own fields (which file a part reads, its status, its output),
    so a failure is shown once per file and submission instead of under each of its parts.
    """
    if assignment is None or submission.status != GRADED:
        return []
    file_of = {p.id: p.file for p in assignment.parts if not p.manual}
    outcomes: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for pid, test in graded_parts(submission.results).items():
        if pid in file_of and test.max_score > 0:
            outcomes[file_of[pid]].append((test.status, _first_line(test.output)))
    found = []
    for file, results in outcomes.items():
        messages = {message for status, message in results if status == "failed"}
        if len(results) >= 2 and len(messages) == 1 and all(status == "failed" for status, _ in results):
            found.append(FileFailure(submission.key, file, messages.pop(), len(results)))
    return found


def collect_parts(assignment: Assignment | None, graded: list[GradedSubmission]) -> list[PartStats]:
    stats: dict[str, PartStats] = {}
    if assignment is not None:
        for part in assignment.parts:
            if not part.manual:
                stats[part.id] = PartStats(part.id, part.title, part.points, [], collections.Counter(), {})
    file_of = {p.id: p.file for p in assignment.parts} if assignment is not None else {}
    for submission in graded:
        if submission.status != GRADED:
            continue
        whole_file = {failure.file for failure in file_failures(assignment, submission)}
        for pid, test in graded_parts(submission.results).items():
            if test.max_score <= 0 and pid not in stats:
                continue
            entry = stats.setdefault(pid, PartStats(pid, test.name, test.max_score, [], collections.Counter(), {}))
            entry.scores.append(test.score)
            if test.status == "failed" and file_of.get(pid) not in whole_file:
                message = _first_line(test.output)
                pattern = _pattern(message)
                entry.failures[pattern] += 1
                entry.examples.setdefault(pattern, message)
                entry.covers.setdefault(pattern, []).append(submission.key)
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
        totals = [sum(t.score for pid, t in graded_parts(g.results).items() if pid in ids) for g in ok]
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
            ("Mean total", f"{format_score(statistics.fmean(totals))} of {format_score(maximum)}"),
            ("Median total", format_score(statistics.median(totals))),
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
            f"<tr><td><code>{_escape(p.part_id)}</code></td><td>{_escape(p.title)}</td><td class=num>{format_score(p.points)}</td>"
            f"<td class=num>{format_score(mean)}</td><td class=num>{(100 * full / n if n else 0):.0f} %</td></tr>"
        )
    head = "<tr><th>part</th><th>title</th><th>points</th><th>mean</th><th>full credit</th></tr>"
    return f'<table id="parts">{head}{"".join(rows)}</table>'


def _keys(keys: list[str]) -> str:
    """The submissions a message covers: all of them, the long lists folded."""
    shown = ", ".join(_escape(k) for k in keys[:KEYS_SHOWN])
    if len(keys) <= KEYS_SHOWN:
        return f"<td class=keys>{shown}</td>"
    rest = ", ".join(_escape(k) for k in keys[KEYS_SHOWN:])
    return f"<td class=keys>{shown} <details><summary>and {len(keys) - KEYS_SHOWN} more</summary>{rest}</details></td>"


def _failures(parts: list[PartStats]) -> str:
    blocks = []
    for p in parts:
        if not p.failures:
            continue
        rows = "".join(
            f"<tr><td class=num>{count}</td><td>{_escape(p.examples[pattern])}</td>{_keys(p.covers[pattern])}</tr>"
            for pattern, count in p.failures.most_common(TOP_MESSAGES)
        )
        blocks.append(
            f"<h3><code>{_escape(p.part_id)}</code> {_escape(p.title)}</h3>"
            f"<table class=failures><tr><th>count</th><th>message (first line; numbers may vary)</th><th>submissions</th></tr>{rows}</table>"
        )
    return "".join(blocks) or "<p>No part failed in any submission.</p>"


def _file_failures(assignment: Assignment | None, graded: list[GradedSubmission]) -> str:
    failures = [f for g in graded for f in file_failures(assignment, g)]
    if not failures:
        return "<p>Every answer file was submitted and could be run.</p>"
    rows = "".join(
        f"<tr><td>{_escape(f.key)}</td><td><code>{_escape(f.file)}</code></td><td>{_escape(f.message)}</td><td class=num>{f.parts}</td></tr>"
        for f in sorted(failures, key=lambda f: (f.key, f.file))
    )
    return (
        "<p>Each answer file whose every graded part failed with one same message (missing, or could not be run), once per submission "
        "(these are left out of the messages per part below).</p>"
        f"<table id=file-failures><tr><th>submission</th><th>file</th><th>message</th><th>parts</th></tr>{rows}</table>"
    )


def _submissions(assignment: Assignment | None, graded: list[GradedSubmission]) -> str:
    """Every submission, its total and its per-problem scores; click a header to sort (empty cells sort last)."""
    problems = []
    if assignment is not None:
        for problem in assignment.problems:
            ids = {p.id for p in problem.parts if not p.manual}
            if ids:
                problems.append((f"P{problem.number}", problem.title, ids))
    head = "<th>submission</th><th>students</th><th>status</th><th>total</th>" + "".join(
        f'<th title="{_escape(title)}">{_escape(label)}</th>' for label, title, _ in problems
    )
    rows = []
    for g in graded:
        ok = g.status == GRADED
        cells = [f"<td>{_escape(g.key)}</td><td>{_escape(_people(g))}</td><td class='status-{_escape(g.status)}'>{_escape(g.status)}</td>"]
        cells.append(f"<td class=num>{format_score(g.results.score) if ok else ''}</td>")
        for _, _, ids in problems:
            score = sum(t.score for pid, t in graded_parts(g.results).items() if pid in ids)
            cells.append(f"<td class=num>{format_score(score) if ok else ''}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table id="submissions" class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _people(submission: GradedSubmission) -> str:
    return "; ".join(p.get("name") or p.get("email") or "" for p in submission.submitters)


def _slowest(graded: list[GradedSubmission]) -> str:
    rows = "".join(
        f"<tr><td>{_escape(g.key)}</td><td>{_escape(_people(g))}</td><td class=num>{g.seconds:.1f}</td>"
        f"<td class='status-{_escape(g.status)}'>{_escape(g.status)}</td><td class=num>{format_score(g.results.score)}</td></tr>"
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
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{SORTER_HASH}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{_escape(title)}</h1>
<p class="muted">Generated {_escape(generated)} by <code>autograder batch</code>. Student text below is shown as the grader read it.</p>
<h2>Summary</h2>
{_summary(run, graded, maximum)}
<h2>Submissions</h2>
<p class="muted">Click a column's header to sort by it.</p>
{_submissions(assignment, graded)}
<h2>Score distribution per problem</h2>
<div class="plots" id="problem-plots">{"".join(figures) or "<p>No graded submission.</p>"}</div>
<h2>Score distribution per part</h2>
<div class="plots" id="part-outcomes">{outcome}</div>
{_part_table(parts)}
<h2>Answer files missing or not run</h2>
{_file_failures(assignment, graded)}
<h2>Most frequent failure messages per part</h2>
{_failures(parts)}
<h2>Slowest submissions</h2>
{_slowest(graded)}
<h2>Submissions the grader could not grade</h2>
{_failed_gradings(graded)}
<h2>Staff notes (internal check errors)</h2>
{_staff_notes(graded)}
<script>{SORTER}</script>
</body></html>
"""


def write_report(folder: Path) -> Path:
    run, graded = load_run(folder)
    path = RunPaths(Path(folder)).report
    path.write_text(render_report(run, graded), encoding="utf-8")
    return path
