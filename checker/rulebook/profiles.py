"""A profile: a district's (or reviewer's) overrides of parameters and forces.

A profile file (YAML or JSON, ``schemas/profile.schema.json``) names the profile and gives new values for
parameters of the registry (rules/parameters.yaml), by their global names, and new forces per rule id::

    name: example-district
    parameters:
      notice_days: 14
    forces:
      GOV-03: shall

A parameter is shared by every rule and mode fact that uses it, so one override reaches ``check`` and
``recommend`` alike. Loading checks the file against its schema and then against the registry and the rulebook:
the parameter must exist, the value must have the default's type and lie within the parameter's minimum and
maximum, and the rule of a force must exist. Every problem is reported with its file:line:column.

``--profile NAME`` always means the bundled profile ``rules/profiles/NAME.yaml``, whatever files the working
directory holds; a local profile is given as a path (``./district.yaml``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Mapping
from typing import Protocol

from checker.rulebook import parameters as registry
from checker.inputs import resources
from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.rulebook.parameters import show
from checker.inputs.yamlload import Limits, Path as DocPath, load_file
from checker.lang.conditions import Value


class RuleRef(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def force(self) -> str: ...


class Book(Protocol):
    """The rulebook as a profile reads it (checker/rulebook/rules.py imports this module, not the other way)."""

    @property
    def parameters(self) -> Mapping[str, registry.Parameter]: ...
    def get(self, rule_id: str) -> RuleRef | None: ...
    def rule(self, rule_id: str) -> RuleRef: ...

PROFILE_DIR = "profiles"
PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LIMITS = Limits(max_bytes=1024 * 1024)


@dataclass
class Profile:
    name: str
    parameters: dict[str, Value] = field(default_factory=dict)  # parameter name -> value
    forces: dict[str, str] = field(default_factory=dict)  # rule id -> force
    source: str = ""
    sha256: str = ""  # of the profile file's bytes, so a report names exactly which file was in force

    def force_for(self, rule: RuleRef) -> str | None:
        return self.forces.get(rule.id)

    def changes(self, book: Book) -> list[dict[str, Value]]:
        """What the profile changes against the guide as written: each parameter with its default and new value,
        each force with the rule's own force and the new one; only real changes, parameters first."""
        out = [{"parameter": name, "default": book.parameters[name].default, "value": value,
                "unit": book.parameters[name].unit}
               for name, value in sorted(self.parameters.items()) if value != book.parameters[name].default]
        for rule_id, force in sorted(self.forces.items()):
            default = book.rule(rule_id).force  # load_profile refused a profile naming an unknown rule
            if force != default:
                out.append({"rule": rule_id, "default": default, "force": force})
        return out

    def overrides(self) -> list[str]:
        """Each override as ``parameter=value`` or ``RULE.force=value``, sorted."""
        lines = [f"{name}={show(value)}" for name, value in self.parameters.items()]
        lines += [f"{rule}.force={force}" for rule, force in self.forces.items()]
        return sorted(lines)


def bundled_dir() -> Path:
    return Path(resources.rules_dir()) / PROFILE_DIR


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.yaml"))


def resolve(given: str) -> str:
    """The file of a profile: a bare name (``default``, ``example-district``) is a bundled profile, never a file
    of the working directory; anything else is a path."""
    if PROFILE_NAME.match(given):
        if given in bundled_names():
            return str(bundled_dir() / f"{given}.yaml")
        raise InputError([Problem(given, "profile.not_found", {"name": given, "known": ", ".join(bundled_names())})])
    if not Path(given).is_file():
        raise InputError([Problem(given, "profile.no_file")])
    return given


def load_profile(given: str, book: Book) -> Profile:
    """Read, validate and check a profile against ``book``. Raises InputError with every problem, located."""
    file = resolve(given)
    doc = load_file(file, _LIMITS)
    problems: list[Problem] = []

    def problem(key: str, where: DocPath, **params: object) -> None:
        _, position = doc.locate(where)
        line, column = position if position else (None, None)
        problems.append(Problem(doc.file, key, params, line, column))

    given_params = doc.data.get("parameters") if isinstance(doc.data, dict) else None
    for rule_id, values in (given_params.items() if isinstance(given_params, dict) else ()):
        if isinstance(values, dict):  # the former layout, parameters grouped by rule id
            example = ", ".join(f"{name}: {show(value)}" for name, value in values.items())
            problem("profile.per_rule_parameters", ("parameters", rule_id), rule=rule_id, example=example)
    problems = problems or schema.validate(doc, "profile.schema.json")
    if problems:
        raise InputError(problems)
    data = schema.accepted(doc)

    parameters: dict[str, Value] = {}
    declared = book.parameters
    for name, value in (data.get("parameters") or {}).items():
        where = ("parameters", name)
        if name not in declared:
            problem("param.unknown", where, name=name, known=", ".join(declared))
            continue
        refused = declared[name].refusal(value)
        if refused is not None:
            problem(refused[0], where, **refused[1])
            continue
        parameters[name] = value
    for name, key, params in registry.order_refusals(declared, parameters):
        problem(key, ("parameters", name) if name in parameters else ("parameters", params["other"]), **params)
    forces: dict[str, str] = {}
    for rule_id, force in (data.get("forces") or {}).items():
        if book.get(rule_id) is None:
            problem("profile.unknown_rule", ("forces", rule_id), rule=rule_id)
            continue
        forces[rule_id] = force
    if problems:
        raise InputError(problems)
    with open(file, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    return Profile(data["name"], parameters, forces, doc.file, digest)
