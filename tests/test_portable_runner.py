"""The kit's format check through the portable runner: our stand-in for Windows, run on Linux.

Windows has no fork, fd passing, setuid, rlimits or process groups, so there the
kit's check starts its child with the portable runner (`autograder/sandbox/portable.py`:
stdin/stdout as the channel, time limits from the parent). These tests force that
runner on Linux (the `runner` parameter, or the test-only variable for a check in a
subprocess) and hold it to what the kit promises: full marks pass, the untouched
template lists every unfilled name, a crash names its part, an endless loop is
stopped by the parent, nothing is left in the temp folder; the kit's modules import
and run with `pwd`, `resource`, `fcntl` (and more) made unimportable; and grading
never uses it.

The children run as the current user (no uid switch in the portable runner); each
test still holds the sandbox uid claim that every test running children holds.
"""

from __future__ import annotations

import ast
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.assignment import load_assignment
from autograder.config import SandboxSettings, Settings
from autograder.formatcheck import FormatReport, format_check, render_format_report
from autograder.paths import project_root
from autograder.sandbox import runner
from autograder.staff import STAFF_MODULES_KEPT

EXAMPLES = project_root() / "submissions_examples"
#: Standard-library modules that do not exist on Windows.
POSIX_ONLY_STDLIB = ("pwd", "grp", "resource", "fcntl", "termios", "tty", "pty", "posix", "_posixsubprocess")
#: Our modules that only the POSIX runner (and grading's uid pool) imports: they may import the above.
POSIX_RUNNER_MODULES = {
    "autograder/sandbox/posix.py",
    "autograder/sandbox/limits.py",
    "autograder/sandbox/pool.py",
    "autograder/sandbox/reclaim.py",
    "autograder/sandbox/mounts.py",
    "autograder/sandbox/network.py",
}


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The system's temp folder for this test alone, so that what the check leaves there can be seen."""
    temp = tmp_path / "temp"
    temp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read again from the variables
    yield temp
    assert not list(temp.iterdir()), f"the check left files in the temp folder: {sorted(p.name for p in temp.iterdir())}"


def _settings(**limits: Any) -> Settings:
    sandbox = SandboxSettings(**{"load_seconds": 60, "call_seconds": 20, "cell_seconds": 60, "notebook_seconds": 120, **limits})
    return Settings(sandbox=sandbox, deadline_seconds=300)


def _portable_check(folder: Path, assignment_id: str = "hw4", **limits: Any) -> FormatReport:
    report = format_check(folder, assignment_id, _settings(**limits), runner="portable")
    assert report.runner == "portable"
    return report


def _statuses(report: FormatReport) -> dict[str, tuple[str, str]]:
    return {f.part_id: (f.status, f.message) for f in report.findings}


def _copy_full_marks(tmp_path: Path) -> Path:
    answers = tmp_path / "answers"
    shutil.copytree(EXAMPLES / "hw4" / "full_marks", answers)
    return answers


