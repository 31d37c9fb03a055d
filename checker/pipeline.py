"""The check itself, as a plain pipeline: load → validate → build facts → run engine → findings."""
from __future__ import annotations

import os
from pathlib import Path

from checker import schema, waivers
from checker.compiler import compile_rules
from checker.engine import Engine
from checker.errors import EngineError, InputError, Problem
from checker.explain import explain
from checker.facts import FactBuilder
from checker.findings import DossierResult, Finding
from checker.yamlload import Document, Limits, load_file

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")


class Checker:
    """Compiles the rulebook once; checks any number of dossiers."""

    def __init__(self, rulebook, limits: Limits = Limits(), encoding: str | None = None, time_limit: float = 10.0,
                 today: tuple[str, str] | None = None):
        self.rulebook = rulebook
        self.today = today  # (date, source) waivers are judged at when a dossier has no report_date
        self.limits = limits
        self.encoding = encoding
        self.compiled = compile_rules(rulebook.rules, rulebook.params_for)
        self.facts = FactBuilder(self.compiled)
        self.engine = Engine(self.compiled, time_limit)

    def load(self, path: str, display: str | None = None) -> Document:
        doc = load_file(path, self.limits, self.encoding, display)
        problems = schema.validate(doc)
        if problems:
            raise InputError(problems)
        return doc

    def check_file(self, path: str, display: str | None = None) -> DossierResult:
        return self.check_document(self.load(path, display))

    def check_document(self, doc: Document) -> DossierResult:
        fact = self.facts.build(doc.data, "0")
        outcomes = self.engine.run(fact)
        findings = []
        for rule in self.rulebook.rules:
            outcome = outcomes[rule.id]
            params = self.rulebook.params_for(rule)
            main, absent, values = explain(rule, outcome, doc.data, params)
            if outcome == "missing" and not absent:
                # Kleene logic: an undecided rule must have an absent value behind it.
                raise EngineError("engine.unexplained_missing", rule=rule.id)
            located, position = doc.locate(tuple(int(p) if p.isdigit() else p for p in main.split(".")))
            line, column = position if position else (None, None)
            findings.append(Finding(rule.id, rule.dimension, self.rulebook.force_of(rule), outcome, main,
                                    line, column, ".".join(map(str, located)), absent, values))
        project = doc.data.get("project", {})
        result = DossierResult(doc.file, str(project.get("id", "")), str(project.get("name", "")), findings)
        result.advisories = self.advisories(doc.data)
        return waivers.apply(result, doc, self.today)

    def advisories(self, data: dict) -> list:
        """MODE-01 when the declared property-service mode is not among the fitting modes (renovcheck recommend).
        Advisories are not gaps: they never change the exit code."""
        if not isinstance(data.get("operations"), dict) or "mode" not in data["operations"]:
            return []
        if getattr(self, "_recommender", None) is None:
            from checker.modes import book as mode_book
            from checker.modes.recommend import Recommender

            # the profile's parameters reach the mode book too: one registry, one meaning of "large"
            modes = mode_book.load(self.rulebook.directory).with_parameters(self.rulebook.param_values())
            self._recommender = Recommender(modes)
        advisory = self._recommender.recommend(data).advisory()
        return [advisory] if advisory is not None else []


def discover(paths) -> list[tuple[str, str]]:
    """(file to read, name to show) for every dossier under the given paths, sorted, deduplicated."""
    found, problems = {}, []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.endswith(DOSSIER_SUFFIXES) and not name.startswith("."):
                        full = Path(root) / name
                        found[str(full)] = str(full)
        elif p.exists():
            found[str(p)] = str(p)
        else:
            problems.append(Problem(str(given), "input.not_found"))
    if problems:
        raise InputError(problems)
    return sorted(found.items())
