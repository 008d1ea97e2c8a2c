"""Format check: what can be verified about a submission without the reference solution.

The student kit ships no reference and no hidden check, so it cannot say whether
an answer is right. It can say whether Gradescope will be able to read it: the
answer file is there and runs (notebook cells included), every public part's name
is defined, formulas parse with the part's symbols, numbers are numbers, arrays
are finite and have the shape the part's data states (`options.shape`, or one of
`options.also_shapes`), tables have the keys it lists (`options.cells`), functions are functions, choices are among the listed words. It uses the
same sandbox, parser and readers as the grader, and the parts data; correctness
verdicts come only from Gradescope (or `autograder check` with the full project).

Functions are also called, in the sandbox, on small public inputs that the
part's data describes (`options.probes`: an argument is the shape of a random
array, or a number), never on the graded inputs and never compared with an
output: a crash (with its line), a wrong type or a wrong shape is reported, a
result is not judged.

Used by `autograder check --format-only` and by the kit's `check.py`. Where POSIX
process control is missing (Windows), the files run through the portable runner
(`sandbox.runner`): time limits from the parent, no resource limits, said in one
line of the output. This is the only place that runner is used.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from autograder.answers import Answer, AnswerSheet
from autograder.assignment import Assignment, Part, Problem, available_assignments, load_assignment
from autograder.checking.arrays import NotNumeric, to_array
from autograder.checking.elements import Unreadable, read_choice, read_members, read_number, read_pair
from autograder.checking.formula_answers import read_expression, symbol_table
from autograder.checking.formulas import read_items, read_scaling
from autograder.checking.verdict import Verdict
from autograder.config import Settings, load_settings
from autograder.errors import CommandError
from autograder.errors import report as report_error
from autograder.part_options import ArrayOptions, ExpressionOptions, FunctionOptions, Probe, TableOptions
from autograder.engine import opened_submission
from autograder.symbolic import ExpressionError, parse_expression
from autograder.sandbox import runner as sandbox_runner
from autograder.sandbox.process import SandboxSetupError
from autograder.sandbox.session import ChildSession
from autograder.sandbox.wire import EncodingFailure, ExprText, Loader, Opaque

Status = Literal["ok", "note", "missing", "invalid"]
_ORDER = re.compile(r"^\s*(?:O|Theta|Θ|Omega)\s*\((.*)\)\s*$")
#: Seed of the random arrays that functions are called on (public inputs: any seed will do).
PROBE_SEED = 1234
#: Said once per run: the kit holds no answers, so nothing it prints is a verdict on correctness.
NO_VERDICT = "This check does not know the answers: whether they are right, Gradescope tells you after you submit."
WHAT_IS_CHECKED = (
    "Checks that your files run (the notebooks' graded cells as Gradescope runs them), that every public answer is "
    "there and readable, and that your functions run on small public inputs and return the right type and shape."
)


@dataclass(frozen=True)
class Finding:
    part_id: str
    title: str
    status: Status
    message: str


@dataclass
class FormatReport:
    assignment: Assignment
    folder: Path
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    not_checked: int = 0
    seconds: float = 0.0
    #: "posix", or "portable" where the platform has no POSIX sandbox (see `sandbox.runner`).
    runner: str = "posix"

    @property
    def failing(self) -> bool:
        return any(f.status in ("missing", "invalid") for f in self.findings)


def _from_verdict(verdict: Verdict) -> tuple[Status, str]:
    return ("missing" if verdict.outcome == "missing" else "invalid"), verdict.message


def _check_expression(part: Part, problem: Problem, answer: Answer) -> tuple[Status, str]:
    table = symbol_table(problem, part)
    options = part.options_as(ExpressionOptions)
    labels = options.labels
    if labels:
        items = read_items(answer, len(labels))
        if isinstance(items, Verdict):
            return _from_verdict(items)
        read = []
        for label, item in zip(labels, items):
            text = str(item)
            try:
                read.append(f"{label} = {parse_expression(text, table)}")
            except ExpressionError as error:
                return "invalid", f"{answer.name}: the {label} component {text[:80]!r} could not be read: {error}"
        return "ok", "Readable: " + "; ".join(read) + "."
    if isinstance(answer.value, Opaque) and answer.value.kind == "function" and options.function:
        return "note", "A function (Gradescope calls it on its own inputs)."
    if options.scaling:  # a factor or a formula in the scaled quantity, read as the grader reads it
        try:
            scaled, _ = read_scaling(part, table, answer.value, options.scaling)
        except TypeError:
            return "invalid", f"{answer.name} should be a formula or a factor; got a value of type {type(answer.value).__name__}."
        except ExpressionError as error:
            return "invalid", f"{answer.name} could not be read: {error}"
        return "ok", f"Readable as: {scaled}."
    value = answer.value
    if isinstance(value, (str, ExprText)):
        match = _ORDER.match(str(value))
        if match:
            value = match.group(1)
    expr = read_expression(Answer(answer.name, answer.file, value, answer.problem), table)
    if isinstance(expr, Verdict):
        words = {k.lower() for k in options.words}
        if isinstance(value, str) and value.strip().lower() in words:
            return "ok", f"Readable: the word {value.strip()!r}."
        return _from_verdict(expr)
    return "ok", f"Readable as: {expr}."


def _check_array(part: Part, answer: Answer) -> tuple[Status, str]:
    try:
        array = to_array(answer.value)
    except NotNumeric as error:
        return "invalid", f"{answer.name} should be numbers: {error}."
    if array.size and not np.all(np.isfinite(array)):
        return "invalid", f"{answer.name} contains NaN or infinite values."
    options = part.options_as(ArrayOptions)
    if not _same_layout(array.shape, options):
        return "invalid", f"{answer.name} has shape {array.shape}; the part asks for {options.format} (shape {options.shape})."
    return "ok", f"Readable: numbers of shape {array.shape}."


def _same_layout(given: tuple[int, ...], options: ArrayOptions) -> bool:
    """The shape the grader accepts: the one asked for, or one of the part's `also_shapes` (a list of n as a column).

    A 3 x 3 array written flat is refused here as by the grader (which entry goes
    where would be a guess), so the format check and results.json agree: both read
    the same data.
    """
    return given == options.shape or given in options.also_shapes


def _check_table(part: Part, answer: Answer) -> tuple[Status, str]:
    if not isinstance(answer.value, dict):
        return "invalid", f"{answer.name} should be a dict; got a value of type {type(answer.value).__name__}."
    missing = [k for k in part.options_as(TableOptions).cells if k not in answer.value]
    if missing:
        return "invalid", f"{answer.name} lacks the key(s) {', '.join(missing)} that the part asks for."
    return "ok", f"Readable: a table with {len(answer.value)} entries."


def _describe_loader(loader: Loader) -> str:
    return f"a DataLoader over {loader.get('dataset_len')} images, batch size {loader.get('batch_size')}{', shuffled' if loader.get('shuffle') else ''}"


def _check_loader(answer: Answer) -> tuple[Status, str]:
    """A torch DataLoader, or a dict of them (one per training size); what it holds is checked on Gradescope."""
    value = answer.value
    if isinstance(value, Loader):
        return "ok", f"Readable: {_describe_loader(value)}."
    if isinstance(value, dict) and value and all(isinstance(v, Loader) for v in value.values()):
        return "ok", "Readable: " + "; ".join(f"{k!r}: {_describe_loader(v)}" for k, v in value.items()) + "."
    return "invalid", f"{answer.name} should be a torch DataLoader (or a dict of them, as the notebook asks); got a value of type {type(value).__name__}."


def _check_choice(part: Part, answer: Answer) -> tuple[Status, str]:
    try:
        return "ok", f"Readable as the choice {read_choice(part, answer.value)!r}."
    except Unreadable as error:
        if isinstance(answer.value, (str, ExprText)):
            return "note", f"{answer.name} {error}. Gradescope accepts some other spellings, but the listed words are safest."
        return "invalid", f"{answer.name} {error}."


def _argument_names(part: Part, count: int) -> list[str]:
    """The names of the signature's parameters ("image, filter_size=3" -> image, filter_size)."""
    names = [p.split("=")[0].strip().lstrip("*") for p in part.options_as(FunctionOptions).signature.split(",") if p.strip()]
    return (names + [f"argument {i + 1}" for i in range(len(names), count)])[:count]


