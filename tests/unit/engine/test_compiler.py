"""The condition language compiled to durable-rules, run through the real engine on small facts."""
import pytest

from checker.lang import conditions as c
from checker.engine.compiler import CompileError, compile_rules, disjuncts
from checker.engine.driver import Engine
from checker.lang.facts import FactBuilder
from checker.rulebook.rules import Rule


def make_rule(require, applies=None, params=None, rule_id="CON-99"):
    return Rule(rule_id, "construction", "should", {}, {}, {}, {}, {}, c.parse(applies) if applies else None,
                c.parse(require), [], "t.yaml", 1)


def outcome(require, data, applies=None, params=None):
    rule = make_rule(require, applies)
    compiled = compile_rules([rule], lambda r: params or {})
    fact = FactBuilder(compiled).build(data, "1")
    return Engine(compiled).run(fact)[rule.id]


CASES = [
    # (require, data, expected)
    ({"path": "a.n", "gte": 3}, {"a": {"n": 3}}, "pass"),
    ({"path": "a.n", "gte": 3}, {"a": {"n": 2}}, "fail"),
    ({"path": "a.n", "gte": 3}, {"a": {}}, "missing"),
    ({"path": "a.n", "lt": 3}, {"a": {"n": 2.5}}, "pass"),
    ({"path": "a.n", "gt": 3}, {"a": {"n": 3}}, "fail"),
    ({"path": "a.n", "lte": 3}, {"a": {"n": 4}}, "fail"),
    ({"path": "a.s", "eq": "x"}, {"a": {"s": "x"}}, "pass"),
    ({"path": "a.s", "ne": "x"}, {"a": {"s": "x"}}, "fail"),
    ({"path": "a.s", "ne": "x"}, {"a": {"s": "y"}}, "pass"),
    ({"path": "a.s", "in": ["x", "y"]}, {"a": {"s": "y"}}, "pass"),
    ({"path": "a.s", "in": ["x", "y"]}, {"a": {"s": "z"}}, "fail"),
    ({"path": "a.s", "matches": "施工.*"}, {"a": {"s": "施工计划"}}, "pass"),
    ({"path": "a.s", "matches": "施工"}, {"a": {"s": "施工计划"}}, "fail"),
    ({"path": "a.s", "matches": r"\d+"}, {"a": {"s": "12"}}, "pass"),
    ({"path": "a.s", "matches": r"\d+"}, {}, "missing"),
    ({"stated": "a.s"}, {"a": {"s": "x"}}, "pass"),
    ({"stated": "a.s"}, {"a": {"s": False}}, "pass"),
    ({"stated": "a.s"}, {"a": {}}, "missing"),
    ({"not": {"stated": "a.s"}}, {"a": {"s": 1}}, "fail"),
    ({"not": {"stated": "a.s"}}, {}, "missing"),
    ({"done": "m"}, {"m": {"not_needed": True, "reason": "r"}}, "fail"),
    ({"evidenced": "m"}, {"m": {"not_needed": True, "reason": "r"}}, "fail"),
    ({"not_needed": "m"}, {"m": {"not_needed": True, "reason": "r"}}, "pass"),
    ({"not_needed": "m"}, {"m": {"done": True}}, "fail"),
    ({"not_needed": "m"}, {"m": {"done": False}}, "fail"),
    ({"not_needed": "m"}, {"m": {"not_needed": False}}, "fail"),
    ({"not_needed": "m"}, {}, "missing"),
    ({"any": [{"evidenced": "m"}, {"not_needed": "m"}]}, {"m": {"not_needed": True, "reason": "r"}}, "pass"),
    ({"any": [{"evidenced": "m"}, {"not_needed": "m"}]}, {"m": {"done": True}}, "missing"),
    ({"any": [{"evidenced": "m"}, {"not_needed": "m"}]}, {"m": {"done": False}}, "fail"),
    ({"some": "xs", "require": {"not_needed": "m"}}, {"xs": [{"m": {"done": True}}, {"m": {"not_needed": True}}]},
     "pass"),
    ({"every": "xs", "require": {"stated": "v"}}, {"xs": [{"v": 1}, {}]}, "missing"),
    ({"path": "review.as_of", "gte": "2025-01-01"}, {"review": {"as_of": "2025-06-01"}}, "pass"),
    ({"done": "m"}, {"m": {"done": True}}, "pass"),
    ({"done": "m"}, {"m": {"done": False}}, "fail"),
    ({"done": "m"}, {}, "missing"),
    ({"evidenced": "m"}, {"m": {"done": True, "evidence": [{"file": "f"}]}}, "pass"),
    ({"evidenced": "m"}, {"m": {"done": True}}, "missing"),
    ({"evidenced": "m"}, {"m": {"done": False}}, "fail"),
    ({"all": [{"done": "m"}, {"done": "n"}]}, {"m": {"done": True}}, "missing"),
    ({"all": [{"done": "m"}, {"done": "n"}]}, {"m": {"done": False}}, "fail"),
    ({"any": [{"done": "m"}, {"done": "n"}]}, {"m": {"done": True}}, "pass"),
    ({"any": [{"done": "m"}, {"done": "n"}]}, {"m": {"done": False}}, "missing"),
    ({"any": [{"done": "m"}, {"done": "n"}]}, {"m": {"done": False}, "n": {"done": False}}, "fail"),
    ({"not": {"done": "m"}}, {"m": {"done": False}}, "pass"),
    ({"not": {"done": "m"}}, {}, "missing"),
    ({"every": "xs", "require": {"path": "v", "gt": 1}}, {"xs": [{"v": 2}, {"v": 3}]}, "pass"),
    ({"every": "xs", "require": {"path": "v", "gt": 1}}, {"xs": [{"v": 2}, {"v": 1}]}, "fail"),
    ({"every": "xs", "require": {"path": "v", "gt": 1}}, {"xs": []}, "pass"),
    ({"every": "xs", "require": {"path": "v", "gt": 1}}, {"xs": [{"v": 2}, {}]}, "missing"),
    ({"every": "xs", "require": {"path": "v", "gt": 1}}, {}, "missing"),
    ({"some": "xs", "require": {"path": "v", "gt": 1}}, {"xs": [{"v": 0}, {"v": 3}]}, "pass"),
    ({"some": "xs", "require": {"path": "v", "gt": 1}}, {"xs": []}, "fail"),
    ({"some": "xs", "require": {"path": "v", "gt": 1}}, {"xs": [{"v": 0}]}, "fail"),
    ({"path": "d.a", "lte": {"path": "d.b", "days_before": 7}}, {"d": {"a": "2024-03-01", "b": "2024-03-08"}}, "pass"),
    ({"path": "d.a", "lte": {"path": "d.b", "days_before": 7}}, {"d": {"a": "2024-03-02", "b": "2024-03-08"}}, "fail"),
    ({"path": "d.a", "lte": {"path": "d.b", "days_before": 7}}, {"d": {"a": "2024-03-02"}}, "missing"),
    ({"path": "d.a", "gte": {"path": "d.b", "days_after": 365}}, {"d": {"a": "2025-02-28", "b": "2024-02-29"}}, "pass"),
    ({"path": "d.a", "gte": {"path": "d.b", "days_after": 366}}, {"d": {"a": "2025-02-28", "b": "2024-02-29"}}, "fail"),
]


