"""Rule quality gates: ``rules lint``, ``rules test`` and ``rules coverage`` pass on the bundled rulebook, and lint
finds each kind of problem it is meant to find, located in the right file."""
import shutil

import pytest

from checker.rulebook import lint
from tests.conftest import GUIDE
from tests.conftest import skip_unless_ci


@pytest.mark.parametrize("args", [("rules", "lint"), ("rules", "test"), ("rules", "coverage")],
                         ids=["lint", "test", "coverage"])
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
