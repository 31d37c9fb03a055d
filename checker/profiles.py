"""A profile: a district's (or reviewer's) overrides of rule parameters and forces.

A profile file (YAML or JSON, ``schemas/profile.schema.json``) names the profile and gives, per rule id, new
parameter values and a new force::

    name: example-district
    parameters:
      CON-01: {notice_days: 14}
    forces:
      GOV-03: shall

Loading checks the file against its schema and then against the rulebook: the rule must exist, the parameter must
be one the rule declares, and the value must have the default's type and lie within the parameter's minimum and
maximum. Every problem is reported with its file:line:column. ``rules/profiles/`` holds the bundled profiles;
``--profile NAME`` finds one of them by name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from checker import resources, schema
from checker.errors import InputError, Problem
from checker.yamlload import Limits, load_file

PROFILE_DIR = "profiles"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LIMITS = Limits(max_bytes=1024 * 1024)


@dataclass
class Profile:
    name: str
    parameters: dict = field(default_factory=dict)  # rule id -> {parameter: value}
    forces: dict = field(default_factory=dict)  # rule id -> force
    source: str = ""

    def parameters_for(self, rule) -> dict:
        return dict(self.parameters.get(rule.id, {}))

    def force_for(self, rule) -> str | None:
        return self.forces.get(rule.id)

    def overrides(self) -> list[str]:
        """Each override as ``RULE.parameter=value`` or ``RULE.force=value``, sorted."""
        lines = [f"{rule}.{name}={_show(value)}" for rule, params in self.parameters.items()
                 for name, value in params.items()]
        lines += [f"{rule}.force={force}" for rule, force in self.forces.items()]
        return sorted(lines)


def _show(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ",".join(_show(v) for v in value) + "]"
    return str(value)


def bundled_dir() -> Path:
    return Path(resources.rules_dir()) / PROFILE_DIR


def resolve(given: str) -> str:
    """A profile file: the path as given, or the bundled profile of that name (``default``, ``example-district``)."""
    if Path(given).is_file():
        return given
    if _NAME.match(given) and (bundled_dir() / f"{given}.yaml").is_file():
        return str(bundled_dir() / f"{given}.yaml")
    raise InputError([Problem(given, "profile.not_found", {"dir": str(bundled_dir())})])


def load_profile(given: str, book) -> Profile:
    """Read, validate and check a profile against ``book``. Raises InputError with every problem, located."""
    doc = load_file(resolve(given), _LIMITS)
    problems = schema.validate(doc, "profile.schema.json")
    if problems:
        raise InputError(problems)
    data = doc.data

    def problem(key, where, **params):
        _, position = doc.locate(where)
        line, column = position if position else (None, None)
        problems.append(Problem(doc.file, key, params, line, column))

    parameters = {}
    for rule_id, values in (data.get("parameters") or {}).items():
        rule = book.get(rule_id)
        if rule is None:
            problem("profile.unknown_rule", ("parameters", rule_id), rule=rule_id)
            continue
        for name, value in values.items():
            where = ("parameters", rule_id, name)
            spec = rule.parameters.get(name)
            if spec is None:
                known = ", ".join(sorted(rule.parameters)) or "-"
                problem("profile.unknown_param", where, rule=rule_id, name=name, known=known)
                continue
            expected = _type_name(spec.default)
            if _type_name(value) != expected and not (expected == "number" and _type_name(value) == "integer"):
                problem("profile.bad_type", where, rule=rule_id, name=name, value=_show(value), expected=expected)
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                low = spec.minimum if spec.minimum is not None else float("-inf")
                high = spec.maximum if spec.maximum is not None else float("inf")
                if not low <= value <= high:
                    problem("profile.out_of_range", where, rule=rule_id, name=name, value=value,
                            minimum=_bound(spec.minimum), maximum=_bound(spec.maximum))
                    continue
            field, allowed = _allowed_values(rule, name)
            wrong = [v for v in (value if isinstance(value, list) else [value]) if allowed and v not in allowed]
            if wrong:
                problem("profile.bad_value", where, rule=rule_id, name=name, value=_show(wrong[0]), path=field,
                        expected="/".join(map(str, allowed)))
                continue
            parameters.setdefault(rule_id, {})[name] = value
    forces = {}
    for rule_id, force in (data.get("forces") or {}).items():
        if book.get(rule_id) is None:
            problem("profile.unknown_rule", ("forces", rule_id), rule=rule_id)
            continue
        forces[rule_id] = force
    if problems:
        raise InputError(problems)
    return Profile(data["name"], parameters, forces, doc.file)


def _allowed_values(rule, name) -> tuple[str, list]:
    """(dossier path, its enum) when the rule compares a field that has an enum with parameter ``name``."""
    from checker import lint  # lint imports this module

    fields = lint.SchemaIndex(schema.load_schema("dossier.schema.json"))

    def walk(node):
        if isinstance(node, dict):
            if "path" in node and any(node.get(op) == {"param": name} for op in ("eq", "ne", "in")):
                yield node["path"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for path in walk({k: rule.raw.get(k) for k in ("applies_when", "require")}):
        enum = (fields.get(path) or {}).get("enum")
        if enum:
            return path, list(enum)
    return "", []


def _type_name(value) -> str:
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


def _bound(value) -> str:
    return "-" if value is None else str(value)
