"""The forward-chaining engine behind renovcheck recommend: one reused session left empty after every run, memory
flat, results identical over thousands of runs, and the engine agreeing with the condition language on any
combination of known and unknown community facts."""
import copy
import gc
import resource

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.lang.explain import FALSE, TRUE, UNKNOWN
from checker.rulebook.modebook import MODE_IDS
from checker.modes.recommend import Recommender
from checker.inputs.yamlload import load_file
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def recommender():
    return Recommender()


def _summary(rec):
    return ([(m.id, m.fit, m.rank, m.confirmed, tuple(sorted(m.states.items(), key=str))) for m in rec.modes],
            tuple(sorted(rec.facts.items())))


def _samples():
    return [load_file(str(p)).data for p in sorted(SAMPLES.iterdir())]


def test_the_session_is_empty_after_every_run(recommender):
    for data in _samples():
        recommender.recommend(data)
        assert recommender.engine.leftover_facts() == []


def test_chaining_really_happens_in_the_engine(recommender):
    # the derived facts built on other derived facts are asserted by the engine's own actions
    truth = recommender.engine.run(load_file(str(SAMPLES / "zaoyuan.json")).data)
    assert truth["fact:self_governance_will"] is True and truth["fact:organised_owners"] is True
    assert truth["mode:owner_self_management:recommended"] is True
    # the fit facts the loader derives from the modes build on facts three levels down
    assert truth["fact:declared_mode_supported"] is True and truth["fact:declared_mode_fits"] is True


def _rss_kb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_memory_stays_flat_and_results_identical_over_thousands_of_runs(recommender):
    samples = _samples()
    expected = [_summary(recommender.recommend(d)) for d in samples]
    for i in range(300):  # warm up
        recommender.recommend(samples[i % len(samples)])
    gc.collect()
    start = _rss_kb()
    runs = 3000
    for i in range(runs):
        data = samples[i % len(samples)]
        assert _summary(recommender.recommend(data)) == expected[i % len(samples)]
    gc.collect()
    grown = _rss_kb() - start
    # a new engine session per run would cost ~2 MB each (6 GB here); allow allocator noise only
    assert grown < 8 * 1024, f"RSS grew by {grown} kB over {runs} runs"
    assert recommender.engine.leftover_facts() == []


_maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731

community = st.fixed_dictionaries({}, optional={
    "households": st.integers(0, 3000),
    "base_condition": st.sampled_from(["good", "fair", "poor"]),
    "fee_collection_rate": st.floats(0, 1, allow_nan=False),
    "owners_committee": st.booleans(),
    "resident_participation_rate": st.floats(0, 1, allow_nan=False),
    "self_governance_willingness": st.sampled_from(["strong", "moderate", "weak"]),
    "property_right": st.sampled_from(["央产", "市属", "区属", "私产", "混合"]),
    "current_property_service": st.sampled_from(["none", "professional", "community_trusteeship",
                                                 "social_organization", "owner_self_management", "unit_managed"]),
    "social_organization_available": st.booleans(),
})
measure = st.one_of(st.none(), st.just({"done": False}), st.just({"done": True}),
                    st.just({"done": True, "evidence": [{"file": "e.pdf"}]}))
