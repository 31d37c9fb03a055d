"""Rule quality gates: ``rules lint``, ``rules test`` and ``rules coverage`` pass on the bundled rulebook, and lint
finds each kind of problem it is meant to find, located in the right file."""
import shutil

import pytest

from checker.rulebook import lint
from tests.conftest import GUIDE
from tests.conftest import skip_unless_ci


# `rules test`: tests/unit/cli/test_cli.py::test_rules_commands (exit 0 and " 0 failed")
@pytest.mark.parametrize("args", [("rules", "lint"), ("rules", "coverage")], ids=["lint", "coverage"])
def test_rule_gate_commands_pass(cli, args):
    res = cli(*args)
    assert res.returncode == 0, res.stdout + res.stderr


def test_lint_passes_and_checks_citations_when_the_guide_is_there():
    guide = GUIDE if GUIDE.exists() else None
    result = lint.lint(guide=guide)
    assert result.problems == []
    assert result.rules >= 40 and result.requirements >= result.rules and result.profiles >= 2
    if guide is None:
        skip_unless_ci(f"guide text not found at {GUIDE}: citations were not checked verbatim")
    assert result.guide == str(GUIDE)


# (file, text to replace, replacement, expected problem key): each a small break of the bundled rules.
BREAKS = [
    ("construction.yaml", "path: construction.pipeline_survey.date", "path: construction.pipeline_survey.dat",
     "rule.unknown_path"),
    ("operations.yaml", "evidenced: operations.fee_use_published", "evidenced: operations.mode",
     "rule.not_a_measure"),
    ("governance.yaml", "every: governance.plan_approvals", "every: governance.party_member_role",
     "rule.not_a_list"),
    ("governance.yaml", "path: approval_share", "path: approval_shares", "rule.unknown_path"),
    ("operations.yaml", "{path: operations.mode, eq: professional}", "{path: operations.mode, eq: professionnal}",
     "rule.bad_literal"),
    ("construction.yaml", "lte: {path: project.dates.construction_start}",
     "lte: {path: project.dates.construction_begin}", "rule.unknown_path"),
    ("operations.yaml", "      zh: 公开物业收费标准\n", "      zh: \"  \"\n", "rule.blank_text"),
    ("parameters.yaml", " (the guide says only 提前告知施工计划; 7 is our assumption)", "", "param.assumption_wording"),
    ("parameters.yaml", "    default: 1.0\n", "    default: 1.5\n", "param.out_of_range"),
    ("parameters.yaml", "parameters:\n", "parameters:\n  spare_days: {default: 1, unit: day, assumption: true, minimum: 0, "
     "maximum: 9, description: {zh: 备用, en: spare (our assumption)}}\n", "param.unused"),
    ("modes.yaml", "{param: small_scale_households}", "{param: small_households}", "modes.unknown_param"),
    ("catalog.yaml", "rules: [EVA-07]", "rules: [EVA-99]", "catalog.unknown_rule"),
    ("catalog.yaml", "rules: [EVA-07]", "manual: true\n    review: {zh: 甲, en: a}", "catalog.unreferenced_rule"),
    ("catalog.yaml", "    phrase: 提前告知施工计划\n    wording: 应\n    force: shall",
     "    phrase: 提前告知施工计划\n    wording: 应\n    force: should", "catalog.force_wording"),
    ("catalog.yaml", "    phrase: 补贴机制\n    wording: none\n    force: should",
     "    phrase: 补贴机制\n    wording: 可\n    force: may", "catalog.rule_force"),
    ("catalog.yaml", "  - id: CTX-29", "  - id: CTX-28", "catalog.duplicate_id"),
    ("catalog.yaml", "    see: [REQ-GOV-01]\n", "    see: [REQ-GOV-99]\n", "catalog.unknown_requirement"),
    ("profiles/example-district.yaml", "notice_days: 14", "notice_days: -3", "param.out_of_range"),
    ("profiles/example-district.yaml", "notice_days: 14", "notice_days: 181", "param.out_of_range"),
    ("profiles/example-district.yaml", "notice_days: 14", "notice_dayz: 14", "param.unknown"),
    ("profiles/example-district.yaml", "GOV-03: shall", "GOV-99: shall", "profile.unknown_rule"),
    ("evaluation.yaml", "  - id: EVA-09", "  - id: EVA-08", "rule.duplicate_id"),
    # issue 9: what can break "less information can only give missing", and texts a reader cannot use
    ("operations.yaml", "require: {stated: name}", "require: {path: name, exists: true}", "rule.legacy_presence"),
    ("operations.yaml", "require: {stated: name}", "require: {path: name, missing: true}", "rule.legacy_presence"),
    ("construction.yaml", "    empty_list_passes: true  # it forbids an event: works_incidents: [] records that none happened\n", "",
     "rule.vacuous_require"),
    ("operations.yaml", "        - some: operations.new_facilities\n          require: {stated: name}",
     "        - every: operations.new_facilities\n          require: {stated: name}", "rule.vacuous_require"),
    ("construction.yaml", "档案未说明{absent}。", "档案未说明{absence}。", "rule.unknown_placeholder"),
    ("construction.yaml", "至少 {param:notice_days}告知居民", "至少 {param:meeting_days}告知居民", "rule.unknown_placeholder"),
    ("construction.yaml", "告知日期:{value:construction.plan_notice.date}", "告知日期:{value:construction.plan_notice.day}",
     "rule.unknown_placeholder"),
    ("construction.yaml", "位置 {item:location}", "位置 {item:place}", "rule.unknown_placeholder"),
    ("construction.yaml", "至少 {param:notice_days}告知居民", "至少 notice_days 天告知居民", "rule.parameter_id_in_text"),
]


