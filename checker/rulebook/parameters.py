"""The parameter registry, rules/parameters.yaml: every threshold declared once, under a global name.

Rules (rulebook) and mode facts (modes.yaml) refer to a parameter as ``{param: NAME}``; a profile and a rule
example override it by the same name, so one change reaches ``check`` and ``recommend`` alike. The file is checked
against schemas/parameters.schema.json, then each default against its own bounds.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from checker.lang.conditions import Value

from checker.inputs import resources
from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.inputs.yamlload import Document, Limits, Path as DocPath, load_file

Refusal = tuple[str, dict[str, object]]  # a message key and its parameters

REGISTRY_FILE = "parameters.yaml"
_LIMITS = Limits(max_bytes=1024 * 1024)


@dataclass
class Parameter:
    name: str
    default: Value
    unit: str
    assumption: bool
    description: dict[str, str]  # zh, en
    minimum: float | None = None
    maximum: float | None = None
    not_above: str | None = None  # another parameter this one may never exceed

    def refusal(self, value: Value) -> Refusal | None:
        """Why ``value`` cannot replace the default (a message key and its parameters), or None when it can."""
        expected, given = type_name(self.default), type_name(value)
        if given != expected and not (expected == "number" and given == "integer"):
            return "param.bad_type", {"name": self.name, "value": show(value), "expected": expected}
        if given in ("integer", "number") and not self.minimum <= value <= self.maximum:
            return "param.out_of_range", {"name": self.name, "value": show(value), "minimum": show(self.minimum),
                                          "maximum": show(self.maximum)}
        return None


@dataclass
class Registry:
    parameters: dict[str, Parameter]  # in file order
    file: str = ""
    positions: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # of each entry

    def defaults(self) -> dict[str, Value]:
        return {name: p.default for name, p in self.parameters.items()}


def load(directory: Path | None = None) -> Registry:
    directory = Path(directory or resources.rules_dir())
    doc = load_file(str(directory / REGISTRY_FILE), _LIMITS)
    problems = schema.validate(doc, "parameters.schema.json")
    if problems:
        raise InputError(problems)
    parameters: dict[str, Parameter] = {}
    for name, spec in schema.accepted(doc)["parameters"].items():
        p = Parameter(name, spec["default"], spec["unit"], spec["assumption"], spec["description"],
                      spec.get("minimum"), spec.get("maximum"), spec.get("not_above"))
        where = ("parameters", name)
        if p.minimum is not None and p.maximum is not None and p.minimum > p.maximum:
            problems.append(_located(doc, where, "param.bad_bounds", {"name": name, "minimum": show(p.minimum),
                                                                     "maximum": show(p.maximum)}))
        elif (refused := p.refusal(p.default)) is not None:
            problems.append(_located(doc, (*where, "default"), *refused))
        english = p.description["en"].lower()
        if ("assumption" in english) != p.assumption and "case" not in english:
            # a reader must learn from the description itself whether the number is the guide's or ours
            problems.append(_located(doc, (*where, "assumption"), "param.assumption_wording",
                                     {"name": name, "flag": show(p.assumption)}))
        parameters[name] = p
    for name, p in parameters.items():
        if p.not_above is not None and p.not_above not in parameters:
            problems.append(_located(doc, ("parameters", name, "not_above"), "param.unknown",
                                     {"name": p.not_above, "known": ", ".join(parameters)}))
    problems += [_located(doc, ("parameters", name, "default"), key, params)
                 for name, key, params in order_refusals(parameters, {})]
    if problems:
        raise InputError(problems)
    return Registry(parameters, doc.file, {name: doc.locate(("parameters", name))[1] or (None, None)
                                           for name in parameters})


def order_refusals(parameters: Mapping[str, Parameter],
                   values: Mapping[str, Value]) -> list[tuple[str, str, dict[str, object]]]:
    """(name, key, params) for each parameter above the one it may not exceed, ``values`` overriding defaults."""
    out: list[tuple[str, str, dict[str, object]]] = []
    for name, p in parameters.items():
        other = parameters.get(p.not_above) if p.not_above else None
        if other is None:
            continue
        mine, theirs = values.get(name, p.default), values.get(other.name, other.default)
        if mine > theirs:
            out.append((name, "param.above", {"name": name, "value": show(mine), "other": other.name,
                                              "bound": show(theirs)}))
    return out


class UsesParameters(Protocol):
    """A rule or the mode book: the registry entries it uses."""

    @property
    def parameters(self) -> Mapping[str, object]: ...


class HasRules(Protocol):
    @property
    def rules(self) -> Sequence[UsesParameters]: ...


def unused(registry: Registry, rulebook: HasRules, modebook: UsesParameters) -> list[Problem]:
    """A parameter no rule and no mode fact uses: a threshold nobody applies would mislead a profile's author."""
    used = {name for rule in rulebook.rules for name in rule.parameters} | set(modebook.parameters)
    return [Problem(registry.file, "param.unused", {"name": name}, *registry.positions[name])
            for name in registry.parameters if name not in used]


def _located(doc: Document, where: DocPath, key: str, params: dict[str, object]) -> Problem:
    _, position = doc.locate(where)
    line, column = position if position else (None, None)
    return Problem(doc.file, key, params, line, column)


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"  # 14.0 is not a whole number of days: integer parameters take integers only
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def show(value: object) -> str:
    """A parameter value as written in a profile and shown in reports (``true``, ``[a,b]``, ``0.7``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ",".join(show(v) for v in value) + "]"
    return str(value)
