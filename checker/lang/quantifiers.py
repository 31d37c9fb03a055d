"""Quantifiers (``every`` / ``some``) evaluated in Python while building facts.

durable-rules gets ``$or`` inside ``$iany`` / ``$iall`` wrong when the branches read different fields of the item:
the result follows the order of the item's keys (measured in shared/notes/durable-rules.md). So the compiler
does not hand quantifiers to the engine: it binds the rule's parameters into the item condition, this module
evaluates it over the list with the same three-valued leaves as the engine's (true, false, None for unknown),
and the fact carries the result under ``calc`` (absent when unknown), which the engine compares like any value.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date

from checker.lang import conditions as c
from checker.lang.paths import MISSING, Data, get_path

State = bool | None  # three-valued: True, False, None for unknown


def bind(cond: c.Condition, params: Mapping[str, c.Value]) -> c.Condition:
    """``cond`` with every parameter replaced by its value (lists as tuples, so that the result is hashable)."""
    if isinstance(cond, (c.All, c.Any)):
        return type(cond)(tuple(bind(i, params) for i in cond.items))
    if isinstance(cond, c.Not):
        return c.Not(bind(cond.item, params))
    if isinstance(cond, c.Quantifier):
        return dataclasses.replace(cond, require=bind(cond.require, params))
    if isinstance(cond, c.Compare):
        return dataclasses.replace(cond, value=_bind_value(cond.value, params))
    return cond


def _bind_value(value: c.Value, params: Mapping[str, c.Value]) -> c.Value:
    value = c.resolve(value, params)
    if isinstance(value, c.DateRef):
        return dataclasses.replace(value, offset=c.resolve(value.offset, params))
    return tuple(value) if isinstance(value, list) else value


def over(quantifier: c.Quantifier, items: Data) -> State:
    """True, False or None (unknown) for ``every``/``some`` over ``items`` (a list, or MISSING when absent)."""
    if not isinstance(items, list):
        return None
    states = [holds(quantifier.require, item) for item in items]
    if quantifier.every:
        return False if False in states else (True if all(s is True for s in states) else None)
    return True if True in states else (False if all(s is False for s in states) else None)


def holds(cond: c.Condition, item: Data) -> State:
    """Three-valued value of an item-relative condition."""
    if isinstance(cond, c.All):
        states = [holds(i, item) for i in cond.items]
        return False if False in states else (True if all(s is True for s in states) else None)
    if isinstance(cond, c.Any):
        states = [holds(i, item) for i in cond.items]
        return True if True in states else (False if all(s is False for s in states) else None)
    if isinstance(cond, c.Not):
        state = holds(cond.item, item)
        return None if state is None else not state
    if isinstance(cond, c.Stated):
        return True if get_path(item, cond.path) is not MISSING else None
    if isinstance(cond, c.MEASURE_LEAVES):
        return _measure(cond, get_path(item, cond.path))
    if isinstance(cond, c.Compare):
        return _compare(cond, item)
    raise TypeError(f"not a condition on a list item: {cond!r}")  # the rule schema allows no other leaf here


def _measure(leaf: c.Condition, measure: Data) -> State:
    """The engine's measure leaves (compiler.measure): T/F/unknown from done, not_needed and evidence."""
    if not isinstance(measure, dict):
        return None
    done, not_needed = measure.get("done"), measure.get("not_needed")
    if isinstance(leaf, c.NotNeeded):
        if not_needed is True:
            return True
        return False if "done" in measure or not_needed is False else None
    if done is False or not_needed is True:
        return False
    if done is True:
        return True if isinstance(leaf, c.Done) or "evidence" in measure else None
    return None


_OPS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b}


def _compare(leaf: c.Compare, item: Data) -> State:
    value = get_path(item, leaf.path)
    if value is MISSING:
        return None
    operand = leaf.value
    if isinstance(operand, c.DateRef):  # both dates are fields of the item
        other = get_path(item, operand.path)
        try:
            value = (date.fromisoformat(value) - date.fromisoformat(other)).days
        except (TypeError, ValueError):
            return None
        operand = operand.sign * operand.offset
    if leaf.op == "in":
        return value in operand
    if leaf.op == "matches":
        return isinstance(value, str) and re.fullmatch(operand, value) is not None
    if isinstance(value, bool) != isinstance(operand, bool):
        return None  # the engine never equates true with 1
    try:
        return _OPS[leaf.op](value, operand)
    except TypeError:
        return None