@pytest.mark.parametrize("file,old,new,key", BREAKS, ids=[b[3] + ":" + b[0] for b in BREAKS])
def test_lint_finds_each_kind_of_problem(tmp_path, rulebook, file, old, new, key):
    rules = tmp_path / "rules"
    shutil.copytree(rulebook.directory, rules)
    target = rules / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {file}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = lint.lint(rules).problems
    keys = {p.key for p in problems}
    assert key in keys, [p.render("en") for p in problems]
    located = [p for p in problems if p.key == key]
    # a rule whose force no requirement supports is reported at the rule, not in the catalogue
    # a rule whose force no requirement supports, or that no requirement points to, is reported at the rule
    where = {"catalog.rule_force": "operations.yaml", "catalog.unreferenced_rule": "evaluation.yaml"}
    assert all(p.file.endswith(where.get(key, file.split("/")[-1])) for p in located)
    assert all(p.line and p.column for p in located)


def test_a_lint_problem_names_file_line_column_rule_and_path(tmp_path, rulebook):
    rules = tmp_path / "rules"
    shutil.copytree(rulebook.directory, rules)
    text = (rules / "construction.yaml").read_text(encoding="utf-8")
    (rules / "construction.yaml").write_text(text.replace("path: construction.household_files.coverage",
                                                          "path: construction.household_files.coverrage", 1),
                                             encoding="utf-8")
    result = lint.lint(rules)
    (problem,) = result.problems
    rendered = problem.render("en")
    assert "construction.yaml:" in rendered and "CON-07" in rendered and "coverrage" in rendered
    assert problem.line and problem.column


def test_every_rule_has_a_passing_and_a_truly_failing_example(rulebook):
    """Stricter than the rule schema (which accepts missing as the failing example): a real fail for every rule
    (for a may-rule, which never fails, the option not taken)."""
    for rule in rulebook.rules:
        outcomes = {e["outcome"] for e in rule.examples}
        assert {"pass", "not_taken" if rule.force == "may" else "fail"} <= outcomes, rule.id


def _rule_with_examples(rulebook, rule_id, keep):
    import copy

    rule = copy.copy(rulebook.get(rule_id))
    rule.examples = [e for e in rule.examples if keep(e)]
    return rule


@pytest.mark.parametrize("rule_id, dropped, kind", [
    ("CON-01", lambda e: e["outcome"] == "pass", "pass"),
    ("CON-01", lambda e: e["outcome"] == "fail", "fail"),
    ("OPS-15", lambda e: e["outcome"] == "not_taken", "not_taken"),
    ("CON-01", lambda e: not e["dossier"], "nothing said"),
])
def test_lint_refuses_a_rule_without_a_pass_a_fail_or_a_nothing_said_example(rulebook, rule_id, dropped, kind):
    complete = rulebook.get(rule_id)
    assert lint._example_kinds(complete) == []
    problems = lint._example_kinds(_rule_with_examples(rulebook, rule_id, lambda e: not dropped(e)))
    assert [(p.key, p.params["kind"]) for p in problems] == [("rule.example_lacking", kind)]


def test_a_nothing_said_example_must_give_missing_or_not_applicable(rulebook):
    rule = _rule_with_examples(rulebook, "CON-01", lambda e: True)
    rule.examples = [dict(e, outcome="pass") if not e["dossier"] else e for e in rule.examples]
    assert [p.params["kind"] for p in lint._example_kinds(rule)] == ["nothing said"]


def test_lint_replays_every_example_with_each_key_removed(rulebook, monkeypatch):
    """The replay passes on the bundled rules; an evaluator that reads an absent measure as not done (the old
    two-valued guard) is caught on the example that drops that measure."""
    for rule in rulebook.rules:
        assert lint._example_replay(rule, rulebook) == [], rule.id
    real = lint._outcome

    def two_valued(rule, data, params, require):
        if "plan_notice" not in data.get("construction", {}) and rule.id == "CON-01":
            return "fail"
        return real(rule, data, params, require)

    monkeypatch.setattr(lint, "_outcome", two_valued)
    problems = lint._example_replay(rulebook.get("CON-01"), rulebook)
    assert problems and {p.key for p in problems} == {"rule.example_not_monotone"}
    assert {p.params["path"] for p in problems} <= {"construction", "construction.plan_notice"}
    assert all(p.params["after"] == "fail" for p in problems)


def test_vacuity_reads_applies_when_and_the_declared_exception(rulebook):
    from checker.lang import conditions as c

    con12 = rulebook.get("CON-12")
    assert con12.raw.get("empty_list_passes") and lint._vacuous(con12) is None
    import copy

    bare = copy.copy(con12)
    bare.raw = {k: v for k, v in con12.raw.items() if k != "empty_list_passes"}
    assert lint._vacuous(bare).key == "rule.vacuous_require"
    # a rule that cannot apply when the list is empty (its guard is `some` over it) may quantify with every
    guarded = copy.copy(bare)
    guarded.applies_when = c.Quantifier("construction.works_incidents", False, c.Stated("kind"))
    assert lint._vacuous(guarded) is None
    # a requirement that also needs `some` item cannot hold on empty lists
    both = copy.copy(bare)
    both.require = c.All((bare.require, c.Quantifier("construction.works_incidents", False, c.Stated("kind"))))
    assert lint._vacuous(both) is None
    # `not` turns a `some` over an empty list into true
    negated = copy.copy(bare)
    negated.require = c.Not(c.Quantifier("construction.works_incidents", False, c.Stated("kind")))
    assert lint._vacuous(negated).key == "rule.vacuous_require"
