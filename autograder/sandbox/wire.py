"""Plain-data encoding of answer values, used on both sides of the sandbox.

The child encodes whatever the student's code produced into JSON-able trees;
arrays travel as `.npy` bytes (base64). The trusted side decodes with `json` and
`numpy.load(allow_pickle=False)` only: no pickle, no eval, bounded sizes.

This module must stay importable in the child with the standard library alone;
numpy is imported only when an array is met.
"""

from __future__ import annotations

import base64
import io
import json
import math
from typing import Any

from autograder.text import SURROGATE_ESCAPE, clean_strings

MAX_DEPTH = 12
MAX_ITEMS = 20_000
MAX_STRING = 20_000
MAX_ARRAY_BYTES = 64 * 1024 * 1024
MAX_INT_DIGITS = 200
#: JSON nesting a message may have: an encoded value of MAX_DEPTH levels and its envelope need far less.
MAX_MESSAGE_NESTING = 100
#: Commas and brackets a message may hold: each becomes a Python object when parsed, so this bounds the grader's
#: memory (a line of "[]," would make 30 million lists); arrays travel as .npy text, which has none.
MAX_MESSAGE_TOKENS = 500_000

# --------------------------------------------------------------------------- child side


class LimitReached(ValueError):
    """A value is beyond what may cross the wire; the message names the limit."""


class _Budget:
    def __init__(self) -> None:
        self.items = 0

    def spend(self) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise LimitReached(
                f"it has more than {MAX_ITEMS:,} elements, the limit for a value that is not an array of numbers "
                "(a numpy array, or a list of numbers shaped like one, is sent as an array)"
            )


def encode(value: Any) -> dict[str, Any]:
    """Encode one answer value; never raises (a failure becomes an 'error' node)."""
    try:
        return _encode(value, 0, _Budget())
    except RecursionError:
        return {"t": "error", "message": "the value is nested too deeply"}
    except LimitReached as exc:
        return {"t": "error", "message": str(exc)}
    except Exception as exc:  # the value's own methods are student code
        return {"t": "error", "message": f"could not read the value: {type(exc).__name__}: {str(exc)[:300]}"}


def encode_result(value: Any) -> dict[str, Any]:
    """Encode what a student's function returned: lists of numbers shaped like an array cross as that array.

    A function graded like an array may return `W.tolist()` or a nested list; as a
    tree of nodes its 120,000 numbers would pass the element limit, as `.npy` they are
    one array, bounded only by MAX_ARRAY_BYTES. Never raises.
    """
    try:
        value = _lists_as_arrays(value, 0)
    except Exception:  # noqa: BLE001 - the values' own methods are student code; encode says what is wrong
        pass
    return encode(value)


def _lists_as_arrays(value: Any, depth: int) -> Any:
    if type(value) not in (list, tuple) or depth > MAX_DEPTH:
        return value
    if _array_shape(value, depth) is not None:
        import numpy as np

        array = np.array(value)
        if array.dtype.kind in "iuf":
            return array
    items = [_lists_as_arrays(item, depth + 1) for item in value]
    return items if type(value) is list else tuple(items)


def _array_shape(value: Any, depth: int) -> tuple[int, ...] | None:
    """The shape of a non-empty nested list/tuple of real numbers or numeric arrays (not True/False), else None."""
    if type(value) in (list, tuple):
        if not value or depth > MAX_DEPTH:
            return None
        first = _array_shape(value[0], depth + 1)
        if first is None or any(_array_shape(item, depth + 1) != first for item in value[1:]):
            return None
        return (len(value), *first)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return ()
    if _module_of(value).startswith("numpy"):  # numpy scalars, and arrays (a list of rows computed one by one)
        dtype = getattr(value, "dtype", None)
        if getattr(dtype, "kind", "") in ("i", "u", "f") and isinstance(getattr(value, "shape", None), tuple):
            return tuple(value.shape)
    return None


def _module_of(value: Any) -> str:
    return getattr(type(value), "__module__", "") or ""