def public_inputs(part: Part, rng: np.random.Generator) -> list[tuple[list[Any], str, Probe]]:
    """(arguments, how they are described, the probe) per probe of the part: a list is the shape of a random array."""
    calls = []
    for probe in part.options_as(FunctionOptions).probes:
        specs = list(probe.args)
        names = _argument_names(part, len(specs))
        args: list[Any] = []
        shown = []
        for name, spec in zip(names, specs):
            if isinstance(spec, list):
                args.append(rng.random(tuple(int(n) for n in spec)))
                shown.append(f"{name} of shape {tuple(int(n) for n in spec)}")
            else:
                args.append(spec)
                shown.append(f"{name} = {spec!r}")
        calls.append((args, ", ".join(shown), probe))
    return calls


def _judge_output(part: Part, value: Any, probe: Probe) -> str | None:
    """What is wrong with the output's type or shape (never its values), or None."""
    if probe.result == "choice":
        if isinstance(value, bool) or not isinstance(value, (int, float, str, ExprText)):
            return f"returned a value of type {type(value).__name__}; it should return a number or one of the words {', '.join(repr(c) for c in part.choices)}"
        return None
    try:
        array = to_array(value)
    except NotNumeric as error:
        return f"returned a value of type {type(value).__name__}, not an array of numbers ({error})"
    if array.size and not np.all(np.isfinite(array)):
        return "returned NaN or infinite values"
    shape = tuple(probe.shape) if probe.shape is not None else None
    if shape is not None and array.shape != shape:
        return f"returned shape {array.shape}; for these inputs it should be {shape}"
    if probe.ndim is not None and array.ndim != probe.ndim:
        return f"returned an array with {array.ndim} dimension(s); it should be {probe.ndim}-dimensional"
    return None


