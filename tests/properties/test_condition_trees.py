"""The condition language beyond the shipped rules: random condition trees, end to end, explanation included.

Shipped rules never use ``not``, ``ne``, ``matches`` or quantifiers over scalars, so the property tests over them
leave those paths of the compiler and the explanation untried. Here hypothesis builds condition trees over a small
vocabulary (all / any / not, every comparison, ``in``, ``matches``, parameters, dates with offsets, measures,
``stated``, every / some over scalars and measures of list items) and dossiers over the same fields; each tree is
compiled as a rule and run through the real engine, and must agree with the reference evaluator of
tests/test_properties.py on the outcome. The finding's explanation must agree with this module's reading of the
Kleene semantics: the main field is read by a leaf whose state matches the outcome, and ``missing`` lists exactly
the absent leaves under the undecided parts. Also: one test per compile-time refusal, and two ``matches`` on one
path.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from checker.engine.compiler import CompileError, compile_rules, policy_require
from checker.engine.driver import InProcessEngine
from checker.lang import conditions as c
from checker.lang.explain import explain
from checker.lang.facts import FactBuilder
from checker.lang.paths import MISSING, get_indexed
from checker.model.findings import OUTCOMES
from checker.rulebook import rules as rb
from test_properties import F, T, U, dossiers, evaluate, reference_outcome

PARAMS = {"k": 2, "ratio": 0.5, "choices": ["a", "b"], "off": 3, "none": []}
STRINGS = ["a", "b", "c"]
TEXTS = ["x", "ab", "施工计划", "12", "a1"]
PATTERNS = ["a.*", r"\d+", "施工.*", "x|ab", "[a-z]\\d"]
DAYS = ["2024-04-01", "2024-04-03", "2024-04-04", "2024-04-05", "2024-03-29", "2024-03-25"]
OPS = ("eq", "ne", "lt", "lte", "gt", "gte")


# ---- trees ----

def _scalar_leaves(prefix: str, in_item: bool):
    """Leaves over the scalar fields; ``prefix`` is "g." at the top and "" inside a list item."""
    p = prefix
    number = st.one_of(st.integers(0, 4), st.just({"param": "k"}))
    date_ref = st.builds(lambda other, key, offset: {"path": p + other, key: offset},
                         st.sampled_from(["d2"]), st.sampled_from(["days_before", "days_after"]),
                         st.one_of(st.integers(0, 4), st.just({"param": "off"})))
    leaves = [
        st.builds(lambda op, v: {"path": p + "s", op: v}, st.sampled_from(["eq", "ne"]), st.sampled_from(STRINGS)),
        st.builds(lambda v: {"path": p + "s", "in": v}, st.one_of(st.lists(st.sampled_from(STRINGS), min_size=1,
                                                                           max_size=2), st.just({"param": "choices"}))),
        st.builds(lambda op, v: {"path": p + "n", op: v}, st.sampled_from(OPS), number),
        st.builds(lambda op, v: {"path": p + "f", op: v}, st.sampled_from(OPS),
                  st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.just({"param": "ratio"}))),
        st.builds(lambda op, v: {"path": p + "b", op: v}, st.sampled_from(["eq", "ne"]), st.booleans()),
        st.builds(lambda op, ref: {"path": p + "d1", op: ref}, st.sampled_from(OPS), date_ref),
        st.builds(lambda field: {"stated": p + field}, st.sampled_from(["s", "n", "b", "m"])),
        st.builds(lambda kind: {kind: p + "m"}, st.sampled_from(["done", "evidenced", "not_needed"])),
    ]
    if not in_item:  # derived values (regular expressions) are refused inside every/some
        leaves.append(st.builds(lambda pattern: {"path": p + "t", "matches": pattern}, st.sampled_from(PATTERNS)))
    return st.one_of(*leaves)


def _trees(leaf, depth):
    if depth == 0:
        return leaf
    inner = _trees(leaf, depth - 1)
    return st.one_of(
        leaf, leaf,
        st.builds(lambda items: {"all": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda items: {"any": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda item: {"not": item}, inner),
    )


ITEM_TREES = _trees(_scalar_leaves("", True), 2)
TOP_LEAVES = st.one_of(_scalar_leaves("g.", False), _scalar_leaves("g.", False),
                       st.builds(lambda kind, require: {kind: "g.items", "require": require},
                                 st.sampled_from(["every", "some"]), ITEM_TREES))
TREES = _trees(TOP_LEAVES, 3)
RULES = st.fixed_dictionaries({"require": TREES, "force": st.sampled_from(["should", "should", "shall", "may"])},
                              optional={"applies_when": _trees(TOP_LEAVES, 1)})


# ---- dossiers over the same fields ----

def _optional(fields: dict):
    return st.fixed_dictionaries({}, optional=fields)


MEASURES = st.one_of(
    _optional({"done": st.booleans(), "evidence": st.just([{"file": "e.pdf"}])}),
    st.just({"not_needed": True, "reason": "费用已覆盖"}),
    _optional({"not_needed": st.just(False), "done": st.booleans()}),
)
SCALARS = {"s": st.sampled_from(STRINGS), "n": st.integers(0, 4), "f": st.sampled_from([0.0, 0.25, 0.5, 1.0]),
           "b": st.booleans(), "d1": st.sampled_from(DAYS), "d2": st.sampled_from(DAYS), "m": MEASURES,
           "t": st.sampled_from(TEXTS)}
ITEMS = _optional(SCALARS)
DOSSIERS = st.builds(lambda g: {"g": g}, _optional(dict(SCALARS, items=st.lists(ITEMS, max_size=3))))


# ---- the explanation, read from the Kleene semantics ----

def _leaves(cond, data, prefix="", negated=False):
    """(leaf condition, data it reads, path prefix, under an odd number of ``not``) of every leaf, quantifier
    bodies once per item."""
    for key in ("all", "any"):
        if key in cond:
            for item in cond[key]:
                yield from _leaves(item, data, prefix, negated)
            return
    if "not" in cond:
        yield from _leaves(cond["not"], data, prefix, not negated)
        return
    if "every" in cond or "some" in cond:
        path = cond.get("every", cond.get("some"))
        items = get_indexed(data, path)
        yield cond, data, prefix, negated
        if isinstance(items, list):
            for index, item in enumerate(items):
                yield from _leaves(cond["require"], item, f"{prefix}{path}.{index}.", negated)
        return
    yield cond, data, prefix, negated


def _leaf_paths(cond) -> list:
    """The dossier fields a leaf reads: its path, a date's other path, a measure's fields."""
    if "every" in cond or "some" in cond:
        return [cond.get("every", cond.get("some"))]
    if "stated" in cond:
        return [cond["stated"]]
    for key in ("done", "evidenced", "not_needed"):
        if key in cond:
            return [cond[key]]
    other = [v["path"] for v in cond.values() if isinstance(v, dict) and "path" in v]
    return [cond["path"]] + other


def expected_absent(cond, data, params, prefix="") -> list:
    """The absent fields behind an unknown condition: under every undecided part, the field an undecided leaf
    lacks (a measure's own field when the measure is there, the leaf's path otherwise)."""
    if evaluate(cond, data, params) != U:
        return []
    for key in ("all", "any"):
        if key in cond:
            return [p for item in cond[key] for p in expected_absent(item, data, params, prefix)]
    if "not" in cond:
        return expected_absent(cond["not"], data, params, prefix)
    if "every" in cond or "some" in cond:
        path = cond.get("every", cond.get("some"))
        items = get_indexed(data, path)
        if not isinstance(items, list):
            return [prefix + path]
        return [p for index, item in enumerate(items)
                for p in expected_absent(cond["require"], item, params, f"{prefix}{path}.{index}.")]
    for key in ("done", "evidenced", "not_needed"):
        if key in cond:
            measure = get_indexed(data, cond[key])
            if not isinstance(measure, dict):
                return [prefix + cond[key]]
            if key == "not_needed":
                return [prefix + cond[key] + ".not_needed"]
            if measure.get("done") is True:
                return [prefix + cond[key] + ".evidence"]
            return [prefix + cond[key] + ".done"]
    return [prefix + p for p in _leaf_paths(cond) if get_indexed(data, p) is MISSING]


def main_candidates(cond, data, params, wanted) -> set:
    """Fields a finding may point at: those read by a leaf (or an empty list's quantifier) in state ``wanted``."""
    out = set()
    for leaf, item, prefix, negated in _leaves(cond, data):
        if evaluate(leaf, item, params) == ({T: F, F: T}[wanted] if negated else wanted):
            out |= {prefix + p for p in _leaf_paths(leaf)}
    return out


def _dedupe(paths):
    return list(dict.fromkeys(paths))


# ---- end to end ----

def _rule(index, raw):
    raw = dict(raw, id=f"CON-{index:02d}")
    applies = c.parse(raw["applies_when"]) if "applies_when" in raw else None
    return rb.Rule(raw["id"], "construction", raw["force"], {}, {}, {}, {}, {}, applies, c.parse(raw["require"]),
                   [], "t.yaml", 1, raw)


def _check_explanation(rule, outcome, data, params=PARAMS):
    raw = rule.raw
    require = policy_require(rule.require, rule.force)
    raw_require = raw["require"] if rule.force != "shall" else _evidence_policy(raw["require"])
    main, absent, values = explain(rule, outcome, data, params, require)
    applies = raw.get("applies_when")
    read = {prefix + p for cond in (applies, raw_require) if cond for leaf, _item, prefix, _ in _leaves(cond, data)
            for p in _leaf_paths(leaf)}
    for path, value in values.items():  # values shown are the dossier's own, scalars, of fields the rule reads
        assert get_indexed(data, path) == value and not isinstance(value, (dict, list)), (path, value)
        assert any(path == p or path.startswith(p + ".") for p in read), (path, read)
    if outcome == "missing":
        wanted = (expected_absent(applies, data, params) if applies else [])
        # an undecided requirement needs its fields too, unless the rule is surely not due
        if not applies or evaluate(applies, data, params) != F:
            wanted += expected_absent(raw_require, data, params)
        assert sorted(_dedupe(absent)) == sorted(_dedupe(wanted)), (raw, data, absent, wanted)
        assert absent and all(get_indexed(data, p) is MISSING for p in absent)
        assert main in absent
        return
    assert absent == []
    if outcome == "not_applicable":
        candidates = main_candidates(applies, data, params, F)
    else:
        candidates = main_candidates(raw_require, data, params, T if outcome == "pass" else F)
    assert any(main == p or main.startswith(p + ".") for p in candidates), (raw, data, outcome, main, candidates)


def _evidence_policy(node):
    if isinstance(node, dict):
        return {("evidenced" if k == "done" and isinstance(v, str) else k): _evidence_policy(v)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_evidence_policy(v) for v in node]
    return node


TREE_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.large_base_example])


