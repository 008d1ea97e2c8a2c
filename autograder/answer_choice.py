"""Which form of an answer file is graded when a submission holds several (`hw4.py` and `hw4.ipynb`).

A student who works in the notebook and also uploads the untouched `hw4.py` must
not be graded on the empty file. So when more than one form is present, the one
with the most answers filled in is graded (the first form of the assignment's
list on a tie), and the feedback says which and why.

"Filled in" is read from the source text, in the trusted process, without
running it: Python's parser builds a syntax tree and nothing of the submission
is imported or executed. An answer counts as filled in when the file assigns it
something other than None or "" at its top level, or defines it as a function
whose body does more than `return None` / `pass`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from autograder.assignment import AnswerFile
from autograder.sandbox.cells import NotebookError, cells_from_ipynb, cells_from_py_export, has_cell_markers, strip_magics
from autograder.submission import StagedSubmission

Found = tuple[str, str]  # (relative path in the submission, form)


def _code_blocks(path: Path) -> list[str]:
    """The file's code, one block per notebook cell (a cell that does not parse costs only itself)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if path.suffix == ".ipynb":
        try:
            return [strip_magics(cell.source) for cell in cells_from_ipynb(text)]
        except NotebookError:
            return []
    if has_cell_markers(text):
        return [strip_magics(cell.source) for cell in cells_from_py_export(text)]
    return [text]


def _placeholder(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value in (None, "")


def _stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A body of a docstring and `return None` / `return` / `pass` / `...` / `raise NotImplementedError` only."""
    for statement in function.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # docstring or `...`
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Return) and (statement.value is None or _placeholder(statement.value)):
            continue
        if isinstance(statement, ast.Raise):
            continue
        return False
    return True


def filled_names(path: Path, names: set[str]) -> set[str]:
    """The answer names the file fills in (see the module docstring); the last top-level definition wins."""
    state: dict[str, bool] = {}
    for block in _code_blocks(path):
        try:
            tree = ast.parse(block)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
                state[node.name] = not _stub(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in names:
                        state[target.id] = not _placeholder(node.value)
    return {name for name, filled in state.items() if filled}


def present_forms(staged: StagedSubmission, answer_file: AnswerFile) -> list[Found]:
    """Every form of the answer file that the submission holds, in the assignment's order."""
    found = []
    for form in answer_file.forms:
        hit = staged.locate(AnswerFile(name=answer_file.name, forms=[form]))
        if hit is not None:
            found.append(hit)
    return found


def choose_answer_file(staged: StagedSubmission, answer_file: AnswerFile, names: list[str]) -> tuple[Found | None, str | None]:
    """The form to grade and, when there was a choice, the sentence that says which one and why."""
    found = present_forms(staged, answer_file)
    if len(found) <= 1:
        return (found[0] if found else None), None
    counts = [len(filled_names(staged.workdir / relative, set(names))) for relative, _ in found]
    best = max(range(len(found)), key=lambda i: (counts[i], -i))
    chosen = found[best][0]
    others = [f"{relative} ({count})" for (relative, _), count in zip(found, counts) if relative != chosen]
    if counts.count(counts[best]) > 1:
        why = f"all have {counts[best]} of {len(names)} answers filled in, and {chosen} comes first"
    else:
        why = f"it has the most answers filled in: {counts[best]} of {len(names)}, against {', '.join(others)}"
    ignored = ", ".join(relative for relative, _ in found if relative != chosen)
    note = f"You submitted {' and '.join(r for r, _ in found)}: graded {chosen}, because {why}; {ignored} was not read. Submit only one of them."
    return found[best], note
