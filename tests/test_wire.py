"""The wire between child and grader: plain data only, bounded, never pickle or eval."""

from __future__ import annotations

import base64
import io
import json
import pickle

import numpy as np
import pytest
import sympy
import torch

from autograder.sandbox import wire
from autograder.text import SURROGATE_ESCAPE, clean_strings, safe_text


def roundtrip(value):
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


def test_plain_values_roundtrip():
    assert roundtrip(None) is None
    assert roundtrip(True) is True
    assert roundtrip(3) == 3 and isinstance(roundtrip(3), int)
    assert roundtrip(0.25) == 0.25
    assert np.isnan(roundtrip(float("nan")))
    assert roundtrip("d_{out}") == "d_{out}"
    assert roundtrip([1, "a", (2, 3)]) == [1, "a", (2, 3)]
    assert roundtrip({"x": 1, 2: [3]}) == {"x": 1, 2: [3]}
    assert roundtrip({1, 2}) == frozenset({1, 2})


def test_arrays_and_tensors_become_numeric_arrays():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert np.array_equal(roundtrip(array), array)
    assert roundtrip(torch.ones(2, 2)).shape == (2, 2)
    assert roundtrip(np.float64(2.5)) == 2.5
    assert isinstance(roundtrip(np.array(["a"])), wire.EncodingFailure)


def test_sympy_values_cross_as_text():
    d = sympy.Symbol("d_out")
    crossed = roundtrip(2 * d**2)
    assert isinstance(crossed, wire.ExprText)
    assert crossed == "2*d_out**2"


def test_functions_and_objects_cross_as_opaque_markers():
    def p1b_fn(W):
        return W

    assert roundtrip(p1b_fn).kind == "function"
    assert roundtrip(object()).kind == "object"


def test_hostile_values_become_failures_not_exceptions():
    class Evil:
        def __len__(self):
            raise RuntimeError("boom")

    nested: list = []
    for _ in range(100):
        nested = [nested]
    assert isinstance(roundtrip(nested), wire.EncodingFailure)
    assert isinstance(roundtrip(10**500), wire.EncodingFailure)
    assert isinstance(roundtrip(list(range(50_000))), wire.EncodingFailure)  # an answer value; results: see below
    assert roundtrip(Evil()).kind == "object"


def test_decoder_refuses_pickled_arrays():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    node = {"t": "array", "npy": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(wire.WireError):
        wire.decode(node)
    node = {"t": "array", "npy": base64.b64encode(pickle.dumps([1, 2])).decode()}
    with pytest.raises(wire.WireError):
        wire.decode(node)


@pytest.mark.parametrize("node", [{"t": "code", "v": "import os"}, {"t": "int", "v": "1" * 500}, {"v": 1}, [1], {"t": "dict", "v": [[1]]}])
def test_decoder_refuses_malformed_nodes(node):
    with pytest.raises(wire.WireError):
        wire.decode(node)


def test_strings_from_the_child_are_always_encodable():
    # json.loads turns the escape "\ud800" into a lone surrogate, which UTF-8 cannot encode; the
    # session cleans each message it receives (clean_strings) before anything decodes it.
    line = json.dumps({"value": {"t": "dict", "v": [[{"t": "str", "v": "k\ud800"}, {"t": "str", "v": "a\ud800b"}]]}, "error": "\udcff"}).encode()
    assert SURROGATE_ESCAPE.search(line)
    message = clean_strings(json.loads(line))
    assert message["error"] == "\ufffd"
    assert wire.decode(message["value"]) == {"k\ufffd": "a\ufffdb"}
    json.dumps(message, ensure_ascii=False).encode("utf-8")  # every string, keys included, now encodes
    assert safe_text("\ud83d\ude00") == "\U0001f600"  # a valid pair is rejoined, not replaced
    assert not SURROGATE_ESCAPE.search(json.dumps({"v": "caf\u00e9 \u2603"}).encode())  # plain text is not rescanned


@pytest.mark.parametrize(
    ("line", "named"),
    [
        (b"[" * 300_000, "nested more than 100 levels deep"),  # json.loads raises RecursionError on this
        (b'{"reply": ' + b"[" * 150 + b"]" * 150 + b"}", "nested more than 100 levels deep"),  # parses, too deep to walk
        (b"\xff\xfe not json", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"reply": [' + b"[]," * 500_000 + b"[]]}", "more than 500,000 values in one message"),  # memory, not depth
        (b"1e999999", "not a JSON object"),
    ],
)
def test_every_unreadable_message_is_one_named_wire_error(line, named):
    with pytest.raises(wire.WireError, match=named):
        wire.parse_message(line)


def test_a_message_as_the_child_writes_it_parses():
    line = json.dumps({"reply": {"ok": True, "value": wire.encode([[1.5, 2.0], {"a": (1, "x")}])}}).encode()
    assert wire.decode(wire.parse_message(line)["reply"]["value"]) == [[1.5, 2.0], {"a": (1, "x")}]


@pytest.mark.parametrize(
    "node",
    [
        {"t": "int", "v": "12x"},  # int() raises ValueError
        {"t": "dict", "v": [[{"t": "tuple", "v": [{"t": "list", "v": []}]}, {"t": "none"}]]},  # unhashable key
        {"t": "list", "v": [{"t": "set", "v": [{"t": "list", "v": []}]}, 5]},
        {"t": "loader", "config": [1]},
    ],
)
def test_decoding_a_forged_value_raises_only_wire_errors(node):
    with pytest.raises(wire.WireError):
        wire.decode(node)


def test_a_function_result_shaped_like_an_array_crosses_as_one_at_any_size():
    def returned(value):
        return wire.decode(json.loads(json.dumps(wire.encode_result(value))))

    tall = np.arange(120_000, dtype=float).reshape(30_000, 4)
    for value in (tall.tolist(), [row for row in tall], tuple(tuple(row) for row in tall.tolist())):
        crossed = returned(value)
        assert isinstance(crossed, np.ndarray) and np.array_equal(crossed, tall)
    assert returned([1, 2]).dtype.kind == "i" and returned([np.float32(0.5), 2]).tolist() == [0.5, 2.0]
    pair = returned(([[1.0, 2.0]], [3.0]))  # a tuple of two arrays of different shapes
    assert isinstance(pair, tuple) and [a.shape for a in pair] == [(1, 2), (1,)]
    for not_an_array in ([True, False], [[1, 2], [3]], ["1", "2"], [], [10**30, 1], [np.bool_(True)]):
        assert isinstance(returned(not_an_array), list), not_an_array


def test_a_result_beyond_a_limit_names_that_limit():
    ragged = [[0.0] * 4] * 30_000 + [[0.0]]
    assert "more than 20,000 elements, the limit for a value that is not an array" in wire.encode_result(ragged)["message"]
    assert "more than the 64 MB limit for one array" in wire.encode_result(np.zeros((30_000, 300)))["message"]