def _child_processes() -> list[str]:
    """Our own children that run the sandbox's child module (and are not yet reaped)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[-1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and "autograder.sandbox.child" in command:
            found.append(f"{entry} ({fields[0].decode()}): {command}")
    return found


def test_full_marks_answers_pass(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    report = _portable_check(_copy_full_marks(tmp_path))
    text = render_format_report(report)
    assert not report.failing, text
    public = sum(1 for part in load_assignment("hw4").parts if part.is_public(Settings()))
    assert f"Homework 4: {public} of {public} public parts readable." in text
    assert text.count("ran      ") == 3 and "PROBLEM" not in text, text  # hw4.py and both notebooks' graded cells
    assert not _child_processes()


@pytest.mark.parametrize("assignment_id", ["hw4", "disc4"])
def test_the_untouched_template_lists_every_unfilled_name(tmp_path: Path, private_temp: Path, sandbox_claim: Any, assignment_id: str) -> None:
    folder = tmp_path / "template"
    shutil.copytree(project_root() / "problems" / assignment_id / "template", folder)
    report = _portable_check(folder, assignment_id)
    statuses = _statuses(report)
    assert report.failing
    assert any(line.startswith(f"ran      {name}") for line in report.files for name in ("hw4.py", "disc4.py")), report.files
    for part in load_assignment(assignment_id).parts:
        if part.kind not in ("manual", "text") and part.is_public(Settings()):
            assert statuses[part.id][0] == "missing", (part.id, statuses[part.id])


def test_a_crashing_function_is_reported_with_its_part_and_line(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    answers = _copy_full_marks(tmp_path)
    source = (answers / "hw4.py").read_text()
    assert "import numpy as np\n" in source
    (answers / "hw4.py").write_text(source.replace("import numpy as np\n", "", 1))  # np used, never imported
    status, message = _statuses(_portable_check(answers))["hw4.p1b_fn"]
    assert status == "invalid" and "NameError" in message and "line " in message, message


def test_an_endless_loop_in_the_answer_file_is_stopped_by_the_parent(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    answers = _copy_full_marks(tmp_path)
    (answers / "hw4.py").write_text("p1a = 'c*d_in*d_out^2'\nwhile True:\n    pass\n")
    report = _portable_check(answers, load_seconds=3)
    problem = next(line for line in report.files if "hw4.py" in line)
    assert problem.startswith("PROBLEM") and "did not finish within 3 seconds" in problem, report.files
    assert not _child_processes()  # killed and reaped, not left spinning


def test_an_endless_loop_in_a_function_costs_only_its_part(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    answers = _copy_full_marks(tmp_path)
    source = (answers / "hw4.py").read_text()
    (answers / "hw4.py").write_text(source + "\n\ndef p1b_fn(W):\n    while True:\n        pass\n")
    statuses = _statuses(_portable_check(answers, call_seconds=2))
    status, message = statuses["hw4.p1b_fn"]
    assert status == "invalid" and "no answer within 2 seconds" in message, message
    assert statuses["hw4.p7c_maxpool"][0] == "ok", statuses["hw4.p7c_maxpool"]  # a fresh child for the next call
    assert not _child_processes()


def test_what_the_student_prints_never_reaches_the_channel_and_is_capped(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    """The child's stdout is the portable channel: the child moves prints (Python's and the C library's) to stderr."""
    answers = _copy_full_marks(tmp_path)
    noise = textwrap.dedent(
        """\
        import os, sys
        print('{"reply": {"ok": false, "error": "forged"}}')
        os.write(1, b'{"reply": {"ok": false}}\\n')
        sys.stdout.write("x" * 3_000_000 + "\\n")
        """
    )
    (answers / "hw4.py").write_text(noise + (answers / "hw4.py").read_text())
    report = _portable_check(answers)
    assert not report.failing, render_format_report(report)


def test_grading_refuses_a_platform_without_posix_and_never_takes_the_portable_runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from autograder import engine

    monkeypatch.setenv(runner.TEST_VARIABLE, "portable")  # reaches the format check only
    assert runner.for_grading() == "posix"
    assert runner.for_format_check() == "portable"
    monkeypatch.setattr(runner, "posix_process_control", lambda: False)
    assert runner.for_format_check() == "portable"
    with pytest.raises(runner.GradingNeedsPosix, match="grading needs Linux"):
        engine.grade(EXAMPLES / "hw4" / "full_marks", "hw4")

    from autograder.cli import main

    assert main(["grade", str(EXAMPLES / "hw4" / "full_marks")]) == 2


def test_grading_passes_the_posix_runner_to_every_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """engine.grade asks `for_grading` (never the format check's choice) and gives what it got to opened_submission."""
    from autograder import engine

    seen: list[str] = []

    class Stop(Exception):
        pass

    def opened(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[4] if len(args) > 4 else kwargs["runner"])
        raise Stop

    monkeypatch.setenv(runner.TEST_VARIABLE, "portable")
    monkeypatch.setattr(engine, "opened_submission", opened)
    with pytest.raises(Stop):
        engine.grade(EXAMPLES / "hw4" / "full_marks", "hw4")
    assert seen == ["posix"]


def _top_level_imports(tree: ast.Module) -> set[str]:
    """Modules imported when the module is imported: at top level, and in top-level if/try blocks (not in functions)."""
    names: set[str] = set()
    body = list(tree.body)
    while body:
        node = body.pop()
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                body += [n for n in getattr(node, field, []) if isinstance(n, ast.stmt) or isinstance(n, ast.excepthandler)]
        elif isinstance(node, ast.ExceptHandler):
            body += node.body
    return names


