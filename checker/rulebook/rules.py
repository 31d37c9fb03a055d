"""Load the rule files: check each against the rule schema, then parse conditions; parameters come from the
registry (rules/parameters.yaml, checker.rulebook.parameters), which rules, mode facts, profiles and examples share."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checker.lang import conditions as c
from checker.lang.conditions import MAX_CONDITION_DEPTH, MAX_EXPANDED_DEPTH
from checker.rulebook import parameters as registry
from checker.inputs import resources
from checker.schema import validation as schema
from checker.model.errors import InputError, Problem
from checker.rulebook.parameters import Parameter  # noqa: F401  (re-exported: rules hold registry entries)
from checker.inputs.yamlload import Document, Limits, load_file
from checker.schema.validation import YAMLObject, YAMLValue

if TYPE_CHECKING:
    from checker.rulebook.modebook import ModeBook
    from checker.rulebook.profiles import Profile

Texts = dict[str, str]  # zh, en

DIMENSIONS = ("construction", "operations", "governance", "evaluation")
FORCES = ("shall", "should", "may")
_RULE_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_nodes=2_000_000)


@dataclass
class Rule:
    id: str
    dimension: str
    force: str
    title: Texts
    message: YAMLObject  # per outcome: Texts
    remedy: Texts
    citation: YAMLObject
    parameters: dict[str, Parameter]  # the registry entries the rule's conditions use
    applies_when: c.Condition | None
    require: c.Condition
    examples: list[YAMLObject]
    source: str
    line: int
    raw: YAMLObject = field(repr=False, default_factory=dict)


@dataclass
class Rulebook:
    rules: list[Rule]
    example_base: YAMLObject
    directory: Path
    registry: registry.Registry
    profile: Profile | None = None  # when one is in force
    example_as_of: str | None = None  # the reviewer's date (review.as_of) rule examples are checked at
    mode_book: ModeBook | None = field(default=None, repr=False)  # as read to expand the rules' facts, if any did

    def modes(self) -> ModeBook:
        """The mode book beside these rules, read once (the rules' facts and the MODE-01 advisory share it)."""
        if self.mode_book is None:
            from checker.rulebook import modebook as mode_book

            self.mode_book = mode_book.load(self.directory)
        return self.mode_book

    @property
    def parameters(self) -> dict[str, Parameter]:
        """Every parameter of the registry (name -> Parameter), not only those the rules use."""
        return self.registry.parameters

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def rule(self, rule_id: str) -> Rule:
        """A rule known to be in the book (a profile's, a catalogue's, once loaded); KeyError otherwise."""
        found = self.get(rule_id)
        if found is None:
            raise KeyError(rule_id)
        return found

    def param_values(self) -> dict[str, c.Value]:
        """Every parameter's value in force: the registry's default, or the profile's value."""
        values = self.registry.defaults()
        if self.profile is not None:
            values.update(self.profile.parameters)
        return values

    def params_for(self, rule: Rule) -> dict[str, c.Value]:
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
    listing = schema.accepted(manifest)
    params = registry.load(directory)
    facts = _ModeFacts(directory)
    rules: list[Rule] = []
    seen: dict[str, bool] = {}
    for name in listing["files"]:
        doc = load_file(str(directory / name), _RULE_LIMITS)
        found = schema.validate(doc, "rule.schema.json")
        if found:
            problems.extend(_with_rule_ids(found, doc))
            continue
        data = schema.accepted(doc)
        for index, raw in enumerate(data["rules"]):
            line = doc.positions.get(("rules", index), (None, None))[0]
            if raw["id"] in seen:
                problems.append(Problem(doc.file, "rule.duplicate_id", {"rule": raw["id"]}, line, 1))
                continue
            seen[raw["id"]] = True
            raw = facts.expanded(raw, doc.file, line, problems)
            rules.append(_parse_rule(raw, data["dimension"], doc.file, line, params, problems))
    if problems:
        raise InputError(problems)
    return Rulebook(rules, listing["example_base"], directory, params, example_as_of=listing.get("example_as_of"),
                    mode_book=facts.book)


class _ModeFacts:
    """``{fact: ID}`` in a rule: the mode book's fact (rules/modes.yaml), expanded into its condition before the
    rule is parsed, so that ``check`` and ``recommend`` evaluate one definition. The mode book is read only
    when a rule names a fact. The depth limit applies to the condition as written."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.book: ModeBook | None = None

    def expanded(self, raw: YAMLObject, file: str, line: int | None, problems: list[Problem]) -> YAMLObject:
        named = sorted(_fact_names(raw.get("applies_when")) | _fact_names(raw.get("require")))
        if not named:
            return raw
        if self.book is None:
            from checker.rulebook import modebook as mode_book

            self.book = mode_book.load(self.directory)
        unknown = [name for name in named if name not in self.book.facts]
        for name in unknown:
            problems.append(Problem(file, "rule.unknown_fact", {"rule": raw["id"], "name": name,
                                                                "known": ", ".join(self.book.facts)}, line, 1))
        if unknown:
            return dict(raw, **{k: {"all": []} for k in ("applies_when", "require") if k in raw})
        for key in ("applies_when", "require"):
            if key in raw and c.depth(c.parse(_facts_as_leaves(raw[key]))) > MAX_CONDITION_DEPTH:
                problems.append(Problem(file, "rule.too_deep", {"rule": raw["id"], "limit": MAX_CONDITION_DEPTH},
                                        line, 1))
        out = dict(raw)
        for key in ("applies_when", "require"):
            if key in raw:
                out[key] = self.book.expand(raw[key])
        out["facts"] = named  # shown by `rules show`: the condition below is these facts, expanded
        return out


def _fact_names(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["fact"]} if "fact" in node else set()
        for value in node.values():
            found |= _fact_names(value)
        return found
    if isinstance(node, list):
        return set().union(*(_fact_names(v) for v in node)) if node else set()
    return set()


def _facts_as_leaves(node: YAMLValue) -> YAMLValue:
    """The condition with each fact leaf standing as one comparison, to measure the depth as written."""
    if isinstance(node, dict):
        if "fact" in node:
            return {"path": "fact", "eq": node["fact"]}
        return {k: _facts_as_leaves(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_facts_as_leaves(v) for v in node]
    return node


def _with_rule_ids(problems: list[Problem], doc: Document) -> list[Problem]:
    out = []
    for p in problems:
        parts = p.pointer.split("/")
        rule_id = "?"
        if len(parts) > 1 and parts[0] == "rules" and parts[1].isdigit():
            rules = doc.data.get("rules") or [] if isinstance(doc.data, dict) else []
            index = int(parts[1])
            if index < len(rules) and isinstance(rules[index], dict):
                rule_id = str(rules[index].get("id", "?"))
        detail = p.render("en").split(": ", 1)[-1]
        out.append(Problem(p.file, "rule.invalid", {"rule": rule_id, "detail": detail}, p.line, p.column))
    return out


def _parse_rule(raw: YAMLObject, dimension: str, file: str, line: int | None, params: registry.Registry,
                problems: list[Problem]) -> Rule:
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
            refused: registry.Refusal | None = (
                ("param.unknown", {"name": name, "known": ", ".join(declared)}) if name not in declared
                else declared[name].refusal(value))
            if refused is not None:
                key, params_of_key = refused
                problems.append(Problem(file, key, params_of_key, line, 1, pointer=f"{rule.id} {example['name']}"))
    limit = MAX_EXPANDED_DEPTH if raw.get("facts") else MAX_CONDITION_DEPTH  # facts: measured as written
    for cond in (applies, require):
        if cond is not None and c.depth(cond) > limit:
            problems.append(Problem(file, "rule.too_deep", {"rule": rule.id, "limit": MAX_CONDITION_DEPTH}, line, 1))
    return rule


def example_dossier(rulebook: Rulebook, example: YAMLObject) -> YAMLObject:
    """An example's fragment laid over the minimal base dossier: mappings merge, lists and values replace,
    and ``null`` removes the field from the base."""
    return _merge(copy.deepcopy(rulebook.example_base), example["dossier"])


def _merge(base: YAMLObject, overlay: YAMLObject) -> YAMLObject:
    for key, value in overlay.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base
