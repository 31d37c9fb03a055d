"""Point a finding at the dossier fields that decided it.

The engine decides outcomes; this module only reads the leaves of a rule's conditions one by one, to name the
fields that were false or absent and to show the values a reviewer needs. It never combines leaves into an
outcome, so it cannot disagree with the engine about one.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from checker.lang import conditions as c
from checker.lang.paths import get_indexed, get_path, Data, MISSING

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"

Params = Mapping[str, c.Value]
LeafReading = tuple[str, list[str], list[str]]  # (state, fields read, fields absent)


class Conditions(Protocol):
    """A rule as far as its explanation reads it (checker/rulebook/rules.py)."""

    @property
    def applies_when(self) -> c.Condition | None: ...
    @property
    def require(self) -> c.Condition: ...


def _cmp(op: str, left: Data, right: Data) -> bool | None:
    try:
        return {"eq": left == right, "ne": left != right, "lt": left < right, "lte": left <= right,
                "gt": left > right, "gte": left >= right}[op]
    except TypeError:
        return None


def _days(a: Data, b: Data) -> int | None:
    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except (TypeError, ValueError):
        return None


def leaf_state(leaf: c.Condition, data: Data, params: Params) -> LeafReading:
    """(state, fields read, fields absent) of one leaf."""
    if isinstance(leaf, c.Quantifier):
        items = get_path(data, leaf.path)
        if items is MISSING:
            return UNKNOWN, [leaf.path], [leaf.path]
        read: list[str] = []
        absent: list[str] = []
        states: set[str] = set()
        for index, item in enumerate(items):
            for inner in c.atoms(leaf.require):
                state, inner_read, inner_absent = leaf_state(inner, item, params)
                prefix = f"{leaf.path}.{index}."
                read += [prefix + p for p in inner_read]
                absent += [prefix + p for p in inner_absent]
                states.add(state)
        state = UNKNOWN if UNKNOWN in states else (FALSE if FALSE in states else TRUE)
        return state, read or [leaf.path], absent
    if isinstance(leaf, c.Stated):
        if get_path(data, leaf.path) is MISSING:
            return UNKNOWN, [leaf.path], [leaf.path]
        return TRUE, [leaf.path], []
    if isinstance(leaf, c.MEASURE_LEAVES):
        return _measure_state(leaf, data)
    if not isinstance(leaf, c.Compare):
        raise TypeError(f"not a rule condition's leaf: {leaf!r}")
    value = get_path(data, leaf.path)
    operand = c.resolve(leaf.value, params)
    if isinstance(operand, c.DateRef):
        other = get_path(data, operand.path)
        absent = [p for p, v in ((leaf.path, value), (operand.path, other)) if v is MISSING]
        if absent:
            return UNKNOWN, [leaf.path, operand.path], absent
        days = _days(value, other)
        bound = operand.sign * c.resolve(operand.offset, params)
        result = _cmp(leaf.op, days, bound) if days is not None else None
        return _state(result), [leaf.path, operand.path], []
    if value is MISSING:
        return UNKNOWN, [leaf.path], [leaf.path]
    if leaf.op == "in":
        return _state(value in tuple(operand)), [leaf.path], []
    if leaf.op == "matches":
        return _state(isinstance(value, str) and re.fullmatch(leaf.value, value) is not None), [leaf.path], []
    return _state(_cmp(leaf.op, value, operand)), [leaf.path], []


def _measure_state(leaf: c.Done | c.Evidenced | c.NotNeeded, data: Data) -> LeafReading:
    measure = get_path(data, leaf.path)
    if not isinstance(measure, dict):
        return UNKNOWN, [leaf.path], [leaf.path]
    done, not_needed = measure.get("done"), measure.get("not_needed")
    done_path, not_needed_path = leaf.path + ".done", leaf.path + ".not_needed"
    reason = [leaf.path + ".reason"] if "reason" in measure else []
    if isinstance(leaf, c.NotNeeded):
        if not_needed is True:
            return TRUE, [not_needed_path] + reason, []
        if "done" in measure:
            return FALSE, [done_path], []
        if not_needed is False:
            return FALSE, [not_needed_path], []
        return UNKNOWN, [leaf.path], [not_needed_path]
    if not_needed is True:
        return FALSE, [not_needed_path] + reason, []
    if done is False:
        return FALSE, [done_path], []
    if done is not True:
        return UNKNOWN, [leaf.path], [done_path]
    if isinstance(leaf, c.Evidenced) and "evidence" not in measure:
        return UNKNOWN, [done_path], [leaf.path + ".evidence"]
    return TRUE, [done_path], []


def _state(result: bool | None) -> str:
    return UNKNOWN if result is None else (TRUE if result else FALSE)


@dataclass
class Decision:
    """The Kleene state of a condition and the leaves that decided it: for a false "all" its first false part,
    for an unknown one its unknown parts, for a true "any" its first true part (and so on, dually)."""

    state: str
    leaves: list[LeafReading]  # dossier-absolute paths


def decide(cond: c.Condition, data: Data, params: Params, prefix: str = "") -> Decision:
    if isinstance(cond, (c.All, c.Any)):
        parts = [decide(item, data, params, prefix) for item in cond.items]
        winner = FALSE if isinstance(cond, c.All) else TRUE
        return _combine(parts, winner)
    if isinstance(cond, c.Not):
        inner = decide(cond.item, data, params, prefix)
        return Decision({TRUE: FALSE, FALSE: TRUE}.get(inner.state, UNKNOWN), inner.leaves)
    if isinstance(cond, c.Quantifier):
        return _quantifier(cond, data, params, prefix)
    state, read, absent = leaf_state(cond, data, params)
    return Decision(state, [(state, [prefix + p for p in read], [prefix + p for p in absent])])


def _combine(parts: list[Decision], winner: str) -> Decision:
    """All (winner FALSE) or Any (winner TRUE) over decided parts."""
    for part in parts:
        if part.state == winner:
            return Decision(winner, part.leaves)
    unknown = [leaf for part in parts if part.state == UNKNOWN for leaf in part.leaves]
    if unknown:
        return Decision(UNKNOWN, unknown)
    return Decision(TRUE if winner == FALSE else FALSE, [leaf for part in parts for leaf in part.leaves])


def _quantifier(cond: c.Quantifier, data: Data, params: Params, prefix: str) -> Decision:
    items = get_path(data, cond.path)
    path = prefix + cond.path
    if not isinstance(items, list):
        return Decision(UNKNOWN, [(UNKNOWN, [path], [path])])
    if not items:  # an explicit empty list: every is true, some is false (closed world)
        return Decision(TRUE if cond.every else FALSE, [(TRUE if cond.every else FALSE, [path], [])])
    parts = [decide(cond.require, item, params, f"{path}.{index}.") for index, item in enumerate(items)]
    return _combine(parts, FALSE if cond.every else TRUE)


def explain(rule: Conditions, outcome: str, data: Data, params: Params,
            require: c.Condition | None = None) -> tuple[str, list[str], dict[str, Data]]:
    """(main field, fields absent, {field: value}) for a finding.

    ``require`` is the requirement as compiled (after the evidence policy); default the rule's own. The main field
    is the first leaf that decided the outcome (in a list, the deciding item's leaf); ``missing`` lists exactly
    the absent leaves that leave the outcome open; values are those of the deciding leaves only.
    """
    require = rule.require if require is None else require
    applies = decide(rule.applies_when, data, params) if rule.applies_when is not None else Decision(TRUE, [])
    if outcome == "not_applicable":
        leaves = applies.leaves
    elif outcome == "missing":
        leaves = applies.leaves if applies.state == UNKNOWN else []
        if applies.state != FALSE:
            decided = decide(require, data, params)
            if decided.state == UNKNOWN:
                leaves = leaves + decided.leaves
    else:
        leaves = decide(require, data, params).leaves
    wanted = {"pass": TRUE, "fail": FALSE, "not_taken": FALSE, "missing": UNKNOWN, "not_applicable": FALSE}[outcome]
    absent: list[str] = []
    shown: dict[str, Data] = {}
    main: str | None = None
    for state, read, missing in leaves:
        if outcome == "missing":
            absent += [p for p in missing if p not in absent]
        for path in read:
            value = get_indexed(data, path)
            if value is not MISSING and not isinstance(value, (dict, list)):
                shown[path] = value
        if main is None and state == wanted:
            main = (missing or read)[0] if outcome == "missing" else read[0]
    if main is None:
        main = leaves[0][1][0] if leaves else _first_path(rule.require)
    return main, absent, shown


def unevidenced(rule: Conditions, data: Data, params: Params) -> bool:
    """A pass that holds only on a bare done-claim: it would not hold were every done read as evidenced."""
    return decide(c.with_evidence(rule.require), data, params).state != TRUE


def not_needed_reason(data: Data, values: Mapping[str, Data]) -> str | None:
    """The reason of a measure stated as not needed among the deciding values, if any."""
    for path in sorted(values):
        if path.endswith(".reason") and get_indexed(data, path[: -len("reason")] + "not_needed") is True:
            return str(values[path])
    return None


def _first_path(cond: c.Condition) -> str:
    leaf = next(iter(c.atoms(cond)))
    return leaf.path  # type: ignore[attr-defined]  # every leaf and quantifier has a path