def _encode(value: Any, depth: int, budget: _Budget) -> dict[str, Any]:
    budget.spend()
    if depth > MAX_DEPTH:
        raise LimitReached(f"it is nested more than {MAX_DEPTH} levels deep, the limit for a value")
    if value is None:
        return {"t": "none"}
    if value is True or value is False:
        return {"t": "bool", "v": bool(value)}
    if type(value) is int:
        return _encode_int(value)
    if type(value) is float:
        return _encode_float(value)
    if type(value) is str:
        return {"t": "str", "v": value[:MAX_STRING], "cut": len(value) > MAX_STRING}
    module = _module_of(value)
    plain = _plain_numbers(value, module)
    if plain is not None:
        return plain
    if module.startswith("sympy"):
        return _encode_sympy(value, depth, budget)
    if _is_dataloader(value):
        return _encode_loader(value, depth, budget)
    if module.startswith("numpy") or module.startswith("torch"):
        return _encode_numeric_object(value, module)
    if type(value) in (list, tuple):
        kind = "list" if type(value) is list else "tuple"
        return {"t": kind, "v": [_encode(item, depth + 1, budget) for item in value]}
    if type(value) in (set, frozenset):
        return {"t": "set", "v": [_encode(item, depth + 1, budget) for item in value]}
    if type(value) is dict:
        return {
            "t": "dict",
            "v": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)] for k, v in value.items()],
        }
    if callable(value):
        return {"t": "function", "name": str(getattr(value, "__name__", "?"))[:100]}
    if isinstance(value, (int, float, str)):
        return _encode(type_base(value), depth, budget)
    return {"t": "unsupported", "type": type(value).__name__[:100]}


def _plain_numbers(value: Any, module: str) -> dict[str, Any] | None:
    """Numbers in the standard library's exact types, and numpy arrays of number objects, as plain numbers.

    A Fraction crosses as exact text ("127/64", read by the safe parser), a Decimal
    as a float, an object array (of Fractions, Decimals or sympy numbers) as a float
    array: converted here, in the child, so the trusted side never meets the objects.
    None for any other value.
    """
    if module == "fractions" and hasattr(value, "numerator") and hasattr(value, "denominator"):
        numerator, denominator = int(value.numerator), int(value.denominator)
        if max(abs(numerator), denominator) >= 10**MAX_INT_DIGITS:
            return _encode_float(float(value))
        return {"t": "expr", "v": f"{numerator}/{denominator}"}
    if module == "decimal" and hasattr(value, "is_finite"):
        return _encode_float(float(value))
    if module.startswith("numpy") and getattr(getattr(value, "dtype", None), "kind", None) == "O" and hasattr(value, "astype"):
        try:
            converted = value.astype(float)
        except (TypeError, ValueError):
            return {"t": "error", "message": "the array holds values that are not numbers"}
        return encode_array(converted)
    return None


def type_base(value: Any) -> Any:
    for base in (bool, int, float, str):
        if isinstance(value, base):
            return base(value)
    return value


def _encode_int(value: int) -> dict[str, Any]:
    text = str(value) if abs(value) < 10**MAX_INT_DIGITS else None
    if text is None:
        return {"t": "error", "message": f"the integer has more than {MAX_INT_DIGITS} digits"}
    return {"t": "int", "v": text}


def _encode_float(value: float) -> dict[str, Any]:
    if math.isnan(value) or math.isinf(value):
        return {"t": "float", "v": repr(value)}
    return {"t": "float", "v": value}


def _encode_sympy(value: Any, depth: int, budget: _Budget) -> dict[str, Any]:
    import sympy

    if isinstance(value, sympy.MatrixBase):
        rows = value.tolist()
        return {"t": "list", "v": [{"t": "list", "v": [_encode(x, depth + 2, budget) for x in row]} for row in rows]}
    if isinstance(value, sympy.logic.boolalg.BooleanAtom):
        return {"t": "bool", "v": bool(value)}
    text = sympy.sstr(value)
    if len(text) > MAX_STRING:
        return {"t": "error", "message": f"the expression is longer than {MAX_STRING} characters"}
    return {"t": "expr", "v": text}


