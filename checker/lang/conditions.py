"""The rule condition language: parsed from YAML into a small tree, after the rule schema has checked its shape.

    all / any / not                   combine conditions (three-valued: true, false, unknown)
    {path: P, eq|ne|lt|lte|gt|gte: V} compare a dossier value; unknown when P is absent
    {path: P, in: [..]}, {path: P, matches: REGEX}   (regex must match the whole value)
    {stated: P}                       true when P is present; otherwise unknown (never false)
    {done: P}                         a measure at P: true when done; false when not done or not needed;
                                      unknown when nothing is stated
    {evidenced: P}                    true when done and backed by evidence; false as ``done``; otherwise unknown
    {not_needed: P}                   true when stated not needed (with a reason); false when ``done`` is stated
    {every: P, require: C} / {some: P, require: C}   over the items of a list; paths in C are item-relative
V may be a literal, {param: NAME}, or for dates {path: Q, days_before: N} / {path: Q, days_after: N}.
"""
from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

COMPARISONS = ("eq", "ne", "lt", "lte", "gt", "gte")
MAX_CONDITION_DEPTH = 6
MAX_EXPANDED_DEPTH = 12  # a condition with its {fact: ID} leaves expanded (the mode book's fit is ~9 deep)

Value = typing.Any  # a literal as written in YAML (str, number, bool, a tuple of them) or a parameter's value


class Condition:
    """A node of a parsed condition (the mode book adds its own leaf, {fact: ID})."""


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class DateRef:
    path: str
    offset: Value  # days: an int, or a Param until parameters are bound; sign says before (-1) or after (1)
    sign: int


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Any(Condition):
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not(Condition):
    item: Condition


@dataclass(frozen=True)
class Compare(Condition):
    path: str
    op: str  # one of COMPARISONS, "in", "matches"
    value: Value  # a literal, a tuple (in), a Param or a DateRef


@dataclass(frozen=True)
class Stated(Condition):
    path: str


@dataclass(frozen=True)
class Done(Condition):
    path: str


@dataclass(frozen=True)
class NotNeeded(Condition):
    path: str


@dataclass(frozen=True)
class Evidenced(Condition):
    path: str


@dataclass(frozen=True)
class Quantifier(Condition):
    path: str
    every: bool
    require: Condition


MEASURE_LEAVES = (Done, Evidenced, NotNeeded)
LEAVES = (Stated, Compare) + MEASURE_LEAVES  # of a rule condition (the mode book adds its FactRef)


def parse(node: Mapping[str, Value]) -> Condition:
    if "all" in node:
        return All(tuple(parse(n) for n in node["all"]))
    if "any" in node:
        return Any(tuple(parse(n) for n in node["any"]))
    if "not" in node:
        return Not(parse(node["not"]))
    if "stated" in node:
        return Stated(node["stated"])
    if "done" in node:
        return Done(node["done"])
    if "not_needed" in node:
        return NotNeeded(node["not_needed"])
    if "evidenced" in node:
        return Evidenced(node["evidenced"])
    if "every" in node:
        return Quantifier(node["every"], True, parse(node["require"]))
    if "some" in node:
        return Quantifier(node["some"], False, parse(node["require"]))
    (op,) = [k for k in node if k != "path"]
    return Compare(node["path"], op, _operand(node[op]))


def _operand(value: Value) -> Value:
    if isinstance(value, dict) and "param" in value:
        return Param(value["param"])
    if isinstance(value, dict) and "path" in value:
        if "days_before" in value:
            return DateRef(value["path"], _operand(value["days_before"]), -1)
        return DateRef(value["path"], _operand(value.get("days_after", 0)), 1)
    if isinstance(value, list):
        return tuple(value)
    return value


def atoms(cond: Condition) -> Iterator[Condition]:
    """Every leaf of a condition, depth first, with quantifier leaves yielded as (quantifier, leaf)."""
    if isinstance(cond, (All, Any)):
        for item in cond.items:
            yield from atoms(item)
    elif isinstance(cond, Not):
        yield from atoms(cond.item)
    elif isinstance(cond, Quantifier):
        yield cond
    else:
        yield cond


def with_evidence(cond: Condition) -> Condition:
    """``cond`` with every ``{done: P}`` read as ``{evidenced: P}``: the evidence policy of shall rules."""
    if isinstance(cond, Done):
        return Evidenced(cond.path)
    if isinstance(cond, (All, Any)):
        return type(cond)(tuple(with_evidence(i) for i in cond.items))
    if isinstance(cond, Not):
        return Not(with_evidence(cond.item))
    if isinstance(cond, Quantifier):
        return Quantifier(cond.path, cond.every, with_evidence(cond.require))
    return cond


def params_used(cond: Condition) -> set[str]:
    found: set[str] = set()

    def visit(value: Value) -> None:
        if isinstance(value, Param):
            found.add(value.name)
        elif isinstance(value, DateRef):
            visit(value.offset)

    def walk(c: Condition) -> None:
        if isinstance(c, (All, Any)):
            for i in c.items:
                walk(i)
        elif isinstance(c, Not):
            walk(c.item)
        elif isinstance(c, Quantifier):
            walk(c.require)
        elif isinstance(c, Compare):
            visit(c.value)

    walk(cond)
    return found


def resolve(value: Value, params: Mapping[str, Value]) -> Value:
    """A literal for a Param; other operands unchanged."""
    if isinstance(value, Param):
        return params[value.name]
    return value


def depth(cond: Condition) -> int:
    if isinstance(cond, (All, Any)):
        return 1 + max(depth(i) for i in cond.items)
    if isinstance(cond, Not):
        return 1 + depth(cond.item)
    if isinstance(cond, Quantifier):
        return 1 + depth(cond.require)
    return 1