@pytest.mark.parametrize("require,data,expected", CASES)
def test_condition_outcomes(require, data, expected):
    assert outcome(require, data) == expected


def test_applies_when_false_is_not_applicable_and_unknown_is_missing():
    applies = {"path": "p", "eq": "x"}
    assert outcome({"done": "m"}, {"p": "y", "m": {"done": True}}, applies) == "not_applicable"
    assert outcome({"done": "m"}, {"m": {"done": True}}, applies) == "missing"
    assert outcome({"done": "m"}, {"p": "x", "m": {"done": True}}, applies) == "pass"


def test_parameters_are_resolved():
    require = {"path": "n", "gte": {"param": "k"}}
    assert outcome(require, {"n": 5}, params={"k": 5}) == "pass"
    assert outcome(require, {"n": 5}, params={"k": 6}) == "fail"


def test_every_engine_condition_has_the_positive_discriminator(rulebook):
    compiled = compile_rules(rulebook.rules, rulebook.params_for)
    for partition in compiled.partitions:
        for rule in partition.definition.values():
            match = rule["all"][0]["m"]
            assert match == {"kind": "dossier"} or match["$and"][0] == {"kind": "dossier"}


def test_top_level_or_is_split_into_alternatives():
    assert disjuncts({"$or": [{"a": 1}, {"$or": [{"b": 1}, {"c": 1}]}]}) == [{"a": 1}, {"b": 1}, {"c": 1}]
    assert disjuncts({"$and": [{"k": 1}, {"$or": [{"a": 1}, {"b": 1}]}]}) == [
        {"$and": [{"k": 1}, {"a": 1}]}, {"$and": [{"k": 1}, {"b": 1}]}]