def _forms(node, into: set):
    if isinstance(node, dict):
        for key, value in node.items():
            into.add(key)
            _forms(value, into)
    elif isinstance(node, list):
        for value in node:
            _forms(value, into)


def test_random_condition_trees_engine_reference_and_explanation_agree():
    seen_forms, seen_outcomes = set(), set()

    @TREE_SETTINGS
    @given(raws=st.lists(RULES, min_size=12, max_size=12), dossiers=st.lists(DOSSIERS, min_size=12, max_size=12))
    def run(raws, dossiers):
        rules = [_rule(i, raw) for i, raw in enumerate(raws)]
        compiled = compile_rules(rules, lambda r: PARAMS, lambda r: r.force)
        facts, engine = FactBuilder(compiled), InProcessEngine(compiled)
        for data in dossiers:
            outcomes = engine.run(facts.build(data, "0"))
            for rule in rules:
                expected = reference_outcome(rule, data, PARAMS)
                assert outcomes[rule.id] == expected, (rule.raw, data, outcomes[rule.id], expected)
                _check_explanation(rule, expected, data)
                seen_outcomes.add(expected)
        for raw in raws:
            _forms(raw, seen_forms)

    run()
    # the draws were not all trivial: every form of the language and every outcome occurred
    assert {"all", "any", "not", "every", "some", "in", "matches", "ne", "lt", "gte", "days_before", "days_after",
            "param", "stated", "done", "evidenced", "not_needed", "applies_when"} <= seen_forms, seen_forms
    assert set(OUTCOMES) - {"waived"} <= seen_outcomes, seen_outcomes


