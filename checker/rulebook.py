"""Load the rule files: check each against the rule schema, then parse conditions; parameters come from the
registry (rules/parameters.yaml, checker.parameters), which rules, mode facts, profiles and examples share."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from checker import conditions as c
from checker import parameters as registry
from checker import resources, schema
from checker.errors import InputError, Problem
from checker.parameters import Parameter  # noqa: F401  (re-exported: rules hold registry entries)
from checker.yamlload import Limits, load_file

DIMENSIONS = ("construction", "operations", "governance", "evaluation")
FORCES = ("shall", "should", "may")
MAX_CONDITION_DEPTH = 6
_RULE_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_nodes=2_000_000)


@dataclass
class Rule:
    id: str
    dimension: str
    force: str
    title: dict
    message: dict
    remedy: dict
    citation: dict
    parameters: dict  # name -> checker.parameters.Parameter: the registry entries the rule's conditions use
    applies_when: object
    require: object
    examples: list
    source: str
    line: int
    raw: dict = field(repr=False, default_factory=dict)


@dataclass
class Rulebook:
    rules: list
    example_base: dict
    directory: Path
    registry: registry.Registry
    profile: object = None  # checker.profiles.Profile, when one is in force

    @property
    def parameters(self) -> dict:
        """Every parameter of the registry (name -> Parameter), not only those the rules use."""
        return self.registry.parameters

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def param_values(self) -> dict:
        """Every parameter's value in force: the registry's default, or the profile's value."""
        values = self.registry.defaults()
        if self.profile is not None:
            values.update(self.profile.parameters)
        return values

    def params_for(self, rule: Rule) -> dict:
        values = self.param_values()
        return {name: values[name] for name in rule.parameters}

    def force_of(self, rule: Rule) -> str:
        if self.profile is not None:
            return self.profile.force_for(rule) or rule.force
        return rule.force


def load(directory: Path | None = None) -> Rulebook:
    directory = Path(directory or resources.rules_dir())
    manifest_path = directory / "rulebook.yaml"
    manifest = load_file(str(manifest_path), _RULE_LIMITS)
    problems = schema.validate(manifest, "rulebook.schema.json")
    if problems:
        raise InputError(problems)
    params = registry.load(directory)
    rules, problems, seen = [], [], {}
    for name in manifest.data["files"]:
        doc = load_file(str(directory / name), _RULE_LIMITS)
        found = schema.validate(doc, "rule.schema.json")
        if found:
            problems.extend(_with_rule_ids(found, doc))
            continue
        for index, raw in enumerate(doc.data["rules"]):
            line = doc.positions.get(("rules", index), (None, None))[0]
            if raw["id"] in seen:
                problems.append(Problem(doc.file, "rule.duplicate_id", {"rule": raw["id"]}, line, 1))
                continue
            seen[raw["id"]] = True
            rules.append(_parse_rule(raw, doc.data["dimension"], doc.file, line, params, problems))
    if problems:
        raise InputError(problems)
    return Rulebook(rules, manifest.data["example_base"], directory, params)


def _with_rule_ids(problems, doc):
    out = []
    for p in problems:
        parts = p.pointer.split("/")
        rule_id = "?"
        if len(parts) > 1 and parts[0] == "rules" and parts[1].isdigit():
            rules = doc.data.get("rules") or []
            index = int(parts[1])
            if index < len(rules) and isinstance(rules[index], dict):
                rule_id = str(rules[index].get("id", "?"))
        detail = p.render("en").split(": ", 1)[-1]
        out.append(Problem(p.file, "rule.invalid", {"rule": rule_id, "detail": detail}, p.line, p.column))
    return out


def _parse_rule(raw, dimension, file, line, params: registry.Registry, problems) -> Rule:
    applies = c.parse(raw["applies_when"]) if "applies_when" in raw else None
    require = c.parse(raw["require"])
    used = c.params_used(require) | (c.params_used(applies) if applies is not None else set())
    declared = params.parameters
    rule = Rule(raw["id"], dimension, raw["force"], raw["title"], raw["message"], raw["remedy"], raw["citation"],
                {name: declared[name] for name in sorted(used) if name in declared}, applies, require,
                raw["examples"], file, line or 1, raw)
    for name in sorted(used - set(declared)):
        problems.append(Problem(file, "rule.unknown_param", {"rule": rule.id, "name": name}, line, 1))
    for example in raw["examples"]:
        for name, value in (example.get("parameters") or {}).items():
            refused = (("param.unknown", {"name": name, "known": ", ".join(declared)}) if name not in declared
                       else declared[name].refusal(value))
            if refused is not None:
                problems.append(Problem(file, *refused, line, 1, pointer=f"{rule.id} {example['name']}"))
    for cond in (applies, require):
        if cond is not None and c.depth(cond) > MAX_CONDITION_DEPTH:
            problems.append(Problem(file, "rule.too_deep", {"rule": rule.id, "limit": MAX_CONDITION_DEPTH}, line, 1))
    return rule


def example_dossier(rulebook: Rulebook, example: dict) -> dict:
    """An example's fragment laid over the minimal base dossier: mappings merge, lists and values replace,
    and ``null`` removes the field from the base."""
    return _merge(copy.deepcopy(rulebook.example_base), example["dossier"])


def _merge(base, overlay):
    for key, value in overlay.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base
