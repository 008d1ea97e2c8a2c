"""Example submissions made from the assignment's own files: the starter from the template, full marks from the reference.

Why: an example kept by hand as a copy goes stale. When a part is added, a hand-kept
full-marks file lacks its answer and stops being full marks, and a hand-kept starter
stops being what students download. Made from ``problems/<a>/template/`` and
``reference/<a>/``, they follow both; a test holds the checked-in files to what this
module writes (``python -m problems.hw4.build_examples``, ``python -m problems.disc4.build_examples``).

A full-marks variant is the reference answer file with some answers written in another
form (LaTeX, sympy, plain lists, a torch function): :class:`Rewritten` replaces the
top-level statements that define those names and keeps every other answer as the
reference has it, so a new part's answer reaches every variant. :class:`AsNotebook`
hands the same answers in as a notebook, one code cell per problem section.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assignment import Assignment
from problems.notebook_format import Cell, code, md, notebook_json, render

#: A reference section starts with a comment line "# Problem <n>...": a notebook cell per section.
SECTION = re.compile(r"^# Problem \d+", re.MULTILINE)


def _defined_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    return {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


@dataclass(frozen=True)
class Rewritten:
    """The reference answer file with some answers in another form, optionally cut down to some problems.

    ``answers`` maps an answer name to the source that defines it instead (a name the
    reference does not define is an error, not a silent no-op). ``preamble`` goes after
    the reference's imports (more imports, symbols the new forms use). ``problems``, when
    given, keeps only those problems' answers; helpers no kept answer uses are dropped.
    """

    header: str
    answers: dict[str, str] = field(default_factory=dict)
    preamble: str = ""
    problems: tuple[str, ...] = ()

    def write(self, reference: str, assignment: Assignment, file: str) -> str:
        answer_names = {name for part in assignment.parts if part.file == file for name in part.answer_names}
        kept_names = {
            name
            for problem in assignment.problems
            if not self.problems or problem.id in self.problems
            for part in problem.parts
            if part.file == file
            for name in part.answer_names
        }
        unknown = set(self.answers) - answer_names
        if unknown:
            raise ValueError(f"no answer named {', '.join(sorted(unknown))} in the reference {file}")
        lines = reference.splitlines(keepends=True)
        body = ast.parse(reference).body
        pieces: list[tuple[ast.stmt, str, str, set[str]]] = []  # statement, the comments above it, its text, names
        start = 0
        for statement in body:
            first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))]) - 1
            end = statement.end_lineno or first + 1
            pieces.append((statement, "".join(lines[start:first]), "".join(lines[first:end]), _defined_names(statement)))
            start = end
        kept: list[str] = []
        used = " ".join(self.answers.values()) + self.preamble
        for statement, above, text, names in reversed(pieces):
            if statement is body[0] and _is_docstring(statement):
                continue
            if names & answer_names:
                if not names <= kept_names:
                    continue
                overridden = [self.answers[name] for name in sorted(names) if name in self.answers]
                if overridden:
                    text = "\n".join(source.strip() for source in overridden) + "\n"
            elif not isinstance(statement, (ast.Import, ast.ImportFrom)) and not any(re.search(rf"\b{re.escape(n)}\b", used) for n in names):
                continue  # a helper that no kept answer uses
            kept.append(above + text)
            used += text
        kept.reverse()
        imports = 0
        while imports < len(kept) and kept[imports].lstrip().startswith(("import ", "from ")):
            imports += 1
        preamble = [self.preamble.strip() + "\n"] if self.preamble.strip() else []
        text = self.header.strip() + "\n" + "".join(kept[:imports] + preamble + kept[imports:])
        return re.sub(r"\n{3,}(?=\S)", "\n\n\n", text).rstrip() + "\n"


@dataclass(frozen=True)
class AsNotebook:
    """A rewritten answer file handed in as a notebook: a markdown title, a cell per section, extra cells last."""

    title: str
    answers: Rewritten
    extra_cells: tuple[str, ...] = ()

    def write(self, reference: str, assignment: Assignment, file: str, prefix: str) -> str:
        text = self.answers.write(reference, assignment, file)
        starts = [0, *(m.start() for m in SECTION.finditer(text)), len(text)]
        sections = [text[a:b].strip() for a, b in zip(starts, starts[1:]) if text[a:b].strip()]
        cells: list[Cell] = [md(self.title), *(code(section) for section in sections), *(code(extra) for extra in self.extra_cells)]
        return render(notebook_json(cells, prefix))


def reference_text(assignment: Assignment, form: str) -> str:
    return (assignment.folder.parent.parent / assignment.reference / form).read_text(encoding="utf-8")


def starter_outputs(assignment: Assignment, examples: Path) -> dict[Path, str]:
    """The starter example: what students download, the template's answer files and the starter notebooks."""
    template = [path for path in sorted((assignment.folder / "template").iterdir()) if path.is_file()]
    notebooks = [path for path in sorted(assignment.folder.glob("*/*.ipynb")) if path.parent.name != "template"]
    return {examples / "starter" / path.name: path.read_text(encoding="utf-8") for path in template + notebooks}


def variant_outputs(assignment: Assignment, examples: Path, file: str, variants: dict[str, Rewritten | AsNotebook]) -> dict[Path, str]:
    """Each full-marks variant's answer file (``file`` is the answer file's name, such as ``hw4``)."""
    reference = reference_text(assignment, f"{file}.py")
    outputs: dict[Path, str] = {}
    for folder, variant in variants.items():
        if isinstance(variant, AsNotebook):
            outputs[examples / folder / f"{file}.ipynb"] = variant.write(reference, assignment, file, folder)
        else:
            outputs[examples / folder / f"{file}.py"] = variant.write(reference, assignment, file)
    return outputs


def write_all(outputs: dict[Path, str], root: Path) -> None:
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