@settings(max_examples=12, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                                 HealthCheck.function_scoped_fixture])
@given(data=dossiers())
def test_the_explanation_of_every_shipped_rule_matches_the_reference(data, rulebook):
    """On dossiers generated from the schema: for every rule, the main field is read by a leaf whose state matches
    the outcome, and a missing finding lists exactly the absent fields under the undecided parts."""
    data = dict(data, review={"as_of": "2026-01-01"})
    for rule in rulebook.rules:
        params = rulebook.params_for(rule)
        _check_explanation(rule, reference_outcome(rule, data, params), data, params)


# ---- compile-time refusals, one each ----

def _compile(require, params=None):
    rule = _rule(1, {"require": require, "force": "should"})
    return compile_rules([rule], lambda r: params if params is not None else PARAMS)


@pytest.mark.parametrize("require, params, key", [
    ({"path": "g.t", "matches": "施工("}, None, "rule.bad_regex"),
    ({"every": "g.items", "require": {"path": "s", "in": {"param": "none"}}}, None, "rule.empty_in"),
    ({"any": [{"path": "g.s", "in": {"param": "none"}}, {"stated": "g.n"}]}, None, "rule.empty_in"),
    ({"every": "g.items", "require": {"path": "t", "matches": "a.*"}}, None, "rule.derived_in_quantifier"),
    ({"path": "g.d1", "lte": {"path": "g.d2", "days_before": {"param": "ratio"}}}, None, "rule.bad_offset"),
    ({"path": "g.d1", "lte": {"path": "g.d2", "days_after": {"param": "flag"}}}, {"flag": True}, "rule.bad_offset"),
    ({"every": "g.items", "require": {"some": "xs", "require": {"stated": "s"}}}, None, "rule.nested_quantifier"),
    ({"path": "g.n", "eq": {"param": "choices"}}, None, "rule.bad_operand"),
])
def test_each_compile_time_refusal(require, params, key):
    with pytest.raises(CompileError) as exc:
        _compile(require, params)
    assert exc.value.key == key and exc.value.params["rule"] == "CON-01"


