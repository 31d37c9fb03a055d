"""Run every rule's inline examples through the real pipeline (what ``renovcheck rules test`` does)."""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from checker import rulebook as rb
from checker import schema
from checker.errors import InputError
from checker.pipeline import Checker
from checker.profiles import Profile
from checker.yamlload import Document


@dataclass
class ExampleResult:
    rule_id: str
    name: str
    expected: str
    actual: str  # an outcome, or "invalid" when the example is not a valid dossier
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def run_examples(rulebook, only: str | None = None) -> list[ExampleResult]:
    checkers: dict = {}
    results = []
    for rule in rulebook.rules:
        if only and rule.id != only:
            continue
        for example in rule.examples:
            data = rb.example_dossier(rulebook, example)
            doc = Document(f"{rule.id}:{example['name']}", data, {})
            problems = schema.validate(doc)
            if problems:
                detail = "; ".join(p.render("en") for p in problems)
                results.append(ExampleResult(rule.id, example["name"], example["outcome"], "invalid", detail))
                continue
            overrides = example.get("parameters") or {}
            # list-valued parameters are not hashable: key on their canonical JSON
            key = (rule.id, json.dumps(overrides, sort_keys=True, ensure_ascii=False)) if overrides else None
            if key not in checkers:
                book = rulebook
                if overrides:
                    base = rulebook.profile
                    merged = Profile("example", dict(base.parameters, **overrides) if base else dict(overrides),
                                     dict(base.forces) if base else {})
                    book = copy.copy(rulebook)
                    book.profile = merged
                checkers[key] = Checker(book)
            try:
                result = checkers[key].check_document(doc)
            except InputError as exc:
                results.append(ExampleResult(rule.id, example["name"], example["outcome"], "invalid", exc.render("en")))
                continue
            outcome = next(f.outcome for f in result.findings if f.rule_id == rule.id)
            results.append(ExampleResult(rule.id, example["name"], example["outcome"], outcome))
    return results
