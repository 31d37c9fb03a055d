"""Engine safety: the per-dossier time limit, crashes of the C core, lost exceptions, and the static checks of
compiled rulesets (checker/engine/safety.py)."""
import os
import signal
import time

import pytest

from checker.engine.compiler import CompiledRulebook, Partition
from checker.engine.driver import Engine
from checker.model.errors import EngineError

ONE_RULE = CompiledRulebook(
    [Partition("safety", {"r": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__pass"}},
               {"CON_01__pass": ("CON-01", "pass")})], [], set(), ["CON-01"])

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the isolated engine needs os.fork")


def test_a_run_that_never_answers_becomes_a_timeout_and_the_next_dossier_is_checked():
    engine = Engine(ONE_RULE, time_limit=0.5)
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    stuck = engine.child_pid()
    os.kill(stuck, signal.SIGSTOP)  # as if the C core were stuck: no action, no signal handling, no answer
    start = time.monotonic()
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.timeout"
    assert time.monotonic() - start < 3
    with pytest.raises(ChildProcessError):
        os.waitpid(stuck, os.WNOHANG)  # killed and reaped, not left behind
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    assert engine.child_pid() != stuck
    engine.close()


def test_a_crash_in_the_engine_is_an_error_for_that_dossier_only():
    engine = Engine(ONE_RULE)
    engine.run({"kind": "dossier"})
    os.kill(engine.child_pid(), signal.SIGKILL)  # as a crash in the C core would end it
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.crashed" and "SIGKILL" in exc.value.params["reason"]
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    engine.close()


def test_an_error_inside_the_engine_is_reported_not_lost():
    # A fact of more than 254 properties: the C core refuses it (error 302). Through durable's Host the error of
    # an action would be swallowed; here every C error reaches the caller and the dossier gets no verdict.
    wide = {"kind": "dossier", **{f"p{i}": i for i in range(300)}}
    engine = Engine(ONE_RULE)
    with pytest.raises(EngineError) as exc:
        engine.run(wide)
    assert exc.value.key == "engine.failed" and "302" in exc.value.params["reason"]
    assert engine.run({"kind": "dossier"}) == {"CON-01": "pass"}
    engine.close()


def test_a_rule_naming_an_unknown_action_is_refused_at_load():
    part = Partition("safety_missing_action", {"r": {"all": [{"m": {"kind": "dossier"}}], "run": "CON_01__pass"}}, {})
    with pytest.raises(EngineError) as exc:
        Engine(CompiledRulebook([part], [], set(), ["CON-01"]))
    assert exc.value.key == "engine.load_failed"


@pytest.mark.parametrize("isolated", [True, False])
def test_a_match_on_the_state_object_is_an_error_in_both_modes(isolated):
    part = Partition("safety_bare", {"r": {"all": [{"m": {"$nex": {"x": 1}}}], "run": "CON_01__pass"}},
                     {"CON_01__pass": ("CON-01", "pass")})
    engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]), isolated=isolated)
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier", "x": 1})
    assert exc.value.key == "engine.state_match"
    engine.close()


def test_loop_guard_stops_more_matches_than_rules():
    engine = Engine(ONE_RULE, isolated=False)
    engine._template._limit = 0  # as if the engine yielded more matches than there are rules
    with pytest.raises(EngineError) as exc:
        engine.run({"kind": "dossier"})
    assert exc.value.key == "engine.loop"
    assert Engine(ONE_RULE, isolated=False).run({"kind": "dossier"}) == {"CON-01": "pass"}


def test_closing_stops_the_child():
    engine = Engine(ONE_RULE)
    engine.run({"kind": "dossier"})
    pid = engine.child_pid()
    engine.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_after_an_engine_error_the_next_dossier_gets_a_clean_engine():
    part = Partition("safety_error_then_ok", {
        "ok": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"x": 1}]}}], "run": "CON_01__pass"},
        "no": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"x": 3}]}}], "run": "CON_01__fail"},
    }, {"CON_01__pass": ("CON-01", "pass"), "CON_01__fail": ("CON-01", "fail")})
    for isolated in (True, False):
        engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]), isolated=isolated)
        with pytest.raises(EngineError):
            engine.run({"kind": "dossier", "x": 1, **{f"p{i}": i for i in range(300)}})
        for _ in range(3):
            assert engine.run({"kind": "dossier", "x": 1}) == {"CON-01": "pass"}
            assert engine.run({"kind": "dossier", "x": 3}) == {"CON-01": "fail"}
            assert engine.run({"kind": "dossier", "x": 2}) == {"CON-01": "missing"}
        engine.close()


