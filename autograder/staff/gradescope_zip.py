"""The Gradescope autograder zip: exactly what `setup.sh` and `run_autograder` need, then proven.

Contents (an allow-list, so a new developer file never leaks in by accident):
`setup.sh`, `run_autograder`, `pyproject.toml` (setup.sh installs the package from
it; it names no readme, so pip's metadata of the package, which student code can read,
holds no README text), `settings.toml` with the assignment set, the
`autograder` package (of the staff tools only what the command line needs to start),
`problems/<assignment>/` (its data and checks, without the
student template) and `reference/<assignment>/`. Never tests, bench, examples,
docs, virtual environments, caches or hidden files.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import TextIO

from autograder.assignment import available_assignments
from autograder.config import DEFAULT_ASSIGNMENT, load_settings, settings_path
from autograder.errors import CommandError
from autograder.paths import project_root
from autograder.staff import STAFF_MODULES_KEPT
from autograder.staff.archive import write_zip
from autograder.staff.settings_file import zip_settings

ROOT_FILES = ("setup.sh", "run_autograder", "pyproject.toml")
EXECUTABLES = {"setup.sh", "run_autograder"}
SKIPPED_DIRECTORIES = {"__pycache__", "template", "node_modules"}
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info", ".zip")


def _wanted(path: Path, base: Path) -> bool:
    parts = path.relative_to(base).parts
    if any(part.startswith(".") for part in parts):
        return False
    if any(part in SKIPPED_DIRECTORIES for part in parts[:-1]):
        return False
    return path.is_file() and not path.is_symlink() and not path.name.endswith(SKIPPED_SUFFIXES)


def _tree(root: Path, folder: str) -> dict[str, Path]:
    base = root / folder
    found: dict[str, Path] = {}
    if not base.is_dir():
        return found
    for path in sorted(base.rglob("*")):
        if not _wanted(path, root):
            continue
        found[path.relative_to(root).as_posix()] = path
    return found


def _staff_tool(name: str) -> bool:
    """A staff module that grading never imports (batch runs, reports, the kit): not shipped."""
    parts = name.split("/")
    return len(parts) == 3 and parts[1] == "staff" and parts[2] not in STAFF_MODULES_KEPT


def zip_contents(assignment: str, root: Path | None = None) -> dict[str, Path]:
    """Archive name -> source file, for the assignment's zip (settings.toml is added separately)."""
    root = root or project_root()
    files: dict[str, Path] = {}
    for name in ROOT_FILES:
        if not (root / name).is_file():
            raise CommandError(f"{root / name} is missing: the zip cannot work without it")
        files[name] = root / name
    files.update({name: path for name, path in _tree(root, "autograder").items() if not _staff_tool(name)})
    if (root / "problems" / "__init__.py").is_file():
        files["problems/__init__.py"] = root / "problems" / "__init__.py"
    files.update(_assignment_data(root, assignment))
    files.update(_tree(root, f"reference/{assignment}"))
    return files


def _assignment_data(root: Path, assignment: str) -> dict[str, Path]:
    """problems/<a>/: its top-level data (assignment.toml, __init__.py) and the problem folders it lists.

    Developer scripts beside them (a notebook builder) and problem folders not yet listed stay out;
    a helper the checks need but this rule missed would fail the zip's proof, not Gradescope.
    """
    base = root / "problems" / assignment
    files = {f"problems/{assignment}/{p.name}": p for p in sorted(base.glob("*")) if p.is_file() and (p.suffix == ".toml" or p.name == "__init__.py")}
    with (base / "assignment.toml").open("rb") as handle:
        folders = tomllib.load(handle).get("problem_folders", [])
    for folder in folders:
        files.update(_tree(root, f"problems/{assignment}/{folder}"))
    return files


def default_assignment() -> str:
    return load_settings().assignment or DEFAULT_ASSIGNMENT


def build_gradescope_zip(
    *,
    assignment: str | None = None,
    out: Path | None = None,
    prove: bool = True,
    examples: list[str] | None = None,
    stream: TextIO | None = None,
) -> Path:
    """Write the zip, then (unless told not to) prove it by grading from an unpacked copy."""
    stream = stream or sys.stdout
    assignment = assignment or default_assignment()
    if assignment not in available_assignments():
        raise CommandError(f"unknown assignment {assignment!r}; choose from {', '.join(available_assignments())}")
    root = project_root()
    target = Path(out) if out else root / "out" / f"autograder-{assignment}.zip"
    files: dict[str, Path | bytes] = dict(zip_contents(assignment, root))
    files["settings.toml"] = zip_settings(settings_path(), assignment).encode("utf-8")
    write_zip(target, files, executable=EXECUTABLES)
    size = target.stat().st_size
    print(f"wrote {target} ({len(files)} files, {size / 1024:.0f} KiB) for {assignment}", file=stream)
    if not prove:
        print("not proven (--no-proof): do not upload this zip before a proven build", file=stream)
        return target
    from autograder.staff.zip_proof import prove_zip

    try:
        prove_zip(target, assignment, examples, stream)
    except CommandError:
        target.unlink(missing_ok=True)
        raise
    print(f"proven: {target} is ready to upload to Gradescope", file=stream)
    return target
