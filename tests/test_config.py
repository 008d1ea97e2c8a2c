"""Course settings: threshold overrides must name a model-threshold part and be an accuracy."""

from __future__ import annotations

import math
import tomllib

import pytest
from pydantic import ValidationError

from autograder.config import Settings
from autograder.paths import project_root


def test_a_model_threshold_override_is_kept() -> None:
    settings = Settings.model_validate({"thresholds": {"hw4.p6_3": 0.85, "hw4.p6_4": 1.0}})
    assert settings.thresholds == {"hw4.p6_3": 0.85, "hw4.p6_4": 1.0}


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ({"hw4.p6c_cnn_accuracy": 0.9}, "'hw4.p6c_cnn_accuracy' is not a part id"),
        ({"hw9.p6_3": 0.9}, "'hw9.p6_3' is not a part id"),
        ({"hw4.p6_1": 0.9}, "'hw4.p6_1' is a loader part, not a model-threshold part"),
        ({"hw4.p6_3_i": 0.9}, "is a manual part"),
        ({"hw4.p6_3": 90}, "= 90.0 is not an accuracy in (0, 1]"),
        ({"hw4.p6_3": 0.0}, "is not an accuracy"),
        ({"hw4.p6_4": -0.5}, "is not an accuracy"),
        ({"hw4.p6_4": math.nan}, "is not an accuracy"),
    ],
)
def test_a_bad_threshold_override_is_an_error(thresholds: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.model_validate({"thresholds": thresholds})
    assert message in str(raised.value)


def test_every_fault_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.model_validate({"thresholds": {"hw4.p6_3": 2.0, "hw4.nope": 0.9}})
    assert "'hw4.p6_3' = 2.0" in str(raised.value) and "'hw4.nope'" in str(raised.value)


def test_the_commented_example_in_settings_toml_is_valid() -> None:
    """The example a course uncomments must load, so it cannot drift from the part ids again."""
    text = (project_root() / "settings.toml").read_text()
    lines = text.splitlines()
    start = lines.index("# [thresholds]")
    example = []
    for line in lines[start:]:
        if not line.startswith("# ") or (example and not line.startswith('# "')):
            break
        example.append(line[2:])
    assert len(example) >= 2, "settings.toml should show an example [thresholds] entry"
    settings = Settings.model_validate(tomllib.loads("\n".join(example)))
    assert settings.thresholds and all(0 < value <= 1 for value in settings.thresholds.values())
