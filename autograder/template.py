"""The students' starter answer file, generated from the parts list so the two can never disagree.

The checked-in templates under problems/<assignment>/template/ are this
function's output; a test fails when they go stale.
"""

from __future__ import annotations

from autograder.assignment import Assignment, Part
from autograder.part_options import FunctionOptions

FORMAT_HINTS = {
    "expression": 'a formula: a string such as "k n^2 / 2 + 1" (^ or **, implicit products allowed) or a sympy expression',
    "number": "a number (int or float)",
    "array": "a numpy array or a nested list of numbers",
    "table": "a dict from cell name to value, as in the comment",
    "set": "a Python set or list of values",
    "interval": "a pair (low, high)",
    "choice": "one of the strings listed",
    "text": "a string",
    "manual": "optional: your answer as text (graded by hand; the PDF is what counts)",
    "model_threshold": "a number",
    "loader": "a torch DataLoader",
}


def _part_block(part: Part) -> list[str]:
    lines = [f"# {part.id} ({part.points:g} pt{'s' if part.points != 1 else ''}): {part.title}"]
    if part.kind == "function":
        options = part.options_as(FunctionOptions)
        lines.append(f"def {part.answer}({options.signature}):")
        returns = options.returns or "the result"
        lines.append(f'    """Return {returns}."""')
        lines.append("    return None  # TODO")
        return lines
    lines.append(f"# Answer: {FORMAT_HINTS[part.kind]}.")
    if part.choices:
        lines.append("# Choices: " + ", ".join(repr(c) for c in part.choices))
    if part.options.format:
        lines.append(f"# Format: {part.options.format}")
    placeholder = '""' if part.kind in ("manual", "text") else "None"
    lines.append(f"{part.answer} = {placeholder}")
    return lines


def render_template(assignment: Assignment, file_name: str) -> str:
    answer_file = assignment.answer_file(file_name)
    header = [
        f'"""{assignment.title}: answer file `{answer_file.forms[0]}`.',
        "",
        "Fill in each name below and keep the names as they are. Before you submit, run the",
        "student kit's check in the kit's folder: `python3 check.py` (Windows: `py check.py`).",
        "It runs this file as Gradescope does, calls your functions on small public inputs and",
        "says what is missing or unreadable (not whether an answer is right).",
        "Manual parts are graded by hand from your written PDF; text you put here is shown to the graders.",
        '"""',
        "",
    ]
    body: list[str] = []
    for problem in assignment.problems:
        parts = [p for p in problem.parts if p.file == answer_file.name]
        if not parts:
            continue
        body += ["", f"# {'=' * 76}", f"# Problem {problem.number}: {problem.title}", f"# {'=' * 76}"]
        for note in problem.notes:
            body.append(f"# Note: {note}")
        for part in parts:
            body += [""] + _part_block(part)
    return "\n".join(header + body).rstrip() + "\n"
