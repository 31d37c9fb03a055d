"""The engine wrapper: the traps in shared/notes/durable-rules.md cannot reach a user."""
import time

import pytest

from checker.engine.compiler import CompiledRulebook, Partition, compile_rules
from checker.engine.driver import Engine
from checker.model.errors import EngineError


def _bare_negation_rulebook():
    # A bare absence test matches the state object durable-rules re-asserts: an endless loop unguarded.
    part = Partition("trap_loop", {"r": {"all": [{"m": {"$nex": {"x": 1}}}], "run": "CON_01__pass"}},
                     {"CON_01__pass": ("CON-01", "pass")})
    return CompiledRulebook([part], [], set(), ["CON-01"])


def test_bare_negation_matching_the_state_object_is_an_error_not_a_loop_or_a_verdict():
    engine = Engine(_bare_negation_rulebook())
    start = time.monotonic()
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier", "id": "d"})
    assert exc.value.key == "engine.state_match"
    assert time.monotonic() - start < 2


def test_two_outcomes_for_one_rule_is_an_error_not_a_verdict():
    definition = {
        "a": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__pass"},
        "b": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__fail"},
    }
    part = Partition("trap_two", definition, {"CON_01__pass": ("CON-01", "pass"), "CON_01__fail": ("CON-01", "fail")})
    with pytest.raises(EngineError) as exc:
        Engine(CompiledRulebook([part], [], set(), ["CON-01"])).run({"kind": "dossier", "id": "d"})
    assert exc.value.key == "engine.outcome_count"


def test_engine_is_reusable_and_deterministic(checker, rulebook):
    from checker.rulebook.rules import example_dossier
    from checker.inputs.yamlload import Document

    data = example_dossier(rulebook, {"dossier": {}})
    first = [(f.rule_id, f.outcome) for f in checker.check_document(Document("x", data, {})).findings]
    for _ in range(3):
        again = [(f.rule_id, f.outcome) for f in checker.check_document(Document("x", data, {})).findings]
        assert again == first


def test_largest_shipped_partition_loads(rulebook):
    compiled = compile_rules(rulebook.rules, rulebook.params_for)
    largest = max(compiled.partitions, key=lambda p: len(p.definition))
    Engine(CompiledRulebook([largest], compiled.derivations, compiled.read_paths,
                            sorted({rid for rid, _ in largest.actions.values()})))


def test_unloadable_ruleset_is_an_engine_error():
    part = Partition("trap_bad", {"r": {"all": [{"m": {"$nosuchop": {"x": 1}}}], "run": "CON_01__pass"}},
                     {"CON_01__pass": ("CON-01", "pass")})
    with pytest.raises(EngineError) as exc:
        Engine(CompiledRulebook([part], [], set(), ["CON-01"]))
    assert exc.value.key == "engine.load_failed"
