"""The student kit: templates, starter notebooks and a local *format* check, with nothing secret in it.

Layout of the zip (everything at its root, so students work in one folder):

    hw4.py, disc4.py            answer templates (problems/<a>/template/)
    *.ipynb                     starter notebooks (problems/<a>/**, never from a solution/ folder)
    <helper>.py                 modules a starter notebook imports from its problem folder
    check.py                    the one command: makes .venv/ in the kit, then runs the format check
                                (autograder/staff/kit_entry.py, standard library only until it is in .venv)
    autograder/                 the engine's package, without the staff tools
    problems/<a>/**.toml        the parts data of the PUBLIC parts only, cut down to what reading an
                                answer needs (no known mistakes, accepted alternatives, given values
                                or assumptions: those can reveal answers), and no check modules
    README.md                   autograder/staff/kit_readme.md, with the measured FIGURES below
    requirements.txt            the pinned dependencies of pyproject.toml

No reference/ folder, no check_*.py, no hidden part. Without reference values the
kit cannot judge correctness, so its check is the format check of
`autograder.formatcheck`; correctness verdicts come from Gradescope.
"""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any, TextIO

from autograder.assignment import Assignment, Problem, available_assignments, load_assignment
from autograder.config import Settings, load_settings
from autograder.errors import CommandError
from autograder.part_options import Options
from autograder.paths import project_root
from autograder.staff import STAFF_MODULES_KEPT, toml_writer
from autograder.staff.archive import unpack_zip, write_zip
from autograder.staff.strip import strip_source

#: Part fields a format check needs; everything else (mistakes, swaps, assumption) stays out.
PART_FIELDS = ("id", "answer", "kind", "points", "title", "file", "visibility", "symbols", "choices", "tags")
#: Option keys that describe the answer's form (`probes`: the public inputs functions are called on, with
#: the output's shape; `shape`: an array's); `accept`, `given`, `synonyms`, `variants`, ... can reveal answers.
#: A key the part's kind requires travels too (it is public setup, such as a loader's split), so that the
#: kit's data validates as the project's does.
OPTION_KEYS = ("signature", "returns", "format", "labels", "words", "scaling", "growth", "function", "probes", "shape", "also_shapes", "cells")
SKIPPED_FOLDERS = {"solution", "solutions", "reference", "template", ".ipynb_checkpoints", "__pycache__"}
_IMPORT = re.compile(r"^\s*(?:from\s+([A-Za-z_]\w*)[\w.]*\s+import|import\s+([A-Za-z_]\w*))", re.MULTILINE)

#: The kit's README.md, a string.Template: $title, $files (templates), $notebooks, $uploads.
README = Path(__file__).with_name("kit_readme.md")
#: Measured by bench/bench_kit.py (Linux, Python 3.11, CPU-only torch); rounded up for slower laptops.
FIGURES = {"download": "290 MB", "first_run": "2 to 3 minutes", "disk": "1.2 GB", "second_run": "about 10 seconds"}


def public_options(options: Options) -> dict[str, Any]:
    """The options as problem.toml gave them, cut down to OPTION_KEYS and what the kind requires."""
    required = {name for name, field in type(options).model_fields.items() if field.is_required()}
    given = options.model_dump(mode="json", exclude_unset=True)
    return {key: value for key, value in given.items() if key in OPTION_KEYS or key in required}


def public_problem(problem: Problem, settings: Settings) -> dict[str, Any] | None:
    """problem.toml for the kit: the public parts, each cut down to PART_FIELDS and OPTION_KEYS."""
    parts = []
    for part in problem.parts:
        if not part.is_public(settings):
            continue
        data = {name: getattr(part, name) for name in PART_FIELDS}
        data["visibility"] = "visible"
        options = public_options(part.options)
        if options:
            data["options"] = options
        parts.append({k: v for k, v in data.items() if v not in (None, [], {})})
    if not parts:
        return None
    return {
        "id": problem.id,
        "number": problem.number,
        "title": problem.title,
        "file": problem.file,
        "notes": list(problem.notes),
        "symbols": [s.model_dump(exclude_none=True) for s in problem.symbols],
        "parts": parts,
    }


def kit_parts_data(assignment: Assignment, settings: Settings) -> dict[str, bytes]:
    """problems/<a>/assignment.toml and the public problem.toml files, validated by reading them back."""
    a = assignment.id
    files: dict[str, bytes] = {"problems/__init__.py": b"", f"problems/{a}/__init__.py": b""}
    folders = []
    header = "Parts data of the student kit: public parts only, for the format check (generated; do not edit)."
    for problem in assignment.problems:
        data = public_problem(problem, settings)
        if data is None:
            continue
        folder = problem.folder.name
        folders.append(folder)
        text = toml_writer.dumps(data, header)
        Problem.model_validate(tomllib.loads(text))
        files[f"problems/{a}/{folder}/problem.toml"] = text.encode("utf-8")
    top = {
        "id": a,
        "title": assignment.title,
        "reference": "(not in the kit: correctness is checked on Gradescope)",
        "problem_folders": folders,
        "files": [f.model_dump() for f in assignment.files],
    }
    text = toml_writer.dumps(top, header)
    Assignment.model_validate(tomllib.loads(text))
    files[f"problems/{a}/assignment.toml"] = text.encode("utf-8")
    return files


def _outside_solutions(path: Path, base: Path) -> bool:
    return not any(part in SKIPPED_FOLDERS or part.startswith(".") for part in path.relative_to(base).parts[:-1])