def test_nested_quantifier_is_a_compile_error():
    rule = make_rule({"every": "xs", "require": {"every": "ys", "require": {"path": "v", "eq": 1}}})
    with pytest.raises(CompileError) as exc:
        compile_rules([rule], lambda r: {})
    assert exc.value.key == "rule.nested_quantifier"


def test_a_may_rule_never_fails_its_option_is_not_taken():
    rule = make_rule({"done": "m"})
    rule.force = "may"
    compiled = compile_rules([rule], lambda r: {})
    engine = Engine(compiled)
    builder = FactBuilder(compiled)
    assert engine.run(builder.build({"m": {"done": False}}, "1"))[rule.id] == "not_taken"
    assert engine.run(builder.build({"m": {"done": True}}, "1"))[rule.id] == "pass"
    assert engine.run(builder.build({}, "1"))[rule.id] == "missing"
    # the effective force decides: a profile that makes the rule shall turns not_taken back into fail
    compiled = compile_rules([rule], lambda r: {}, lambda r: "shall")
    assert Engine(compiled).run(FactBuilder(compiled).build({"m": {"done": False}}, "1"))[rule.id] == "fail"


def test_placeholders_show_parameter_values_with_the_assumption_mark_and_dossier_values_by_unit():
    from checker.check.finding_text import FindingText
    from checker.rulebook.rules import Parameter

    rule = make_rule({"path": "construction.household_files.coverage", "gte": 1})
    rule.parameters = {"notice_days": Parameter("notice_days", 7, "day", True, {}),
                       "share": Parameter("share", 0.5, "ratio", False, {})}
    texts = FindingText(None)
    data = {"construction": {"household_files": {"done": True, "coverage": 0.92}},
            "operations": {"items": [{"name": "a"}, {"name": "停车"}]}}
    params = {"notice_days": 14, "share": 0.5}

    def render(template, lang, main="", absent=()):
        return texts.render(template, lang, rule, data, params, main, list(absent))

    assert render("开工前至少 {param:notice_days}", "zh") == "开工前至少 14 天(本工具的假设,可由配置调整)"
    assert render("at least {param:notice_days}", "en") == "at least 14 days (our assumption; a profile can change it)"
    assert render("半数 {param:share}", "zh") == "半数 50%"
    assert render("建档率 {value:construction.household_files.coverage}", "zh") == "建档率 92%"
    assert render("{value:construction.household_files.done}", "zh") == "是"
    assert render("{value:construction.household_files.done}", "en") == "yes"
    assert render("{value:construction.plan_notice.date}", "en") == "not stated"
    assert render("方案“{item:name}”", "zh", main="operations.items.1.name") == "方案“停车”"
    assert "construction.plan_notice" in render("{absent}", "zh", absent=["construction.plan_notice"])
    assert render("no placeholder {", "zh") == "no placeholder {"


