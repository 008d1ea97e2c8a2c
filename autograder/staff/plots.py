"""The report's plots, as self-contained SVG data URIs (no files beside the report, no pyplot state).

Figures are built with matplotlib's object API (`Figure`), which needs no GUI
backend and keeps no global state between plots.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence

from matplotlib.figure import Figure

from autograder.staff.runs import format_score

FULL, PARTIAL, ZERO = "#2e7d32", "#f9a825", "#c62828"


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_bins(maximum: float) -> int:
    """Bins of a whole or half point when the maximum is small, else about 20: a numeric axis, never a bar per distinct score."""
    top = maximum or 1.0
    for width in (0.5, 1.0, 2.0, 5.0, 10.0):
        if top / width <= 20:
            return max(1, math.ceil(top / width))
    return 20


def histogram(values: Sequence[float], maximum: float, title: str, *, width: float = 4.2, height: float = 2.6) -> str:
    """Distribution of scores on a numeric axis from 0 to `maximum` (full marks fall in the last bin)."""
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    top = maximum or max(values, default=0.0) or 1.0
    axes.hist([min(max(v, 0.0), top) for v in values], bins=score_bins(top), range=(0, top), color="#1565c0", edgecolor="white")
    axes.set_xlim(0, top)
    axes.set_xlabel(f"score (of {format_score(maximum)})")
    axes.set_ylabel("submissions")
    axes.set_title(title, fontsize=10)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _data_uri(figure)


def part_outcomes(labels: Sequence[str], full: Sequence[int], partial: Sequence[int], zero: Sequence[int]) -> str:
    """One horizontal stacked bar per part: how many submissions got full, partial and no credit."""
    height = max(1.6, 0.34 * len(labels) + 0.9)
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, full, color=FULL, label="full credit")
    axes.barh(positions, partial, left=full, color=PARTIAL, label="partial")
    axes.barh(positions, zero, left=[f + p for f, p in zip(full, partial)], color=ZERO, label="no credit")
    axes.set_yticks(positions, labels, fontsize=8)
    axes.set_xlabel("submissions")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(labels) < 6 else -0.08), ncol=3, fontsize=8, frameon=False)
    axes.set_title("Outcome per part", fontsize=10)
    return _data_uri(figure)
