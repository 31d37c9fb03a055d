"""The invariant of the rule language: less information can only give ``missing``.

Removing any one mapping key, at any depth (inside list items too), from a dossier may change a rule's outcome
(before waivers) only into ``missing``: never pass <-> fail, never into or out of ``not_applicable``, and a
``missing`` outcome stays ``missing``. A ``not_taken`` (a may-rule's option not taken) is held to the rule of a
``fail``. This is what Kleene three-valued logic guarantees when every leaf is three-valued and silence reads as
unknown; a two-valued test (the old ``exists`` guard) or a leaf that treats an absent value as false breaks it.

Dossiers: every sample project, every rule example's dossier (with the example's parameters and judgement date),
and dossiers generated from the dossier schema (tests/test_properties.py). Each dossier/key pair runs the whole
compiled rulebook in the engine, in process; pairs whose engine fact is the same (a removed key no rule reads)
share one engine run, since the engine's answer depends on its fact alone.
"""
from __future__ import annotations

import copy
import glob
import json
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from checker.check.examples import ExampleRunner
from checker.check.pipeline import Checker
from checker.engine.driver import InProcessEngine, fact_text
from checker.inputs.yamlload import load_file
from checker.rulebook import rules as rb
from tests.conftest import SAMPLES
from test_properties import dossiers

AS_OF = "2026-01-01"
# floors per source, together 10^4 dossier/key pairs (measured: about 730, 4,000 and 7,000)
MIN_PAIRS = {"samples": 700, "examples": 3_900, "generated": 5_400}


def key_paths(node, path=()):
    """The path of every mapping key in ``node``, at any depth, list items included (indexes are ints)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,)
            yield from key_paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from key_paths(value, path + (index,))


def without(data, path):
    """``data`` with the key at ``path`` removed; only the containers on the path are copied."""
    head, *rest = path
    if not rest:
        return {k: v for k, v in data.items() if k != head}
    copied = list(data) if isinstance(data, list) else dict(data)
    copied[head] = without(data[head], tuple(rest))
    return copied


def allowed(before: str, after: str) -> bool:
    return after == before or after == "missing"


class Outcomes:
    """Outcomes before waivers of every rule for a dossier, through the checker's own compiled rulebook and
    engine (as checker/check/pipeline.py builds them), one engine run per distinct fact."""

    def __init__(self, checker: Checker):
        self.checker = checker
        self.engine = InProcessEngine(checker.compiled)  # no child process: the time limit is not tested here
        self.cache: dict = {}
        self.engine_runs = 0

    def __call__(self, data: dict) -> dict:
        fact = self.checker.facts.build(self.checker.with_review(data), "0")
        key = json.dumps(fact, ensure_ascii=False)  # facts are built in one key order: equal facts, equal keys
        if key not in self.cache:
            self.cache[key] = self.engine.run_text(fact_text(fact))
            self.engine_runs += 1
        return self.cache[key]



def violations(outcomes: Outcomes, data: dict, rule_ids=None):
    """(number of pairs checked, [(removed key, rule, before, after)]) for every key of ``data``."""
    before = outcomes(data)
    found, pairs = [], 0
    for path in key_paths(data):
        after = outcomes(without(data, path))
        pairs += 1
        for rule_id in rule_ids or before:
            if not allowed(before[rule_id], after[rule_id]):
                found.append((".".join(map(str, path)), rule_id, before[rule_id], after[rule_id]))
    return pairs, found


@pytest.fixture(scope="module")
def outcomes(rulebook):
    checker = Checker(rulebook, as_of=AS_OF)
    yield Outcomes(checker)
    checker.engine.close()


def test_key_paths_and_without_reach_every_key_at_every_depth():
    data = {"a": {"b": 1, "c": [{"d": 2}, {"e": {"f": 3}}]}, "g": []}
    assert sorted(key_paths(data)) == sorted([("a",), ("a", "b"), ("a", "c"), ("a", "c", 0, "d"), ("a", "c", 1, "e"),
                                              ("a", "c", 1, "e", "f"), ("g",)])
    original = copy.deepcopy(data)
    assert without(data, ("a", "c", 1, "e", "f")) == {"a": {"b": 1, "c": [{"d": 2}, {"e": {}}]}, "g": []}
    assert without(data, ("g",)) == {"a": data["a"]}
    assert data == original


def test_allowed_changes_are_only_into_missing():
    assert allowed("pass", "pass") and allowed("fail", "missing") and allowed("not_taken", "missing")
    assert allowed("not_applicable", "missing") and allowed("missing", "missing")
    for before, after in [("pass", "fail"), ("fail", "pass"), ("pass", "not_applicable"), ("missing", "pass"),
                          ("not_applicable", "pass"), ("missing", "not_applicable"), ("not_taken", "pass")]:
        assert not allowed(before, after), (before, after)


def test_the_check_sees_a_two_valued_guard_break_it():
    """The property can fail: a rule whose guard reads an absent field as false (what a legacy ``exists`` leaf
    did) turns pass into fail when the field is removed, and a rule reading absence as true leaves missing."""
    def two_valued(data):
        project = data.get("project", {})
        return {"R1": "pass" if "households" in project else "fail",
                "R2": "missing" if "name" in project else "not_applicable"}

    pairs, found = violations(two_valued, {"project": {"households": 10, "name": "x"}})
    assert pairs == 3
    assert found == [("project", "R1", "pass", "fail"), ("project", "R2", "missing", "not_applicable"),
                     ("project.households", "R1", "pass", "fail"), ("project.name", "R2", "missing", "not_applicable")]


def test_samples_lose_no_key_without_missing(outcomes):
    total = 0
    paths = sorted(p for p in glob.glob(str(SAMPLES / "*")) if p.endswith((".yaml", ".yml", ".json")))
    assert len(paths) >= 4
    for path in paths:
        pairs, found = violations(outcomes, load_file(path).data)
        assert not found, (path, found[:10])
        total += pairs
    assert total >= MIN_PAIRS["samples"]


def test_rule_examples_lose_no_key_without_missing(rulebook):
    """Every rule example's dossier, with the example's parameters and judgement date in force."""
    runner = ExampleRunner(rulebook)
    evaluators: dict = {}
    total, found = 0, []
    try:
        for rule in rulebook.rules:
            for example in rule.examples:
                checker = runner.checker(rule, example)
                if id(checker) not in evaluators:
                    evaluators[id(checker)] = Outcomes(checker)
                evaluate = evaluators[id(checker)]
                pairs, bad = violations(evaluate, rb.example_dossier(rulebook, example))
                total += pairs
                found += [(rule.id, example["name"]) + v for v in bad]
    finally:
        runner.close()
    assert not found, found[:10]
    assert total >= MIN_PAIRS["examples"]


def test_generated_dossiers_lose_no_key_without_missing(outcomes):
    """Dossiers generated from the schema: every optional field is present six times in seven, so a dossier has
    some 300 keys to remove."""
    counted, started = [], time.monotonic()

    # no shrinking: a failure already names the removed key and the rule, and shrinking these dossiers takes minutes
    @settings(max_examples=24, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(data=dossiers())
    def check(data):
        pairs, found = violations(outcomes, data)
        assert not found, found[:10]
        counted.append(pairs)

    check()
    assert sum(counted) >= MIN_PAIRS["generated"], (sum(counted), len(counted), time.monotonic() - started)