def _encode_numeric_object(value: Any, module: str) -> dict[str, Any]:
    import numpy as np

    if module.startswith("torch"):
        import torch

        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        elif isinstance(value, torch.Size):
            value = np.asarray(tuple(value))
        else:
            return {"t": "unsupported", "type": type(value).__name__}
    if isinstance(value, np.generic):
        item = value.item()
        return {"t": "bool", "v": item} if isinstance(item, bool) else _encode(item, 0, _Budget())
    if isinstance(value, np.ndarray):
        return encode_array(value)
    return {"t": "unsupported", "type": type(value).__name__}


def encode_array(array: Any) -> dict[str, Any]:
    import numpy as np

    if array.dtype.kind not in "biuf":
        if array.dtype.kind == "c":
            return {"t": "error", "message": "complex arrays are not accepted"}
        return {"t": "error", "message": f"the array holds {array.dtype} values, not numbers"}
    if array.nbytes > MAX_ARRAY_BYTES:
        return {"t": "error", "message": f"the array has {array.nbytes / 2**20:.0f} MB, more than the {MAX_ARRAY_BYTES // 2**20} MB limit for one array"}
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return {"t": "array", "npy": base64.b64encode(buffer.getvalue()).decode("ascii")}


def _is_dataloader(value: Any) -> bool:
    return _module_of(value).startswith("torch.utils.data") and hasattr(value, "batch_size") and hasattr(value, "dataset")


def _encode_loader(loader: Any, depth: int, budget: _Budget) -> dict[str, Any]:
    """A DataLoader crosses as a description: batch size, shuffling, and what its data set says of itself."""
    sampler = type(getattr(loader, "sampler", None)).__name__
    dataset = loader.dataset
    description: dict[str, Any] = {
        "t": "loader",
        "batch_size": loader.batch_size,
        "shuffle": sampler == "RandomSampler",
        "drop_last": bool(getattr(loader, "drop_last", False)),
        "dataset_type": type(dataset).__name__[:100],
    }
    try:
        description["dataset_len"] = int(len(dataset))
    except Exception:
        description["dataset_len"] = None
    config = getattr(dataset, "config", None)
    description["config"] = _encode(config, depth + 1, budget) if isinstance(config, dict) else {"t": "none"}
    labels = getattr(dataset, "labels", None)
    description["labels"] = _encode(labels, depth + 1, budget) if labels is not None else {"t": "none"}
    return description


# --------------------------------------------------------------------------- trusted side


class WireError(ValueError):
    """The child sent something that is not a well-formed encoded value."""


class Opaque:
    """A value that exists in the child but cannot cross: a function or an unsupported object."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.kind} {self.name}>"


class ExprText(str):
    """Text of a sympy expression built by the student's code; parsed by the safe parser, never eval'd."""


class Loader(dict):
    """Description of a torch DataLoader (batch size, shuffle, data set size and config)."""


class EncodingFailure:
    """The child could not encode the value; `message` says why, in the student's terms."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"<unreadable: {self.message}>"


def parse_message(line: bytes) -> dict[str, Any]:
    """One line from the child as a JSON object, or WireError saying (in the student's terms) why not.

    This is the one place where the trusted side parses what a child sent, so every way
    a line can break a parser (bad JSON, a RecursionError on 300,000 nested brackets, no
    memory) is caught here, and what comes out is shallow enough to print and walk.
    """
    tokens = line.count(b",") + line.count(b"[") + line.count(b"{")
    if tokens > MAX_MESSAGE_TOKENS:
        raise WireError(f"more than {MAX_MESSAGE_TOKENS:,} values in one message")
    try:
        message = json.loads(line)
    except RecursionError:
        raise WireError(f"nested more than {MAX_MESSAGE_NESTING} levels deep") from None
    except Exception as exc:  # noqa: BLE001 - bytes from student code: whatever the parser raises is contained
        raise WireError(f"not valid JSON: {type(exc).__name__}") from None
    if not isinstance(message, dict):
        raise WireError("not a JSON object")
    if _nesting(message) > MAX_MESSAGE_NESTING:
        raise WireError(f"nested more than {MAX_MESSAGE_NESTING} levels deep")
    # Everything the child says arrives here: clean its strings once (only when it could hold a surrogate).
    return clean_strings(message) if SURROGATE_ESCAPE.search(line) else message


