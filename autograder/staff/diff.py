"""Diff of two batch runs: which submissions and parts changed score after the autograder changed.

Largest changes first. The exit status is 1 when anything changed (a score, a
grading status, a submission present in only one run), so `autograder diff OLD NEW`
can gate a release of the autograder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.staff.runs import GradedSubmission, format_score, graded_parts, load_run

EPSILON = 1e-9


@dataclass
class PartChange:
    part_id: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)


@dataclass
class SubmissionChange:
    key: str
    before: float | None
    after: float | None
    status_before: str | None
    status_after: str | None
    parts: list[PartChange] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)

    @property
    def moved(self) -> float:
        """Points that moved: a part losing 1 while another gains 1 is a change of 2, not of 0."""
        return max(abs(self.delta), sum(abs(p.delta) for p in self.parts))


@dataclass
class RunDiff:
    run_a: Path
    run_b: Path
    compared: int
    changes: list[SubmissionChange]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _scores(submission: GradedSubmission) -> dict[str, float]:
    return {pid: t.score for pid, t in graded_parts(submission.results).items()}


def diff_runs(run_a: Path, run_b: Path) -> RunDiff:
    _, graded_a = load_run(run_a)
    _, graded_b = load_run(run_b)
    by_a = {g.key: g for g in graded_a}
    by_b = {g.key: g for g in graded_b}
    changes = []
    for key in sorted(by_a.keys() | by_b.keys()):
        a, b = by_a.get(key), by_b.get(key)
        scores_a = _scores(a) if a else {}
        scores_b = _scores(b) if b else {}
        # A part counts as changed when its points changed (absent counts as 0 points: a run that
        # could not grade a submission has no part rows, and listing every 0 -> absent is noise).
        # A submission in one run only is one line: its parts did not change, it came or went.
        parts = [
            PartChange(pid, scores_a.get(pid), scores_b.get(pid))
            for pid in sorted(scores_a.keys() | scores_b.keys())
            if a is not None and b is not None and abs((scores_a.get(pid) or 0.0) - (scores_b.get(pid) or 0.0)) > EPSILON
        ]
        change = SubmissionChange(key, a.results.score if a else None, b.results.score if b else None, a.status if a else None, b.status if b else None, parts)
        if parts or a is None or b is None or change.status_before != change.status_after or abs(change.delta) > EPSILON:
            change.parts.sort(key=lambda p: (-abs(p.delta), p.part_id))
            changes.append(change)
    changes.sort(key=lambda c: (-c.moved, -abs(c.delta), c.key))
    return RunDiff(Path(run_a), Path(run_b), len(by_a.keys() & by_b.keys()), changes)


def _score(value: float | None) -> str:
    return format_score(value)


def _delta(value: float) -> str:
    text = format_score(value)
    return text if text.startswith("-") else f"+{text}"


#: Parts listed under one submission; a submission that crashed in one run changes all of them.
PARTS_SHOWN = 6


def render_diff(result: RunDiff, limit: int = 200) -> str:
    lines = [f"Comparing {result.run_a} -> {result.run_b}: {result.compared} submissions in both runs."]
    if not result.changes:
        lines.append("No score changed.")
        return "\n".join(lines)
    part_totals: dict[str, list[float]] = {}
    for change in result.changes:
        for part in change.parts:
            part_totals.setdefault(part.part_id, []).append(part.delta)
    lines.append(f"{len(result.changes)} submission(s) changed, most points moved first:")
    width = max(len(c.key) for c in result.changes)
    for change in result.changes[:limit]:
        if change.status_before is None:
            lines.append(f"  {change.key:<{width}}  added: only in {result.run_b} (score {_score(change.after)}, {change.status_after})")
            continue
        if change.status_after is None:
            lines.append(f"  {change.key:<{width}}  removed: only in {result.run_a} (score {_score(change.before)}, {change.status_before})")
            continue
        status = ""
        if change.status_before != change.status_after:
            status = f"  [{change.status_before} -> {change.status_after}]"
        lines.append(f"  {change.key:<{width}}  {_score(change.before):>6} -> {_score(change.after):<6} ({_delta(change.delta)}){status}")
        for part in change.parts[:PARTS_SHOWN]:
            lines.append(f"  {'':<{width}}    {part.part_id}: {_score(part.before)} -> {_score(part.after)} ({_delta(part.delta)})")
        if len(change.parts) > PARTS_SHOWN:
            lines.append(f"  {'':<{width}}    ... and {len(change.parts) - PARTS_SHOWN} more parts (--json lists them all)")
    if len(result.changes) > limit:
        lines.append(f"  ... and {len(result.changes) - limit} more")
    if part_totals:
        lines.append("Parts that changed, most points moved first:")
        ranked = sorted(part_totals.items(), key=lambda item: (-sum(abs(d) for d in item[1]), -len(item[1]), item[0]))
        for pid, deltas in ranked[:limit]:
            moved = sum(abs(d) for d in deltas)
            lines.append(f"  {pid}: {len(deltas)} submission(s), {format_score(moved)} points moved, net {_delta(sum(deltas))}")
        if len(ranked) > limit:
            lines.append(f"  ... and {len(ranked) - limit} more parts")
    return "\n".join(lines)


def diff_json(result: RunDiff) -> str:
    return json.dumps(
        {
            "run_a": str(result.run_a),
            "run_b": str(result.run_b),
            "compared": result.compared,
            "changes": [
                {
                    "submission": c.key,
                    "before": c.before,
                    "after": c.after,
                    "delta": c.delta,
                    "status_before": c.status_before,
                    "status_after": c.status_after,
                    "parts": [{"part": p.part_id, "before": p.before, "after": p.after, "delta": p.delta} for p in c.parts],
                }
                for c in result.changes
            ],
        },
        indent=2,
    )
