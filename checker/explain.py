"""Point a finding at the dossier fields that decided it.

The engine decides outcomes; this module only reads the leaves of a rule's conditions one by one, to name the
fields that were false or absent and to show the values a reviewer needs. It never combines leaves into an
outcome, so it cannot disagree with the engine about one.
"""
from __future__ import annotations

import re
from datetime import date

from checker import conditions as c
from checker.facts import get_path, _MISSING

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"


def _cmp(op, left, right):
    try:
        return {"eq": left == right, "ne": left != right, "lt": left < right, "lte": left <= right,
                "gt": left > right, "gte": left >= right}[op]
    except TypeError:
        return None


def _days(a, b):
    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except (TypeError, ValueError):
        return None


def leaf_state(leaf, data, params):
    """(state, fields read, fields absent) of one leaf."""
    if isinstance(leaf, c.Quantifier):
        items = get_path(data, leaf.path)
        if items is _MISSING:
            return UNKNOWN, [leaf.path], [leaf.path]
        read, absent, states = [], [], set()
        for index, item in enumerate(items):
            for inner in c.atoms(leaf.require):
                state, inner_read, inner_absent = leaf_state(inner, item, params)
                prefix = f"{leaf.path}.{index}."
                read += [prefix + p for p in inner_read]
                absent += [prefix + p for p in inner_absent]
                states.add(state)
        state = UNKNOWN if UNKNOWN in states else (FALSE if FALSE in states else TRUE)
        return state, read or [leaf.path], absent
    if isinstance(leaf, c.Presence):
        present = get_path(data, leaf.path) is not _MISSING
        return (TRUE if present == leaf.present else FALSE), [leaf.path], []
    if isinstance(leaf, c.Stated):
        if get_path(data, leaf.path) is _MISSING:
            return UNKNOWN, [leaf.path], [leaf.path]
        return TRUE, [leaf.path], []
    if isinstance(leaf, c.MEASURE_LEAVES):
        return _measure_state(leaf, data)
    value = get_path(data, leaf.path)
    operand = c.resolve(leaf.value, params)
    if isinstance(operand, c.DateRef):
        other = get_path(data, operand.path)
        absent = [p for p, v in ((leaf.path, value), (operand.path, other)) if v is _MISSING]
        if absent:
            return UNKNOWN, [leaf.path, operand.path], absent
        days = _days(value, other)
        bound = operand.sign * c.resolve(operand.offset, params)
        result = _cmp(leaf.op, days, bound) if days is not None else None
        return _state(result), [leaf.path, operand.path], []
    if value is _MISSING:
        return UNKNOWN, [leaf.path], [leaf.path]
    if leaf.op == "in":
        return _state(value in tuple(operand)), [leaf.path], []
    if leaf.op == "matches":
        return _state(isinstance(value, str) and re.fullmatch(leaf.value, value) is not None), [leaf.path], []
    return _state(_cmp(leaf.op, value, operand)), [leaf.path], []


def _measure_state(leaf, data):
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


def _state(result):
    return UNKNOWN if result is None else (TRUE if result else FALSE)


def explain(rule, outcome, data, params):
    """(main field, fields absent, {field: value}) for a finding."""
    cond = rule.applies_when if outcome == "not_applicable" else rule.require
    wanted = {"pass": TRUE, "fail": FALSE, "not_taken": FALSE, "missing": UNKNOWN, "not_applicable": FALSE}[outcome]
    main, absent, shown = None, [], {}
    conds = [cond]
    if outcome == "missing" and rule.applies_when is not None:
        conds.insert(0, rule.applies_when)
    for cond in conds:
        for leaf in c.atoms(cond):
            state, read, missing = leaf_state(leaf, data, params)
            for path in read:
                value = get_path(data, path) if not _indexed(path) else _get_indexed(data, path)
                if value is not _MISSING and not isinstance(value, (dict, list)):
                    shown[path] = value
            for path in missing:
                if path not in absent:
                    absent.append(path)
            if main is None and state == wanted:
                main = (missing or read)[0]
    if main is None:
        first = next(iter(c.atoms(conds[-1])))
        main = first.path
    return main, absent, shown


def _indexed(path):
    return any(part.isdigit() for part in path.split("."))


def _get_indexed(data, path):
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node