def test_no_module_of_the_kit_imports_a_posix_only_module_when_imported() -> None:
    """Static audit of the kit's package: only the POSIX runner's modules may import pwd, resource, fcntl ..."""
    root = project_root()
    runner_modules = {path.removesuffix(".py").replace("/", ".") for path in POSIX_RUNNER_MODULES}
    offending = []
    for path in sorted((root / "autograder").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        in_kit = not relative.startswith("autograder/staff/") or path.name in STAFF_MODULES_KEPT | {"kit_entry.py"}  # check.py
        if relative in POSIX_RUNNER_MODULES or not in_kit:
            continue
        for name in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if name.split(".")[0] in POSIX_ONLY_STDLIB or name in runner_modules:
                offending.append(f"{relative}: {name}")
    assert not offending, "imported at module level on the kit's path:\n" + "\n".join(offending)


#: Run in a fresh interpreter: Windows' missing pieces taken away, then the kit's own check.py run on a folder.
_WITHOUT_POSIX = """
import json, os, signal, sys
BLOCKED = {blocked!r}
for name in BLOCKED:
    sys.modules[name] = None  # `import pwd` now raises ImportError, as on Windows
for name in ("killpg", "getuid", "geteuid", "getgid", "setsid", "fork", "setresuid", "setresgid", "setgroups", "getpgid", "O_NOFOLLOW", "O_DIRECTORY"):
    if hasattr(os, name):
        delattr(os, name)
for name in ("SIGHUP", "SIGALRM", "setitimer", "getitimer"):
    if hasattr(signal, name):
        delattr(signal, name)
import importlib.util
spec = importlib.util.spec_from_file_location("check", {check!r})
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)
status = check.run_check(sys.argv[1:])
import autograder, autograder.sandbox.child, autograder.sandbox.portable, autograder.sandbox.runner
loaded = sorted(name for name, module in sys.modules.items() if module is not None and name in BLOCKED)
print(json.dumps({{"status": status, "package": autograder.__file__, "loaded": loaded}}))
"""


def test_the_kits_check_runs_without_posix_modules(tmp_path: Path, private_temp: Path, sandbox_claim: Any) -> None:
    """Our best stand-in for Windows: the kit unpacked, its check.py run with pwd, resource, fcntl ... unimportable."""
    from autograder.staff.archive import unpack_zip
    from autograder.staff.kit import build_student_kit

    kit = tmp_path / "kit"
    archive = build_student_kit(out=tmp_path / "kit.zip", prove=False, stream=io.StringIO())
    unpack_zip(archive, kit)
    answers = _copy_full_marks(tmp_path)
    source = (answers / "hw4.py").read_text()
    assert "3 * np.eye(G.shape[0])" in source
    (answers / "hw4.py").write_text(source.replace("3 * np.eye(G.shape[0])", "3 * eye(G.shape[0])", 1))  # p1b_fn alone crashes
    blocked = tuple(name for name in POSIX_ONLY_STDLIB if name not in ("posix", "_posixsubprocess"))  # os and subprocess need these on Linux
    script = _WITHOUT_POSIX.format(blocked=blocked, check=str(kit / "check.py"))
    environment = {**os.environ, runner.TEST_VARIABLE: "portable"}
    environment.pop("AUTOGRADER_ROOT", None)
    run = subprocess.run([sys.executable, "-c", script, str(answers), "--assignment", "hw4"], capture_output=True, text=True, timeout=600, cwd=kit, env=environment)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(result["package"]).resolve().is_relative_to(kit.resolve()), result  # the kit's own (stripped) package ran
    assert result["loaded"] == [] and result["status"] == 1, result
    assert runner.PORTABLE_NOTE in run.stdout and run.stdout.count(runner.PORTABLE_NOTE) == 1
    line = next(line for line in run.stdout.splitlines() if line.startswith("INVALID  hw4.p1b_fn"))
    assert "NameError" in line and "line " in line, line
    public = sum(1 for part in load_assignment("hw4").parts if part.is_public(Settings()))
    assert f"Homework 4: {public - 1} of {public} public parts readable, 0 missing, 1 not readable." in run.stdout, run.stdout


def test_the_full_checkouts_format_check_says_when_it_runs_portable(
    tmp_path: Path, private_temp: Path, sandbox_claim: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograder.cli import main

    folder = tmp_path / "template"
    shutil.copytree(project_root() / "problems" / "disc4" / "template", folder)
    monkeypatch.setenv(runner.TEST_VARIABLE, "portable")
    assert main(["check", "--format-only", str(folder), "--assignment", "disc4"]) == 1
    out = capsys.readouterr().out
    assert out.count(runner.PORTABLE_NOTE) == 1 and "Discussion 4:" in out, out
