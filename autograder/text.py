"""Text that can always be written as UTF-8, whatever a submission sent.

JSON's escapes let student code send lone surrogates ("\\ud800"), which Python
strings can hold but UTF-8 cannot encode: one of them in results.json, or on the
terminal, would break the whole grade. Standard library only (the child imports
the wire module, which uses this).
"""

from __future__ import annotations

import re
from typing import Any

#: A JSON escape that can stand for a surrogate (\\ud800-\\udfff): only then is a message cleaned.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def safe_text(value: Any, limit: int | None = None) -> str:
    """`value` as text, cut to `limit`, with lone surrogates replaced by U+FFFD (valid pairs are rejoined)."""
    text = value if isinstance(value, str) else str(value)
    if limit is not None:
        text = text[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_strings(data: Any) -> Any:
    """Parsed JSON with every string (keys included) made encodable."""
    if isinstance(data, str):
        return safe_text(data)
    if isinstance(data, list):
        return [clean_strings(item) for item in data]
    if isinstance(data, dict):
        return {clean_strings(key): clean_strings(value) for key, value in data.items()}
    return data
