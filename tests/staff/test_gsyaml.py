"""The reader of Gradescope's submission_metadata.yml (a YAML subset, without PyYAML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.errors import CommandError
from autograder.staff import gsyaml
from autograder.staff.export import discover

EXPORT = """\
---
submission_123456:
  :submitters:
  - :name: Ada Lovelace
    :sid: '3031234567'
    :email: ada@example.edu
  :created_at: 2024-10-01 21:14:05.123456000 -07:00
  :score: 7.5
  :results:
    score: 7.5
    tests:
    - name: 'hw4.p1a: Runtime'   # a comment
      output: "Correct. Read as: 2*c and a long line that Psych
        folds over\\n several lines \\"quoted\\""
    - name: x
      output: |
        line one
          indented
  :history: []
submission_7890:
  :submitters:
    - :name: "O'Brien, Pat"
      :sid:
      :email: pat@example.edu
    - :name: 'Sam ''Q'' Doe'
      :sid: 42
"""


def test_reads_ruby_symbol_keys_groups_quotes_and_folded_strings() -> None:
    data = gsyaml.loads(EXPORT)
    first = data["submission_123456"]
    assert first[":submitters"] == [{":name": "Ada Lovelace", ":sid": "3031234567", ":email": "ada@example.edu"}]
    assert first[":created_at"] == "2024-10-01 21:14:05.123456000 -07:00" and first[":score"] == 7.5
    tests = first[":results"]["tests"]
    assert tests[0]["name"] == "hw4.p1a: Runtime"
    assert tests[0]["output"] == 'Correct. Read as: 2*c and a long line that Psych folds over\n several lines "quoted"'
    assert tests[1]["output"] == "line one\n  indented\n"
    assert first[":history"] == []
    group = data["submission_7890"][":submitters"]
    assert [p[":name"] for p in group] == ["O'Brien, Pat", "Sam 'Q' Doe"]
    assert group[0][":sid"] is None and group[1][":sid"] == 42


def test_unsupported_yaml_is_a_clear_error() -> None:
    with pytest.raises(gsyaml.YamlError, match="line 3: unexpected indentation"):
        gsyaml.loads("a:\n    b: 1\n  c: 2\n")
    with pytest.raises(gsyaml.YamlError, match="anchors"):
        gsyaml.loads("a: &x 1\n")


def test_export_folder_gives_identifiers_and_notes(tmp_path: Path) -> None:
    root = tmp_path / "assignment_1_export"
    (root / "submission_123456").mkdir(parents=True)
    (root / "submission_555").mkdir()
    (root / "submission_metadata.yml").write_text(EXPORT)
    found = discover(tmp_path, tmp_path / "work")  # the export's root folder is found one level down
    assert found.gradescope_export
    by_key = {e.key: e for e in found.entries}
    assert by_key["submission_123456"].submitters[0].name == "Ada Lovelace"
    assert by_key["submission_123456"].gradescope_score == 7.5
    assert by_key["submission_555"].submitters == ()
    assert any("submission_7890 is listed" in n for n in found.notes)
    assert any("submission_555 has no entry" in n for n in found.notes)
    (root / "submission_metadata.yml").write_text("- just\n- a list\n")
    with pytest.raises(CommandError, match="should map submission folder names"):
        discover(root, tmp_path / "work")
