"""`check` and `recommend` never disagree about a community's management mode.

Both read the mode book's derived facts (rules/modes.yaml): OPS-07 ("where the guide recommends or permits modes,
the declared mode is one of them") and OPS-18 ("the declared mode is not one we advise against", our reading)
are expanded from `{fact: ID}` by the rulebook loader; `recommend` derives `declared_mode_fits` from the same
facts in its own engine. For any dossier, with any profile value of the shared thresholds:

    the declared mode does not fit (and MODE-01 is shown)   iff  OPS-07 or OPS-18 fails
    the declared mode fits                                   iff  OPS-07 passes or is not applicable, and OPS-18 passes
"""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.rulebook.modebook import MODE_IDS
from checker.rulebook import modebook as mb
from checker.modes.recommend import Recommender
from checker.check.pipeline import Checker
from checker.rulebook.profiles import Profile
from checker.rulebook.rules import example_dossier
from checker.inputs.yamlload import Document

MODE_RULES = ("OPS-07", "OPS-18")

community = st.fixed_dictionaries({}, optional={
    "households": st.integers(0, 2000),
    "base_condition": st.sampled_from(["good", "fair", "poor"]),
    "fee_collection_rate": st.sampled_from([0.0, 0.4, 0.69, 0.7, 0.71, 0.9, 1.0]),
    "owners_committee": st.booleans(),
    "resident_participation_rate": st.sampled_from([0.1, 0.5, 0.9]),
    "self_governance_willingness": st.sampled_from(["strong", "moderate", "weak"]),
})
operations = st.fixed_dictionaries({}, optional={"mode": st.sampled_from(MODE_IDS)})
phase = st.sampled_from(["planning", "construction", "completed", "operating"])
# profile values of the thresholds both sides share (small never above large: the registry refuses that)
thresholds = st.sampled_from([{}, {"large_scale_households": 1200}, {"small_scale_households": 100},
                              {"fee_collection_difficult_rate": 0.95}, {"large_scale_households": 300}])

_checkers: dict = {}


def _sides(rulebook, overrides):
    key = tuple(sorted(overrides.items()))
    if key not in _checkers:
        book = copy.copy(rulebook)
        book.rules = [r for r in rulebook.rules if r.id in MODE_RULES]
        book.profile = Profile("generated", dict(overrides), {})
        _checkers[key] = (Checker(book), Recommender(mb.load().with_parameters(book.param_values())))
    return _checkers[key]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(community=community, operations=operations, phase=phase, overrides=thresholds)
def test_check_and_recommend_agree_on_the_declared_mode(rulebook, community, operations, phase, overrides):
    data = example_dossier(rulebook, {"dossier": {"project": {"phase": phase}, "operations": operations}})
    data["community"] = community  # replaces the base's households: absent means absent
    checker, recommender = _sides(rulebook, overrides)
    result = checker.check_document(Document("x.yaml", copy.deepcopy(data), {}))
    outcomes = {f.rule_id: f.outcome for f in result.findings}
    rec = recommender.recommend(copy.deepcopy(data))
    fails = "fail" in outcomes.values()
    settled = outcomes["OPS-07"] in ("pass", "not_applicable") and outcomes["OPS-18"] == "pass"
    if "mode" not in operations:
        assert rec.declared_fits is None and not fails and not settled
        assert result.advisories == []
        return
    assert (rec.declared_fits == "false") == fails, (outcomes, rec.declared_fits)
    assert (rec.declared_fits == "true") == settled, (outcomes, rec.declared_fits)
    assert rec.fits[operations["mode"]] == rec.declared_fits
    assert [a.id for a in result.advisories] == (["MODE-01"] if fails else [])