@pytest.mark.parametrize("value", [1e-05, 5e-324, 1e20, 2.5e-07, 0.7])
def test_numbers_python_writes_with_a_bare_exponent_reach_the_engine_intact(value):
    # The C core refuses "1e-05" (error 204) but reads "1.0e-05": engine_json rewrites such numbers.
    part = Partition("safety_float", {
        "lt": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"$lt": {"x": 0.5}}]}}], "run": "CON_01__pass"},
        "ge": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"$gte": {"x": 0.5}}]}}], "run": "CON_01__fail"},
    }, {"CON_01__pass": ("CON-01", "pass"), "CON_01__fail": ("CON-01", "fail")})
    engine = Engine(CompiledRulebook([part], [], set(), ["CON-01"]))
    assert engine.run({"kind": "dossier", "x": value}) == {"CON-01": "pass" if value < 0.5 else "fail"}
    engine.close()


# ---- static checks of compiled rulesets (checker/engine/safety.py) ----

from checker.engine.limits import ALPHA_STACK_BUDGET, ALPHA_STACK_SIZE, alpha_stack_bound  # noqa: E402
from checker.engine.safety import check_compiled, check_condition, fact_property_bound  # noqa: E402


def test_shipped_rulebook_passes_every_engine_safety_check(rulebook):
    from checker.engine.compiler import compile_rules
    from checker.inputs.resources import load_schema

    compiled = compile_rules(rulebook.rules, rulebook.params_for)
    assert check_compiled(compiled, load_schema("dossier.schema.json")) == []
    for partition in compiled.partitions:
        assert alpha_stack_bound(r["all"][0]["m"] for r in partition.definition.values()) <= ALPHA_STACK_BUDGET


@pytest.mark.parametrize("condition, key", [
    ({"$nex": {"construction.plan_notice": 1}}, "engine_safety.no_discriminator"),  # a bare negation
    ({"$or": [{"kind": "dossier"}, {"$nex": {"x": 1}}]}, "engine_safety.no_discriminator"),
    ({"$and": [{"kind": "dossier"}, {"sid": "1"}]}, "engine_safety.state_property"),
    ({"$and": [{"kind": "dossier"}, {"$ex": {"$s": 1}}]}, "engine_safety.state_property"),
    ({"$and": [{"kind": "dossier"}, {"$nex": {"kind": 1}}]}, "engine_safety.state_property"),
    ({"$and": [{"kind": "dossier"}] + [{"$gt": {f"p{i}": 0}} for i in range(40)]}, "engine_safety.too_many_expressions"),
])
def test_conditions_that_could_match_the_state_object_or_break_limits_are_refused(condition, key):
    assert key in [issue.key for issue in check_condition("r", condition, "CON-99")]


def test_safe_conditions_pass():
    assert check_condition("r", {"kind": "dossier"}) == []
    assert check_condition("r", {"$and": [{"kind": "dossier"}, {"$nex": {"a.b": 1}}]}) == []


def _fan_out(count):
    definition = {f"r{i}": {"all": [{"m": {"$and": [{"kind": "dossier"}, {"$gte": {f"p{i}": 0}}]}}],
                            "run": "CON_01__pass"} for i in range(count)}
    return CompiledRulebook([Partition(f"safety_fan_{count}", definition, {"CON_01__pass": ("CON-01", "pass")})],
                            [], set(), ["CON-01"])


def test_the_alpha_stack_model_matches_the_engine():
    # The model says 64 is the most the engine's stack holds; the engine agrees (measured: 65 is error 303).
    fits, overflows = _fan_out(ALPHA_STACK_SIZE), _fan_out(ALPHA_STACK_SIZE + 1)
    assert [i.key for i in check_compiled(fits)] == []
    assert [i.key for i in check_compiled(overflows)] == ["engine_safety.alpha_stack"]
    fact = {"kind": "dossier", **{f"p{i}": 1 for i in range(ALPHA_STACK_SIZE + 1)}}
    assert Engine(fits, isolated=False).run(fact) == {"CON-01": "pass"}
    with pytest.raises(EngineError) as exc:
        Engine(overflows, isolated=False).run(fact)
    assert "303" in exc.value.params["reason"]


def test_a_fact_wider_than_the_engine_accepts_is_refused():
    wide = CompiledRulebook([], [], {f"community.f{i}" for i in range(260)}, [])
    assert [i.key for i in check_compiled(wide)] == ["engine_safety.fact_too_wide"]
    assert fact_property_bound(wide) > 254


def test_rules_lint_reports_engine_safety_issues(tmp_path):
    import shutil

    from checker.inputs import resources
    from checker.rulebook.lint import lint

    rules = tmp_path / "rules"
    shutil.copytree(resources.rules_dir(), rules)
    path = rules / "construction.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    require:\n      all:\n        - evidenced: construction.plan_notice\n"
    assert anchor in text
    extra = "".join(f"        - {{path: community.households, gte: {i}}}\n" for i in range(40))
    path.write_text(text.replace(anchor, anchor + extra, 1), encoding="utf-8")
    keys = [p.key for p in lint(rules).problems]
    assert "engine_safety.too_many_expressions" in keys
