"""The bundled rules: valid, cited verbatim, and each with passing and failing examples that hold (each example is
its own test in test_examples.py)."""
import shutil

import pytest

from checker.rulebook import rules as rb
from checker.model.errors import InputError
from tests.conftest import GUIDE, ROOT
from tests.conftest import skip_unless_ci


def test_every_rule_has_a_passing_and_a_failing_example(rulebook):
    for rule in rulebook.rules:
        outcomes = {e["outcome"] for e in rule.examples}
        assert "pass" in outcomes and outcomes & {"fail", "missing"}, rule.id


def test_every_citation_phrase_is_verbatim_in_the_guide(rulebook):
    if not GUIDE.exists():
        skip_unless_ci(f"guide text not found at {GUIDE}")
    guide = GUIDE.read_text(encoding="utf-8")
    for rule in rulebook.rules:
        assert rule.citation["phrase"] in guide, rule.id
        if rule.citation.get("case"):
            assert rule.citation["case"] in guide, rule.id


def test_construction_dimension_covers_the_three_advances_and_three_relationships(rulebook):
    phrases = {r.citation["phrase"] for r in rulebook.rules if r.dimension == "construction"}
    for key in ("提前告知施工计划", "提前做好管线普查", "提前建立沟通机制", "材料公示", "一户一档", "建立全过程质量监督机制"):
        assert key in phrases
    for dimension in ("operations", "governance", "evaluation"):
        assert len([r for r in rulebook.rules if r.dimension == dimension]) >= 3


def test_assumed_parameters_say_so(rulebook):
    for rule in rulebook.rules:
        for p in rule.parameters.values():
            text = p.description["en"].lower()
            assert ("assumption" in text) == p.assumption or "case" in text, (rule.id, p.name)


def _write_rules(tmp_path, body):
    (tmp_path / "rulebook.yaml").write_text(
        "files: [construction.yaml]\nexample_base: {schema_version: 1}\n", encoding="utf-8")
    (tmp_path / "construction.yaml").write_text(body, encoding="utf-8")
    shutil.copy(ROOT / "rules" / "parameters.yaml", tmp_path)


def test_bad_rule_file_names_file_line_and_rule(tmp_path):
    _write_rules(tmp_path, "dimension: construction\nrules:\n  - id: CON-01\n    force: must\n")
    with pytest.raises(InputError) as exc:
        rb.load(tmp_path)
    text = exc.value.render("en")
    assert "construction.yaml:" in text and "CON-01" in text


def test_undeclared_parameter_is_refused(tmp_path):
    rule = """dimension: construction
rules:
  - id: CON-01
    force: shall
    title: {zh: 甲, en: a}
    message: {zh: 甲, en: a}
    remedy: {zh: 甲, en: a}
    citation: {section: "2(1)", phrase: 材料公示}
    require: {path: community.households, gte: {param: nope}}
    examples:
      - {name: a, outcome: pass, dossier: {}}
      - {name: b, outcome: fail, dossier: {}}
"""
    _write_rules(tmp_path, rule)
    with pytest.raises(InputError) as exc:
        rb.load(tmp_path)
    assert exc.value.problems[0].key == "rule.unknown_param"
