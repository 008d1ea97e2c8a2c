"""The batch report in a real headless browser: it loads, every plot decodes and shows, no console errors.

Chromium comes from Debian (tests/browser/install.sh, part of the README's test
command that .ci/run runs). Without a browser the test fails, with a message that
says how to get one: a skip would let an unchecked report look green.
A screenshot of the page is kept next to the run folder for a human look.
"""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.results import Facts, Results, TestResult, write_results
from autograder.staff.report import write_report
from autograder.staff.runs import RunPaths, write_json
from tests.browser.cdp import find_chromium, inspect_page

PROBE = """(() => {
  const images = [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0 && i.naturalHeight > 0,
                                                   shown: i.getBoundingClientRect().width > 100}));
  return {title: document.title, images: images.length,
          decoded: images.filter(i => i.ok).length, shown: images.filter(i => i.shown).length,
          tables: document.querySelectorAll("table").length,
          summary: document.querySelector("#summary") !== null};
})()"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail("no chromium on PATH: run tests/browser/install.sh as root, or install chromium (or google-chrome) yourself")
    return path


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch run folder with 30 synthetic submissions of hw4 (real part ids, varied outcomes,
    student text with HTML in it, a timeout and a crash), so the report has every section filled."""
    folder = tmp_path_factory.mktemp("browser") / "run"
    paths = RunPaths(folder)
    paths.make()
    write_json(paths.run_file, {"assignment": "hw4", "source": "synthetic"})
    parts = [p for p in load_assignment("hw4").parts if not p.manual]
    rng = random.Random(4)
    for index in range(30):
        key = f"submission_{1000 + index}"
        tests = []
        for part in parts:
            fraction = rng.choice([1.0, 1.0, 0.5, 0.0, 1 / 3])
            message = "Correct." if fraction == 1 else rng.choice(["Read as: <b>2*c</b> & more. Wrong at d_out=3.", f"{rng.randint(1, 9)} of 9 entries are wrong."])
            tests.append(TestResult(name=f"{part.id}: {part.title}", extra_data=Facts(part=part.id), score=part.points * fraction, max_score=part.points, status="passed" if fraction == 1 else "failed", output=message))
        status = "timeout" if index == 7 else "crashed" if index == 8 else "graded"
        write_results(Results(tests=tests).with_total(), paths.results(key))
        write_json(paths.meta(key), {"key": key, "status": status, "detail": "stopped" if status != "graded" else "", "seconds": rng.uniform(2, 60), "submitters": [{"name": f"Student <{index}>", "sid": str(index), "email": ""}]})
    write_report(folder)
    return folder


def test_report_renders_in_chromium_without_errors(chromium: str, run_folder: Path) -> None:
    report = inspect_page(run_folder / "report.html", PROBE)
    assert report.loaded, "the page never fired its load event"
    assert report.errors == [], report.errors
    page = report.value
    assert page["title"].startswith("Batch report")
    assert page["summary"] and page["tables"] >= 4
    assert page["images"] >= 3 and page["decoded"] == page["images"] and page["shown"] == page["images"]
    assert report.screenshot[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", report.screenshot[16:24])
    assert width >= 800 and height >= 1000
    (run_folder / "report.png").write_bytes(report.screenshot)
    if os.environ.get("AUTOGRADER_KEEP_SCREENSHOT"):
        Path(os.environ["AUTOGRADER_KEEP_SCREENSHOT"]).write_bytes(report.screenshot)


SORT_PROBE = """(() => {
  const table = document.querySelector("#submissions");
  const header = [...table.tHead.rows[0].cells].find(th => th.textContent.trim() === "total");
  const column = [...table.tHead.rows[0].cells].indexOf(header);
  const read = () => [...table.tBodies[0].rows].map(r => [r.cells[0].textContent, r.cells[column].textContent]);
  const before = read();
  header.click();
  const up = read();
  header.click();
  return {before, up, down: read(), sorted: header.getAttribute("aria-sort")};
})()"""


def test_the_submissions_table_sorts_by_a_clicked_column(chromium: str, run_folder: Path) -> None:
    """The sorter runs under the page's strict policy (allowed by its hash) and sorts numbers as numbers."""
    report = inspect_page(run_folder / "report.html", SORT_PROBE)
    assert report.errors == [], report.errors  # a script the policy refused would be reported here
    page = report.value
    assert [key for key, _ in page["before"]] == sorted(key for key, _ in page["before"])  # by submission, as written
    assert len(page["up"]) == 30 and page["sorted"] == "descending"

    def totals(rows: list[list[str]]) -> list[float]:
        return [float(total) for _, total in rows if total]

    assert totals(page["up"]) == sorted(totals(page["before"])) and totals(page["up"]) != totals(page["before"])
    assert totals(page["down"]) == sorted(totals(page["before"]), reverse=True)
    assert [total for _, total in page["up"][-2:]] == ["", ""] == [total for _, total in page["down"][-2:]]  # ungraded rows last
    assert all(len(total.split(".")[-1]) <= 2 for _, total in page["up"] if "." in total)


def test_a_broken_page_is_caught(chromium: str, tmp_path) -> None:
    """The harness itself must see errors: a page with a broken image and a console error."""
    page = tmp_path / "broken.html"
    page.write_text('<html><body><img src="data:image/png;base64,AAAA"><script>console.error("boom")</script></body></html>')
    report = inspect_page(page, "[...document.images].filter(i => i.naturalWidth > 0).length")
    assert any("boom" in e for e in report.errors)
    assert report.value == 0
