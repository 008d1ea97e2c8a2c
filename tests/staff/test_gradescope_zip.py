"""The Gradescope zip: the files it needs and nothing else, the course's settings.toml, and its proof."""

from __future__ import annotations

import io
import stat
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.config import Settings
from autograder.errors import CommandError
from autograder.staff.zip_proof import choose_examples
from autograder.staff.gradescope_zip import build_gradescope_zip
from autograder.staff.settings_file import with_assignment, zip_settings

from .conftest import ROOT, partial_example


@pytest.fixture(scope="module")
def proven_zip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Built and proven once: the reference must be full marks and one example its expected score."""
    out = io.StringIO()
    example = partial_example()
    target = build_gradescope_zip(
        assignment="hw4", out=tmp_path_factory.mktemp("zip") / "hw4.zip", examples=[example[0].name] if example else None, stream=out
    )
    return target, out.getvalue()


def test_zip_is_proven_from_an_unpacked_copy(proven_zip: tuple[Path, str]) -> None:
    target, log = proven_zip
    assert target.is_file()
    assert "reference/hw4: full marks" in log and "as expected" in log
    assert f"proven: {target}" in log


def test_zip_holds_what_gradescope_needs_and_nothing_else(proven_zip: tuple[Path, str]) -> None:
    with zipfile.ZipFile(proven_zip[0]) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        settings = tomllib.loads(archive.read("settings.toml").decode())
    names = set(infos)
    for needed in ("setup.sh", "run_autograder", "pyproject.toml", "settings.toml", "autograder/engine.py", "reference/hw4/hw4.py", "problems/hw4/assignment.toml"):
        assert needed in names
    for executable in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[executable].external_attr >> 16) == 0o755
    assert "README.md" not in names  # its sample outputs are about answers, and grading does not need it
    forbidden = ("tests/", "bench/", "submissions_examples/", "docs/", ".venv/", ".git/", "out/", ".ci/")
    assert not [n for n in names if n.startswith(forbidden)]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/." in f"/{n}"]
    assert not [n for n in names if "/template/" in n]
    assert not [n for n in names if n.startswith(("problems/disc4", "reference/disc4"))]
    assert sorted(n.split("/")[-1] for n in names if n.startswith("autograder/staff/")) == ["__init__.py", "commands.py"]
    assert settings["assignment"] == "hw4"
    Settings.model_validate(settings)


def test_the_zip_is_reproducible(tmp_path: Path) -> None:
    first = build_gradescope_zip(assignment="hw4", out=tmp_path / "a.zip", prove=False, stream=io.StringIO())
    second = build_gradescope_zip(assignment="hw4", out=tmp_path / "b.zip", prove=False, stream=io.StringIO())
    assert first.read_bytes() == second.read_bytes()


def test_settings_toml_documents_every_setting_and_sets_the_assignment() -> None:
    text = (ROOT / "settings.toml").read_text()
    for name in [*Settings.model_fields, *Settings.model_fields["sandbox"].annotation.model_fields]:  # type: ignore[union-attr]
        assert name in text, f"settings.toml does not document {name}"
    disc4 = tomllib.loads(zip_settings(ROOT / "settings.toml", "disc4"))
    assert disc4["assignment"] == "disc4"
    assert "# The engine's own total time budget" in with_assignment(text, "disc4")  # comments survive


@pytest.mark.parametrize(
    "text",
    ["", "# only a comment\n", 'assignment = "hw4"\n[sandbox]\nload_seconds = 5\n', "deadline_seconds = 300\n[sandbox]\n# assignment = 'x'\n"],
)
def test_with_assignment_handles_set_commented_and_absent_lines(text: str) -> None:
    data = tomllib.loads(with_assignment(text, "disc4"))
    assert data["assignment"] == "disc4"
    assert data.get("sandbox", {}).get("load_seconds", 5) == 5


def test_unknown_assignment_and_bad_settings_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown assignment 'hw9'"):
        build_gradescope_zip(assignment="hw9", out=tmp_path / "x.zip", prove=False, stream=io.StringIO())
    bad = tmp_path / "settings.toml"
    bad.write_text("deadline_secs = 10\n")
    with pytest.raises(CommandError, match="invalid settings"):
        zip_settings(bad, "hw4")


@pytest.mark.parametrize("assignment", ["hw4", "disc4"])
def test_the_proof_picks_a_full_marks_and_a_partial_example_from_their_declarations(assignment: str) -> None:
    """Full marks is declared, not stored; the partial one brings stored rows to compare one by one."""
    maximum = load_assignment(assignment).max_score
    full, partial = choose_examples(assignment, None, maximum)
    assert full.expected_score == maximum and full.expected_tests == ()
    assert 0 < partial.expected_score < maximum and partial.expected_tests