def _nesting(data: Any) -> int:
    """Depth of nested lists and dicts, found without recursion (the data may be arbitrarily deep)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > MAX_MESSAGE_NESTING:
                break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return deepest


def decode(node: Any) -> Any:
    """Rebuild a plain Python value from an encoded tree. Raises WireError on malformed input, and only that."""
    try:
        return _decode(node, 0)
    except WireError:
        raise
    except Exception as exc:  # noqa: BLE001 - the tree came from the child: any failure is a malformed value
        raise WireError(f"malformed value ({type(exc).__name__})") from None


def _decode(node: Any, depth: int) -> Any:
    if depth > MAX_DEPTH + 4:
        raise WireError("value nested too deeply")
    if not isinstance(node, dict) or not isinstance(node.get("t"), str):
        raise WireError("malformed value")
    kind = node["t"]
    if kind == "none":
        return None
    if kind == "bool":
        return bool(node.get("v"))
    if kind == "int":
        text = node.get("v")
        if not isinstance(text, str) or len(text) > MAX_INT_DIGITS + 1:
            raise WireError("malformed integer")
        return int(text)
    if kind == "float":
        raw = node.get("v")
        if isinstance(raw, str) and raw in ("nan", "inf", "-inf"):
            return float(raw)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
        raise WireError("malformed float")
    if kind == "str":
        return str(node.get("v", ""))[:MAX_STRING]
    if kind == "expr":
        return ExprText(str(node.get("v", ""))[:MAX_STRING])
    if kind in ("list", "tuple", "set"):
        items = node.get("v")
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise WireError("malformed sequence")
        decoded = [_decode(item, depth + 1) for item in items]
        if kind == "set":
            return decoded_set(decoded)
        return decoded if kind == "list" else tuple(decoded)
    if kind == "dict":
        pairs = node.get("v")
        if not isinstance(pairs, list) or len(pairs) > MAX_ITEMS:
            raise WireError("malformed dict")
        result: dict[Any, Any] = {}
        for pair in pairs:
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("malformed dict entry")
            key = _decode(pair[0], depth + 1)
            if not isinstance(key, (str, int, float, bool, tuple)) or key is None:
                key = repr(key)
            result[key] = _decode(pair[1], depth + 1)
        return result
    if kind == "array":
        return decode_array(node)
    if kind == "loader":
        return _decode_loader(node, depth)
    if kind == "function":
        return Opaque("function", str(node.get("name", "?"))[:100])
    if kind == "unsupported":
        return Opaque("object", str(node.get("type", "?"))[:100])
    if kind == "error":
        return EncodingFailure(str(node.get("message", "unreadable value"))[:500])
    raise WireError(f"unknown value type {kind[:40]!r}")


def decoded_set(items: list[Any]) -> frozenset[Any] | list[Any]:
    try:
        return frozenset(items)
    except TypeError:  # unhashable members (arrays): keep them as a list
        return items


def decode_array(node: dict[str, Any]) -> Any:
    import numpy as np

    raw = node.get("npy")
    if not isinstance(raw, str) or len(raw) > MAX_ARRAY_BYTES * 4 // 3 + 1024:
        raise WireError("malformed array")
    try:
        array = np.load(io.BytesIO(base64.b64decode(raw, validate=True)), allow_pickle=False)
    except Exception as exc:
        raise WireError(f"malformed array: {type(exc).__name__}") from None
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
        raise WireError("array of unsupported type")
    return array


def _decode_loader(node: dict[str, Any], depth: int) -> Loader:
    batch = node.get("batch_size")
    length = node.get("dataset_len")
    return Loader(
        batch_size=batch if isinstance(batch, int) and not isinstance(batch, bool) else None,
        shuffle=bool(node.get("shuffle")),
        drop_last=bool(node.get("drop_last")),
        dataset_type=str(node.get("dataset_type", ""))[:100],
        dataset_len=length if isinstance(length, int) and not isinstance(length, bool) else None,
        config=_decode(node.get("config", {"t": "none"}), depth + 1),
        labels=_decode(node.get("labels", {"t": "none"}), depth + 1),
    )