def probe_function(part: Part, answer: Answer, session: ChildSession | None) -> tuple[Status, str]:
    """Call the function on the part's public inputs in the sandbox: crash, type and shape, never correctness."""
    calls = public_inputs(part, np.random.default_rng(PROBE_SEED))
    if not calls or session is None:
        return "ok", "A function (Gradescope calls it on its own inputs)."
    returned = []
    zeros = 0
    for args, shown, probe in calls:
        outcome = session.call(answer.name, args)
        where = f"{answer.name}({shown})"
        if not outcome.ok:
            return "invalid", f"{where} failed: {outcome.error}"
        if outcome.value is None:
            return "missing", f"{where} returned None: not answered yet."
        problem = _judge_output(part, outcome.value, probe)
        if problem is not None:
            return "invalid", f"{where} {problem}."
        if probe.result == "choice":
            returned.append(type(outcome.value).__name__)
        else:
            array = to_array(outcome.value)
            returned.append(f"shape {array.shape}")
            zeros += bool(array.size) and not np.any(array)
    if zeros == len(calls):  # random inputs, all-zero outputs: the starter's zero kernel or placeholder is still there
        return "missing", f"{answer.name} returns only zeros on random inputs: is the starter's placeholder (a zero kernel, np.zeros) still there?"
    return "ok", f"Runs on {len(calls)} public input{'s' if len(calls) > 1 else ''} ({'; '.join(shown for _, shown, _ in calls)}) and returns {', '.join(dict.fromkeys(returned))}."


def check_part(part: Part, problem: Problem, answer: Answer, session: ChildSession | None = None) -> tuple[Status, str]:
    """The format finding for one part's answer (no reference involved); functions are called through `session`."""
    if part.manual or part.kind == "text":
        if answer.given and not isinstance(answer.value, (str, ExprText)):
            return "invalid", f"{answer.name} should be text (a string); got a value of type {type(answer.value).__name__}."
        return "ok", "Text for the graders." if answer.given and str(answer.value).strip() else "No text (optional: graded by hand)."
    if not answer.given:
        if answer.problem:
            return "missing", answer.problem
        return "missing", f"{answer.name} is still None in {answer.file}: no answer given."
    if isinstance(answer.value, EncodingFailure):
        return "invalid", f"{answer.name} could not be read: {answer.value.message}"
    try:
        if part.kind == "expression":
            return _check_expression(part, problem, answer)
        if part.kind in ("array",):
            return _check_array(part, answer)
        if part.kind in ("number", "model_threshold"):
            return "ok", f"Readable as the number {read_number(answer.value):g}."
        if part.kind == "function":
            if isinstance(answer.value, Opaque) and answer.value.kind == "function":
                return probe_function(part, answer, session)
            return "invalid", f"{answer.name} should be a function (def {answer.name}(...)); got a value of type {type(answer.value).__name__}."
        if part.kind == "table":
            return _check_table(part, answer)
        if part.kind == "loader":
            return _check_loader(answer)
        if part.kind == "choice":
            return _check_choice(part, answer)
        if part.kind == "set":
            members = read_members(answer)
            return _from_verdict(members) if isinstance(members, Verdict) else ("ok", f"Readable: a set of {len(members)} numbers.")
        if part.kind == "interval":
            low, high = read_pair(answer.value)
            return "ok", f"Readable as the interval ({low:g}, {high:g})."
    except Unreadable as error:
        return "invalid", f"{answer.name} {error}."
    return "note", f"Defined; answers of kind {part.kind} are checked on Gradescope only."


def public_parts(assignment: Assignment, settings: Settings) -> list[Part]:
    return [p for p in assignment.parts if p.is_public(settings)]


def _file_lines(sheets: dict[str, AnswerSheet]) -> list[str]:
    lines = []
    for sheet in sheets.values():
        if sheet.session is None:
            lines.append(f"missing  {sheet.absent_reason}")
            continue
        report = sheet.session.load_report
        if report is None:
            lines.append(f"found    {sheet.file_label} (not run: no public part reads it)")
        elif report.ok:
            lines.append(f"ran      {sheet.file_label}: no errors")
        else:
            lines.append(f"PROBLEM  {sheet.file_label}: {report.describe()}")
        if sheet.choice:
            lines.append(f"note     {sheet.choice}")
    return lines


