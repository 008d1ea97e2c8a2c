"""A small TOML writer for the kit's parts data (tomllib reads TOML but cannot write it).

It covers what problem.toml uses: strings, numbers, booleans, lists of those,
inline tables, and arrays of tables (`[[parts]]`). Output is read back with
tomllib by the caller, so a value this writer got wrong fails the kit build.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"cannot write a {type(value).__name__} as TOML")


def dumps(data: dict[str, Any], header: str = "") -> str:
    """Top-level scalars first, then each list of tables as `[[name]]` blocks."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    tables = {k: v for k, v in data.items() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)}
    for key, value in data.items():
        if key not in tables and value is not None:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, items in tables.items():
        for item in items:
            lines.append("")
            lines.append(f"[[{_key(key)}]]")
            for name, value in item.items():
                if value is not None:
                    lines.append(f"{_key(name)} = {_value(value)}")
    return "\n".join(lines) + "\n"