operations = st.fixed_dictionaries({
    "mode": _maybe(st.sampled_from(MODE_IDS)),
    "service_standard": measure, "fee_standard_published": measure, "fee_use_published": measure,
    "subsidy_mechanism": measure, "quality_monitoring": measure, "owner_capacity_building": measure,
})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(community=community, operations=operations)
def test_engine_agrees_with_the_condition_language_on_any_dossier(recommender, community, operations):
    data = {"schema_version": 1, "project": {"id": "H", "name": "h", "district": "通州区", "phase": "planning"},
            "community": community, "operations": {k: v for k, v in operations.items() if v is not None}}
    # recommend() re-reads every statement leaf by leaf and raises if the engine disagrees
    rec = recommender.recommend(copy.deepcopy(data))
    assert recommender.engine.leftover_facts() == []
    assert sorted(m.id for m in rec.modes) == sorted(MODE_IDS)
    assert [m.rank for m in rec.modes] == [1, 2, 3, 4]
    for m in rec.modes:
        rec_state, nad_state = m.states["recommended"], m.states["not_advised"]
        assert not (rec_state == TRUE and nad_state == TRUE)
        support = recommender.book.modes[m.id].support  # recommended (建议/鼓励) or permitted (可)
        expected = support if rec_state == TRUE else "not_advised" if nad_state == TRUE else "possible"
        assert m.fit == expected
        assert m.confirmed == (m.fit != "possible" or (rec_state == FALSE and nad_state == FALSE))
        if not m.confirmed:
            assert m.missing, m  # an unconfirmed fit names what is missing
        for chain in m.because:
            assert chain[-1].kind == "statement"
            if chain[0].state == UNKNOWN:
                assert chain[0].absent or chain[0].kind == "quantifier"
    fit_rank = [{"recommended": 0, "permitted": 1, "possible": 2, "not_advised": 3}[m.fit] for m in rec.modes]
    assert fit_rank == sorted(fit_rank)
    declared = data["operations"].get("mode")
    advisory = rec.advisory()
    # the fact about the declared mode is the per-mode fact of that mode; MODE-01 exactly when it is false
    assert rec.declared_fits == (rec.fits[declared] if declared else None)
    assert (advisory is not None) == (rec.declared_fits == FALSE)
    for m in rec.modes:  # a mode the guide recommends or permits fits; one not advised does not
        if m.fit in ("recommended", "permitted"):
            assert rec.fits[m.id] == TRUE
        if m.fit == "not_advised":
            assert rec.fits[m.id] == FALSE


def test_numbers_python_writes_with_a_bare_exponent_reach_the_engine(recommender):
    # durable-rules' C parser refuses 1e-05 (error 204); the engine writes 1.0e-05 instead
    data = {"schema_version": 1, "project": {"id": "H", "name": "h", "district": "通州区", "phase": "planning"},
            "community": {"fee_collection_rate": 1e-05, "floor_area_m2": 1e20}}
    assert recommender.recommend(data).facts["fee_collection_difficult"] == "true"
    tiny = Recommender(recommender.book.with_parameters({"fee_collection_difficult_rate": 2e-05}))
    for rate, difficult in ((1e-05, "true"), (2e-05, "false"), (3e-05, "false")):
        data["community"]["fee_collection_rate"] = rate
        assert tiny.recommend(data).facts["fee_collection_difficult"] == difficult


def test_a_statement_derived_both_ways_is_an_engine_error_and_the_engine_recovers():
    from checker.model.errors import EngineError
    from checker.modes.chain import ChainEngine

    good = Recommender()
    compiled = copy.deepcopy(good.compiled)
    statements = list(compiled.statements)
    small_false = next(a for a, (name, value) in compiled.actions.items()
                       if name == "fact:small_scale" and value is False)
    compiled.actions[small_false] = ("fact:large_scale", False)  # a broken compiler: large scale both ways
    assert statements.index("fact:large_scale") < statements.index("fact:small_scale")
    engine = ChainEngine(compiled)
    data = {"community": {"households": 1150}}
    with pytest.raises(EngineError) as info:
        engine.run(data)
    assert info.value.key == "modes.contradiction"
    assert engine.leftover_facts() == []  # a fresh host replaced the session of the failed run
    assert engine.run({"community": {"households": 100}})["fact:small_scale"] is True


def test_recommend_runs_in_the_same_isolated_driver_as_check():
    """One engine driver (issue 11 §2): the mode chain runs in a forked child with the rulebook engine's time
    limit; a child that dies is engine.crashed for that dossier only, and the next one gets a fresh child."""
    import os
    import signal

    from checker.check.pipeline import Checker
    from checker.model.errors import EngineError
    from checker.rulebook import rules as rb

    checker = Checker(rb.load(), time_limit=3.5)
    data = load_file(str(SAMPLES / "zaoyuan.json")).data
    data["operations"]["mode"] = "professional"  # a declared mode: the advisory runs the mode chain
    expected = checker.advisories(data)
    engine = checker._recommender.engine.engine
    assert engine.isolated and engine.time_limit == 3.5 == checker.engine.time_limit
    child = engine.child_pid()
    assert child is not None and child != os.getpid() and child != checker.engine.child_pid()
    os.kill(child, signal.SIGKILL)
    with pytest.raises(EngineError) as info:
        checker.advisories(data)
    assert info.value.key == "engine.crashed"
    assert checker.advisories(data) == expected and engine.child_pid() not in (None, child)
    assert checker._recommender.engine.leftover_facts() == []