def format_check(
    folder: Path, assignment_id: str, settings: Settings | None = None, runner: sandbox_runner.Kind | None = None
) -> FormatReport:
    """Run the answer files in the sandbox and check the format of every public part's answer.

    `runner`: None chooses by platform (`sandbox.runner.for_format_check`); tests pass "portable".
    """
    settings = settings or load_settings()
    kind = sandbox_runner.for_format_check(runner)
    started = time.monotonic()
    assignment = load_assignment(assignment_id)
    parts = public_parts(assignment, settings)
    report = FormatReport(assignment, Path(folder), not_checked=len(assignment.parts) - len(parts), runner=kind)
    try:
        with opened_submission(Path(folder), assignment, settings, started + settings.deadline_seconds, kind) as (_, sheets):
            for part in parts:
                problem = assignment.problem_of(part)
                sheet = sheets[part.file]
                status, message = check_part(part, problem, sheet.get(part.answer), sheet.session)
                report.findings.append(Finding(part.id, part.title, status, message))
            report.files = _file_lines(sheets)
    except (OSError, SandboxSetupError) as error:  # the sandbox could not even start (permissions, missing interpreter)
        raise CommandError(f"cannot run your files in the sandbox: {error}") from None
    report.seconds = time.monotonic() - started
    return report


LABELS = {"ok": "ok", "note": "note", "missing": "MISSING", "invalid": "INVALID"}


def summary_line(report: FormatReport) -> str:
    """One line per assignment, named, so two assignments' counts are never confused."""
    counts = {s: sum(1 for f in report.findings if f.status == s) for s in LABELS}
    return (
        f"{report.assignment.title}: {counts['ok'] + counts['note']} of {len(report.findings)} public parts readable"
        + (f", {counts['missing']} missing, {counts['invalid']} not readable" if report.failing else "")
        + (f"; {report.not_checked} more parts are checked on Gradescope only" if report.not_checked else "")
        + "."
    )


def render_format_report(report: FormatReport) -> str:
    """The table of one assignment; the caller says once, after all of them, that nothing here is a verdict."""
    title = f"Format check, {report.assignment.title}: {report.folder}"
    lines = [title, "=" * len(title), *report.files, ""]
    width = min(44, max((len(f.part_id) for f in report.findings), default=8))
    for finding in report.findings:
        lines.append(f"{LABELS[finding.status]:<8} {finding.part_id:<{width}}  {finding.message}")
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines)


def detect(folder: Path) -> list[str]:
    """Assignments whose answer files are in the folder (top level or below)."""
    names = {p.name for p in Path(folder).rglob("*") if p.is_file()} if Path(folder).is_dir() else set()
    return [a for a in available_assignments() if any(form in names for f in load_assignment(a).files for form in f.forms)]


def main(
    argv: list[str] | None = None,
    default_folder: str = ".",
    command: str = "autograder check --format-only",
    runner: sandbox_runner.Kind | None = None,
) -> int:
    """Entry point of the student kit's check.py: `python3 check.py [FOLDER] [--assignment A]`."""
    prog = command.split(" --")[0]
    parser = argparse.ArgumentParser(prog=prog, description="Check that Gradescope can read your answers and that your functions run (not whether they are right).")
    parser.add_argument("folder", nargs="?", default=default_folder, help=f"folder with hw4.py / disc4.py / notebooks (default: {default_folder})")
    parser.add_argument("--assignment", choices=available_assignments(), help="check only this assignment")
    args = parser.parse_args(argv)
    try:
        return _check_folder(Path(args.folder), args.assignment, prog, runner)
    except CommandError as error:
        return report_error(error, prog)


def _check_folder(folder: Path, assignment: str | None, prog: str, runner: sandbox_runner.Kind | None) -> int:
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder")
    assignments = [assignment] if assignment else detect(folder)
    if not assignments:
        raise CommandError(f"no answer file in {folder}; expected one of the templates (hw4.py, disc4.py, ...). Usage: {prog} [FOLDER]")
    kind = sandbox_runner.for_format_check(runner)
    print(WHAT_IS_CHECKED)
    if kind == "portable":
        print(sandbox_runner.PORTABLE_NOTE)
    print()
    reports = []
    for assignment_id in assignments:
        report = format_check(folder, assignment_id, runner=kind)
        print(render_format_report(report))
        print()
        reports.append(report)
    if len(reports) > 1:
        print("Summary:")
        for report in reports:
            print(f"  {summary_line(report)}")
    print(NO_VERDICT)
    failing = any(r.failing for r in reports)
    if failing:
        print(f"Fix the parts marked above, then run {prog} again.")
    return 1 if failing else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