def starter_notebooks(assignment_id: str) -> dict[str, Path]:
    """Kit name -> notebook: every *.ipynb under problems/<a>/ that is not in a solution/ (or similar) folder."""
    base = project_root() / "problems" / assignment_id
    found: dict[str, Path] = {}
    for path in sorted(base.rglob("*.ipynb")):
        if not _outside_solutions(path, base):
            continue
        name = path.name if path.name not in found else f"{path.parent.name}_{path.name}"
        found[name] = path
    return found


def notebook_helpers(notebook: Path) -> dict[str, Path]:
    """Modules a starter notebook imports that live beside it or in its problem folder (never check_*.py)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}
    code = "\n".join("".join(c.get("source", [])) if isinstance(c.get("source"), list) else str(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    helpers: dict[str, Path] = {}
    for match in _IMPORT.finditer(code):
        name = match.group(1) or match.group(2)
        for folder in (notebook.parent, notebook.parent.parent):
            candidate = folder / f"{name}.py"
            if candidate.is_file() and not name.startswith("check_"):
                helpers[candidate.name] = candidate
                break
    return helpers


def templates(assignment_id: str) -> dict[str, Path]:
    folder = project_root() / "problems" / assignment_id / "template"
    return {p.name: p for p in sorted(folder.glob("*")) if p.is_file() and not p.name.startswith(".")} if folder.is_dir() else {}


def package_files() -> dict[str, Path | bytes]:
    """The autograder package (the engine the format check uses), without the staff tools,
    its Python files stripped of docstrings and comments (see strip.py: examples there can be answers)."""
    root = project_root()
    found: dict[str, Path | bytes] = {}
    for path in sorted((root / "autograder").rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix in (".pyc", ".pyo"):
            continue
        if relative.parts[1] == "staff" and path.name not in STAFF_MODULES_KEPT:
            continue
        found[relative.as_posix()] = strip_source(path.read_text(encoding="utf-8")).encode("utf-8") if path.suffix == ".py" else path
    return found


def _requirements() -> bytes:
    with (project_root() / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    return ("# Python packages the format check and the notebooks need (same pins as the autograder).\n" + "\n".join(dependencies) + "\n").encode()


def kit_contents(settings: Settings | None = None) -> tuple[dict[str, Path | bytes], list[str]]:
    """Archive name -> source, and notes on what is absent (an assignment without a template yet)."""
    settings = settings or load_settings()
    files: dict[str, Path | bytes] = dict(package_files())
    notes: list[str] = []
    answer_files: list[str] = []
    titles = []
    for assignment_id in available_assignments():
        assignment = load_assignment(assignment_id)
        titles.append(assignment.title)
        found = templates(assignment_id)
        if not found:
            notes.append(f"{assignment_id}: no template in problems/{assignment_id}/template/ yet; not in the kit")
            continue
        files.update(found)
        answer_files += list(found)
        for name, notebook in starter_notebooks(assignment_id).items():
            files[name] = notebook
            answer_files.append(name)
            for helper_name, helper in notebook_helpers(notebook).items():
                files.setdefault(helper_name, helper)
        files.update(kit_parts_data(assignment, settings))
    if not answer_files:
        raise CommandError("no assignment has a template under problems/<assignment>/template/: nothing for students to fill in")
    files["check.py"] = Path(__file__).with_name("kit_entry.py")  # kept whole: its docstring is the students' help
    files["requirements.txt"] = _requirements()
    uploads = ", ".join(answer_files)
    templates_text = ", ".join(n for n in answer_files if n.endswith(".py"))
    notebooks = ", ".join(n for n in answer_files if n.endswith(".ipynb"))
    readme = string.Template(README.read_text(encoding="utf-8"))
    files["README.md"] = readme.substitute(FIGURES, title=" and ".join(titles), files=templates_text, notebooks=notebooks, uploads=uploads).encode()
    return files, notes


def _prove(kit: Path, stream: TextIO) -> None:
    """Unpack the kit and run its check.py on its own template: it must run and report missing answers."""
    with tempfile.TemporaryDirectory(prefix="ag-kit-proof-") as tmp:
        Path(tmp).chmod(0o755)  # as root, the sandbox user runs the student's file from here
        unpack_zip(kit, Path(tmp))
        run = subprocess.run([sys.executable, str(Path(tmp) / "check.py")], capture_output=True, text=True, timeout=600, cwd=tmp)
        ran = [line for line in run.stdout.splitlines() if line.startswith("ran ")]
        if run.returncode != 1 or not ran or "PROBLEM" in run.stdout or "Traceback" in run.stderr:
            raise CommandError(f"the kit's check.py does not work on its own templates (exit {run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        summary = [line.rstrip(".") for line in run.stdout.splitlines() if "public parts readable" in line and not line.startswith(" ")]
        print(f"checked: the kit's check.py runs on its templates ({'; '.join(summary)})", file=stream)


def build_student_kit(out: Path | None = None, stream: TextIO | None = None, prove: bool = True) -> Path:
    stream = stream or sys.stdout
    target = Path(out) if out else project_root() / "out" / "student-kit.zip"
    files, notes = kit_contents()
    write_zip(target, files, executable={"check.py"})
    for note in notes:
        print(f"note: {note}", file=stream)
    shown = sorted(n for n in files if "/" not in n)
    print(f"wrote {target} ({len(files)} files): {', '.join(shown)} + autograder/ + problems/ (public parts data)", file=stream)
    if prove:
        _prove(target, stream)
    return target
