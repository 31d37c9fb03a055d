"""Run every rule's inline examples through the real pipeline (what ``renovcheck rules test`` does).

An example states the outcome and, optionally, what the finding must say: ``main`` (the field it points at; for
list rules the deciding item's leaf), ``absent`` (exactly the fields listed as missing), ``values`` (values it
shows). ``as_of`` (default: rulebook.yaml's ``example_as_of``) is the reviewer's date, ``parameters`` the parameter
values in force.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import cast

from checker.rulebook import rules as rb
from checker.schema import validation as schema
from checker.model.errors import InputError
from checker.check.pipeline import Checker
from checker.rulebook.profiles import Profile
from checker.inputs.yamlload import Document
from checker.check.waivers import WaiverStatus
from checker.lang.paths import Data
from checker.model.findings import Finding
from checker.rulebook.rules import Rule, Rulebook

Example = dict[str, Data]  # one of a rule's examples, as written in its YAML file


@dataclass
class ExampleResult:
    rule_id: str
    name: str
    expected: str
    actual: str  # an outcome, or "invalid" when the example is not a valid dossier
    detail: str = ""
    mismatches: list[str] = field(default_factory=list)  # what the finding says that the example does not expect

    @property
    def ok(self) -> bool:
        return self.expected == self.actual and not self.mismatches


def example_as_of(rulebook: Rulebook, example: Example) -> str | None:
    return example.get("as_of") or getattr(rulebook, "example_as_of", None)


def _book_with(rulebook: Rulebook, rule: Rule, overrides: dict[str, Data]) -> Rulebook:
    """The rulebook with an example's parameter values in force (as a profile would set them)."""
    if not overrides:
        return rulebook
    base = cast(Profile | None, rulebook.profile)
    merged = Profile("example", copy.deepcopy(base.parameters) if base else {}, dict(base.forces) if base else {})
    if getattr(rulebook, "parameters", None):  # the global parameter registry
        merged.parameters.update(overrides)
    else:
        merged.parameters.setdefault(rule.id, {}).update(overrides)
    book = copy.copy(rulebook)
    book.profile = merged
    return book


class ExampleRunner:
    """Checks examples, reusing one Checker per (parameters, as-of) combination."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.checkers: dict[tuple[str | None, str, str | None], Checker] = {}

    def close(self) -> None:
        for checker in self.checkers.values():
            checker.engine.close()

    def checker(self, rule: Rule, example: Example) -> Checker:
        overrides = example.get("parameters") or {}
        as_of = example_as_of(self.rulebook, example)
        # list-valued parameters are not hashable: key on their canonical JSON
        key = (rule.id if overrides else None, json.dumps(overrides, sort_keys=True, ensure_ascii=False), as_of)
        if key not in self.checkers:
            self.checkers[key] = Checker(_book_with(self.rulebook, rule, overrides), as_of=as_of)
        return self.checkers[key]

    def run(self, rule: Rule, example: Example) -> ExampleResult:
        expected = example["outcome"]
        data = rb.example_dossier(self.rulebook, example)
        doc = Document(f"{rule.id}:{example['name']}", data, {})
        problems = schema.validate(doc)
        if problems:
            return ExampleResult(rule.id, example["name"], expected, "invalid",
                                 "; ".join(p.render("en") for p in problems))
        try:
            result = self.checker(rule, example).check_document(doc)
        except InputError as exc:
            return ExampleResult(rule.id, example["name"], expected, "invalid", exc.render("en"))
        finding = next(f for f in result.findings if f.rule_id == rule.id)
        waiver = cast(WaiverStatus | None, finding.waiver)
        outcome = waiver.outcome or finding.outcome if finding.outcome == "waived" and waiver else finding.outcome
        mismatches = finding_mismatches(example, finding)
        return ExampleResult(rule.id, example["name"], expected, outcome, "; ".join(mismatches), mismatches)


def finding_mismatches(example: Example, finding: Finding) -> list[str]:
    """What the finding says differently from the example's ``main``, ``absent`` and ``values``."""
    out = []
    if "main" in example and finding.path != example["main"]:
        out.append(f"main: expected {example['main']}, got {finding.path}")
    if "absent" in example and sorted(finding.missing_paths) != sorted(example["absent"]):
        out.append(f"absent: expected {sorted(example['absent'])}, got {sorted(finding.missing_paths)}")
    for path, value in (example.get("values") or {}).items():
        if path not in finding.values:
            out.append(f"values: {path} not shown")
        elif finding.values[path] != value:
            out.append(f"values: {path} expected {value!r}, got {finding.values[path]!r}")
    return out


def run_examples(rulebook: Rulebook, only: str | None = None) -> list[ExampleResult]:
    runner = ExampleRunner(rulebook)
    try:
        return [runner.run(rule, example) for rule in rulebook.rules if not only or rule.id == only
                for example in rule.examples]
    finally:
        runner.close()