def test_a_condition_nested_too_deep_is_refused_when_the_rule_is_loaded():
    deep = {"stated": "g.s"}
    for _ in range(rb.MAX_CONDITION_DEPTH):
        deep = {"not": deep}
    assert c.depth(c.parse(deep)) == rb.MAX_CONDITION_DEPTH + 1
    raw = {"id": "CON-01", "force": "should", "title": {}, "message": {}, "remedy": {}, "citation": {},
           "require": deep, "examples": []}
    problems = []
    rb._parse_rule(raw, "construction", "t.yaml", 3, rb.registry.Registry({}), problems)
    assert [p.key for p in problems] == ["rule.too_deep"]
    problems = []
    rb._parse_rule(dict(raw, require=deep["not"]), "construction", "t.yaml", 3, rb.registry.Registry({}), problems)
    assert problems == []  # exactly at the limit: accepted


def test_two_matches_on_one_path_are_two_values():
    require = {"all": [{"path": "g.t", "matches": "a.*"}, {"path": "g.t", "matches": r".*\d"}]}
    compiled = _compile(require)
    assert sorted(d.pattern for d in compiled.derivations) == sorted(["a.*", r".*\d"])
    rule = _rule(1, {"require": require, "force": "should"})
    engine, facts = InProcessEngine(compiled), FactBuilder(compiled)
    for text, expected in [("a1", "pass"), ("ab", "fail"), ("x1", "fail"), ("b", "fail"), (None, "missing")]:
        data = {"g": {"t": text}} if text is not None else {"g": {}}
        assert engine.run(facts.build(data, "0"))["CON-01"] == expected, text
        main, absent, values = explain(rule, expected, data, PARAMS)
        assert main == "g.t" and absent == ([] if text is not None else ["g.t"])
    negated = {"any": [{"not": {"path": "g.t", "matches": "a.*"}}, {"path": "g.t", "matches": "a"}]}
    compiled = _compile(negated)
    engine, facts = InProcessEngine(compiled), FactBuilder(compiled)
    assert [engine.run(facts.build({"g": {"t": t}}, "0"))["CON-01"] for t in ("a", "ab", "b")] == \
        ["pass", "fail", "pass"]


def test_the_reference_reads_dates_and_regexes_as_the_guide_means_them():
    """Spot checks of the reference itself, derived by hand: 2024-04-01 is 4 days before 2024-04-05."""
    data = {"g": {"d1": "2024-04-01", "d2": "2024-04-05", "t": "施工计划"}}
    assert evaluate({"path": "g.d1", "lte": {"path": "g.d2", "days_before": 4}}, data, {}) == T
    assert evaluate({"path": "g.d1", "lte": {"path": "g.d2", "days_before": 5}}, data, {}) == F
    assert evaluate({"path": "g.d2", "gte": {"path": "g.d1", "days_after": 4}}, data, {}) == T
    assert evaluate({"path": "g.t", "matches": "施工"}, data, {}) == F  # the whole value must match
    assert evaluate({"path": "g.t", "matches": "施工.*"}, data, {}) == T
    assert evaluate({"path": "g.n", "ne": 1}, data, {}) == U
    assert re.fullmatch(PATTERNS[1], "12") and date.fromisoformat(DAYS[0])
