"""The `options` of a part, one model per kind, checked when the problem's data is loaded.

Each kind reads its own options (an array's `shape`, a formula's `given` values, a
choice's `synonyms`, a function's public `probes`). Declaring them here, with
`extra="forbid"`, means a misspelt or misplaced key in problem.toml stops the
load with the file, the part and the key named, rather than being ignored at
grading time; and no reader has to guess a value's type or dig it out of text
(the shape of an array is `shape`, never parsed from the human-readable `format`).

Keys that only a problem's own check reads (`memory_mb` of Homework 4's p1b_fn, the
filter `sizes` of p5a) are declared on their kind too, with what they mean: a key
nothing declares is an error, wherever it is read.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, PositiveInt, model_validator

Shape = tuple[PositiveInt, ...]


class Options(BaseModel):
    """What every kind may state: the form the answer takes, in words the student reads (template, kit)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The answer's form for the student ("a 3 x 3 array", "(rows, columns), each a formula in ..."); text only.
    format: str | None = None


class WordOptions(Options):
    """Kinds whose answers (or outputs) are words read as one of the part's `choices`."""

    #: Canonical choice -> other spellings accepted for it ("red" -> ["crimson", "scarlet"]).
    synonyms: dict[str, list[str]] = Field(default_factory=dict)


class FormulaOptions(Options):
    """Answers read as formulas (an expression; a number is a formula without symbols)."""

    #: Symbols the student may keep that an earlier part fixes, with their value (`c = "2/k"`).
    given: dict[str, str] = Field(default_factory=dict)
    #: Other answers the problem's wording also supports, stated in the part's `assumption`.
    accept: list[str] = Field(default_factory=list)


class ExpressionOptions(FormulaOptions):
    """A formula; or, with one of `labels`, `scaling` or `growth`, a tuple, a scaling or a growth rate."""

    #: A tuple of formulas, graded per component: the components' names ("width", "height", "channels").
    labels: list[str] | None = None
    #: A quantity after a change, as a formula in its value before (this symbol) or the factor alone ("x2").
    scaling: str | None = None
    #: A growth rate in this symbol ("O(n)"), judged by its order for large values of it.
    growth: str | None = None
    #: Words read as a formula for scalings and growth rates ("doubles" -> "2", "linear" -> "n").
    words: dict[str, str] = Field(default_factory=dict)
    #: The answer may instead be a function of the part's symbols, which the part's own check calls.
    function: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> "ExpressionOptions":
        forms = [name for name in ("labels", "scaling", "growth") if getattr(self, name)]
        if len(forms) > 1:
            raise ValueError(f"{' and '.join(forms)} exclude each other: a part is one of a tuple, a scaling or a growth rate")
        if self.words and not (self.scaling or self.growth):
            raise ValueError("words are read only for a scaling or a growth rate")
        return self


class NumberOptions(FormulaOptions):
    """A number, read and compared exactly as a formula without symbols."""


class ChoiceOptions(WordOptions):
    """One of the part's `choices`."""


class SetOptions(Options):
    """A set of numbers, graded per element."""

    #: What the members are, in the feedback ("1 of your values is not among the fixed points").
    what: str = "elements"


class IntervalOptions(Options):
    """An interval (low, high), each end half of the credit."""

    #: Relative tolerance on each end (1e-4 accepts 1.732 for sqrt(3)); by default exact up to rounding.
    rtol: NonNegativeFloat = 1e-9


class TableOptions(WordOptions):
    """A dict of cells, each an equal share; with `choices` on the part, each cell is one of them, else a number."""

    #: What a cell is, in the feedback ("2 of 3 fixed points are right").
    what: str = "cell"
    #: How the student's keys are matched: as names (folded case) or as numbers ("1", 1.0 and 1 agree).
    keys: Literal["names", "numbers"] = "names"
    #: The cells' names are themselves an answer (the fixed points): feedback counts missing ones, never names them.
    names_are_answers: bool = False
    #: The keys the student's dict must have, where they are not an answer (the format check asks for each).
    cells: list[str] = Field(default_factory=list)


class ArrayOptions(Options):
    """An array of numbers: exact shape first, then finiteness, then tolerance."""

    #: The shape asked for (no broadcasting); the format check and the grader both hold answers to it.
    shape: Shape
    #: Other shapes that hold the same numbers in the same order (a list of 3 written as a 3 x 1 column);
    #: the grader and the format check both accept them.
    also_shapes: list[Shape] = Field(default_factory=list)
    #: The arrays of the part's known mistakes, by the name their `answer` gives (`answer = "zero"`).
    variants: dict[str, list[Any]] = Field(default_factory=dict)
    #: Tolerances of the comparison; None: the engine's defaults for values worked out by hand.
    rtol: NonNegativeFloat | None = None
    atol: NonNegativeFloat | None = None


class Probe(BaseModel):
    """A public call the format check makes: an argument is a number, or a list giving the shape of a random array."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    args: list[Any]
    #: The shape the result must have for these arguments.
    shape: Shape | None = None
    #: The number of dimensions the result must have (where the shape depends on nothing fixed).
    ndim: PositiveInt | None = None
    #: "choice": the result is a number or one of the part's choices, not an array.
    result: Literal["choice"] | None = None


class FunctionOptions(WordOptions):
    """A function, called in the sandbox by the part's own check on inputs the grader chose."""

    #: Its parameters as written in the template ("image, filter_size=3").
    signature: str = "*args"
    #: What it returns, in the template's docstring.
    returns: str | None = None
    #: The format check's public calls (never the graded inputs).
    probes: list[Probe] = Field(default_factory=list)
    #: Memory limit (MB) of the check's call on a large input (Homework 4's p1b_fn).
    memory_mb: PositiveInt | None = None
    #: Rows and columns of that large input (a tall W for p1b_fn).
    tall_rows: PositiveInt | None = None
    tall_cols: PositiveInt | None = None
    #: The sizes the function is called with (Homework 4's p5a: filter sizes).
    sizes: list[PositiveInt] = Field(default_factory=list)


class LoaderOptions(Options):
    """A torch DataLoader (or a dict of them), judged from its description."""

    split: Literal["train", "valid"]
    batch_size: PositiveInt
    #: Whether the batches must be shuffled; None: not checked (a validation loader).
    shuffle: bool | None = None
    #: Images per class of the one loader asked for.
    per_class: PositiveInt | None = None
    #: Images per class of each loader of a dict of loaders.
    sizes: list[PositiveInt] = Field(default_factory=list)


class ModelThresholdOptions(Options):
    """Numbers with which the grader trains a model of its own, held to an accuracy bar."""

    #: The accuracy bar (the course's settings may override it per part).
    threshold: float = Field(ge=0.0, le=1.0)
    #: Whether validation uses the domain-shifted data.
    domain_shift: bool = False
    #: The other answer names the part reads besides its own (6.4: learning rate and kernel size).
    extra_answers: list[str] = Field(default_factory=list)


class TextOptions(Options):
    """Text passed to the graders (manual parts, and text parts)."""


#: The options model of each part kind.
OPTIONS_BY_KIND: dict[str, type[Options]] = {
    "expression": ExpressionOptions,
    "number": NumberOptions,
    "array": ArrayOptions,
    "table": TableOptions,
    "set": SetOptions,
    "interval": IntervalOptions,
    "function": FunctionOptions,
    "choice": ChoiceOptions,
    "loader": LoaderOptions,
    "model_threshold": ModelThresholdOptions,
    "text": TextOptions,
    "manual": TextOptions,
}
