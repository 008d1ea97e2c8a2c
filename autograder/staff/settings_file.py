"""Settings files the staff tools read and write: a batch's `--settings`, and the zip's settings.toml.

The zip's file is the course's with the assignment set. We edit the text (not a
re-serialised table) so the comments that document every setting survive into the
zip, then validate the result exactly as the engine will.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from autograder.config import Settings, load_settings
from autograder.errors import CommandError

_ASSIGNMENT_LINE = re.compile(r"^[ \t]*#?[ \t]*assignment[ \t]*=.*$", re.MULTILINE)
_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def parse_settings(text: str, origin: str) -> Settings:
    try:
        return Settings.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise CommandError(f"{origin} is not valid TOML: {error}") from None
    except ValidationError as error:
        raise CommandError(f"{origin} has invalid settings:\n{error}") from None


def with_assignment(text: str, assignment: str) -> str:
    """The settings text with a top-level `assignment = "<id>"` (replacing a commented or set one)."""
    table = _TABLE.search(text)
    top_end = table.start() if table else len(text)
    line = f'assignment = "{assignment}"'
    match = _ASSIGNMENT_LINE.search(text, 0, top_end)
    if match:
        return text[: match.start()] + line + text[match.end() :]
    return line + "\n\n" + text


def zip_settings(source: Path, assignment: str) -> str:
    """The zip's settings.toml: the project's (or an empty one) with the assignment set, validated."""
    text = source.read_text(encoding="utf-8") if source.is_file() else "# Course settings: see autograder/config.py for every key.\n"
    parse_settings(text, str(source))
    result = with_assignment(text, assignment)
    settings = parse_settings(result, f"settings.toml for {assignment}")
    if settings.assignment != assignment:
        raise CommandError(f"could not set the assignment in {source}; set `assignment = \"{assignment}\"` by hand")
    return result


def read_settings(settings_path: Path | None) -> Settings:
    """The settings a batch grades with: the file given by --settings, else the course settings."""
    if settings_path is None:
        return load_settings()
    if not settings_path.is_file():
        raise CommandError(f"settings file {settings_path} does not exist")
    with settings_path.open("rb") as handle:
        try:
            return Settings.model_validate(tomllib.load(handle))
        except Exception as error:  # noqa: BLE001 - TOML and validation errors alike
            raise CommandError(f"settings file {settings_path} is invalid: {error}") from None