def test_messages_per_outcome_and_legacy_messages():
    from checker.check.finding_text import message_template

    rule = make_rule({"done": "m"})
    rule.message = {"zh": "旧", "en": "old"}
    assert message_template(rule, "fail") == message_template(rule, "missing") == {"zh": "旧", "en": "old"}
    assert message_template(rule, "pass") is None
    rule.message = {"fail": {"zh": "否", "en": "no"}, "missing": {"zh": "未说明{absent}", "en": "not stated"}}
    assert message_template(rule, "missing")["zh"] == "未说明{absent}"
    assert message_template(rule, "not_taken") is None


def test_review_as_of_is_the_reviewers_date_read_once(rulebook):
    from checker.check.pipeline import Checker

    checker = Checker(rulebook, as_of="2030-01-02")
    assert checker.with_review({"project": {}})["review"] == {"as_of": "2030-01-02"}
    checker.engine.close()


def test_evidence_policy_under_shall_a_bare_claim_is_missing_under_should_it_passes_flagged():
    rule = make_rule({"done": "m"})
    compiled = compile_rules([rule], lambda r: {}, lambda r: "shall")
    engine, builder = Engine(compiled), FactBuilder(compiled)
    assert engine.run(builder.build({"m": {"done": True}}, "1"))[rule.id] == "missing"
    assert engine.run(builder.build({"m": {"done": True, "evidence": [{"file": "f"}]}}, "1"))[rule.id] == "pass"
    assert engine.run(builder.build({"m": {"done": False}}, "1"))[rule.id] == "fail"
    from checker.lang.explain import explain, unevidenced

    assert unevidenced(rule, {"m": {"done": True}}, {})
    assert not unevidenced(rule, {"m": {"done": True, "evidence": [{"file": "f"}]}}, {})
    from checker.engine.compiler import policy_require

    assert explain(rule, "missing", {"m": {"done": True}}, {}, policy_require(rule.require, "shall"))[1] == ["m.evidence"]


def test_an_and_of_alternatives_is_split_up_to_sixteen_and_kept_whole_beyond():
    from checker.engine.compiler import MAX_DISJUNCTS

    def alternatives(n):
        return {"$or": [{f"a{i}": 1} for i in range(n)]}

    sixteen = {"$and": [alternatives(4), alternatives(4)]}
    assert MAX_DISJUNCTS == 16 and len(disjuncts(sixteen)) == 16
    seventeen = {"$and": [alternatives(17), {"k": 1}]}
    assert disjuncts(seventeen) == [seventeen]


def test_rules_are_packed_greedily_within_the_alpha_budget(rulebook):
    """Each partition stays within the budget, and each but the last could not have taken the next rule."""
    from checker.engine.limits import ALPHA_STACK_BUDGET, AlphaTree

    compiled = compile_rules(rulebook.rules, rulebook.params_for)
    assert 1 < len(compiled.partitions) < len(rulebook.rules) // 2

    def conditions(partition, rule_id=None):
        return [r["all"][0]["m"] for name, r in partition.definition.items()
                if rule_id is None or partition.actions[r["run"]][0] == rule_id]

    for partition, following in zip(compiled.partitions, compiled.partitions[1:] + [None]):
        tree = AlphaTree()
        for cond in conditions(partition):
            tree.add(cond)
        assert tree.stack_bound() <= ALPHA_STACK_BUDGET
        if following is not None:
            first = following.actions[next(iter(following.definition.values()))["run"]][0]
            for cond in conditions(following, first):
                tree.add(cond)
            assert tree.stack_bound() > ALPHA_STACK_BUDGET, partition.name


def test_a_rule_beyond_the_engine_limit_is_refused(monkeypatch, rulebook):
    from checker.engine import compiler

    monkeypatch.setattr(compiler, "ALPHA_STACK_BUDGET", 1)
    with pytest.raises(CompileError) as exc:
        compile_rules(rulebook.rules[:3], rulebook.params_for)
    assert exc.value.key == "rule.engine_limit" and exc.value.params["rule"] == rulebook.rules[0].id
