"""Batch runs: one results.json per submission, grades.csv, report.html, resuming, worker isolation."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.cli import main
from autograder.errors import CommandError
from autograder.results import read_results
from autograder.staff.batch import choose_assignment, run_batch
from autograder.staff.export import SubmissionEntry, discover
from autograder.staff.progress import Progress
from autograder.staff.runs import CRASHED, TIMEOUT, RunPaths, load_run
from autograder.staff.scheduler import Scheduler
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
    assert not any(remote in report for remote in ('src="http', "src='http", "href=", "<script src", "@import"))
    from autograder.staff.report import SORTER, SORTER_HASH

    assert report.count("<script") == 1 and f"<script>{SORTER}</script>" in report  # the table sorter, nothing else
    assert f"script-src '{SORTER_HASH}'" in report  # and the page's policy runs no other script
    assert "&quot;http://x&quot;" in report  # student-provided text is escaped
    assert "Most frequent failure messages per part" in report and "Slowest submissions" in report


def test_second_run_resumes_and_regrades_nothing(graded_batch: GradedBatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = (graded_batch.out / "meta" / "submission_1001.json").stat().st_mtime_ns
    code = main(["batch", str(graded_batch.export_zip), "--out", str(graded_batch.out), "--settings", str(EXAMPLE_SETTINGS)])
    assert code == 0
    assert "already done, graded now: nothing new" in capsys.readouterr().out
    assert (graded_batch.out / "meta" / "submission_1001.json").stat().st_mtime_ns == before


def test_run_json_records_what_decides_the_grades(graded_batch: GradedBatch) -> None:
    from autograder import __version__
    from autograder.config import Settings
    from autograder.staff.runs import source_hash

    run = json.loads((graded_batch.out / "run.json").read_text())
    assert run["assignment"] == "hw4" and run["source"] == str(graded_batch.export_zip.resolve())
    assert run["autograder_version"] == __version__ and run["source_hash"] == source_hash() and len(run["source_hash"]) == 64
    settings = tomllib.loads(EXAMPLE_SETTINGS.read_text())
    assert run["settings"] == Settings.model_validate(settings).model_dump(mode="json")  # the whole settings, defaults included
    assert run["settings"]["sandbox"]["load_seconds"] == settings["sandbox"]["load_seconds"]
    assert run["timeout_seconds"] == settings["deadline_seconds"] + 60


def test_a_rerun_with_anything_else_different_stops_and_says_what(graded_batch: GradedBatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from autograder.staff.runs import run_differences

    other = tmp_path / "other.toml"
    other.write_text(EXAMPLE_SETTINGS.read_text().replace("load_seconds = 10", "load_seconds = 12"))
    before = sorted(p.name for p in (graded_batch.out / "meta").iterdir())
    command = ["batch", str(graded_batch.export_zip), "--out", str(graded_batch.out)]
    assert main([*command, "--settings", str(other)]) == 2
    message = capsys.readouterr().err
    assert "holds a run that differs from this one in the settings (sandbox.load_seconds: 10.0 -> 12.0)" in message and "--fresh" in message
    assert main([*command, "--settings", str(EXAMPLE_SETTINGS), "--timeout", "30"]) == 2
    assert "the time limit per submission (--timeout) (360.0 -> 30.0)" in capsys.readouterr().err
    assert main([*command, "--settings", str(EXAMPLE_SETTINGS), "--assignment", "disc4"]) == 2
    assert "the assignment (hw4 -> disc4)" in capsys.readouterr().err
    copy = tmp_path / "copy.zip"
    shutil.copy(graded_batch.export_zip, copy)
    assert main(["batch", str(copy), "--out", str(graded_batch.out), "--settings", str(EXAMPLE_SETTINGS)]) == 2
    assert f"the submissions folder ({graded_batch.export_zip.resolve()} -> {copy.resolve()})" in capsys.readouterr().err
    recorded = json.loads((graded_batch.out / "run.json").read_text())
    assert run_differences({**recorded, "source_hash": "0" * 64}, recorded) == ["the autograder's source (engine, checks or references changed)"]
    assert sorted(p.name for p in (graded_batch.out / "meta").iterdir()) == before  # nothing was touched


def test_fresh_starts_a_folder_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subs = tmp_path / "subs"
    shutil.copytree(ROOT / "submissions_examples" / "hw4" / "syntax_error", subs / "broken")
    out = tmp_path / "run"
    other = tmp_path / "other.toml"
    other.write_text(EXAMPLE_SETTINGS.read_text().replace("load_seconds = 10", "load_seconds = 12"))
    command = ["batch", str(subs), "--out", str(out), "--assignment", "hw4", "--settings"]
    assert main([*command, str(EXAMPLE_SETTINGS)]) == 0
    (out / "results" / "stale.json").write_text("{}")
    assert main([*command, str(other)]) == 2
    capsys.readouterr()
    assert main([*command, str(other), "--fresh"]) == 0
    assert "graded now: 1 graded" in capsys.readouterr().out
    assert not (out / "results" / "stale.json").exists()
    assert json.loads((out / "run.json").read_text())["settings"]["sandbox"]["load_seconds"] == 12


def test_a_batch_that_fails_before_grading_leaves_no_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes" / "a").mkdir(parents=True)
    (tmp_path / "notes" / "a" / "readme.txt").write_text("no answers here")
    (tmp_path / "bad.toml").write_text("deadline_seconds = -1\n")
    for arguments, said in [
        ([str(tmp_path / "missing")], "does not exist"),
        ([str(tmp_path / "empty")], "holds no submission folders"),
        ([str(tmp_path / "notes")], "no submission holds an answer file"),
        ([str(tmp_path / "notes"), "--assignment", "hw99"], "unknown assignment 'hw99'"),
        ([str(tmp_path / "notes"), "--assignment", "hw4", "--settings", str(tmp_path / "bad.toml")], "is invalid"),
        ([str(tmp_path / "notes"), "--assignment", "hw4", "--settings", str(tmp_path / "nope.toml")], "does not exist"),
    ]:
        assert main(["batch", *arguments, "--out", str(out)]) == 2
        assert said in capsys.readouterr().err
        assert not out.exists(), arguments
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("precious")
    assert main(["batch", str(tmp_path / "notes"), "--out", str(home), "--assignment", "hw4"]) == 2
    assert "is not empty and holds no batch run" in capsys.readouterr().err
    assert sorted(p.name for p in home.iterdir()) == ["thesis.tex"] and home.stat().st_mode & 0o777 != 0o700


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
        assert submission.results.tests[0].extra_data.role == "failure"  # the last-resort writer's file
        assert submission.meta["detail"]
    assert "[1/1] vanished: crashed" in stream.getvalue()


def test_discovery_of_plain_folders_and_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    (tmp_path / "subs" / "bob smith").mkdir()
    (tmp_path / "subs" / "__MACOSX").mkdir()
    found = discover(tmp_path / "subs", tmp_path / "work")
    assert [e.key for e in found.entries][0] == "alice" and len(found.entries) == 2
    assert found.notes == []
    (tmp_path / "subs" / "grades.xlsx").write_text("x")
    (tmp_path / "subs" / "README.txt").write_text("x")
    (tmp_path / "subs" / "linked").symlink_to(tmp_path / "subs" / "alice")
    found = discover(tmp_path / "subs", tmp_path / "work")
    assert len(found.entries) == 2
    assert found.notes == [f"ignored 3 entries at the top of {tmp_path / 'subs'} that are not submission folders: README.txt, grades.xlsx, linked/ (symbolic link, not followed)"]
    assert found.entries[1].key.startswith("bob_smith-")  # file-safe and still unique
    with pytest.raises(CommandError, match="does not exist"):
        discover(tmp_path / "missing", tmp_path / "work")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no submission folders"):
        discover(tmp_path / "empty", tmp_path / "work")
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a readable zip"):
        discover(tmp_path / "bad.zip", tmp_path / "work")


def test_assignment_is_required_when_nothing_says_which(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("hello")
    from autograder.config import Settings

    with pytest.raises(CommandError, match="no submission holds an answer file"):
        choose_assignment([SubmissionEntry("x", tmp_path / "x")], None, Settings())
    with pytest.raises(CommandError, match="unknown assignment"):
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
    tests = {t.extra_data.part: t.output for t in read_results(RunPaths(out).results("b_snoop")).tests}
    seen = tests["hw4.p1b_explain"]  # the manual part passes on what the snoop's code saw
    assert "Your answer as submitted" in seen
    if is_root:
        assert "SECRET-OF-THE-VICTIM" not in seen
        assert "a_victim.json" not in seen and "grades.csv" not in seen
        assert oct(out.stat().st_mode & 0o777) == "0o700"
        assert oct(subs.stat().st_mode & 0o777) == "0o755"  # closed only while the batch ran
    else:  # without root there is no other uid: the batch runs student code as the TA (README says so)
        assert "SECRET-OF-THE-VICTIM" in seen
