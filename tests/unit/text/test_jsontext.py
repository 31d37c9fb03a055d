"""checker/text/jsontext.py writes exactly what json.dumps(ensure_ascii=False, indent=2) writes."""
from __future__ import annotations

import enum
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.text.jsontext import dumps_indented

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=30)


def expected(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_text_as_json_dumps(value: object) -> None:
    assert dumps_indented(value) == expected(value)


class Level(enum.IntEnum):
    HIGH = 3


class Word(str, enum.Enum):
    SHALL = "shall"


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}}, [[]], "控制字符\x00\x1f\u2028\"\\", {"零": [1, 2.5, -0.0, 1e16, 1e-7]},
    {7: "int key", 2.5: "float key", True: "bool key", None: "null key"}, Level.HIGH, Word.SHALL,
    [math.nan, math.inf, -math.inf], {"nested": {"list": [{"x": None}]}},
])
def test_edge_cases(value: object) -> None:
    assert dumps_indented(value) == expected(value)


@pytest.mark.parametrize("value", [{"a": object()}, [{1, 2}], {("tuple", "key"): 1}])
def test_what_json_cannot_hold_is_refused_alike(value: object) -> None:
    with pytest.raises(TypeError):
        expected(value)
    with pytest.raises(TypeError):
        dumps_indented(value)
