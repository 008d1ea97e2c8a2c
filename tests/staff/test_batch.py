"""Batch runs: one results.json per submission, grades.csv, report.html, resuming, worker isolation."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.cli import main
from autograder.results import read_results
from autograder.staff.batch import Scheduler, choose_assignment, run_batch
from autograder.staff.errors import StaffError
from autograder.staff.export import SubmissionEntry, discover
from autograder.staff.progress import Progress
from autograder.staff.runs import CRASHED, TIMEOUT, RunPaths, load_run
from tests.procs import alive, descendants

from .conftest import EXAMPLE_SETTINGS, ROOT, GradedBatch


def rows(out: Path) -> dict[str, dict[str, str]]:
    return {row["submission"]: row for row in csv.DictReader(io.StringIO((out / "grades.csv").read_text()))}


def test_every_submission_gets_a_valid_results_file(graded_batch: GradedBatch) -> None:
    paths = RunPaths(graded_batch.out)
    expected = 3 if graded_batch.partial else 2
    assert graded_batch.summary.total == expected
    assert graded_batch.summary.counts["graded"] == expected
    maximum = load_assignment("hw4").max_score
    assert read_results(paths.results("submission_1001")).score == maximum  # the reference
    assert read_results(paths.results("submission_1002")).score == 0  # the starter template
    if graded_batch.partial:
        assert read_results(paths.results("submission_1003")).score == graded_batch.partial[1]


def test_grades_csv_has_students_parts_and_totals(graded_batch: GradedBatch) -> None:
    table = rows(graded_batch.out)
    header = next(csv.reader(io.StringIO((graded_batch.out / "grades.csv").read_text())))
    parts = [p.id for p in load_assignment("hw4").parts if not p.manual]
    assert header[:6] == ["submission", "names", "sids", "emails", "created_at", "status"]
    assert header[6 : 6 + len(parts)] == parts and header[-3:] == ["total", "max_total", "seconds"]
    assert table["submission_1001"]["names"] == "Ada Lovelace" and table["submission_1001"]["sids"] == "3030001"
    assert table["submission_1001"]["total"] == f"{load_assignment('hw4').max_score:g}"
    group = table["submission_1002"]
    assert group["names"].startswith("'=HYPERLINK")  # a formula in a name is neutralised
    assert group["sids"] == "3030002; 3030003"
    if graded_batch.partial:
        assert table["submission_1003"]["names"] == ""  # in the export, not in its metadata


def test_report_is_one_self_contained_file(graded_batch: GradedBatch) -> None:
    report = (graded_batch.out / "report.html").read_text()
    assert report.count('<img src="data:image/svg+xml;base64,') >= 3
    assert not any(remote in report for remote in ('src="http', "src='http", "href=", "<script", "@import"))
    assert "&quot;http://x&quot;" in report  # student-provided text is escaped
    assert "Most frequent failure messages per part" in report and "Slowest submissions" in report


def test_second_run_resumes_and_force_regrades_only_when_asked(graded_batch: GradedBatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = (graded_batch.out / "meta" / "submission_1001.json").stat().st_mtime_ns
    code = main(["batch", str(graded_batch.export_zip), "--out", str(graded_batch.out), "--settings", str(EXAMPLE_SETTINGS)])
    assert code == 0
    assert "already done, graded now: nothing new" in capsys.readouterr().out
    assert (graded_batch.out / "meta" / "submission_1001.json").stat().st_mtime_ns == before


def test_a_run_folder_of_another_assignment_is_refused(graded_batch: GradedBatch) -> None:
    run = json.loads((graded_batch.out / "run.json").read_text())
    assert run["assignment"] == "hw4"
    if "disc4" in __import__("autograder.assignment", fromlist=["x"]).available_assignments():
        with pytest.raises(StaffError, match="holds a run of 'hw4'"):
            from autograder.staff.batch import _check_run_file

            _check_run_file(RunPaths(graded_batch.out), "disc4", graded_batch.export_zip, force=False)


def test_crashed_and_hung_workers_cost_only_their_own_row(tmp_path: Path) -> None:
    paths = RunPaths(tmp_path / "run")
    paths.make()
    (paths.root / "run.json").write_text(json.dumps({"assignment": "hw4"}))
    stream = io.StringIO()
    crashing = Scheduler(paths, "hw4", 1, 120.0, EXAMPLE_SETTINGS, Progress(1, stream))
    crashing.run([SubmissionEntry("vanished", tmp_path / "no-such-folder")])  # the worker raises and exits 3
    hanging = Scheduler(paths, "hw4", 1, 2.0, EXAMPLE_SETTINGS, Progress(1, stream))
    hanging.run([SubmissionEntry("slow", ROOT / "reference" / "hw4")])
    assert not hanging.scratch.exists()  # the staged copy of the killed worker went with it
    _, graded = load_run(paths.root)
    status = {g.key: g.status for g in graded}
    assert status == {"vanished": CRASHED, "slow": TIMEOUT}
    for submission in graded:
        assert submission.results.tests[0].tags == ["autograder-error"]  # the last-resort writer's file
        assert submission.meta["detail"]
    assert "[1/1] vanished: crashed" in stream.getvalue()


def test_discovery_of_plain_folders_and_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    (tmp_path / "subs" / "bob smith").mkdir()
    (tmp_path / "subs" / "__MACOSX").mkdir()
    found = discover(tmp_path / "subs", tmp_path / "work")
    assert [e.key for e in found.entries][0] == "alice" and len(found.entries) == 2
    assert found.entries[1].key.startswith("bob_smith-")  # file-safe and still unique
    with pytest.raises(StaffError, match="does not exist"):
        discover(tmp_path / "missing", tmp_path / "work")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StaffError, match="no submission folders"):
        discover(tmp_path / "empty", tmp_path / "work")
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(StaffError, match="not a readable zip"):
        discover(tmp_path / "bad.zip", tmp_path / "work")


def test_assignment_is_required_when_nothing_says_which(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("hello")
    from autograder.config import Settings

    with pytest.raises(StaffError, match="no submission holds an answer file"):
        choose_assignment([SubmissionEntry("x", tmp_path / "x")], None, Settings())
    with pytest.raises(StaffError, match="unknown assignment"):
        choose_assignment([], "hw99", Settings())


def test_sigterm_stops_the_batch_with_its_workers_and_keeps_what_is_done(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copytree(ROOT / "submissions_examples" / "hw4" / "infinite_loop", subs / "endless")
    out = tmp_path / "run"
    command = [sys.executable, "-m", "autograder", "batch", str(subs), "--out", str(out), "--assignment", "hw4", "--settings", str(EXAMPLE_SETTINGS)]
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        family: dict[int, str] = {}
        while time.monotonic() < deadline and not any("autograder.sandbox.child" in c for c in family.values()):
            time.sleep(0.2)
            family = descendants(batch.pid)
        assert any("autograder.sandbox.child" in c for c in family.values()), f"no sandbox child started: {family}"
        batch.send_signal(signal.SIGTERM)
        _, stderr = batch.communicate(timeout=30)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM" in stderr and "resumes" in stderr
    time.sleep(1.0)
    left = {pid: c for pid, c in family.items() if alive(pid)}
    assert not left, f"processes of the stopped batch still run: {left}"
    assert not RunPaths(out).meta("endless").exists()  # not done: a rerun grades it


SNOOP = '''
import glob, json
p1a = "2 c d_in d_out^2"
found = []
for pattern in {patterns!r}:
    for path in glob.glob(pattern, recursive=True):
        try:
            found.append(path + ": " + open(path, errors="replace").read()[:200])
        except OSError as error:
            found.append(path + ": " + type(error).__name__)
p1b_explain = "\\n".join(found) or "nothing readable"
'''


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder readable by everyone outside /tmp (the sandbox child gets a /tmp of its own), like a TA's export."""
    folder = Path(tempfile.mkdtemp(prefix=".test-batch-", dir=ROOT))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_in_a_root_batch_no_submission_reads_another_or_the_run_folder(open_folder: Path, is_root: bool) -> None:
    """Student code runs as a slot uid: it must not reach the other submissions, where they lie or as copied, nor any result."""
    tmp_path = open_folder
    subs = tmp_path / "subs"
    (subs / "a_victim").mkdir(parents=True)
    (subs / "a_victim" / "hw4.py").write_text('# SECRET-OF-THE-VICTIM\np1a = "2 c d_in d_out^2"\n')
    (subs / "b_snoop").mkdir()
    out = tmp_path / "run"
    patterns = [str(subs / "a_victim" / "*"), str(out / "**" / "*")]
    (subs / "b_snoop" / "hw4.py").write_text(SNOOP.format(patterns=patterns))
    for folder in (tmp_path, subs, subs / "a_victim", subs / "b_snoop"):
        folder.chmod(0o755)  # a TA's export as it usually lies: readable by everyone
    (subs / "a_victim" / "hw4.py").chmod(0o644)
    summary = run_batch(subs, out, assignment="hw4", jobs=1, settings_path=EXAMPLE_SETTINGS, stream=io.StringIO())
    assert summary.counts["graded"] == 2
    tests = {t.name.split(":")[0]: t.output for t in read_results(RunPaths(out).results("b_snoop")).tests}
    seen = tests["hw4.p1b_explain"]  # the manual part passes on what the snoop's code saw
    assert "Your answer as submitted" in seen
    if is_root:
        assert "SECRET-OF-THE-VICTIM" not in seen
        assert "a_victim.json" not in seen and "grades.csv" not in seen
        assert oct(out.stat().st_mode & 0o777) == "0o700"
        assert oct(subs.stat().st_mode & 0o777) == "0o755"  # closed only while the batch ran
    else:  # without root there is no other uid: the batch runs student code as the TA (README says so)
        assert "SECRET-OF-THE-VICTIM" in seen
