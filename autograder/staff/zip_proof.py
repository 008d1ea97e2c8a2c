"""Proof of a Gradescope zip: unpack it as Gradescope does and grade with its own run_autograder.

The zip is unpacked into a temporary root laid out like `/autograder` (source/,
submission/, results/, submission_metadata.json), and its run_autograder is copied to
the root, as Gradescope copies it to /autograder/run_autograder. That copy, run from
the root, then grades
the reference solution (must be full marks, checked with `autograder verify`) and
two example submissions (must score what submissions_examples/<a>/examples.toml and
expected/ say: the stored total and rows, or exactly the points of the parts declared correct).

Python: on Gradescope, setup.sh makes source/.venv and installs the package from
the zip. The proof does the same without a network: it makes a throwaway venv in
source/.venv whose `.pth` file puts the unpacked source first (so `autograder`,
`problems` and `reference` all come from the zip, as `pip install -e .` arranges)
and then the current environment's site-packages (for numpy, torch, ...; that
directory's own .pth files, including this checkout's editable install, are not
processed). The proof checks that `import autograder` resolves inside the zip.
When run as root it also applies setup.sh's permissions, so the sandbox user can
reach the package but not the reference or the checks.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from autograder.config import Settings
from autograder.errors import CommandError
from autograder.paths import project_root
from autograder.results import read_results
from autograder.staff.archive import unpack_zip
from autograder.staff.examples import Example, examples, examples_root

PRIVATE = ("reference", "problems", "settings.toml")
TROUBLE_WORDS = ("seconds", "time limit", "memory", "killed", "MB", "not run")
CLEAN_ENVIRONMENT = ("AUTOGRADER_SETTINGS", "AUTOGRADER_ROOT", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")


@dataclass(frozen=True)
class Case:
    """One submission graded from the unpacked zip, and the score it must get (None: full marks)."""

    label: str
    folder: Path
    expected_score: float | None
    #: Each stored row: its (role, part) facts, its name (for the message) and its score.
    expected_tests: tuple[tuple[tuple[str, str | None], str, float], ...] = ()


def _expected(example: Example) -> tuple[float, tuple[tuple[tuple[str, str | None], str, float], ...]]:
    """The total the example must score, and the score of each stored row (none for a generic example)."""
    stored = example.stored() or {}
    rows = stored.get("tests", [])
    return example.expected_score(), tuple(((t["extra_data"]["role"], t["extra_data"]["part"]), t["name"], float(t["score"])) for t in rows)


def _calm(example: Example) -> bool:
    """An example none of whose stored failures mentions a limit (no endless loop, memory hog, ...): fast to grade.

    Only failed tests count: a passing check may well say what limit it was held to. An example
    with nothing stored is held to all-correct or all-missing parts, which no limit can give.
    """
    stored = example.stored() or {}
    text = " ".join(t.get("output", "") for t in stored.get("tests", []) if t.get("status") == "failed")
    return not any(word in text for word in TROUBLE_WORDS)


def choose_examples(assignment: str, names: list[str] | None, maximum: float) -> list[Case]:
    """The named examples, else two telling ones: a calm full-marks one and a calm partial one."""
    available = [e for e in examples(assignment) if e.declaration is not None]
    if names:
        by_name = {e.name: e for e in available}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise CommandError(f"no declared example named {', '.join(missing)} in {examples_root() / assignment}")
        chosen = [by_name[n] for n in names]
    else:
        scored = [(e, e.expected_score()) for e in available]
        calm = [(e, s) for e, s in scored if _calm(e)]
        full = [e for e, s in calm if abs(s - maximum) < 1e-9]
        # the partial example that stores the most rows: it proves them one by one, not only its total
        partial = sorted((e for e, s in calm if 0 < s < maximum), key=lambda e: -len(_expected(e)[1]))
        others = [e for e, _ in calm] + [e for e, _ in scored]
        chosen = [pool[0] for pool in (full, partial) if pool]
        for candidate in others:
            if len(chosen) < 2 and candidate not in chosen:
                chosen.append(candidate)
    cases = []
    for example in chosen:
        score, tests = _expected(example)
        cases.append(Case(f"example {example.name}", example.folder, score, tests))
    return cases


def _make_venv(source: Path) -> Path:
    """source/.venv: the base interpreter, seeing the zip first and then the current site-packages."""
    target = source / ".venv"
    venv.EnvBuilder(with_pip=False, symlinks=True, clear=True).create(target)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = target / "lib" / version / "site-packages"
    current = [p for p in [*site.getsitepackages(), sysconfig.get_paths()["purelib"]] if Path(p).is_dir()]
    lines = [str(source), *dict.fromkeys(current)]
    (site_packages / "_autograder_zip_proof.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    python = target / "bin" / "python"
    where = subprocess.run(
        [str(python), "-I", "-c", "import autograder, problems; print(autograder.__file__); print(problems.__file__)"],
        capture_output=True, text=True, cwd="/", timeout=120,
    )
    if where.returncode != 0:
        raise CommandError(f"the unpacked zip's package cannot be imported:\n{where.stderr.strip()}")
    for line in where.stdout.split():
        if not Path(line).resolve().is_relative_to(source.resolve()):
            raise CommandError(f"the proof would test {line}, not the zip's copy; is PYTHONPATH set?")
    return python


def _lock(root: Path, source: Path) -> None:
    """setup.sh's permissions (only meaningful as root): the sandbox user reaches the package, not the rest."""
    if os.geteuid() != 0:
        return
    for folder in (root, source):
        os.chmod(folder, 0o755)
    for shared in (source / "autograder", source / ".venv"):
        for path in [shared, *shared.rglob("*")]:
            if not path.is_symlink():
                os.chmod(path, os.stat(path).st_mode | (0o555 if path.is_dir() else 0o444))
    for private in PRIVATE:
        target = source / private
        for path in [target, *(target.rglob("*") if target.is_dir() else [])]:
            if path.exists() and not path.is_symlink():
                os.chmod(path, os.stat(path).st_mode & ~0o077)


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what a Gradescope build and run do not have.

    No settings or paths of the caller, and no interpreter of this checkout's venv on the PATH
    (it would hide which python the zip's own scripts pick). The rehearsal uses it too.
    """
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENVIRONMENT}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    env.update(extra)
    return env


def _zip_settings(source: Path) -> Settings:
    with (source / "settings.toml").open("rb") as handle:
        return Settings.model_validate(tomllib.load(handle))


def _grade(root: Path, source: Path, case: Case, timeout: float) -> tuple[Path, str]:
    submission, results = root / "submission", root / "results"
    for folder in (submission, results):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(case.folder, submission, symlinks=True)
    results.mkdir()
    metadata = root / "submission_metadata.json"
    metadata.write_text(
        json.dumps(
            {
                "id": 1,
                "created_at": "2026-01-01T12:00:00.000000-08:00",
                "assignment": {"due_date": "2026-01-02T23:59:00.000000-08:00", "title": "zip proof"},
                "users": [{"name": "Zip Proof", "email": "proof@example.invalid", "sid": "0"}],
            }
        ),
        encoding="utf-8",
    )
    results_file = results / "results.json"
    # As Gradescope does: the copy of run_autograder beside source/, run from the root (it must find source/ itself).
    command = ["./run_autograder", "--submission", str(submission), "--results", str(results_file), "--metadata", str(metadata)]
    try:
        done = subprocess.run(command, cwd=root, env=clean_environment(), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CommandError(f"{case.label}: run_autograder did not finish within {timeout:.0f} seconds") from None
    return results_file, done.stdout + done.stderr


def _check(case: Case, results_file: Path, log: str, python: Path, source: Path, assignment: str) -> str:
    try:
        results = read_results(results_file)
    except Exception as error:  # noqa: BLE001 - any unreadable results file fails the proof
        raise CommandError(f"{case.label}: no valid results.json ({error}); run_autograder said:\n{log[-3000:]}") from None
    if any(t.extra_data.role == "failure" for t in results.tests):
        raise CommandError(f"{case.label}: the engine failed inside the zip; run_autograder said:\n{log[-3000:]}")
    if case.expected_score is None:
        verify = subprocess.run(
            [str(python), "-m", "autograder", "verify", str(results_file), "--assignment", assignment],
            cwd=source, env=clean_environment(), capture_output=True, text=True, timeout=120,
        )
        if verify.returncode != 0:
            raise CommandError(f"{case.label}: not full marks from the zip:\n{verify.stdout}{verify.stderr}")
        return verify.stdout.strip()
    actual = {(t.extra_data.role, t.extra_data.part): t.score for t in results.tests}
    wrong = [f"  {name}: {actual.get(key)} (expected {score:g})" for key, name, score in case.expected_tests if actual.get(key) != score]
    if abs(results.score - case.expected_score) > 1e-9 or wrong:
        detail = "\n".join(wrong) or "  (per-test scores agree; the total differs)"
        raise CommandError(f"{case.label}: scored {results.score:g} from the zip, expected {case.expected_score:g}:\n{detail}")
    return f"{results.score:g} as expected"


def prove_zip(zip_path: Path, assignment: str, example_names: list[str] | None, stream: TextIO) -> None:
    """Raise CommandError unless the zip grades the reference to full marks and the examples as expected."""
    root = Path(tempfile.mkdtemp(prefix="ag-zip-proof-"))
    source = root / "source"
    source.mkdir()
    ok = False
    try:
        skipped = unpack_zip(zip_path, source)
        if skipped:
            raise CommandError(f"the zip holds entries Gradescope would not unpack safely: {skipped}")
        for name in ("setup.sh", "run_autograder"):
            if not os.access(source / name, os.X_OK):
                raise CommandError(f"{name} is missing from the zip's root or not executable")
        shutil.copy2(source / "run_autograder", root / "run_autograder")
        python = _make_venv(source)
        _lock(root, source)
        settings = _zip_settings(source)
        if settings.assignment != assignment:
            raise CommandError(f"the zip's settings.toml grades {settings.assignment!r}, not {assignment!r}")
        timeout = settings.deadline_seconds + 120
        from autograder.assignment import load_assignment

        maximum = load_assignment(assignment).max_score
        cases = [Case(f"reference/{assignment}", project_root() / "reference" / assignment, None)]
        cases += choose_examples(assignment, example_names, maximum)
        if not example_names and len(cases) < 3:
            template = project_root() / "problems" / assignment / "template"
            cases.append(Case(f"starter template of {assignment}", template, 0.0))
        print(f"proving the zip in {root} (unpacked as /autograder, python {python})", file=stream)
        for case in cases:
            results_file, log = _grade(root, source, case, timeout)
            verdict = _check(case, results_file, log, python, source, assignment)
            print(f"  {case.label}: {verdict}", file=stream)
        ok = True
    finally:
        if ok:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"the unpacked zip is kept for inspection in {root}", file=stream)
